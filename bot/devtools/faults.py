"""Faults a test injects into the Bot API model (bot/devtools/fake_bot_api.py `fail`)."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from typing import Any

JSON = dict[str, Any]


@dataclass
class Fault:
    """An error to answer instead of the real result, `count` times, for matching calls."""

    status: int
    description: str
    method: str | None = None
    chat_id: int | None = None
    retry_after: int | None = None
    count: int = 1
    delay: float = 0.0
    # Held until this is set (after `delay`): a request that stays under way for as long as a test needs.
    release: asyncio.Event | None = None
    held: int = 0  # requests being held or held so far (wait_for wakes up as it grows)

    def matches(self, method: str, params: JSON) -> bool:
        if self.method is not None and self.method != method:
            return False
        return self.chat_id is None or str(params.get("chat_id")) == str(self.chat_id)
