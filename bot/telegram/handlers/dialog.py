"""Answers to the open dialog: typed text, pressed buttons, anything else; /cancel; /help."""

from __future__ import annotations

from telegram import Update

from bot.core.dialog import Answer, Outgoing
from bot.telegram.callbacks import parse_dialog_callback
from bot.telegram.commands import help_text
from bot.telegram.context import BotContext, user_turn
from bot.telegram.render import reply


async def text_or_other(update: Update, context: BotContext) -> None:
    """Anything the user sends that is not a command: an answer if a dialog is open."""
    message = update.effective_message
    if message is None:
        return
    deps = context.services
    async with user_turn(update, context) as turn:
        answer = Answer(text=message.text)
        messages = await deps.dialogs.answer(turn, answer)
        if messages is None:
            messages = [
                Outgoing(turn._("I am not waiting for an answer right now. /help shows what I can do."))
            ]
    await reply(update, context, messages)


async def button(update: Update, context: BotContext) -> None:
    """A pressed button of a dialog prompt; its data is checked against the user's own dialog."""
    query = update.callback_query
    if query is None:
        return
    deps = context.services
    async with user_turn(update, context) as turn:
        parsed = parse_dialog_callback(query.data)
        messages = None
        if parsed is not None:
            version, value = parsed
            answer = Answer(choice=value, dialog_version=version)
            messages = await deps.dialogs.answer(turn, answer)
        if messages is None:
            messages = [Outgoing(turn._("That button is from an old message and no longer does anything."))]
    await reply(update, context, messages)


async def cancel(update: Update, context: BotContext) -> None:
    deps = context.services
    async with user_turn(update, context) as turn:
        messages = await deps.dialogs.cancel(turn)
        if messages is None:
            messages = [Outgoing(turn._("There is nothing to cancel: I am not asking you anything."))]
    await reply(update, context, messages)


async def show_help(update: Update, context: BotContext) -> None:
    async with user_turn(update, context) as turn:
        messages = [Outgoing(help_text(turn._))]
    await reply(update, context, messages)


async def unknown_command(update: Update, context: BotContext) -> None:
    message = update.effective_message
    command = (message.text or "").split()[0] if message else ""
    async with user_turn(update, context) as turn:
        messages = [
            Outgoing(
                turn._(
                    "I don't know the command {command}. /help lists the ones I know.", command=command[:40]
                )
            )
        ]
    await reply(update, context, messages)
