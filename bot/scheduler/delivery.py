"""What a send can come to, in the dispatcher's terms; the Telegram layer maps its errors onto these."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from enum import StrEnum

from bot.storage.models import PromptOccurrence, User


class Failure(StrEnum):
    BLOCKED = "blocked"  # 403: the user blocked the bot or deactivated; stop their prompts
    RETRY = "retry"  # 5xx, network trouble, 429 beyond the rate limiter's retries: try again later
    UNCONFIRMED = "unconfirmed"  # a timeout after the request left: it may have arrived, so never repeat
    PERMANENT = "permanent"  # anything else (400 chat not found, ...): record and give up


@dataclass(frozen=True)
class DeliveryError(Exception):
    failure: Failure
    reason: str


# Sends the prompt (or, with reminder=True, the gentle reminder) and returns the Telegram message id.
PromptSender = Callable[[PromptOccurrence, User, bool], Awaitable[int | None]]
