"""The results a CRM record brings, derived the way a report's are (bot.services.results): a won deal or
order is one deal and its amount of revenue, an activity one of its measure; each goal whose metric counts
those measures and whose window holds the record's day gets an entry. Every row points at its record."""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from datetime import datetime
from decimal import Decimal

from bot.core.crm.records import ACTIVITY_MEASURES, CrmRecord, CrmSystem, DealState, RecordKind
from bot.core.report_items import Measure
from bot.services.results import goal_amount, in_window
from bot.storage.crm_models import CrmRecordRow
from bot.storage.models import ActivityLog, Entry, EntryAudit, Goal

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


def stored_record(row: CrmRecordRow) -> CrmRecord:
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


def counted_now(row: CrmRecordRow) -> bool:
    """Whether the stored row has results: present, and a result by its last version."""
    return row.removed_at is None and stored_record(row).counts


def derive(
    *, user_id: int, row_id: int, record: CrmRecord, goals: Iterable[Goal], now: datetime, batch: str
) -> tuple[list[Entry], list[ActivityLog]]:
    """The entries and activity logs `record` (stored as row `row_id`) brings."""
    values = record_values(record)
    if not values:
        return [], []
    entries = []
    for goal in goals:
        amount = goal_amount(goal, values)
        if amount is not None and in_window(goal, record.day):
            entries.append(
                Entry(user_id=user_id, goal_id=goal.id, day=record.day, amount=amount, created_at=now,
                      source=CRM, batch=batch, crm_record_id=row_id)
            )  # fmt: skip
    activities = [
        ActivityLog(user_id=user_id, day=record.day, measure=measure.value, amount=amount, source=CRM,
                    batch=batch, created_at=now, crm_record_id=row_id)
        for measure, amount in values.items()
    ]  # fmt: skip
    return entries, activities


def results_text(
    entries: Sequence[Entry], activities: Sequence[ActivityLog], *, record_id: str | None = None
) -> str | None:
    """Results as an audit row keeps them (as bot.services.results does), with the CRM record's id."""
    if not entries and not activities:
        return None
    goals: dict[str, Decimal] = {}
    for entry in entries:
        goals[str(entry.goal_id)] = goals.get(str(entry.goal_id), Decimal(0)) + entry.amount
    measures: dict[str, Decimal] = {}
    for activity in activities:
        measures[activity.measure] = measures.get(activity.measure, Decimal(0)) + activity.amount
    value: dict[str, object] = {
        "goals": {key: format(amount, "f") for key, amount in goals.items()},
        "activities": {key: format(amount, "f") for key, amount in measures.items()},
    }
    if record_id is not None:
        value["record"] = record_id
    return json.dumps(value, ensure_ascii=False, sort_keys=True)


def audit(
    *,
    user_id: int,
    action: str,
    record: CrmRecord,
    old: tuple[Sequence[Entry], Sequence[ActivityLog]],
    new: tuple[Sequence[Entry], Sequence[ActivityLog]],
    now: datetime,
    batch: str,
) -> EntryAudit:
    return EntryAudit(
        user_id=user_id,
        at=now,
        action=action,
        day=record.day,
        batch=batch,
        old_value=results_text(*old, record_id=record.record_id),
        new_value=results_text(*new, record_id=record.record_id),
    )
