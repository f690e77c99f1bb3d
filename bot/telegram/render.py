"""Turning the services' Outgoing messages into Telegram messages."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Sequence
from io import BytesIO

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.error import BadRequest

from bot.core.dialog import Button, Outgoing, Photo, Reply
from bot.telegram.callbacks import dialog_callback
from bot.telegram.context import BotContext


def keyboard(message: Outgoing) -> InlineKeyboardMarkup | None:
    if not message.buttons:
        return None

    def data(button: Button) -> str:
        # Dialog prompts stamp their version on each button; other buttons carry their own data.
        if message.dialog_version is None:
            return button.value
        return dialog_callback(message.dialog_version, button.value)

    return InlineKeyboardMarkup(
        [
            [InlineKeyboardButton(button.label, callback_data=data(button)) for button in row]
            for row in message.buttons
        ]
    )


async def send(context: BotContext, chat_id: int, messages: Sequence[Reply]) -> None:
    for message in messages:
        if isinstance(message, Photo):
            # Rendering takes tens of milliseconds of CPU: off the event loop, so other users are not held up.
            png = await asyncio.to_thread(message.render)
            await context.bot.send_photo(chat_id, BytesIO(png), caption=message.caption)
        else:
            await context.bot.send_message(chat_id, message.text, reply_markup=keyboard(message))


async def reply(update: Update, context: BotContext, messages: Sequence[Reply]) -> None:
    """Answer in the chat the update came from; a pressed button's keyboard is retired first."""
    query = update.callback_query
    if query is not None:
        await query.answer()
        # A message too old to edit, or already without buttons, has nothing to retire.
        with contextlib.suppress(BadRequest):
            await query.edit_message_reply_markup(reply_markup=None)
    chat = update.effective_chat
    if chat is not None:
        await send(context, chat.id, messages)
