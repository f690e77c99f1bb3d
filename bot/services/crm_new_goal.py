"""A goal set after an import picks up the CRM records already imported: a salesperson who imported
their quarter and then sets a revenue goal for it expects the deals they closed to count toward it."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from bot.services.crm_results import FOR_NEW_GOAL, Values, counted_now, derive, stored_record
from bot.services.results import results_text
from bot.storage.models import Goal
from bot.storage.repositories.crm_records import CrmRecordRepository


async def derive_for_new_goal(session: AsyncSession, goal: Goal, now: datetime) -> int:
    """Entries for `goal` from the user's present CRM records in its window (one audit row for them all);
    how many. Only the goal's entries: the records' activity logs are there already."""
    rows = await CrmRecordRepository(session).counting_rows(goal.user_id, goal.start_date, goal.deadline)
    batch = uuid.uuid4().hex
    entries: list[Values] = []
    for row in rows:
        if counted_now(row):
            found, _ = derive(user_id=goal.user_id, row_id=row.id, record=stored_record(row), goals=[goal],
                              now=now, batch=batch)  # fmt: skip
            entries += found
    if not entries:
        return 0
    audit = {"user_id": goal.user_id, "at": now, "action": FOR_NEW_GOAL, "day": goal.start_date, "batch": batch,
             "old_value": None, "new_value": results_text(entries, []), "message_id": None}  # fmt: skip
    await CrmRecordRepository(session).insert_results(entries, [], [audit])
    return len(entries)
