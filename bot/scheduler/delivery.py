"""What a send can come to, in the senders' terms; the Telegram layer (bot/telegram/sending.py) maps its
errors onto these, for the dispatcher, the nudges and the outbox alike."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from enum import StrEnum

from bot.storage.models import PromptOccurrence, User


class Failure(StrEnum):
    BLOCKED = "blocked"  # 403: the user blocked the bot or deactivated; stop their prompts
    FLOOD = "flood"  # 429: Telegram's flood control; again after `retry_after`, not counted as an attempt
    RETRY = "retry"  # 5xx, network trouble: try again later
    UNCONFIRMED = "unconfirmed"  # a timeout after the request left: it may have arrived, so never repeat
    PERMANENT = "permanent"  # anything else (400 chat not found, a message Telegram refuses): give up
    MIGRATED = "migrated"  # 400: the group became a supergroup; the same message again to `new_chat_id`


@dataclass(frozen=True)
class DeliveryError(Exception):
    failure: Failure
    reason: str
    retry_after: float | None = None  # seconds Telegram asked us to wait (FLOOD only)
    new_chat_id: int | None = None  # the supergroup's id (MIGRATED only)

    def __str__(self) -> str:
        return f"{self.failure.value}: {self.reason}"


def flood(retry_after: float) -> DeliveryError:
    """The failure of a send held back (or refused) by flood control for `retry_after` seconds."""
    return DeliveryError(Failure.FLOOD, f"flood control: retry after {retry_after:g} s", retry_after)


# Sends the prompt (or, with reminder=True, the gentle reminder) and returns the Telegram message id.
PromptSender = Callable[[PromptOccurrence, User, bool], Awaitable[int | None]]
