"""Telegram's flood control for the emulated Bot API: off by default, switched on by the tests that need it.

Two modes, both answered as Telegram answers them (429 "Too Many Requests: retry after N" with
parameters.retry_after = N):
- `limit()`: the Bot FAQ's limits ("My bot is hitting limits"): about 1 message per second in one chat,
  30 per second in total, 20 per minute in one group (a negative chat id), counted over sliding windows
  on the emulator's clock, retry_after being the time until the window has room again;
- `storm(retry_after)`: every message answered 429 with that retry_after until `calm()`, as Telegram does
  to a bot it has flagged for a while.
Only messages count (sendMessage, sendPhoto, sendDocument); a refused message does not.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field

from bot.devtools.telegram_rules import (
    MESSAGES_PER_MINUTE_PER_GROUP,
    MESSAGES_PER_SECOND,
    MESSAGES_PER_SECOND_PER_CHAT,
    too_many_requests,
)

WINDOW_SECONDS = 60.0  # the longest window kept (the per-group minute)


@dataclass
class FloodControl:
    clock: Callable[[], float]
    per_chat_per_second: int | None = None
    per_second: int | None = None
    per_group_per_minute: int | None = None
    storm_retry_after: int | None = None
    refused: int = 0  # messages answered 429 so far
    _sent: deque[tuple[float, int]] = field(default_factory=deque, repr=False)

    def limit(
        self,
        per_chat_per_second: int | None = MESSAGES_PER_SECOND_PER_CHAT,
        per_second: int | None = MESSAGES_PER_SECOND,
        per_group_per_minute: int | None = MESSAGES_PER_MINUTE_PER_GROUP,
    ) -> None:
        """Enforce the rate limits (Telegram's by default; None leaves one out), counting from now."""
        self._sent.clear()
        self.per_chat_per_second, self.per_second = per_chat_per_second, per_second
        self.per_group_per_minute = per_group_per_minute

    def unlimit(self) -> None:
        self.per_chat_per_second = self.per_second = self.per_group_per_minute = None

    def storm(self, retry_after: int = 35) -> None:
        """Answer every message 429 with this retry_after until `calm()`."""
        self.storm_retry_after = retry_after

    def calm(self) -> None:
        self.storm_retry_after = None

    def admit(self, chat_id: int) -> None:
        """Count a message to `chat_id`, or raise the 429 Refusal Telegram would answer instead."""
        limits = (self.per_chat_per_second, self.per_second, self.per_group_per_minute)
        if self.storm_retry_after is None and all(limit is None for limit in limits):
            return  # off: nothing to count (limit() counts from when it is switched on)
        now = self.clock()
        while self._sent and self._sent[0][0] <= now - WINDOW_SECONDS:
            self._sent.popleft()
        wait = self._wait(chat_id, now)
        if wait is not None:
            self.refused += 1
            raise too_many_requests(wait)
        self._sent.append((now, chat_id))

    def _wait(self, chat_id: int, now: float) -> float | None:
        if self.storm_retry_after is not None:
            return float(self.storm_retry_after)
        in_chat = [at for at, chat in self._sent if chat == chat_id]
        everywhere = [at for at, _chat in self._sent]
        checks = [(self.per_chat_per_second, 1.0, in_chat), (self.per_second, 1.0, everywhere)]
        if chat_id < 0:
            checks.append((self.per_group_per_minute, 60.0, in_chat))
        waits = []
        for allowed, window, times in checks:
            recent = [at for at in times if at > now - window]
            if allowed is not None and len(recent) >= allowed:
                # Room again once the oldest message that fills the window has left it.
                waits.append((recent[-allowed] if allowed > 0 else now) + window - now)
        return max(waits) if waits else None
