"""The dispatcher: turns due schedule rows into recorded occurrences, then into messages, exactly once.

A tick (PTB's JobQueue only wakes it) does three things:
1. claim: due schedules (`next_due_at <= now`, by index) become occurrence rows, unique per user,
   kind and local day, committed before anything is sent; the schedule moves to its next day. An
   occurrence due longer ago than the grace window is recorded missed, never sent.
2. send: claimed occurrences are marked `sending`, committed, sent, and marked with the outcome.
   After a crash, `claimed` ones are sent by whoever comes next; `sending` ones may have reached
   Telegram, so they are recorded `unconfirmed` and never repeated.
3. wake: snoozes that ended are sent again; unanswered prompts get one gentle reminder.
Several processes may share a PostgreSQL database: claims use SELECT ... FOR UPDATE SKIP LOCKED.
"""

from __future__ import annotations

import asyncio
import logging
import uuid
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import and_, or_, select, update
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.ext.asyncio import AsyncSession

from bot.core.schedule import Lateness, PromptKind, classify, reminder_at, review_day_end
from bot.scheduler.delivery import DeliveryError, Failure, PromptSender
from bot.services.container import Services
from bot.services.plans import user_calendar
from bot.services.scheduling import advance, quiet_hours_of, rules_of, stop_prompts, wants_prompts
from bot.storage.models import Goal, GoalStatus, OccurrenceStatus, PromptOccurrence, PromptSchedule, User
from bot.storage.repositories.users import UserRepository

log = logging.getLogger(__name__)
MAX_ATTEMPTS = 5


@dataclass
class DispatcherConfig:
    grace: timedelta = timedelta(hours=3)
    reminder_delay: timedelta = timedelta(hours=2)
    batch: int = 500
    concurrency: int = 8
    lease: timedelta = timedelta(minutes=2)
    worker: str = field(default_factory=lambda: uuid.uuid4().hex[:12])


@dataclass
class TickReport:
    recorded: int = 0
    sent: int = 0
    missed: int = 0
    skipped: int = 0
    failed: int = 0
    reminded: int = 0


