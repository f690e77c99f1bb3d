"""ops15: /admin and /broadcast for ADMIN_IDS (anyone else: the unknown-command reply), /deleteme, their buttons."""

from __future__ import annotations

from telegram import Update

from bot.core.dialog import Outgoing
from bot.services.admin_report import admin_report
from bot.services.broadcasts import broadcast_press
from bot.services.data_rights import deletion_preview, erase_me, kept
from bot.services.flows.broadcast_text import start_broadcast
from bot.services.turn import Turn
from bot.telegram.callbacks_admin import AdminButton, AdminPress, parse_admin_callback
from bot.telegram.context import BotContext
from bot.telegram.handlers.dialog import unknown_command
from bot.telegram.replies import old_button
from bot.telegram.turns import user_turn


def from_admin(update: Update, context: BotContext) -> bool:
    sender = update.effective_user
    return sender is not None and sender.id in context.services.settings.admin_ids


def text_after_command(update: Update) -> str:
    """What follows "/broadcast" (or "/broadcast@bot"), its line breaks kept."""
    message = update.effective_message
    text = (message.text or "") if message else ""
    parts = text.split(maxsplit=1)
    return parts[1].strip() if len(parts) == 2 else ""


async def admin(update: Update, context: BotContext) -> None:
    if not from_admin(update, context):
        return await unknown_command(update, context)
    async with user_turn(update, context) as turn:
        turn.reply(await admin_report(turn))


async def broadcast(update: Update, context: BotContext) -> None:
    if not from_admin(update, context):
        return await unknown_command(update, context)
    async with user_turn(update, context) as turn:
        turn.reply(await start_broadcast(turn, text_after_command(update)))


async def delete_me(update: Update, context: BotContext) -> None:
    async with user_turn(update, context) as turn:
        turn.reply(await deletion_preview(turn))


async def admin_button(update: Update, context: BotContext) -> None:
    """A button of /deleteme's confirmation or of a broadcast's preview."""
    query = update.callback_query
    assert query is not None
    press = parse_admin_callback(query.data)
    async with user_turn(update, context) as turn:
        turn.reply(await _pressed(turn, press) if press else [old_button(turn._)])


async def _pressed(turn: Turn, press: AdminPress) -> list[Outgoing]:
    if press.button is AdminButton.ERASE:
        return await erase_me(turn, press.row_id)
    if press.button is AdminButton.KEEP:
        return kept(turn)
    return await broadcast_press(turn, press)
