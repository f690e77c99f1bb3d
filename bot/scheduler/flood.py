"""Telegram's flood control as one shared wait: after a 429, nothing is sent before its retry_after has passed.

The sending layer closes the gate when Telegram answers 429 (with or without the rate limiter, which no
longer retries by itself); the dispatcher, the nudges and the outbox look at it before each send and leave
their rows for later instead of sleeping. Time is the services clock, so tests move it by hand.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta


class FloodGate:
    def __init__(self, clock: Callable[[], datetime]) -> None:
        self._clock = clock
        self.opens_at: datetime | None = None

    def close_for(self, seconds: float) -> datetime:
        """Telegram asked to wait `seconds`: no send before then (a longer wait already running stands)."""
        opens = self._clock() + timedelta(seconds=seconds)
        if self.opens_at is None or opens > self.opens_at:
            self.opens_at = opens
        return self.opens_at

    def is_open(self) -> bool:
        return self.opens_at is None or self._clock() >= self.opens_at

    def wait_seconds(self) -> float:
        """How long until sends may go again (0 when they may go now)."""
        if self.opens_at is None:
            return 0.0
        return max((self.opens_at - self._clock()).total_seconds(), 0.0)
