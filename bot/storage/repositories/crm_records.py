"""CRM records as they landed (crm_records) and the results derived from them (entries, activity logs)."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from datetime import date
from typing import Any, TypeVar

from sqlalchemy import delete, insert, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from bot.storage.crm_models import CrmRecordRow
from bot.storage.models import ActivityLog, Entry, Goal

# Ids per IN (...) list: far below SQLite's and PostgreSQL's bound-parameter limits.
CHUNK = 500
# The sources of results a person typed (/log) or answered (reviews), as opposed to "crm".
HAND_SOURCES = ("log", "review")

T = TypeVar("T")


def chunks(items: Sequence[T], size: int = CHUNK) -> Iterator[Sequence[T]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


class CrmRecordRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def of_ids(self, user_id: int, system: str, record_ids: Sequence[str]) -> dict[str, CrmRecordRow]:
        """The user's stored rows of these records of `system`, by record id."""
        found: dict[str, CrmRecordRow] = {}
        for part in chunks(list(record_ids)):
            statement = select(CrmRecordRow).where(
                CrmRecordRow.user_id == user_id,
                CrmRecordRow.system == system,
                CrmRecordRow.record_id.in_(part),
            )
            found.update((row.record_id, row) for row in await self.session.scalars(statement))
        return found

    async def holders(
        self, user_ids: Sequence[int], system: str, record_ids: Sequence[str]
    ) -> list[CrmRecordRow]:
        """The rows of these records held (not removed) by any of `user_ids`: a team's members."""
        found: list[CrmRecordRow] = []
        for part in chunks(list(record_ids)):
            statement = select(CrmRecordRow).where(
                CrmRecordRow.user_id.in_(list(user_ids)),
                CrmRecordRow.system == system,
                CrmRecordRow.record_id.in_(part),
                CrmRecordRow.removed_at.is_(None),
            )
            found.extend(await self.session.scalars(statement))
        return found

    async def counting_rows(self, user_id: int, first: date, last: date) -> Sequence[CrmRecordRow]:
        """The user's present records (not removed) with a day from `first` through `last`."""
        statement = (
            select(CrmRecordRow)
            .where(
                CrmRecordRow.user_id == user_id,
                CrmRecordRow.removed_at.is_(None),
                CrmRecordRow.day >= first,
                CrmRecordRow.day <= last,
            )
            .order_by(CrmRecordRow.id)
        )
        return (await self.session.scalars(statement)).all()

    async def insert_many(self, rows: Sequence[dict[str, Any]]) -> None:
        """New rows (plain column values), one executemany; their ids are read back with of_ids."""
        if rows:
            await self.session.execute(insert(CrmRecordRow), list(rows))

    async def update_many(self, rows: Sequence[dict[str, Any]]) -> None:
        """Changed rows: each dict holds the row's id and the columns that change (an ORM bulk UPDATE by id)."""
        if rows:
            await self.session.execute(update(CrmRecordRow), list(rows))

    async def results_of(self, row_ids: Iterable[int]) -> tuple[list[Entry], list[ActivityLog]]:
        """The entries and activity logs derived from these records."""
        ids = list(row_ids)
        entries: list[Entry] = []
        activities: list[ActivityLog] = []
        for part in chunks(ids):
            entries.extend(await self.session.scalars(select(Entry).where(Entry.crm_record_id.in_(part))))
            activities.extend(
                await self.session.scalars(select(ActivityLog).where(ActivityLog.crm_record_id.in_(part)))
            )
        return entries, activities

    async def goals(self, goal_ids: Iterable[int]) -> list[Goal]:
        ids = sorted(set(goal_ids))
        found: list[Goal] = []
        for part in chunks(ids):
            found.extend(await self.session.scalars(select(Goal).where(Goal.id.in_(part))))
        return found

    async def remove_results(self, entries: Sequence[Entry], activities: Sequence[ActivityLog]) -> None:
        for part in chunks([row.id for row in entries]):
            await self.session.execute(delete(Entry).where(Entry.id.in_(part)))
        for part in chunks([row.id for row in activities]):
            await self.session.execute(delete(ActivityLog).where(ActivityLog.id.in_(part)))

    async def hand_activities(
        self, user_id: int, first: date, last: date, measures: Iterable[str]
    ) -> Sequence[ActivityLog]:
        """Results the user typed or answered (not imported) from `first` through `last` of `measures`."""
        statement = (
            select(ActivityLog)
            .where(
                ActivityLog.user_id == user_id,
                ActivityLog.source.in_(HAND_SOURCES),
                ActivityLog.day >= first,
                ActivityLog.day <= last,
                ActivityLog.measure.in_(list(measures)),
            )
            .order_by(ActivityLog.id)
        )
        return (await self.session.scalars(statement)).all()

    async def hand_entries(self, user_id: int, batches: Iterable[str]) -> Sequence[Entry]:
        """The goal entries typed or answered in these reports (batches)."""
        found: list[Entry] = []
        for part in chunks(sorted(set(batches))):
            statement = select(Entry).where(
                Entry.user_id == user_id, Entry.source.in_(HAND_SOURCES), Entry.batch.in_(part)
            )
            found.extend(await self.session.scalars(statement))
        return found

    async def set_entry_amount(self, entry: Entry, amount: object) -> None:
        await self.session.execute(update(Entry).where(Entry.id == entry.id).values(amount=amount))
