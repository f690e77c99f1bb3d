"""Recorded results: goal entries, activity logs and their audit."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import Insert, Table, delete, func, insert, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.storage.models import ActivityLog, Entry, EntryAudit

Row = Entry | ActivityLog | EntryAudit


def _insert_of(model: type[Row]) -> tuple[type[Row], Insert, list[str]]:
    """Built once per table: the Core INSERT and the columns it takes (all but the generated id)."""
    table = model.__table__
    assert isinstance(table, Table)
    return model, insert(table), [column.key for column in table.columns if column.key != "id"]


_INSERTS = [_insert_of(model) for model in (Entry, ActivityLog, EntryAudit)]


class ResultRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def review_rows(self, user_id: int, day: date) -> tuple[Sequence[Entry], Sequence[ActivityLog]]:
        """What an earlier answer to the same day's review recorded (replaced on a new answer)."""
        entries = await self.session.scalars(
            select(Entry).where(Entry.user_id == user_id, Entry.day == day, Entry.source == "review")
        )
        activities = await self.session.scalars(
            select(ActivityLog).where(
                ActivityLog.user_id == user_id, ActivityLog.day == day, ActivityLog.source == "review"
            )
        )
        return entries.all(), activities.all()

    async def logged_on(self, user_id: int, day: date) -> dict[str, Decimal]:
        """What /log recorded for `day`, per measure: a review of that day adds to it. Summed here, not in SQL:
        SQLite keeps amounts as text, which its SUM would read through floats."""
        statement = select(ActivityLog.measure, ActivityLog.amount).where(
            ActivityLog.user_id == user_id, ActivityLog.day == day, ActivityLog.source == "log"
        )
        totals: dict[str, Decimal] = {}
        for measure, amount in (await self.session.execute(statement)).all():
            totals[measure] = totals.get(measure, Decimal(0)) + amount
        return totals

    async def latest_log_batch(self, user_id: int, since: datetime) -> str | None:
        """The newest /log report of the user written after `since` (every report logs an activity row,
        and ids give the order even when two reports share a timestamp). A report is as new as its first
        row: a measure added later by editing the message does not make an older report the newest."""
        statement = (
            select(ActivityLog.batch)
            .where(
                ActivityLog.user_id == user_id,
                ActivityLog.source == "log",
                ActivityLog.created_at >= since,
                ActivityLog.batch.is_not(None),
            )
            .group_by(ActivityLog.batch)
            .order_by(func.min(ActivityLog.id).desc())
            .limit(1)
        )
        return await self.session.scalar(statement)

    async def batch_rows(self, user_id: int, batch: str) -> tuple[Sequence[Entry], Sequence[ActivityLog]]:
        entries = await self.session.scalars(
            select(Entry).where(Entry.user_id == user_id, Entry.batch == batch)
        )
        activities = await self.session.scalars(
            select(ActivityLog).where(ActivityLog.user_id == user_id, ActivityLog.batch == batch)
        )
        return entries.all(), activities.all()

    async def of_message(
        self, user_id: int, message_id: int
    ) -> tuple[Sequence[Entry], Sequence[ActivityLog]]:
        """The rows a /log message (or results typed as text) recorded and that are still there."""
        activities = (
            await self.session.scalars(
                select(ActivityLog)
                .where(
                    ActivityLog.user_id == user_id,
                    ActivityLog.message_id == message_id,
                    ActivityLog.source == "log",
                )
                .order_by(ActivityLog.id)
            )
        ).all()
        batches = {row.batch for row in activities if row.batch is not None}
        if not batches:
            return (), activities
        entries = await self.session.scalars(
            select(Entry).where(Entry.user_id == user_id, Entry.batch.in_(batches)).order_by(Entry.id)
        )
        return entries.all(), activities

    async def message_recorded(self, user_id: int, message_id: int) -> bool:
        """Whether the message ever recorded results (its audit rows outlive an /undo)."""
        statement = select(EntryAudit.id).where(
            EntryAudit.user_id == user_id, EntryAudit.message_id == message_id
        )
        return await self.session.scalar(statement.limit(1)) is not None

    async def remove(self, entries: Sequence[Entry], activities: Sequence[ActivityLog]) -> None:
        if entries:
            await self.session.execute(delete(Entry).where(Entry.id.in_([row.id for row in entries])))
        if activities:
            await self.session.execute(
                delete(ActivityLog).where(ActivityLog.id.in_([row.id for row in activities]))
            )

    def add(self, rows: Sequence[Entry | ActivityLog | EntryAudit]) -> None:
        self.session.add_all(rows)

    async def insert_many(self, rows: Sequence[Entry | ActivityLog | EntryAudit]) -> None:
        """One INSERT per table for many rows, without reading generated ids back."""
        for model, statement, keys in _INSERTS:
            values = [{key: getattr(row, key) for key in keys} for row in rows if isinstance(row, model)]
            if values:
                # A Core INSERT on the table: the rows are plain values, no ORM bulk bookkeeping needed.
                await self.session.execute(statement, values)

    async def activity_totals(self, user_id: int, start: date, end: date) -> dict[str, dict[date, int]]:
        statement = select(ActivityLog.measure, ActivityLog.day, ActivityLog.amount).where(
            ActivityLog.user_id == user_id, ActivityLog.day >= start, ActivityLog.day <= end
        )
        totals: dict[str, dict[date, int]] = {}
        for measure, day, amount in (await self.session.execute(statement)).all():
            per_day = totals.setdefault(measure, {})
            per_day[day] = per_day.get(day, 0) + int(amount)
        return totals
