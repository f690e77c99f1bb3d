"""The claim: due schedule rows become occurrence rows, committed before anything is sent.

Each occurrence is unique per user, kind and local day; its first status comes from
bot.core.lifecycle.prompts.recorded_status (claimed, or skipped, or missed beyond the grace window),
and the schedule moves to its next day. One query reads a batch, one statement writes its
occurrences and one its schedules: the ORM's identity map and unit of work cost more than the
database itself at this size.
"""

from __future__ import annotations

from collections import Counter
from datetime import datetime, timedelta
from typing import Any

from bot.core.lifecycle.prompts import OccurrenceStatus, recorded_status
from bot.core.schedule import classify
from bot.services.container import Services
from bot.services.scheduling import AdvanceMemo, next_due, rule_of, user_calendars, wants_prompts
from bot.storage.repositories.occurrences import OccurrenceRepository
from bot.storage.repositories.schedules import ScheduleRepository


async def claim_due(
    services: Services, now: datetime, batch: int, grace: timedelta
) -> Counter[OccurrenceStatus]:
    """Claim up to `batch` due schedules; how many occurrences were recorded in each status."""
    async with services.sessionmaker.begin() as session:
        schedules = ScheduleRepository(session)
        due = await schedules.due(now, batch)
        recorded: Counter[OccurrenceStatus] = Counter()
        if not due:
            return recorded
        users = {user.id: user for *_, user, _ in due}
        # One query for the vacations of the whole batch; alike calendars and next occurrences are
        # computed once (a tick's users mostly share settings and due instant).
        calendars = await user_calendars(
            session,
            [user for user in users.values() if wants_prompts(user)],
            services.settings.default_language,
        )
        memo: AdvanceMemo = {}
        occurrences: list[dict[str, Any]] = []
        advanced: list[dict[str, Any]] = []
        stopped: list[dict[str, Any]] = []
        for schedule_id, kind, day, due_at, user, active_goal in due:
            user_id, wanted = user.id, wants_prompts(user)
            status, reason = recorded_status(kind, wanted, active_goal, classify(due_at, now, grace))
            recorded[status] += 1
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
        await OccurrenceRepository(session).record(occurrences, services.engine.dialect.name)
        await schedules.advance(advanced, now)
        await schedules.stop_served(stopped, now)
        return recorded
