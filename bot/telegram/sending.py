"""The one way out to Telegram: every message, photo, callback answer and keyboard edit the bot makes.

Nothing else calls send_message, send_photo, send_document, edit_message_text, answer_callback_query,
edit_message_reply_markup or delete_message. Here
Telegram's errors become the senders' one outcome type (bot.scheduler.delivery.DeliveryError, retry_after
included), and a 429 closes the shared flood gate for its retry_after, so that no message of this process
leaves before then, with the rate limiter or without it (the limiter throttles but no longer retries).
Answering a callback query and retiring a pressed keyboard are courtesies: they never fail the turn.
"""

from __future__ import annotations

import asyncio
import logging
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta
from io import BytesIO

import httpx
from telegram import Bot, CallbackQuery, InputFile, Message, Update
from telegram.error import (
    BadRequest,
    ChatMigrated,
    EndPointNotFound,
    Forbidden,
    InvalidToken,
    RetryAfter,
    TelegramError,
    TimedOut,
)

from bot.core.dialog import Outgoing
from bot.scheduler.delivery import DeliveryError, Failure, flood
from bot.scheduler.flood import FloodGate
from bot.storage.message_models import OutboxMessage
from bot.telegram.context import BotContext
from bot.telegram.limits import LimitExceeded, checked_document, checked_photo
from bot.telegram.render import KeyboardRows, draw, markup, text_messages

log = logging.getLogger(__name__)
# Telegram's words for a callback query answered too late (or unknown): expected after a long restart.
_OLD_QUERY = ("query is too old", "query id is invalid")
# An edit that would leave the message as it is: Telegram refuses it, and the message already reads so.
_NOT_MODIFIED = "message is not modified"
# The request never left the machine: safe to send again.
_NOT_SENT = (httpx.ConnectTimeout, httpx.PoolTimeout)


def retry_after_seconds(error: RetryAfter) -> float:
    # PTB 22 warns when retry_after is read as a number; both forms mean seconds.
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        value = error.retry_after
    return value.total_seconds() if isinstance(value, timedelta) else float(value)


def failure_of(error: TelegramError) -> DeliveryError:
    """Telegram's error as what became of the send."""
    if isinstance(error, RetryAfter):
        return flood(retry_after_seconds(error))
    if isinstance(error, Forbidden):
        return DeliveryError(Failure.BLOCKED, error.message)
    if isinstance(error, TimedOut):
        # Timed out waiting for the answer: it may have arrived. Timed out before it left: try again.
        sent = not isinstance(error.__cause__, _NOT_SENT) and not error.message.startswith("Pool timeout")
        return DeliveryError(Failure.UNCONFIRMED if sent else Failure.RETRY, error.message)
    if isinstance(error, ChatMigrated):
        return DeliveryError(Failure.MIGRATED, error.message, new_chat_id=error.new_chat_id)
    if isinstance(error, BadRequest | InvalidToken | EndPointNotFound):
        return DeliveryError(Failure.PERMANENT, error.message)
    return DeliveryError(Failure.RETRY, error.message)  # 5xx and connection trouble: worth another try


