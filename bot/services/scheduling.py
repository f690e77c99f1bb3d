"""Each user's review schedules as rows: the daily review, the weekly evaluation, the monthly summary.

The rows say when the next prompt of each kind is due (UTC, indexed) and which local day it is about.
They are recomputed whenever something they depend on changes (settings, time zone, vacations,
/pause, a block), always starting after the last day already served, so no day is served twice.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from bot.core.schedule import PromptKind, PromptRule, QuietHours, next_occurrence
from bot.core.work_calendar import WorkCalendar
from bot.services.plans import user_calendar
from bot.storage.models import PromptSchedule, User


def rules_of(user: User) -> list[PromptRule]:
    return [
        PromptRule(PromptKind.DAILY, user.daily_review_time),
        PromptRule(PromptKind.WEEKLY, user.weekly_review_time, weekday=user.weekly_review_weekday),
        PromptRule(PromptKind.MONTHLY, user.monthly_review_time),
    ]


def quiet_hours_of(user: User) -> QuietHours:
    return QuietHours(user.quiet_start, user.quiet_end)


def wants_prompts(user: User) -> bool:
    return user.is_active and not user.prompts_paused and user.onboarded_at is not None


def advance(
    schedule: PromptSchedule, rule: PromptRule, calendar: WorkCalendar, user: User, after: datetime
) -> None:
    """Move a schedule to its next occurrence after `after`, never to a day already served."""
    not_before = schedule.last_served_day + timedelta(days=1) if schedule.last_served_day else None
    day, due = next_occurrence(
        rule, calendar, ZoneInfo(user.timezone), quiet_hours_of(user), after, not_before_day=not_before
    )
    schedule.next_day, schedule.next_due_at = day, due


async def sync_schedules(session: AsyncSession, user: User, now: datetime, default_language: str) -> None:
    """Bring the user's three schedule rows in line with their settings, from `now` on."""
    existing = {
        row.kind: row
        for row in await session.scalars(select(PromptSchedule).where(PromptSchedule.user_id == user.id))
    }
    active = wants_prompts(user)
    calendar = await user_calendar(session, user, default_language) if active else None
    for rule in rules_of(user):
        schedule = existing.get(rule.kind)
        if schedule is None:
            if not active:
                continue
            schedule = PromptSchedule(user_id=user.id, kind=rule.kind.value, active=True, updated_at=now)
            session.add(schedule)
        schedule.active = active
        schedule.updated_at = now
        if calendar is not None:
            advance(schedule, rule, calendar, user, now)
    await session.flush()


async def stop_prompts(session: AsyncSession, user_id: int, now: datetime) -> None:
    """No more prompts for this user (blocked the bot) until they come back."""
    await session.execute(
        update(PromptSchedule).where(PromptSchedule.user_id == user_id).values(active=False, updated_at=now)
    )
