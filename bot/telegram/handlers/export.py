"""/export and its "whose data" buttons ("ex", export14)."""

from __future__ import annotations

from telegram import Update

from bot.services.export import export_command, export_press
from bot.telegram.callbacks_export import parse_export_callback
from bot.telegram.context import BotContext
from bot.telegram.replies import old_button
from bot.telegram.turns import user_turn


async def export(update: Update, context: BotContext) -> None:
    async with user_turn(update, context) as turn:
        turn.reply(await export_command(turn))


async def export_button(update: Update, context: BotContext) -> None:
    """A "my data" / "team" button: a team is looked up against the presser's own seat in it."""
    query = update.callback_query
    assert query is not None
    press = parse_export_callback(query.data)
    async with user_turn(update, context) as turn:
        messages = await export_press(turn, press) if press else None
        turn.reply(messages if messages is not None else [old_button(turn._)])
