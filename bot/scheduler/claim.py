"""The claim: due schedule rows become occurrence rows, committed before anything is sent.

Each occurrence is unique per user, kind and local day; its first status comes from
bot.core.lifecycle.prompts.recorded_status (claimed, or skipped, or missed beyond the grace window),
and the schedule moves to its next day. A goal-less user's skipped daily review brings, at most once
a week, a set-a-goal prompt (kind GOAL_INVITE) recorded beside it and sent like any other. One query reads a batch, one statement writes its
occurrences and one its schedules: the ORM's identity map and unit of work cost more than the
database itself at this size.
"""

from __future__ import annotations

from collections import Counter
from datetime import date, datetime, timedelta
from typing import Any

from bot.core.lifecycle.prompts import (
    GOAL_INVITE,
    GOAL_INVITE_EVERY_DAYS,
    OccurrenceStatus,
    goal_invite_status,
    recorded_status,
)
from bot.core.schedule import PromptKind, classify
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
        goal_less = [user.id for _, kind, *_, user, active in due if kind == PromptKind.DAILY and not active]
        last_invites = await OccurrenceRepository(session).last_goal_invites(goal_less)
        memo: AdvanceMemo = {}
        occurrences: list[dict[str, Any]] = []
        advanced: list[dict[str, Any]] = []
        stopped: list[dict[str, Any]] = []
        for schedule_id, kind, day, due_at, user, active_goal in due:
            user_id, wanted = user.id, wants_prompts(user)
            lateness = classify(due_at, now, grace)
            status, reason = recorded_status(kind, wanted, active_goal, lateness)
            recorded[status] += 1
            occurrences.append(_row(user_id, kind, day, due_at, status, reason, now))
            invite = goal_invite_status(
                kind, wanted, active_goal, lateness, _invited_recently(last_invites.get(user_id), day)
            )
            if invite is not None:
                recorded[invite] += 1
                # Never reminded: the set-a-goal prompt is said once.
                occurrences.append(_row(user_id, GOAL_INVITE, day, due_at, invite, None, now, reminded=True))
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


def _invited_recently(last_invite: date | None, day: date) -> bool:
    return last_invite is not None and day - last_invite < timedelta(days=GOAL_INVITE_EVERY_DAYS)


def _row(
    user_id: int,
    kind: str,
    day: date,
    due_at: datetime,
    status: OccurrenceStatus,
    reason: str | None,
    now: datetime,
    *,
    reminded: bool = False,
) -> dict[str, Any]:
    return {
        "user_id": user_id,
        "kind": kind,
        "day": day,
        "due_at": due_at,
        "status": status,
        "reason": reason,
        "reminded": reminded,
        "attempts": 0,
        "created_at": now,
        "updated_at": now,
    }
