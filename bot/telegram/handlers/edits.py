"""Edited messages: never read as an answer; an edited /log corrects what it recorded (bot/services/corrections.py)."""

from __future__ import annotations

from telegram import Message, Update

from bot.services.corrections import EditedMessage, answer_edit
from bot.telegram.context import BotContext
from bot.telegram.turns import user_turn

# As much of an edited report as /log reads of a new one.
REPORT_TEXT_LIMIT = 500


async def edited_message(update: Update, context: BotContext) -> None:
    """Any edit of a message in the private chat; the edit arrives as its own update, through user_turn."""
    message = update.edited_message
    if message is None:
        return
    text = message.text if message.text is not None else message.caption
    edited = EditedMessage(message.message_id, text and text[:REPORT_TEXT_LIMIT], log_argument(message))
    async with user_turn(update, context) as turn:
        turn.reply(await answer_edit(turn, edited))


def log_argument(message: Message) -> str | None:
    """What follows /log (or /log@bot) in the message's text; None when the text is not a /log command."""
    command, *argument = (message.text or "").split(maxsplit=1) or [""]
    if command.partition("@")[0].casefold() != "/log":
        return None
    return "".join(argument).strip()[:REPORT_TEXT_LIMIT]
