"""The hand-vs-CRM choice: where a user's hand-logged results and imported ones share a day and a measure,
they choose once per measure whether the CRM replaces hand logging for it (stored per user and measure).

Replace: on each day the import brings results of the measure, the hand-logged ones of that measure are
deleted (audited, as /undo deletes), and the goal entries of those reports lose their part; so a deal typed
on Monday and imported on Friday counts once. Keep both: both stay. No choice yet: both stay (the import
flow asks before writing).
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from enum import StrEnum

from sqlalchemy.ext.asyncio import AsyncSession

from bot.core.crm.records import CrmRecord
from bot.services.crm_results import HAND_REPLACED, record_values
from bot.services.results import GOAL_MEASURES
from bot.storage.models import ActivityLog, Entry, EntryAudit
from bot.storage.repositories.crm_hand_choices import CrmHandChoiceRepository
from bot.storage.repositories.crm_records import CrmRecordRepository
from bot.storage.repositories.results import ResultRepository


class HandChoice(StrEnum):
    CRM = "crm"  # the CRM replaces hand logging: hand-logged results of the measure on overlapping days go
    BOTH = "both"  # keep both


@dataclass(frozen=True, slots=True)
class HandReplaced:
    count: int  # hand-logged activity rows deleted
    goal_ids: frozenset[int]  # goals whose hand entries changed


async def hand_choices(session: AsyncSession, user_id: int) -> dict[str, HandChoice]:
    """The user's choices so far, per measure."""
    stored = await CrmHandChoiceRepository(session).of_user(user_id)
    return {measure: HandChoice(choice) for measure, choice in stored.items()}


async def set_hand_choice(
    session: AsyncSession, *, user_id: int, measure: str, choice: HandChoice, now: datetime
) -> None:
    """Store (or change) the user's choice for `measure`; the next import applies it."""
    await CrmHandChoiceRepository(session).put(user_id, measure, HandChoice(choice).value, now)


def result_days(records: Iterable[CrmRecord]) -> set[tuple[date, str]]:
    """The (day, measure) pairs the records bring results on."""
    return {(record.day, measure.value) for record in records for measure in record_values(record)}


async def _hand_rows(session: AsyncSession, user_id: int, days: set[tuple[date, str]]) -> list[ActivityLog]:
    if not days:
        return []
    first, last = min(day for day, _ in days), max(day for day, _ in days)
    rows = await CrmRecordRepository(session).hand_activities(user_id, first, last, {m for _, m in days})
    return [row for row in rows if (row.day, row.measure) in days]


async def hand_overlaps(
    session: AsyncSession, *, user_id: int, records: Sequence[CrmRecord]
) -> list[tuple[date, str]]:
    """The days and measures where the user logged results by hand and `records` bring results, in order."""
    rows = await _hand_rows(session, user_id, result_days(records))
    return sorted({(row.day, row.measure) for row in rows})


async def replace_hand_results(
    session: AsyncSession, *, user_id: int, records: Sequence[CrmRecord], now: datetime, batch: str
) -> HandReplaced:
    """Apply the user's CRM choices to the days `records` bring results on (see the module's docstring)."""
    choices = await hand_choices(session, user_id)
    days = {(day, m) for day, m in result_days(records) if choices.get(m) is HandChoice.CRM}
    hand = await _hand_rows(session, user_id, days)
    if not hand:
        return HandReplaced(0, frozenset())
    repository = CrmRecordRepository(session)
    removed: dict[str, dict[str, Decimal]] = {}  # batch -> measure -> amount taken out of the report
    for row in hand:
        if row.batch is not None:
            per_measure = removed.setdefault(row.batch, {})
            per_measure[row.measure] = per_measure.get(row.measure, Decimal(0)) + row.amount
    entries = await repository.hand_entries(user_id, removed)
    goals = {goal.id: goal for goal in await repository.goals(entry.goal_id for entry in entries)}
    dropped: list[Entry] = []
    changed: dict[int, tuple[Decimal, Decimal]] = {}  # entry id -> (old, new)
    for entry in entries:
        measures = set(GOAL_MEASURES.get(goals[entry.goal_id].metric, ()))
        taken = {m: a for m, a in removed[entry.batch or ""].items() if m in measures}
        if not taken:
            continue
        left = entry.amount - sum(taken.values(), Decimal(0))
        if measures <= taken.keys() or left <= 0:
            dropped.append(entry)
        else:
            changed[entry.id] = (entry.amount, left)
            await repository.set_entry_amount(entry, left)
    await repository.remove_results(dropped, hand)
    await ResultRepository(session).insert_many(_audits(user_id, hand, dropped, changed, entries, now, batch))
    return HandReplaced(len(hand), frozenset(goals))


def _audits(
    user_id: int,
    hand: Sequence[ActivityLog],
    dropped: Sequence[Entry],
    changed: dict[int, tuple[Decimal, Decimal]],
    entries: Sequence[Entry],
    now: datetime,
    batch: str,
) -> list[EntryAudit]:
    """One audit row per day: the hand-logged results the CRM replaced, and what is left of their entries."""
    audits = []
    for day in sorted({row.day for row in hand}):
        old = {
            "activities": {r.measure: format(r.amount, "f") for r in hand if r.day == day},
            "goals": {str(e.goal_id): format(e.amount, "f") for e in dropped if e.day == day},
        }
        new = {
            "goals": {
                str(e.goal_id): format(changed[e.id][1], "f")
                for e in entries
                if e.day == day and e.id in changed
            }
        }
        for entry in entries:
            if entry.day == day and entry.id in changed:
                old["goals"][str(entry.goal_id)] = format(changed[entry.id][0], "f")
        audits.append(
            EntryAudit(user_id=user_id, at=now, action=HAND_REPLACED, day=day, batch=batch,
                       old_value=json.dumps(old, sort_keys=True), new_value=json.dumps(new, sort_keys=True))
        )  # fmt: skip
    return audits
