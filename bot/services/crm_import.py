"""What an import writes: CRM records land in crm_records, and the results they bring (entries for the
user's goals, activity logs) are derived from them, so a record counts once however often it arrives.

A record with an unchanged fingerprint changes nothing; a changed one replaces its results; one that left
"won" (or that the CRM deleted) has its results reversed; every change of results is audited in
entry_audit. Everything runs in the caller's transaction: an import lands whole or not at all.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from bot.core.crm.records import CrmRecord, CrmSystem
from bot.services.crm_plan import latest_versions, new_ids, plan_import, stored_rows
from bot.services.crm_preview import ImportPreview, Overlap, preview_records
from bot.services.crm_results import (
    ADDED,
    CHANGED,
    CRM,
    REMOVED,
    REVERSED,
    Values,
    audit,
    derive,
    stored_record,
)
from bot.services.results import results_text
from bot.storage.import_models import CrmImport
from bot.storage.models import ActivityLog, Entry, Goal
from bot.storage.repositories.crm_imports import CrmImportRepository
from bot.storage.repositories.crm_records import CrmRecordRepository
from bot.storage.repositories.goals import GoalRepository

FILE = "file"
API = "api"
__all__ = ["API", "CRM", "FILE", "ImportOutcome", "ImportPreview", "Overlap", "preview_records"]


@dataclass(frozen=True, slots=True)
class ImportOutcome:
    """What an import changed: records added, changed (results replaced), reversed, left as they were."""

    added: int
    changed: int
    reversed: int
    unchanged: int
    import_id: int
    replaced_hand: int = 0  # hand-logged results that stopped counting (the user chose the CRM)
    # Goal ids whose progress changed, for a caller that reports it.
    goal_ids: frozenset[int] = field(default_factory=frozenset)


def _columns(record: CrmRecord, imported_by: int, now: datetime) -> dict[str, object]:
    return {
        "kind": record.kind.value, "day": record.day, "amount": record.amount,
        "state": record.state.value if record.state else None, "owner": record.owner, "title": record.title,
        "fingerprint": record.fingerprint, "imported_by": imported_by, "updated_at": now, "removed_at": None,
    }  # fmt: skip


async def write_records(
    session: AsyncSession,
    *,
    user_id: int,
    records: Sequence[CrmRecord],
    imported_by: int,
    now: datetime,
    origin: str,
    source_name: str | None = None,
    system: CrmSystem | None = None,
    team_id: int | None = None,
) -> ImportOutcome:
    """Land `records` as `user_id`'s and derive their results, in the caller's transaction. `origin` is
    FILE or API; `source_name` the file's name or the connection; `system` defaults to the records' own.

    New records are added; a record whose fingerprint is unchanged is left alone (its row too); a changed
    one has its results replaced and a record that left "won" has them taken back, one audit row each.
    Where the user chose the CRM over hand logging for a measure (bot.services.crm_hand_choice), their
    hand-logged results of it on the days the import brings results stop counting."""
    from bot.services.crm_hand_choice import replace_hand_results  # it reads this module's types

    records = latest_versions(records)
    repository = CrmRecordRepository(session)
    stored = await stored_rows(repository, user_id, records)
    plan = plan_import(records, stored)
    batch = uuid.uuid4().hex
    old_entries, old_activities = await repository.results_of(row.id for row, _, _ in plan.replaced)
    await repository.remove_results(old_entries, old_activities)
    await repository.update_many(
        [{"id": row.id, **_columns(record, imported_by, now)} for row, record, _ in plan.replaced]
    )
    await repository.insert_many(
        [
            {"user_id": user_id, "system": record.system.value, "record_id": record.record_id,
             "first_seen_at": now, **_columns(record, imported_by, now)}
            for record in plan.new
        ]
    )  # fmt: skip
    added_ids = await new_ids(repository, user_id, plan.new)
    goals = await _goals_for(session, user_id, old_entries)
    old_by_row = _by_record(old_entries, old_activities)
    new_entries: list[Values] = []
    new_activities: list[Values] = []
    audits: list[Values] = []
    touched = {entry.goal_id for entry in old_entries}
    for row, record, reversal in plan.replaced:
        entries, activities = derive(user_id=user_id, row_id=row.id, record=record, goals=goals, now=now,
                                     batch=batch)  # fmt: skip
        old = old_by_row.get(row.id, ([], []))
        if entries or activities or old[0] or old[1]:
            new_entries += entries
            new_activities += activities
            audits.append(audit(user_id=user_id, action=REVERSED if reversal else CHANGED, record=record, old=old,
                                new=(entries, activities), now=now, batch=batch))  # fmt: skip
    # New records: one audit row for all they bring (each result points at its record, and the import's
    # crm_imports row says what came in), not one per record: a first import may hold 50,000.
    added_entries: list[Values] = []
    added_activities: list[Values] = []
    for record in plan.new:
        row_id = added_ids[(record.system, record.record_id)]
        entries, activities = derive(user_id=user_id, row_id=row_id, record=record, goals=goals, now=now,
                                     batch=batch)  # fmt: skip
        added_entries += entries
        added_activities += activities
    if added_entries or added_activities:
        first_day = min(row["day"] for row in [*added_entries, *added_activities])
        audits.append({"user_id": user_id, "at": now, "action": ADDED, "day": first_day, "batch": batch,
                       "old_value": None, "new_value": results_text(added_entries, added_activities),
                       "message_id": None})  # fmt: skip
    new_entries += added_entries
    new_activities += added_activities
    touched.update(entry["goal_id"] for entry in new_entries)
    await repository.insert_results(new_entries, new_activities, audits)
    replaced_hand = await replace_hand_results(
        session, user_id=user_id, records=records, now=now, batch=batch
    )
    import_row = await CrmImportRepository(session).add(
        CrmImport(
            user_id=user_id, imported_by=imported_by, team_id=team_id, origin=origin,
            system=(system or (records[0].system if records else CrmSystem.OTHER)).value,
            source_name=source_name[:200] if source_name else None, rows=len(records), added=len(plan.new),
            changed=len(plan.replaced) - plan.reversed, reversed=plan.reversed, unchanged=plan.unchanged,
            replaced_hand=replaced_hand.count, at=now,
        )
    )  # fmt: skip
    return ImportOutcome(
        added=len(plan.new),
        changed=len(plan.replaced) - plan.reversed,
        reversed=plan.reversed,
        unchanged=plan.unchanged,
        import_id=import_row.id,
        replaced_hand=replaced_hand.count,
        goal_ids=frozenset(touched | replaced_hand.goal_ids),
    )


def _by_record(
    entries: Sequence[Entry], activities: Sequence[ActivityLog]
) -> dict[int, tuple[list[Entry], list[ActivityLog]]]:
    grouped: dict[int, tuple[list[Entry], list[ActivityLog]]] = {}
    for entry in entries:
        if entry.crm_record_id is not None:
            grouped.setdefault(entry.crm_record_id, ([], []))[0].append(entry)
    for activity in activities:
        if activity.crm_record_id is not None:
            grouped.setdefault(activity.crm_record_id, ([], []))[1].append(activity)
    return grouped


async def _goals_for(session: AsyncSession, user_id: int, old_entries: Sequence[Entry]) -> list[Goal]:
    """The goals results go to: the open ones, and any a record's earlier results counted toward (an
    achieved goal keeps its history right when a deal in it changes)."""
    goals = {goal.id: goal for goal in await GoalRepository(session).open_goals(user_id)}
    missing = {entry.goal_id for entry in old_entries} - goals.keys()
    goals.update((goal.id, goal) for goal in await CrmRecordRepository(session).goals(missing))
    return [goals[goal_id] for goal_id in sorted(goals)]


async def remove_records(
    session: AsyncSession, *, user_id: int, system: CrmSystem, record_ids: Sequence[str], now: datetime
) -> int:
    """The CRM deleted these records: their results are reversed (audited), the rows stay marked removed.
    How many were present (not removed before); unknown ids are ignored."""
    repository = CrmRecordRepository(session)
    rows = [
        row
        for row in (await repository.of_ids(user_id, system, record_ids)).values()
        if row.removed_at is None
    ]
    if not rows:
        return 0
    batch = uuid.uuid4().hex
    entries, activities = await repository.results_of(row.id for row in rows)
    await repository.remove_results(entries, activities)
    await repository.update_many([{"id": row.id, "removed_at": now, "updated_at": now} for row in rows])
    old_by_row = _by_record(entries, activities)
    await repository.insert_results(
        [],
        [],
        [
            audit(user_id=user_id, action=REMOVED, record=stored_record(row), old=old_by_row[row.id], new=([], []),
                  now=now, batch=batch)
            for row in rows
            if row.id in old_by_row
        ]
    )  # fmt: skip
    return len(rows)
