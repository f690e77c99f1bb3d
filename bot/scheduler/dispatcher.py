"""The dispatcher: turns due schedule rows into recorded occurrences, then into messages, exactly once.

A tick (PTB's JobQueue only wakes it) does three things:
1. claim (claim.py): due schedules (`next_due_at <= now`, by index) become occurrence rows, unique
   per user, kind and local day, committed before anything is sent; the schedule moves to its next
   day. An occurrence due longer ago than the grace window is recorded missed, never sent.
2. send: claimed occurrences are marked `sending`, committed, sent, and marked with the outcome
   (rounds.py, through the journal). After a crash, `claimed` ones are sent by whoever comes next;
   `sending` ones may have reached Telegram, so they are recorded `unconfirmed` and never repeated.
3. wake: snoozes that ended are sent again; unanswered prompts get one gentle reminder, on the same
   code path as every other send.
A 429 closes the flood gate (flood.py) for Telegram's retry_after: the send it refused is due again then,
not counted as an attempt, and nothing else starts before then; no sender sleeps.
Several processes may share a PostgreSQL database: claims use SELECT ... FOR UPDATE SKIP LOCKED.
Every status comes from bot.core.lifecycle.prompts.
"""

from __future__ import annotations

import asyncio
import logging
import uuid
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlalchemy.ext.asyncio import AsyncSession

from bot.core.lifecycle.prompts import PROMPTS, OccurrenceStatus
from bot.scheduler.claim import claim_due
from bot.scheduler.delivery import DeliveryError, PromptSender
from bot.scheduler.flood import FloodGate
from bot.scheduler.journal import Journal
from bot.scheduler.rounds import MAX_ATTEMPTS, Outcome, Start, Started, TickReport, write_round
from bot.services.container import Services
from bot.storage.repositories.occurrences import OccurrenceRepository

__all__ = ["MAX_ATTEMPTS", "Dispatcher", "DispatcherConfig", "Outcome", "Started", "TickReport"]
log = logging.getLogger(__name__)
_S = OccurrenceStatus


@dataclass
class DispatcherConfig:
    grace: timedelta = timedelta(hours=3)
    reminder_delay: timedelta = timedelta(hours=2)
    batch: int = 500
    concurrency: int = 8
    lease: timedelta = timedelta(minutes=2)
    worker: str = field(default_factory=lambda: uuid.uuid4().hex[:12])


