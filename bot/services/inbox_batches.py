"""Group commit for the webhook (webhook15): the updates of POSTs that arrive together are stored in one
inbox commit, and each POST is answered once the commit holding its update is done.

One commit per POST made every POST wait its turn for the database's write lock behind the others and
behind the consumer's turns. Here the first update to arrive starts a commit at once (after one pass of
the event loop, so that POSTs read in the same pass join it); those that arrive while it runs wait and
go together in the next one. A commit that fails fails every update in it: each POST is answered with
an error and Telegram sends it again; an update is stored at most once whatever is retried, since the
store leaves an update already there alone.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable, Sequence
from typing import TYPE_CHECKING

from bot.services import inbox
from bot.services.inbox import Arrival

if TYPE_CHECKING:
    from bot.services.container import Services

log = logging.getLogger(__name__)
# Updates per commit at most: Telegram sends up to max_connections (100 at most) at once.
MAX_BATCH = 200

Store = Callable[["Services", Sequence[Arrival]], Awaitable[None]]


class InboxBatches:
    """`await store(arrival)` returns once the update is committed to the inbox, or raises what made its
    batch's commit fail. One writer task at a time commits what is waiting."""

    def __init__(
        self,
        services: Services,
        *,
        stored: Callable[[Sequence[Arrival]], None] = lambda arrivals: None,
        store: Store = inbox.store_batch,
        max_batch: int = MAX_BATCH,
    ) -> None:
        self.services = services
        self.stored = stored  # called after each commit with its arrivals (wake the consumer, count)
        self._store = store
        self.max_batch = max_batch
        self._waiting: list[tuple[Arrival, asyncio.Future[None]]] = []
        self._writer: asyncio.Task[None] | None = None
        self.commits = 0  # how many commits stored updates, and how many updates they stored (the bench)
        self.stored_updates = 0

    async def store(self, arrival: Arrival) -> None:
        future: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        future.add_done_callback(_retrieved)  # a POST given up never reads its failure: not worth a log line
        self._waiting.append((arrival, future))
        if self._writer is None or self._writer.done():
            self._writer = asyncio.create_task(self._write(), name="inbox batch writer")
        # A POST given up (its connection closed) must not cancel the commit the others wait for.
        await asyncio.shield(future)

    async def close(self) -> None:
        """Wait for the commits under way and those waiting (the server stopped taking POSTs): what they
        store is handled after a restart, or found stored when Telegram sends it again."""
        writer = self._writer
        if writer is not None and not writer.done():
            await asyncio.gather(writer, return_exceptions=True)

    async def _write(self) -> None:
        await asyncio.sleep(0)  # the POSTs read in this pass of the loop join the first commit
        while self._waiting:
            batch, self._waiting = self._waiting[: self.max_batch], self._waiting[self.max_batch :]
            arrivals = list({arrival.update_id: arrival for arrival, _ in batch}.values())
            try:
                await self._store(self.services, arrivals)
            except BaseException as error:  # cancelled too: no POST of the batch may hear 200
                failure = error if isinstance(error, Exception) else ConnectionAbortedError("stopping")
                for _, future in batch:
                    if not future.done():
                        future.set_exception(failure)
                if not isinstance(error, Exception):
                    self._fail_waiting(failure)
                    raise
                continue
            self.commits += 1
            self.stored_updates += len(arrivals)
            for _, future in batch:
                if not future.done():
                    future.set_result(None)
            try:
                self.stored(arrivals)
            except Exception:  # counting or waking must not turn a stored update into an error
                log.exception("inbox batches: after the commit")

    def _fail_waiting(self, failure: BaseException) -> None:
        waiting, self._waiting = self._waiting, []
        for _, future in waiting:
            if not future.done():
                future.set_exception(failure)


def _retrieved(future: asyncio.Future[None]) -> None:
    if not future.cancelled():
        future.exception()
