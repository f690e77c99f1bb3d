"""One open getUpdates per token, as Telegram keeps it.

The Bot API server holds a single long poll per bot: a getUpdates that arrives while another is still
open ends the open one at once with 409 "Conflict: terminated by other getUpdates request; make sure
that only one bot instance is running", and the new call goes on (it confirmed its offset on arrival, as
every call does). So two processes polling one token keep cutting each other off: each sees a 409 every
time the other polls, and updates go to whichever called last. Several processes share the work only
behind one poller (BOT_ROLE=worker for the others) or behind a webhook.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable
from dataclasses import dataclass
from typing import Any

from bot.devtools.telegram_rules import error_body

JSON = dict[str, Any]
TERMINATED = (
    "Conflict: terminated by other getUpdates request; make sure that only one bot instance is running"
)


@dataclass
class _Poll:
    fetch: asyncio.Future[list[JSON]]
    terminated: bool = False


class LongPolls:
    """The token's open getUpdates, if any; `answer` runs a new one and terminates the open one."""

    def __init__(self) -> None:
        self._open: _Poll | None = None
        self.terminated = 0  # how many polls a later one cut off (tests read it)
        self.opened = asyncio.Event()  # set while a getUpdates is open (tests wait for it)

    @property
    def waiting(self) -> bool:
        """A getUpdates is open (waiting for updates)."""
        return self._open is not None and not self._open.fetch.done()

    async def answer(self, fetch: Awaitable[list[JSON]]) -> tuple[int, JSON]:
        """(HTTP status, body) of a getUpdates whose waiting is `fetch`: the updates, or 409 if a later
        getUpdates came while this one waited."""
        previous = self._open
        poll = self._open = _Poll(asyncio.ensure_future(fetch))
        self.opened.set()
        if previous is not None and not previous.fetch.done():
            previous.terminated = True
            previous.fetch.cancel()
            self.terminated += 1
        try:
            await asyncio.wait({poll.fetch})  # a cancelled fetch (terminated) does not raise here
        except asyncio.CancelledError:  # the caller hung up (a killed bot): its fetch ends with it
            poll.fetch.cancel()
            raise
        finally:
            if self._open is poll:
                self._open = None
                self.opened.clear()
        if poll.terminated:
            return 409, error_body(409, TERMINATED)
        return 200, {"ok": True, "result": poll.fetch.result()}
