"""The state changes of a batch's concurrent sends, written together: one transaction a round."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.scheduler.rounds import Outcome, Start, Started

# Writes one round: the outcomes, then the starts (what `rounds.write_round` does).
RoundWriter = Callable[[AsyncSession, list[Outcome], list[Start]], Awaitable[list["Started | None"]]]
# A sender's wait on the journal: its answer, the outcome to record, the prompt to start.
Request = tuple["asyncio.Future[Started | None]", Outcome | None, Start | None]


class Journal:
    """Each sender still waits for its own changes to commit before it goes on: a prompt is marked
    `sending` before it leaves, and its outcome is written with the sender's next start, so no more
    than `concurrency` can be `sending` at once and a crash leaves what it always left. Changes that
    arrive while a round is being written share the next one (on SQLite one writer at a time anyway).
    """

    def __init__(self, sessionmaker: async_sessionmaker[AsyncSession], write_round: RoundWriter) -> None:
        self._sessionmaker = sessionmaker
        self._write_round = write_round
        self._requests: list[Request] = []
        self._writer: asyncio.Task[None] | None = None

    async def write(self, outcome: Outcome | None, start: Start | None) -> Started | None:
        """Record `outcome` and start `start` (claimed -> sending), committed; what the start let through."""
        future: asyncio.Future[Started | None] = asyncio.get_running_loop().create_future()
        self._requests.append((future, outcome, start))
        if self._writer is None:
            self._writer = asyncio.create_task(self._write())
        return await future

    async def _write(self) -> None:
        requests: list[Request] = []
        try:
            while self._requests:
                requests, self._requests = self._requests, []
                outcomes = [outcome for _, outcome, _ in requests if outcome is not None]
                # A sender cancelled while it waited (shutdown) sends nothing more: its prompt stays claimed.
                starting = [(future, start) for future, _, start in requests if start and not future.done()]
                starts = [start for _, start in starting]
                try:
                    async with self._sessionmaker.begin() as session:
                        started = await self._write_round(session, outcomes, starts)
                except Exception as error:
                    for future, _, _ in requests:
                        if not future.done():
                            future.set_exception(error)
                    continue
                results = {id(future): result for (future, _), result in zip(starting, started, strict=True)}
                for future, _, _ in requests:
                    if not future.done():
                        future.set_result(results.get(id(future)))
        except BaseException:
            for future, _, _ in [*requests, *self._requests]:
                future.cancel()
            raise
        finally:
            self._writer = None