class Dispatcher:
    def __init__(
        self,
        services: Services,
        sender: PromptSender,
        config: DispatcherConfig | None = None,
        gate: FloodGate | None = None,
    ) -> None:
        self.services = services
        self.sender = sender
        self.config = config or DispatcherConfig()
        # Shared with every other sender of the process (bot.app), so one 429 holds them all.
        self.gate = gate or FloodGate(services.now)
        self._lock = asyncio.Lock()
        # shutdown15: after `stop_taking()` no tick starts and no sender takes its next prompt.
        self.stopping = False
        self.cut = 0  # sends cut off mid-request by a stop's deadline (left `sending`)

    def stop_taking(self) -> None:
        """A stop: the prompts being sent finish; claimed ones stay claimed for the next start."""
        self.stopping = True

    async def tick(self) -> TickReport:
        """One pass over everything due now. Ticks never overlap within a process."""
        async with self._lock:
            report = TickReport()
            if self.stopping:
                return report
            now = self.services.now()
            while not self.stopping and await self._claim_due(now, report):
                pass
            await self._expire_stale_sends(now)
            while not self.stopping and await self._send_claimed(now, report):
                pass
            await self._wake(now, report)
            return report

    async def _claim_due(self, now: datetime, report: TickReport) -> int:
        recorded = await claim_due(self.services, now, self.config.batch, self.config.grace)
        report.recorded += recorded[_S.CLAIMED]
        report.skipped += recorded[_S.SKIPPED]
        report.missed += recorded[_S.MISSED]
        return sum(recorded.values())

    async def _expire_stale_sends(self, now: datetime) -> None:
        """A send that outlived its lease belongs to a process that died mid-send: it may have arrived."""
        async with self.services.sessionmaker.begin() as session:
            await OccurrenceRepository(session).expire_sends(now, started_before=now - self.config.lease)

    async def recover(self) -> None:
        """At start-up of a single dispatcher (SQLite): what the previous process left half-done."""
        now = self.services.now()
        async with self.services.sessionmaker.begin() as session:
            occurrences = OccurrenceRepository(session)
            await occurrences.expire_sends(now)
            await occurrences.release_claims(now)

    async def _send_claimed(self, now: datetime, report: TickReport) -> int:
        if not self.gate.is_open():
            return 0  # Telegram asked to wait: the claimed prompts go once the wait is over
        async with self.services.sessionmaker.begin() as session:
            ids = await OccurrenceRepository(session).take_claimed(
                now, now - self.config.lease, self.config.worker, self.config.batch
            )
        if ids:
            await self._send_all(
                ids, report, reminder=False, concurrency=min(self.config.concurrency, len(ids))
            )
        return len(ids)

    async def _send_all(
        self, ids: list[int], report: TickReport, *, reminder: bool, concurrency: int
    ) -> None:
        """Send prompts (or reminders) by `concurrency` senders taking `ids` in order. Each one's state
        changes go through the journal: the outcome of its last send and the start (claimed -> sending)
        of its next are one write, shared with whatever the other senders have waiting."""

        async def write(
            session: AsyncSession, outcomes: list[Outcome], starts: list[Start]
        ) -> list[Started | None]:
            return await self._write_round(session, outcomes, starts, report, reminder=reminder)

        journal = Journal(self.services.sessionmaker, write)
        pending = iter(ids)

        async def sender() -> None:
            outcome: Outcome | None = None
            for occurrence_id in pending:
                if not self.gate.is_open() or self.stopping:
                    # A 429 since this round began: the rest stay claimed (reminders: due) for later.
                    break
                started = await journal.write(outcome, (occurrence_id, self.services.now()))
                outcome = None
                if started is None:
                    continue
                occurrence, user = started
                try:
                    result: int | DeliveryError | None = await self.sender(occurrence, user, reminder)
                except DeliveryError as error:
                    result = error
                except asyncio.CancelledError:
                    self.cut += 1  # the stop's deadline: left `sending`, unconfirmed at the next start
                    raise
                outcome = (occurrence_id, user, result, self.services.now())
            if outcome is not None:
                await journal.write(outcome, None)

        # A task group, not gather: if one sender fails (the database went away, a bug), the others are
        # cancelled before the tick ends, so no send of this tick outlives it into the next one.
        async with asyncio.TaskGroup() as senders:
            for _ in range(concurrency):
                senders.create_task(sender())

    async def _write_round(
        self,
        session: AsyncSession,
        outcomes: list[Outcome],
        starts: list[Start],
        report: TickReport,
        *,
        reminder: bool = False,
    ) -> list[Started | None]:
        """Outcomes of finished sends, then starts of the next ones, in one transaction (rounds.py)."""
        return await write_round(
            session, outcomes, starts, report, self.config.reminder_delay, reminder=reminder
        )

    async def _wake(self, now: datetime, report: TickReport) -> None:
        async with self.services.sessionmaker.begin() as session:
            due = await OccurrenceRepository(session).to_wake(now, self.config.batch)
            reminders: list[int] = []
            for occurrence in due:
                if occurrence.status == _S.SNOOZED:
                    # The snoozed prompt comes back as a new send; a reminder after it is not needed.
                    occurrence.status, occurrence.worker, occurrence.wake_at = (
                        PROMPTS.move(occurrence.status, _S.CLAIMED),
                        None,
                        None,
                    )
                    occurrence.reminded = True
                else:
                    # Its wake_at is cleared when its send starts (rounds._start), so a reminder held
                    # back by flood control is still due afterwards.
                    reminders.append(occurrence.id)
                occurrence.updated_at = now
        if reminders and self.gate.is_open():
            # Reminders go one at a time, as they always did; they are few and spread over the day.
            await self._send_all(reminders, report, reminder=True, concurrency=1)
        if any(o.status == _S.CLAIMED for o in due):
            await self._send_claimed(now, report)
