"""The results a CRM record brings, derived the way a report's are (bot.services.results): a won deal or
order is one deal and its amount of revenue, an activity one of its measure; each goal whose metric counts
those measures and whose window holds the record's day gets an entry. Every row points at its record."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime
from decimal import Decimal
from typing import Any

from bot.core.crm.records import ACTIVITY_MEASURES, CrmRecord, CrmSystem, DealState, RecordKind
from bot.core.report_items import Measure
from bot.services.results import ResultRow, goal_amount, in_window, results_text
from bot.storage.models import Goal
from bot.storage.repositories.crm_records import StoredRecord

CRM = "crm"  # Entry.source / ActivityLog.source of an imported result

# entry_audit actions of imports (16 characters at most).
ADDED = "crm_add"
CHANGED = "crm_change"
REVERSED = "crm_reverse"
REMOVED = "crm_remove"
FOR_NEW_GOAL = "crm_goal"
HAND_REPLACED = "crm_replace"


def record_values(record: CrmRecord) -> dict[Measure, Decimal]:
    """What the record reports, per measure; empty when it is no result (lost or open, a task).

    A won deal does not count as a new customer: the export holds the user's deals of its own window, so
    an account first seen in it may be years old; the user logs new customers by hand."""
    if not record.counts:
        return {}
    if record.kind.is_outcome:
        values = {Measure.DEALS: Decimal(1)}
        if record.amount:
            values[Measure.REVENUE] = record.amount
        return values
    return {Measure(ACTIVITY_MEASURES[record.kind]): Decimal(1)}


def stored_record(row: StoredRecord) -> CrmRecord:
    """A stored row as the record it was imported from (its results derive from this)."""
    return CrmRecord(
        system=CrmSystem(row.system),
        kind=RecordKind(row.kind),
        record_id=row.record_id,
        day=row.day,
        amount=row.amount,
        state=DealState(row.state) if row.state else None,
        owner=row.owner,
        title=row.title,
    )


def counted_now(row: StoredRecord) -> bool:
    """Whether the stored row has results: present, and a result by its last version."""
    return row.removed_at is None and stored_record(row).counts


# A result row as plain column values (entries, activity_logs, entry_audit): an import writes tens of
# thousands, which one Core INSERT per table takes far faster than ORM objects.
Values = dict[str, Any]


def derive(
    *, user_id: int, row_id: int, record: CrmRecord, goals: Iterable[Goal], now: datetime, batch: str
) -> tuple[list[Values], list[Values]]:
    """The entries and activity logs `record` (stored as row `row_id`) brings, as column values."""
    values = record_values(record)
    if not values:
        return [], []
    entries = []
    for goal in goals:
        amount = goal_amount(goal, values)
        if amount is not None and in_window(goal, record.day):
            entries.append(
                {"user_id": user_id, "goal_id": goal.id, "day": record.day, "amount": amount, "created_at": now,
                 "source": CRM, "batch": batch, "message_id": None, "crm_record_id": row_id}
            )  # fmt: skip
    activities = [
        {"user_id": user_id, "day": record.day, "measure": measure.value, "amount": amount, "source": CRM,
         "batch": batch, "created_at": now, "message_id": None, "crm_record_id": row_id}
        for measure, amount in values.items()
    ]  # fmt: skip
    return entries, activities


def audit(
    *,
    user_id: int,
    action: str,
    record: CrmRecord,
    old: tuple[Sequence[ResultRow], Sequence[ResultRow]],
    new: tuple[Sequence[ResultRow], Sequence[ResultRow]],
    now: datetime,
    batch: str,
) -> Values:
    """The entry_audit row of one record's results changing, as column values."""
    return {
        "user_id": user_id, "at": now, "action": action, "day": record.day, "batch": batch,
        "old_value": results_text(*old, record_id=record.record_id),
        "new_value": results_text(*new, record_id=record.record_id), "message_id": None,
    }  # fmt: skip
