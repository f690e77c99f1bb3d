"""CRM records as they landed (crm_records) and the results derived from them (entries, activity logs)."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from datetime import date, datetime
from decimal import Decimal
from typing import Any, NamedTuple, TypeVar

from sqlalchemy import Table, delete, func, insert, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from bot.storage.crm_models import CrmRecordRow
from bot.storage.models import ActivityLog, Base, Entry, EntryAudit, Goal

# Ids per IN (...) list: far below SQLite's and PostgreSQL's bound-parameter limits.
CHUNK = 500
# The sources of results a person typed (/log) or answered (reviews), as opposed to "crm".
HAND_SOURCES = ("log", "review")

# From this many ids on, the user's rows of a system are read whole rather than by IN lists.
WHOLE_READ_FROM = 2_000

T = TypeVar("T")
V = TypeVar("V")


class StoredRecord(NamedTuple):
    """A crm_records row as plain values: an import compares tens of thousands, far cheaper than ORM rows."""

    id: int
    user_id: int
    system: str
    kind: str
    record_id: str
    day: date
    amount: Decimal | None
    state: str | None
    owner: str | None
    title: str | None
    fingerprint: str
    removed_at: datetime | None


_STORED = [getattr(CrmRecordRow, name) for name in StoredRecord._fields]


def _table(model: type[Base]) -> Table:
    table = model.__table__
    assert isinstance(table, Table)
    return table


def _only(found: dict[str, V], record_ids: Sequence[str]) -> dict[str, V]:
    """`found` restricted to `record_ids` (a whole read holds the user's other records too)."""
    wanted = set(record_ids)
    return {key: value for key, value in found.items() if key in wanted}


def chunks(items: Sequence[T], size: int = CHUNK) -> Iterator[Sequence[T]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


class CrmRecordRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def of_ids(self, user_id: int, system: str, record_ids: Sequence[str]) -> dict[str, StoredRecord]:
        """The user's stored rows of these records of `system`, by record id."""
        found: dict[str, StoredRecord] = {}
        for part in self._id_lists(record_ids):
            statement = select(*_STORED).where(CrmRecordRow.user_id == user_id, CrmRecordRow.system == system)
            if part is not None:
                statement = statement.where(CrmRecordRow.record_id.in_(part))
            found.update((row.record_id, StoredRecord(*row)) for row in await self.session.execute(statement))
        return _only(found, record_ids)

    async def ids_of(self, user_id: int, system: str, record_ids: Sequence[str]) -> dict[str, int]:
        """The row ids of these records of `system`, by record id (no rows loaded)."""
        found: dict[str, int] = {}
        for part in self._id_lists(record_ids):
            statement = select(CrmRecordRow.record_id, CrmRecordRow.id).where(
                CrmRecordRow.user_id == user_id, CrmRecordRow.system == system
            )
            if part is not None:
                statement = statement.where(CrmRecordRow.record_id.in_(part))
            found.update(
                (record_id, row_id) for record_id, row_id in (await self.session.execute(statement)).all()
            )
        return _only(found, record_ids)

    @staticmethod
    def _id_lists(record_ids: Sequence[str]) -> list[Sequence[str] | None]:
        """IN lists for a few ids; None (all the user's rows of the system, filtered here) for many. Rows
        an import inserted in this transaction are not in the planner's statistics yet, so PostgreSQL
        would scan the table once per IN list: 100 scans of 50,000 rows for a 50,000-record import."""
        if len(record_ids) > WHOLE_READ_FROM:
            return [None]
        return list(chunks(list(record_ids)))

    async def live_counts(self, user_ids: Sequence[int], system: str, imported_by: int) -> dict[int, int]:
        """How many live records (not removed) each of `user_ids` holds from `system`, brought by `imported_by`
        (a team connection's per-member counts in /crm)."""
        statement = (
            select(CrmRecordRow.user_id, func.count())
            .where(
                CrmRecordRow.user_id.in_(list(user_ids)),
                CrmRecordRow.system == system,
                CrmRecordRow.imported_by == imported_by,
                CrmRecordRow.removed_at.is_(None),
            )
            .group_by(CrmRecordRow.user_id)
        )
        return {int(user_id): int(count) for user_id, count in await self.session.execute(statement)}

    async def holders(
        self, user_ids: Sequence[int], system: str, record_ids: Sequence[str]
    ) -> list[StoredRecord]:
        """The rows of these records held (not removed) by any of `user_ids`: a team's members."""
        found: list[StoredRecord] = []
        for part in chunks(list(record_ids)):
            statement = select(*_STORED).where(
                CrmRecordRow.user_id.in_(list(user_ids)),
                CrmRecordRow.system == system,
                CrmRecordRow.record_id.in_(part),
                CrmRecordRow.removed_at.is_(None),
            )
            found.extend(StoredRecord(*row) for row in await self.session.execute(statement))
        return found

    async def counting_rows(self, user_id: int, first: date, last: date) -> list[StoredRecord]:
        """The user's present records (not removed) with a day from `first` through `last`."""
        statement = (
            select(*_STORED)
            .where(
                CrmRecordRow.user_id == user_id,
                CrmRecordRow.removed_at.is_(None),
                CrmRecordRow.day >= first,
                CrmRecordRow.day <= last,
            )
            .order_by(CrmRecordRow.id)
        )
        return [StoredRecord(*row) for row in await self.session.execute(statement)]

    async def insert_many(self, rows: Sequence[dict[str, Any]]) -> None:
        """New rows (plain column values), one Core executemany; their ids are read back with of_ids.
        (The ORM's bulk insert would fetch each id back, one statement per row on SQLite.)"""
        if rows:
            await self.session.execute(insert(_table(CrmRecordRow)), list(rows))

    async def insert_results(
        self,
        entries: Sequence[dict[str, Any]],
        activities: Sequence[dict[str, Any]],
        audits: Sequence[dict[str, Any]],
    ) -> None:
        """Derived results and their audit rows as plain column values: one Core executemany per table."""
        for model, rows in ((Entry, entries), (ActivityLog, activities), (EntryAudit, audits)):
            if rows:
                await self.session.execute(insert(_table(model)), list(rows))

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