class Sending:
    """Sends through `bot`, holding every send while `gate` is closed and closing it on a 429."""

    def __init__(self, bot: Bot, gate: FloodGate) -> None:
        self.bot = bot
        self.gate = gate

    @contextmanager
    def _outcome(self) -> Iterator[None]:
        """Raise DeliveryError for Telegram's errors; a 429 closes the gate first."""
        if not self.gate.is_open():
            raise flood(self.gate.wait_seconds())
        try:
            yield
        except TelegramError as error:
            failure = failure_of(error)
            if failure.failure is Failure.FLOOD:
                self.gate.close_for(failure.retry_after or 0)
            raise failure from None

    async def text(self, chat_id: int, text: str, buttons: KeyboardRows | None = None) -> int:
        """Send one text within Telegram's limits; its message id."""
        with self._outcome():
            sent = await self.bot.send_message(chat_id, text, reply_markup=markup(buttons))
        return sent.message_id

    async def edit_text(self, chat_id: int, message_id: int, text: str) -> int:
        """Make the bot's message `message_id` read `text` (a group's wins relay); its message id."""
        try:
            with self._outcome():
                await self.bot.edit_message_text(text, chat_id, message_id)
        except DeliveryError as error:
            if _NOT_MODIFIED not in error.reason.lower():
                raise
        return message_id

    async def photo(self, chat_id: int, png: bytes, caption: str | None = None) -> int:
        try:
            checked_photo(png)
        except LimitExceeded as error:
            raise DeliveryError(Failure.PERMANENT, str(error)) from None
        with self._outcome():
            sent = await self.bot.send_photo(chat_id, BytesIO(png), caption=caption or None)
        return sent.message_id

    async def document(self, chat_id: int, content: bytes, file_name: str, caption: str | None = None) -> int:
        try:
            checked_document(content)
        except LimitExceeded as error:
            raise DeliveryError(Failure.PERMANENT, str(error)) from None
        with self._outcome():
            sent = await self.bot.send_document(
                chat_id, InputFile(content, filename=file_name), caption=caption or None
            )
        return sent.message_id

    async def outgoing(self, chat_id: int, message: Outgoing) -> int:
        """Send a message of any length: split as the outbox splits it; the id of its last part."""
        try:
            parts = text_messages(message)
        except LimitExceeded as error:  # a keyboard Telegram would refuse: no use sending any of it
            raise DeliveryError(Failure.PERMANENT, str(error)) from None
        message_id = 0
        for part in parts:
            message_id = await self.text(chat_id, part.text, part.buttons)
        return message_id

    async def outbox_message(self, row: OutboxMessage) -> int:
        """Send an outbox row: its text, or its photo (drawn now if it was stored as a drawing), or its
        file, or the edit of an earlier message."""
        if row.edit_message_id is not None:
            return await self.edit_text(row.chat_id, row.edit_message_id, row.text)
        if row.document_name is not None:
            made = (
                row.document if row.document is not None else await asyncio.to_thread(draw, row.drawing or {})
            )
            return await self.document(row.chat_id, made, row.document_name, row.text)
        if row.photo is None and row.drawing is None:
            return await self.text(row.chat_id, row.text, row.buttons)
        png = row.photo if row.photo is not None else await asyncio.to_thread(draw, row.drawing or {})
        return await self.photo(row.chat_id, png, row.text)

    async def delete_message(self, chat_id: int, message_id: int) -> bool:
        """Delete a user's message (sync14: one that held CRM credentials); whether Telegram did. Never
        fails the turn: a message older than 48 hours, say, cannot be deleted by a bot."""
        try:
            with self._outcome():
                return bool(await self.bot.delete_message(chat_id, message_id))
        except DeliveryError as error:
            log.info("message %s in chat %s not deleted: %s", message_id, chat_id, error.failure)
            return False

    async def answer_query(self, query: CallbackQuery) -> None:
        """Stop the pressed button's progress bar; an old query (a long restart) is only noted."""
        try:
            with self._outcome():
                await self.bot.answer_callback_query(query.id)
        except DeliveryError as error:
            old = any(words in error.reason.lower() for words in _OLD_QUERY)
            log.log(
                logging.DEBUG if old else logging.INFO, "callback query %s not answered: %s", query.id, error
            )

    async def retire_keyboard(self, query: CallbackQuery) -> None:
        """Take the buttons off the message whose button was pressed (an old message may keep them)."""
        message = query.message
        if not isinstance(message, Message) or message.reply_markup is None:
            return
        try:
            with self._outcome():
                await self.bot.edit_message_reply_markup(
                    message.chat.id, message.message_id, reply_markup=None
                )
        except DeliveryError as error:
            log.debug("keyboard of message %s kept: %s", message.message_id, error)


async def deliver_replies(update: Update, context: BotContext, recorded: int) -> None:
    """After the commit: the pressed button is answered and its keyboard retired, then the `recorded`
    replies go out (behind any older ones of the chat that are due). A failure here is logged, not told:
    the turn committed, and what it recorded is sent by the outbox's next tick."""
    sending, query, chat = context.bot_data.sending, update.callback_query, update.effective_chat
    try:
        if query is not None:
            await sending.answer_query(query)
            await sending.retire_keyboard(query)
        if chat is not None and recorded:
            await context.bot_data.outbox.deliver(chat.id, most=recorded)
    except Exception:
        log.exception("replies to update %s recorded but not sent yet", update.update_id)
