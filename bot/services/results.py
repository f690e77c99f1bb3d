"""Recording what a salesperson reports: results for goals and activities, replaceable and undoable, audited."""

from __future__ import annotations

import json
import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from bot.core.quick_log import Measure
from bot.services.turn import Turn
from bot.storage.models import ActivityLog, Entry, EntryAudit, Goal, User
from bot.storage.repositories.goals import GoalRepository
from bot.storage.repositories.results import ResultRepository

REVIEW = "review"
LOG = "log"
UNDO_WINDOW = timedelta(hours=24)
# Which reported measures count toward a goal of each metric ("meetings" goals include trainings).
GOAL_MEASURES: Mapping[str, tuple[Measure, ...]] = {
    "revenue": (Measure.REVENUE,),
    "deals": (Measure.DEALS,),
    "new_customers": (Measure.NEW_CUSTOMERS,),
    "visits": (Measure.VISITS,),
    "calls": (Measure.CALLS,),
    "meetings": (Measure.MEETINGS, Measure.TRAININGS),
}


@dataclass(frozen=True)
class Recorded:
    day: date
    batch: str
    goals: list[Goal]  # the goals whose progress changed
    removed: Sequence[Entry] = ()  # goal entries an earlier answer to the same review had written
    added: Sequence[Entry] = ()

    def apply_to(self, actuals: Mapping[int, Mapping[date, Decimal]]) -> dict[int, dict[date, Decimal]]:
        """Per-goal daily actuals as they are after this report, from those before it."""
        after = {goal_id: dict(days) for goal_id, days in actuals.items()}
        for entry, sign in [*((e, -1) for e in self.removed), *((e, 1) for e in self.added)]:
            days = after.setdefault(entry.goal_id, {})
            days[entry.day] = days.get(entry.day, Decimal(0)) + sign * entry.amount
            if days[entry.day] == 0 and sign < 0:
                del days[entry.day]
        return after


def in_window(goal: Goal, day: date) -> bool:
    """Whether `day` lies in the goal's window, from its start through its deadline: only such days count."""
    return goal.start_date <= day <= goal.deadline


def counted_measures(goal: Goal, values: Mapping[Measure, Decimal]) -> set[Measure]:
    """The reported measures that count toward `goal` (none for a goal of a custom measure)."""
    return {measure for measure in GOAL_MEASURES.get(goal.metric, ()) if measure in values}


def goal_amount(goal: Goal, values: Mapping[Measure, Decimal]) -> Decimal | None:
    """What a report adds to `goal`: the sum of its measures, or None when the report names none of them."""
    measures = counted_measures(goal, values)
    return sum((values[m] for m in measures), Decimal(0)) if measures else None


# A result as stored (ORM row) or about to be (values).
ResultRow = Entry | ActivityLog | Mapping[str, Any]


def _get(row: ResultRow, key: str) -> Any:
    return row[key] if isinstance(row, Mapping) else getattr(row, key)


def results_text(
    entries: Sequence[ResultRow], activities: Sequence[ResultRow], *, record_id: str | None = None
) -> str | None:
    """Results as an audit row keeps them: amounts per goal and per activity measure (and the CRM record
    an import's results come from)."""
    if not entries and not activities:
        return None
    goals: dict[str, Decimal] = {}
    for entry in entries:
        key = str(_get(entry, "goal_id"))
        goals[key] = goals.get(key, Decimal(0)) + _get(entry, "amount")
    measures: dict[str, Decimal] = {}
    for activity in activities:
        key = _get(activity, "measure")
        measures[key] = measures.get(key, Decimal(0)) + _get(activity, "amount")
    value: dict[str, object] = {
        "goals": {key: format(amount, "f") for key, amount in goals.items()},
        "activities": {key: format(amount, "f") for key, amount in measures.items()},
    }
    if record_id is not None:
        value["record"] = record_id
    return json.dumps(value, ensure_ascii=False, sort_keys=True)


async def record_report(
    session: AsyncSession,
    user: User,
    day: date,
    values: Mapping[Measure, Decimal],
    now: datetime,
    *,
    source: str,
    goal_values: Mapping[int, Decimal] | None = None,
    goals: Sequence[Goal] | None = None,
    message_id: int | None = None,
) -> Recorded:
    """Write a day's report. A review replaces what the same day's review wrote before; a log adds.
    `message_id` is the user's message it came from, so an edit of that message can correct it.

    Only goals whose window holds `day` get an entry: a result outside a goal's window would count nowhere
    (callers tell the user so before calling), so it is never stored for that goal."""
    results = ResultRepository(session)
    batch = uuid.uuid4().hex
    old_entries: Sequence[Entry] = ()
    old_activities: Sequence[ActivityLog] = ()
    if source == REVIEW:
        old_entries, old_activities = await results.review_rows(user.id, day)
        await results.remove(old_entries, old_activities)
    if goals is None:
        goals = list(await GoalRepository(session).open_goals(user.id))
    entries = []
    for goal in goals:
        amount = (goal_values or {}).get(goal.id)
        if amount is None:
            amount = goal_amount(goal, values)
        if amount is not None and in_window(goal, day):
            entries.append(
                Entry(
                    user_id=user.id,
                    goal_id=goal.id,
                    day=day,
                    amount=amount,
                    created_at=now,
                    source=source,
                    batch=batch,
                    message_id=message_id,
                )
            )
    activities = [
        ActivityLog(
            user_id=user.id,
            day=day,
            measure=measure.value,
            amount=amount,
            source=source,
            batch=batch,
            created_at=now,
            message_id=message_id,
        )
        for measure, amount in values.items()
    ]
    # Plain multi-row inserts: SQLite cannot batch inserts that hand back generated ids.
    # The audit row too: written now, not left to the session's next flush.
    await results.insert_many(
        [
            *entries,
            *activities,
            EntryAudit(
                user_id=user.id,
                at=now,
                action="replace" if old_entries or old_activities else "add",
                day=day,
                batch=batch,
                old_value=results_text(old_entries, old_activities),
                new_value=results_text(entries, activities),
                message_id=message_id,
            ),
        ]
    )
    touched = {entry.goal_id for entry in entries} | {entry.goal_id for entry in old_entries}
    return Recorded(day, batch, [goal for goal in goals if goal.id in touched], old_entries, entries)


async def undo_last_log(turn: Turn) -> Recorded | None:
    """Remove the newest /log report of the last 24 hours; None when there is none."""
    session, user, now = turn.session, turn.user, turn.now
    results = ResultRepository(session)
    batch = await results.latest_log_batch(user.id, now - UNDO_WINDOW)
    if batch is None:
        return None
    entries, activities = await results.batch_rows(user.id, batch)
    day = entries[0].day if entries else activities[0].day
    goal_ids = {entry.goal_id for entry in entries}
    await results.remove(entries, activities)
    results.add(
        [
            EntryAudit(
                user_id=user.id,
                at=now,
                action="undo",
                day=day,
                batch=batch,
                old_value=results_text(entries, activities),
                new_value=None,
                message_id=activities[0].message_id if activities else None,
            )
        ]
    )
    goals = [g for g in await GoalRepository(session).open_goals(user.id) if g.id in goal_ids]
    return Recorded(day, batch, goals)
