"""The updates waiting for getUpdates, confirmed the way Telegram confirms them.

https://core.telegram.org/bots/api#getupdates: "An update is considered confirmed as soon as getUpdates
is called with an offset higher than its update_id. The negative offset can be specified to retrieve
updates starting from -offset update from the end of the updates queue. All previous updates will be
forgotten." The Bot API server does exactly that when the call arrives, before it waits or answers
(Client::do_get_updates: tqueue->clear for a negative offset, then tqueue->get(..., forget_previous=true)).
So an update fetched but not confirmed (the bot crashed before its next poll) comes back to the next call
made without a higher offset, and one confirmed is gone even if the answer never reached the bot.
"""

from __future__ import annotations

import asyncio
import bisect
import contextlib
from typing import Any

from bot.devtools.telegram_rules import MAX_LONG_POLL_SECONDS, MAX_UPDATES_LIMIT

JSON = dict[str, Any]


def _number(params: JSON, name: str, default: float) -> float:
    """A numeric parameter; missing or empty means the default (Client::get_integer_arg)."""
    value = params.get(name)
    if value is None or value == "":
        return default
    try:
        return float(value)
    except (TypeError, ValueError):
        return 0.0  # td::to_integer reads a non-number as 0


class UpdateQueue:
    """Pending updates in update_id order; `confirm` at a call's arrival, `fetch` to answer it."""

    def __init__(self) -> None:
        self.pending: list[JSON] = []
        self._changed = asyncio.Condition()

    async def push(self, update: JSON) -> None:
        async with self._changed:
            bisect.insort(self.pending, update, key=lambda pending: int(pending["update_id"]))
            self._changed.notify_all()

    def confirm(self, params: JSON) -> None:
        """Forget what getUpdates with these parameters confirms; call it when the request arrives."""
        offset = int(_number(params, "offset", 0))
        if offset < 0:
            self.pending = self.pending[offset:]  # the last -offset updates stay
        elif offset > 0:
            self.pending = [update for update in self.pending if int(update["update_id"]) >= offset]

    async def next_batch(self, limit: int) -> list[JSON]:
        """The oldest pending updates (up to `limit`), waiting until there is one (webhook delivery)."""
        async with self._changed:
            await self._changed.wait_for(lambda: bool(self.pending))
            return list(self.pending[:limit])

    def remove(self, update_ids: set[int]) -> None:
        """Forget delivered updates (a webhook's 200 confirms each on its own)."""
        self.pending = [update for update in self.pending if int(update["update_id"]) not in update_ids]

    async def fetch(self, params: JSON) -> list[JSON]:
        """The oldest pending updates (up to `limit`), waiting up to `timeout` seconds for one to come."""
        limit = min(max(int(_number(params, "limit", MAX_UPDATES_LIMIT)), 1), MAX_UPDATES_LIMIT)  # clamped
        # Telegram reads whole seconds; fractions are kept so that tests can poll briefly.
        timeout = min(max(_number(params, "timeout", 0), 0.0), MAX_LONG_POLL_SECONDS)
        async with self._changed:
            if not self.pending and timeout > 0:
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(self._changed.wait_for(lambda: bool(self.pending)), timeout)
            return list(self.pending[:limit])
