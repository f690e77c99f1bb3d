"""An experiment, not the bot's dispatcher: what a weaker crash guarantee would buy in the fan-out.

The bot's dispatcher commits each prompt as `sending` just before it leaves, so a crash can leave at
most `concurrency` prompts unconfirmed. This variant marks a whole chunk `sending` in one commit, sends
it, then records the chunk's outcomes in one commit: a crash may then leave up to a chunk of prompts
`unconfirmed` (never sent, never repeated). Used only by `bench_dispatcher.py fanout --dispatcher`:

    PREMARK_CHUNK=64 .venv/bin/python bench/bench_dispatcher.py fanout --dispatcher bench/dispatcher_premark.py
"""

from __future__ import annotations

import asyncio
import os
from datetime import datetime

from sqlalchemy import or_, select

from bot.scheduler.delivery import DeliveryError
from bot.scheduler.dispatcher import Dispatcher as SafeDispatcher
from bot.scheduler.dispatcher import DispatcherConfig, Outcome, TickReport
from bot.storage.models import OccurrenceStatus, PromptOccurrence

__all__ = ["Dispatcher", "DispatcherConfig"]
CHUNK = int(os.environ.get("PREMARK_CHUNK", "64"))


class Dispatcher(SafeDispatcher):
    async def _send_claimed(self, now: datetime, report: TickReport) -> int:
        async with self.services.sessionmaker.begin() as session:
            statement = (
                select(PromptOccurrence.id)
                .where(
                    PromptOccurrence.status == OccurrenceStatus.CLAIMED,
                    or_(PromptOccurrence.wake_at.is_(None), PromptOccurrence.wake_at <= now),
                )
                .order_by(PromptOccurrence.due_at)
                .limit(self.config.batch)
                .with_for_update(skip_locked=True)
            )
            ids = list(await session.scalars(statement))
        for first in range(0, len(ids), CHUNK):
            await self._send_chunk(ids[first : first + CHUNK], report)
        return len(ids)

    async def _send_chunk(self, ids: list[int], report: TickReport) -> None:
        starts = [(occurrence_id, self.services.now()) for occurrence_id in ids]
        async with self.services.sessionmaker.begin() as session:
            started = [s for s in await self._write_round(session, [], starts, report) if s is not None]
            for _, user in started:
                session.expunge(user)
        pending, outcomes = iter(started), list[Outcome]()

        async def sender() -> None:
            for occurrence, user in pending:
                try:
                    result: int | DeliveryError | None = await self.sender(occurrence, user, False)
                except DeliveryError as error:
                    result = error
                outcomes.append((occurrence.id, user, result, self.services.now()))

        await asyncio.gather(*(sender() for _ in range(self.config.concurrency)))
        async with self.services.sessionmaker.begin() as session:
            await self._write_round(session, outcomes, [], report)
