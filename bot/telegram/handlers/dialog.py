"""Answers to the open dialog: typed text, pressed buttons, anything else; /cancel; /help."""

from __future__ import annotations

from telegram import Update

from bot.core.dialog import Answer, Outgoing
from bot.services.crm_connections import forget_secret_update
from bot.services.free_text import answer_free_text
from bot.telegram.callbacks import parse_dialog_callback
from bot.telegram.commands import help_text
from bot.telegram.context import BotContext
from bot.telegram.replies import old_button
from bot.telegram.turns import user_turn


async def text_or_other(update: Update, context: BotContext) -> None:
    """Anything the user sends that is not a command: a dialog's or a prompt's answer, results, ..."""
    message = update.effective_message
    if message is None:
        return
    async with user_turn(update, context) as turn:
        messages = await answer_free_text(turn, message.text, message.message_id)
        turn.reply(messages)
        if turn.forget_message:  # sync14: it held CRM credentials
            await forget_secret_update(turn, update.update_id)
    if turn.forget_message:
        await context.bot_data.sending.delete_message(message.chat_id, message.message_id)


async def button(update: Update, context: BotContext) -> None:
    """A pressed button of a dialog prompt; its data is checked against the user's own dialog."""
    query = update.callback_query
    if query is None:
        return
    press = parse_dialog_callback(query.data)
    async with user_turn(update, context) as turn:
        messages = None
        if press is not None:
            answer = Answer(choice=press.value, dialog_version=press.version)
            messages = await context.services.dialogs.answer(turn, answer)
        if messages is None:
            messages = [old_button(turn._)]
        turn.reply(messages)


async def cancel(update: Update, context: BotContext) -> None:
    async with user_turn(update, context) as turn:
        messages = await context.services.dialogs.cancel(turn)
        if messages is None:
            messages = [Outgoing(turn._("There is nothing to cancel: I am not asking you anything."))]
        turn.reply(messages)


async def show_help(update: Update, context: BotContext) -> None:
    async with user_turn(update, context) as turn:
        messages = [Outgoing(help_text(turn._))]
        turn.reply(messages)


async def unknown_command(update: Update, context: BotContext) -> None:
    message = update.effective_message
    command = (message.text or "").split()[0][:40] if message else ""
    async with user_turn(update, context) as turn:
        text = turn._("I don't know the command {command}. /help lists the ones I know.", command=command)
        turn.reply([Outgoing(text)])
