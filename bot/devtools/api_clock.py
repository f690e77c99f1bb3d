"""The emulated Bot API's clock: real time plus a shift a test moves, so nothing sleeps to let time pass."""

from __future__ import annotations

import time
from collections.abc import Callable


class ApiClock:
    """Seconds since the epoch as the emulated Telegram sees them (message dates, query ages, flood windows).

    It runs with the real clock, so a bot in another process meets real waits; `advance` and `set` move it
    at once (e.g. age every callback query past its life).
    """

    def __init__(self, source: Callable[[], float] = time.time) -> None:
        self.source = source
        self.shift = 0.0

    def __call__(self) -> float:
        return self.source() + self.shift

    def advance(self, seconds: float) -> float:
        self.shift += seconds
        return self()

    def set(self, now: float) -> None:
        self.shift = now - self.source()
