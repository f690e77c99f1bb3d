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
from typing import cast
from zoneinfo import ZoneInfo

from sqlalchemy import Table, and_, bindparam, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import load_only

from bot.core.schedule import Lateness, PromptKind, classify, reminder_at, review_day_end
from bot.scheduler.delivery import DeliveryError, Failure, PromptSender
from bot.services.container import Services
from bot.services.scheduling import (
    AdvanceMemo,
    next_due,
    quiet_hours_of,
    rule_of,
    stop_prompts,
    user_calendars,
    wants_prompts,
)
from bot.storage.models import Goal, GoalStatus, OccurrenceStatus, PromptOccurrence, PromptSchedule, User
from bot.storage.repositories.users import UserRepository
from bot.storage.statements import insert_skipping_duplicates

log = logging.getLogger(__name__)
MAX_ATTEMPTS = 5
# The claim reads and writes these as plain rows (executemany), without the ORM's unit of work.
SCHEDULES = cast(Table, PromptSchedule.__table__)
OCCURRENCES = cast(Table, PromptOccurrence.__table__)
# What the claim reads of a user (wants_prompts, rule_of, quiet hours, calendar); nothing else is loaded.
CLAIM_USER_COLUMNS = (
    User.is_active,
    User.prompts_paused,
    User.onboarded_at,
    User.timezone,
    User.working_days,
    User.country,
    User.language,
    User.telegram_language,
    User.daily_review_time,
    User.weekly_review_weekday,
    User.weekly_review_time,
    User.monthly_review_time,
    User.quiet_start,
    User.quiet_end,
)
# What became of a send (occurrence id, user, Telegram's message id or the failure, when).
Outcome = tuple[int, User, int | DeliveryError | None, datetime]
# A prompt cleared to go (marked `sending`): the occurrence and its user.
Started = tuple[PromptOccurrence, User]
# A sender's wait on the journal: its answer, the outcome to record, the prompt to start (id, when).
Request = tuple["asyncio.Future[Started | None]", Outcome | None, tuple[int, datetime] | None]


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
        # One query reads the batch: each due schedule as a plain row, its user (only what the claim
        # reads of it) and whether they have an active goal. Schedules are written back with one UPDATE:
        # the ORM's identity map and unit of work cost more than the database itself at this size.
        async with self.services.sessionmaker.begin() as session:
            # LIMIT 1 makes PostgreSQL probe the goals index per row rather than hash every active goal.
            has_goal = (
                select(Goal.id)
                .where(Goal.user_id == PromptSchedule.user_id, Goal.status == GoalStatus.ACTIVE)
                .limit(1)
                .scalar_subquery()
                .is_not(None)
            )
            statement = (
                select(
                    PromptSchedule.id,
                    PromptSchedule.kind,
                    PromptSchedule.next_day,
                    PromptSchedule.next_due_at,
                    User,
                    has_goal,
                )
                .join(User, User.id == PromptSchedule.user_id)
                .options(load_only(*CLAIM_USER_COLUMNS))
                .where(PromptSchedule.active.is_(True), PromptSchedule.next_due_at <= now)
                .order_by(PromptSchedule.next_due_at)
                .limit(self.config.batch)
                .with_for_update(of=PromptSchedule, skip_locked=True)
            )
            schedules = (await session.execute(statement)).all()
            if not schedules:
                return 0
            users = {user.id: user for *_, user, _ in schedules}
            # One query for the vacations of the whole batch; alike calendars and next occurrences are
            # computed once (a tick's users mostly share settings and due instant).
            calendars = await user_calendars(
                session,
                [user for user in users.values() if wants_prompts(user)],
                self.services.settings.default_language,
            )
            memo: AdvanceMemo = {}
            occurrences: list[dict[str, object]] = []
            advanced: list[dict[str, object]] = []
            stopped: list[dict[str, object]] = []
            for schedule_id, kind, day, due_at, user, active_goal in schedules:
                user_id, wanted = user.id, wants_prompts(user)
                status, reason = self._first_status(kind, due_at, wanted, active_goal, now, report)
                occurrences.append(
                    {
                        "user_id": user_id,
                        "kind": kind,
                        "day": day,
                        "due_at": due_at,
                        "status": status,
                        "reason": reason,
                        "reminded": False,
                        "attempts": 0,
                        "created_at": now,
                        "updated_at": now,
                    }
                )
                # The day just served is the last served; the next occurrence comes after it.
                if wanted:
                    next_day, next_due_at = next_due(
                        rule_of(user, kind), calendars[user_id], user, due_at, day, memo
                    )
                    advanced.append(
                        {"schedule_id": schedule_id, "served": day, "day": next_day, "due_at": next_due_at}
                    )
                else:
                    stopped.append({"schedule_id": schedule_id, "served": day})
            await self._record(session, occurrences)
            by_id = SCHEDULES.c.id == bindparam("schedule_id")
            if advanced:
                await session.execute(
                    update(SCHEDULES)
                    .where(by_id)
                    .values(
                        last_served_day=bindparam("served"),
                        next_day=bindparam("day"),
                        next_due_at=bindparam("due_at"),
                        updated_at=now,
                    ),
                    advanced,
                )
            if stopped:
                await session.execute(
                    update(SCHEDULES)
                    .where(by_id)
                    .values(last_served_day=bindparam("served"), active=False, updated_at=now),
                    stopped,
                )
            return len(schedules)

    def _first_status(
        self,
        kind: str,
        due_at: datetime,
        wanted: bool,
        active_goal: bool,
        now: datetime,
        report: TickReport,
    ) -> tuple[str, str | None]:
        """What a due schedule's occurrence is recorded as; `wanted` is wants_prompts(user)."""
        if not wanted:
            report.skipped += 1
            return OccurrenceStatus.SKIPPED, "prompts paused or user inactive"
        if kind == PromptKind.DAILY and not active_goal:
            report.skipped += 1
            return OccurrenceStatus.SKIPPED, "no active goals"
        if classify(due_at, now, self.config.grace) is Lateness.MISSED:
            report.missed += 1
            return OccurrenceStatus.MISSED, "due while the bot was down"
        report.recorded += 1
        return OccurrenceStatus.CLAIMED, None

    async def _record(self, session: AsyncSession, occurrences: list[dict[str, object]]) -> None:
        # The unique (user, kind, day) key makes a second record of the same day a no-op, whoever tries.
        # One statement for the batch (executemany), each row on its own ON CONFLICT DO NOTHING.
        dialect = self.services.engine.dialect.name
        await session.execute(
            insert_skipping_duplicates(OCCURRENCES, ["user_id", "kind", "day"], dialect), occurrences
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
        # `concurrency` senders take the batch in order. Each one's state changes go through the journal:
        # the outcome of its last send and the start (claimed -> sending) of its next are one write,
        # shared with whatever the other senders have waiting.
        journal = _Journal(self, report)
        pending = iter(ids)

        async def sender() -> None:
            outcome: Outcome | None = None
            for occurrence_id in pending:
                started = await journal.write(outcome, (occurrence_id, self.services.now()))
                outcome = None
                if started is None:
                    continue
                occurrence, user = started
                try:
                    result: int | DeliveryError | None = await self.sender(occurrence, user, False)
                except DeliveryError as error:
                    result = error
                outcome = (occurrence_id, user, result, self.services.now())
            if outcome is not None:
                await journal.write(outcome, None)

        # A task group, not gather: if one sender fails (the database went away, a bug), the others are
        # cancelled before the tick ends, so no send of this tick outlives it into the next one.
        async with asyncio.TaskGroup() as senders:
            for _ in range(min(self.config.concurrency, len(ids))):
                senders.create_task(sender())
        return len(ids)

    async def _send(self, occurrence_id: int, report: TickReport, *, reminder: bool) -> None:
        """One send with transactions of its own (reminders go one at a time)."""
        now = self.services.now()
        async with self.services.sessionmaker.begin() as session:
            # Locked (PostgreSQL; SQLite's BEGIN IMMEDIATE already serialises): the row is checked and
            # moved by one send only, whichever process or tick gets to it first.
            occurrence = await session.get(PromptOccurrence, occurrence_id, with_for_update=True)
            if occurrence is None:
                return
            user = await session.get(User, occurrence.user_id)
            if not self._start(occurrence, user, now, reminder=reminder):
                return
            assert user is not None
            session.expunge(user)
        try:
            message_id = await self.sender(occurrence, user, reminder)
        except DeliveryError as error:
            now = self.services.now()
            async with self.services.sessionmaker.begin() as session:
                occurrence = await session.get(PromptOccurrence, occurrence_id)
                assert occurrence is not None
                await self._failed(session, occurrence, user, error, report, now, reminder=reminder)
            return
        now = self.services.now()
        async with self.services.sessionmaker.begin() as session:
            occurrence = await session.get(PromptOccurrence, occurrence_id)
            assert occurrence is not None
            self._sent(occurrence, user, message_id, report, now, reminder=reminder)

    @staticmethod
    def _start(occurrence: PromptOccurrence, user: User | None, now: datetime, *, reminder: bool) -> bool:
        """Whether the (locked) occurrence goes out now; a prompt then moves from claimed to sending."""
        if reminder and occurrence.status != OccurrenceStatus.SENT:
            return False  # Answered, skipped or snoozed since: no reminder.
        if not reminder and occurrence.status != OccurrenceStatus.CLAIMED:
            return False  # Another send took it (or it was answered, skipped, ...) since it was picked.
        if user is None or not wants_prompts(user):
            occurrence.status, occurrence.reason, occurrence.updated_at = (
                OccurrenceStatus.SKIPPED,
                "prompts paused or user inactive",
                now,
            )
            return False
        if not reminder:
            occurrence.status, occurrence.attempts, occurrence.updated_at = (
                OccurrenceStatus.SENDING,
                occurrence.attempts + 1,
                now,
            )
        return True

    def _sent(
        self,
        occurrence: PromptOccurrence,
        user: User,
        message_id: int | None,
        report: TickReport,
        now: datetime,
        *,
        reminder: bool,
    ) -> None:
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
        self,
        session: AsyncSession,
        occurrence: PromptOccurrence,
        user: User,
        error: DeliveryError,
        report: TickReport,
        now: datetime,
        *,
        reminder: bool,
    ) -> None:
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
            OccurrenceStatus.UNCONFIRMED if error.failure is Failure.UNCONFIRMED else OccurrenceStatus.FAILED
        )
        occurrence.reason = f"{error.failure.value}: {error.reason}"[:200]
        report.failed += 1

    async def _write_round(
        self,
        session: AsyncSession,
        outcomes: list[Outcome],
        starts: list[tuple[int, datetime]],
        report: TickReport,
    ) -> list[Started | None]:
        """`_send`'s transactions for several prompts at once: sent (or failed) ones, then started ones.

        Each start is `_send`'s first transaction (locked; claimed -> sending, or skipped), each outcome
        its last. One query reads them all with their users, however many there are.
        """
        ids = [outcome[0] for outcome in outcomes] + [occurrence_id for occurrence_id, _ in starts]
        statement = (
            select(PromptOccurrence, User)
            .outerjoin(User, User.id == PromptOccurrence.user_id)
            .where(PromptOccurrence.id.in_(ids))
            .order_by(PromptOccurrence.id)
            .with_for_update(of=PromptOccurrence)
        )
        rows = {o.id: (o, u) for o, u in await session.execute(statement)}
        for occurrence_id, user, result, now in outcomes:
            occurrence = rows[occurrence_id][0]
            if isinstance(result, DeliveryError):
                await self._failed(session, occurrence, user, result, report, now, reminder=False)
            else:
                self._sent(occurrence, user, result, report, now, reminder=False)
        started: list[Started | None] = []
        for occurrence_id, now in starts:
            start, starter = rows.get(occurrence_id, (None, None))
            if start is None or not self._start(start, starter, now, reminder=False):
                started.append(None)
            else:
                assert starter is not None
                started.append((start, starter))
        return started

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


class _Journal:
    """The state changes of a batch's concurrent sends, written together: one transaction a round.

    Each sender still waits for its own changes to commit before it goes on: a prompt is marked
    `sending` before it leaves, and its outcome is written with the sender's next start, so no more
    than `concurrency` can be `sending` at once and a crash leaves what it always left. Changes that
    arrive while a round is being written share the next one (on SQLite one writer at a time anyway).
    """

    def __init__(self, dispatcher: Dispatcher, report: TickReport) -> None:
        self._dispatcher = dispatcher
        self._report = report
        self._requests: list[Request] = []
        self._writer: asyncio.Task[None] | None = None

    async def write(self, outcome: Outcome | None, start: tuple[int, datetime] | None) -> Started | None:
        """Record `outcome` and start `start` (claimed -> sending), committed; what `_start` let through."""
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
                    async with self._dispatcher.services.sessionmaker.begin() as session:
                        started = await self._dispatcher._write_round(session, outcomes, starts, self._report)
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