class Dispatcher:
    def __init__(
        self, services: Services, sender: PromptSender, config: DispatcherConfig | None = None
    ) -> None:
        self.services = services
        self.sender = sender
        self.config = config or DispatcherConfig()
        self._lock = asyncio.Lock()

    async def tick(self) -> TickReport:
        """One pass over everything due now. Ticks never overlap within a process."""
        async with self._lock:
            report = TickReport()
            now = self.services.now()
            while await self._claim_due(now, report):
                pass
            await self._expire_stale_sends(now)
            while await self._send_claimed(now, report):
                pass
            await self._wake(now, report)
            return report

    # 1. claim ------------------------------------------------------------------------------------

    async def _claim_due(self, now: datetime, report: TickReport) -> int:
        async with self.services.sessionmaker.begin() as session:
            statement = (
                select(PromptSchedule)
                .where(PromptSchedule.active.is_(True), PromptSchedule.next_due_at <= now)
                .order_by(PromptSchedule.next_due_at)
                .limit(self.config.batch)
                .with_for_update(skip_locked=True)
            )
            schedules = list(await session.scalars(statement))
            if not schedules:
                return 0
            users = {
                u.id: u
                for u in await session.scalars(
                    select(User).where(User.id.in_({s.user_id for s in schedules}))
                )
            }
            with_goals = set(
                await session.scalars(
                    select(Goal.user_id)
                    .where(Goal.user_id.in_(users), Goal.status == GoalStatus.ACTIVE)
                    .distinct()
                )
            )
            for schedule in schedules:
                user = users[schedule.user_id]
                status, reason = self._first_status(schedule, user, with_goals, now, report)
                await self._record(session, schedule, status, reason, now)
                schedule.last_served_day = schedule.next_day
                schedule.updated_at = now
                if wants_prompts(user):
                    rule = next(r for r in rules_of(user) if r.kind == schedule.kind)
                    calendar = await user_calendar(session, user, self.services.settings.default_language)
                    advance(schedule, rule, calendar, user, schedule.next_due_at)
                else:
                    schedule.active = False
            return len(schedules)

    def _first_status(
        self, schedule: PromptSchedule, user: User, with_goals: set[int], now: datetime, report: TickReport
    ) -> tuple[str, str | None]:
        if not wants_prompts(user):
            report.skipped += 1
            return OccurrenceStatus.SKIPPED, "prompts paused or user inactive"
        if schedule.kind == PromptKind.DAILY and user.id not in with_goals:
            report.skipped += 1
            return OccurrenceStatus.SKIPPED, "no active goals"
        if classify(schedule.next_due_at, now, self.config.grace) is Lateness.MISSED:
            report.missed += 1
            return OccurrenceStatus.MISSED, "due while the bot was down"
        report.recorded += 1
        return OccurrenceStatus.CLAIMED, None

    async def _record(
        self, session: AsyncSession, schedule: PromptSchedule, status: str, reason: str | None, now: datetime
    ) -> None:
        # The unique (user, kind, day) key makes a second record of the same day a no-op, whoever tries.
        insert = postgresql_insert if self.services.engine.dialect.name == "postgresql" else sqlite_insert
        await session.execute(
            insert(PromptOccurrence)
            .values(
                user_id=schedule.user_id,
                kind=schedule.kind,
                day=schedule.next_day,
                due_at=schedule.next_due_at,
                status=status,
                reason=reason,
                reminded=False,
                attempts=0,
                created_at=now,
                updated_at=now,
            )
            .on_conflict_do_nothing(index_elements=["user_id", "kind", "day"])
        )

    # 2. send -------------------------------------------------------------------------------------

    async def _expire_stale_sends(self, now: datetime) -> None:
        """A send that outlived its lease belongs to a process that died mid-send: it may have arrived."""
        async with self.services.sessionmaker.begin() as session:
            await session.execute(
                update(PromptOccurrence)
                .where(
                    PromptOccurrence.status == OccurrenceStatus.SENDING,
                    PromptOccurrence.updated_at <= now - self.config.lease,
                )
                .values(
                    status=OccurrenceStatus.UNCONFIRMED,
                    reason="the process stopped during the send",
                    updated_at=now,
                )
            )

    async def recover(self) -> None:
        """At start-up of a single dispatcher (SQLite): what the previous process left half-done."""
        now = self.services.now()
        async with self.services.sessionmaker.begin() as session:
            await session.execute(
                update(PromptOccurrence)
                .where(PromptOccurrence.status == OccurrenceStatus.SENDING)
                .values(
                    status=OccurrenceStatus.UNCONFIRMED,
                    reason="the process stopped during the send",
                    updated_at=now,
                )
            )
            await session.execute(
                update(PromptOccurrence)
                .where(PromptOccurrence.status == OccurrenceStatus.CLAIMED)
                .values(worker=None, updated_at=now)
            )

    async def _send_claimed(self, now: datetime, report: TickReport) -> int:
        async with self.services.sessionmaker.begin() as session:
            free = or_(
                PromptOccurrence.worker.is_(None),
                PromptOccurrence.updated_at <= now - self.config.lease,
                PromptOccurrence.worker == self.config.worker,
            )
            statement = (
                select(PromptOccurrence.id)
                .where(
                    PromptOccurrence.status == OccurrenceStatus.CLAIMED,
                    free,
                    or_(PromptOccurrence.wake_at.is_(None), PromptOccurrence.wake_at <= now),
                )
                .order_by(PromptOccurrence.due_at)
                .limit(self.config.batch)
                .with_for_update(skip_locked=True)
            )
            ids = list(await session.scalars(statement))
            if not ids:
                return 0
            await session.execute(
                update(PromptOccurrence)
                .where(PromptOccurrence.id.in_(ids))
                .values(worker=self.config.worker, updated_at=now)
            )
        gate = asyncio.Semaphore(self.config.concurrency)

        async def send_one(occurrence_id: int) -> None:
            async with gate:
                await self._send(occurrence_id, report, reminder=False)

        await asyncio.gather(*(send_one(occurrence_id) for occurrence_id in ids))
        return len(ids)

    async def _send(self, occurrence_id: int, report: TickReport, *, reminder: bool) -> None:
        now = self.services.now()
        async with self.services.sessionmaker.begin() as session:
            occurrence = await session.get(PromptOccurrence, occurrence_id)
            if occurrence is None:
                return
            if reminder and occurrence.status != OccurrenceStatus.SENT:
                return  # Answered, skipped or snoozed since: no reminder.
            user = await session.get(User, occurrence.user_id)
            if user is None or not wants_prompts(user):
                occurrence.status, occurrence.reason, occurrence.updated_at = (
                    OccurrenceStatus.SKIPPED,
                    "prompts paused or user inactive",
                    now,
                )
                return
            if not reminder:
                occurrence.status, occurrence.attempts, occurrence.updated_at = (
                    OccurrenceStatus.SENDING,
                    occurrence.attempts + 1,
                    now,
                )
            session.expunge(user)
        try:
            message_id = await self.sender(occurrence, user, reminder)
        except DeliveryError as error:
            await self._failed(occurrence_id, user, error, report, reminder=reminder)
            return
        now = self.services.now()
        async with self.services.sessionmaker.begin() as session:
            occurrence = await session.get(PromptOccurrence, occurrence_id)
            assert occurrence is not None
            if reminder:
                occurrence.reminded, occurrence.wake_at = True, None
                report.reminded += 1
            else:
                zone, quiet = ZoneInfo(user.timezone), quiet_hours_of(user)
                occurrence.status, occurrence.sent_at, occurrence.message_id = (
                    OccurrenceStatus.SENT,
                    now,
                    message_id,
                )
                occurrence.wake_at = (
                    None
                    if occurrence.reminded
                    else reminder_at(
                        now,
                        self.config.reminder_delay,
                        quiet,
                        zone,
                        review_day_end(occurrence.day, quiet, zone),
                    )
                )
                report.sent += 1
            occurrence.updated_at = now

    async def _failed(
        self, occurrence_id: int, user: User, error: DeliveryError, report: TickReport, *, reminder: bool
    ) -> None:
        now = self.services.now()
        async with self.services.sessionmaker.begin() as session:
            occurrence = await session.get(PromptOccurrence, occurrence_id)
            assert occurrence is not None
            occurrence.updated_at = now
            if error.failure is Failure.BLOCKED:
                await UserRepository(session).mark_blocked(user.id, now)
                await stop_prompts(session, user.id, now)
            if reminder:
                occurrence.reminded, occurrence.wake_at = (
                    True,
                    None,
                )  # One try for a reminder; the prompt stands.
                return
            if error.failure is Failure.RETRY and occurrence.attempts < MAX_ATTEMPTS:
                occurrence.status, occurrence.worker = OccurrenceStatus.CLAIMED, None
                occurrence.wake_at = now + timedelta(seconds=2**occurrence.attempts)
                occurrence.reason = f"retrying: {error.reason}"[:200]
                return
            occurrence.status = (
                OccurrenceStatus.UNCONFIRMED
                if error.failure is Failure.UNCONFIRMED
                else OccurrenceStatus.FAILED
            )
            occurrence.reason = f"{error.failure.value}: {error.reason}"[:200]
            report.failed += 1

    # 3. wake -------------------------------------------------------------------------------------

    async def _wake(self, now: datetime, report: TickReport) -> None:
        async with self.services.sessionmaker.begin() as session:
            statement = (
                select(PromptOccurrence)
                .where(
                    PromptOccurrence.wake_at <= now,
                    or_(
                        PromptOccurrence.status == OccurrenceStatus.SNOOZED,
                        and_(
                            PromptOccurrence.status == OccurrenceStatus.SENT,
                            PromptOccurrence.reminded.is_(False),
                        ),
                    ),
                )
                .limit(self.config.batch)
                .with_for_update(skip_locked=True)
            )
            due = list(await session.scalars(statement))
            reminders: list[int] = []
            for occurrence in due:
                if occurrence.status == OccurrenceStatus.SNOOZED:
                    # The snoozed prompt comes back as a new send; a reminder after it is not needed.
                    occurrence.status, occurrence.worker, occurrence.wake_at = (
                        OccurrenceStatus.CLAIMED,
                        None,
                        None,
                    )
                    occurrence.reminded = True
                else:
                    reminders.append(occurrence.id)
                    occurrence.wake_at = None
                occurrence.updated_at = now
        for occurrence_id in reminders:
            await self._send(occurrence_id, report, reminder=True)
        if any(o.status == OccurrenceStatus.CLAIMED for o in due):
            await self._send_claimed(now, report)
