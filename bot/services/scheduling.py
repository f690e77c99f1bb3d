"""Each user's review schedules as rows: the daily review, the weekly evaluation, the monthly summary.

The rows say when the next prompt of each kind is due (UTC, indexed) and which local day it is about.
They are recomputed whenever something they depend on changes (settings, time zone, vacations,
/pause, a block), always starting after the last day already served, so no day is served twice.
"""

from __future__ import annotations

from collections.abc import Collection
from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy.ext.asyncio import AsyncSession

from bot.core.schedule import PromptKind, PromptRule, QuietHours, next_occurrence
from bot.core.work_calendar import WorkCalendar
from bot.services.plans import calendar_of, user_calendar, user_country, vacation_days
from bot.services.turn import Turn
from bot.storage.models import PromptSchedule, User
from bot.storage.repositories.schedules import ScheduleRepository
from bot.storage.repositories.vacations import VacationRepository

# next_occurrence results by everything they depend on: see `next_due`.
AdvanceMemo = dict[tuple[Any, ...], tuple[date, datetime]]


def rules_of(user: User) -> list[PromptRule]:
    return [
        PromptRule(PromptKind.DAILY, user.daily_review_time),
        PromptRule(PromptKind.WEEKLY, user.weekly_review_time, weekday=user.weekly_review_weekday),
        PromptRule(PromptKind.MONTHLY, user.monthly_review_time),
    ]


def rule_of(user: User, kind: str) -> PromptRule:
    """The user's rule of one kind (what `rules_of` lists for it)."""
    if kind == PromptKind.DAILY:
        return PromptRule(PromptKind.DAILY, user.daily_review_time)
    if kind == PromptKind.WEEKLY:
        return PromptRule(PromptKind.WEEKLY, user.weekly_review_time, weekday=user.weekly_review_weekday)
    if kind == PromptKind.MONTHLY:
        return PromptRule(PromptKind.MONTHLY, user.monthly_review_time)
    raise ValueError(f"no prompt rule of kind {kind!r}")


def quiet_hours_of(user: User) -> QuietHours:
    return QuietHours(user.quiet_start, user.quiet_end)


def wants_prompts(user: User) -> bool:
    return user.is_active and not user.prompts_paused and user.onboarded_at is not None


def advance(
    schedule: PromptSchedule, rule: PromptRule, calendar: WorkCalendar, user: User, after: datetime
) -> None:
    """Move a schedule to its next occurrence after `after`, never to a day already served."""
    schedule.next_day, schedule.next_due_at = next_due(rule, calendar, user, after, schedule.last_served_day)


def next_due(
    rule: PromptRule,
    calendar: WorkCalendar,
    user: User,
    after: datetime,
    last_served_day: date | None,
    memo: AdvanceMemo | None = None,
) -> tuple[date, datetime]:
    """The next occurrence (local day, UTC instant) after `after`, never on or before `last_served_day`.

    next_occurrence is pure, so a batch of schedules may share a `memo`: users with the same rule,
    calendar, zone and quiet hours due at the same instant (most of a tick) compute it once.
    """
    not_before = last_served_day + timedelta(days=1) if last_served_day else None
    quiet = quiet_hours_of(user)
    key = (rule, calendar, user.timezone, quiet, after, not_before)
    found = memo.get(key) if memo is not None else None
    if found is None:
        found = next_occurrence(
            rule, calendar, ZoneInfo(user.timezone), quiet, after, not_before_day=not_before
        )
        if memo is not None:
            memo[key] = found
    return found


async def user_calendars(
    session: AsyncSession, users: Collection[User], default_language: str
) -> dict[int, WorkCalendar]:
    """`user_calendar` of each user, with one query for all their vacations.

    Users whose calendars are alike (same country, weekdays and vacations) share one WorkCalendar.
    """
    vacations = await VacationRepository(session).of_users([user.id for user in users])
    shared: dict[tuple[Any, ...], WorkCalendar] = {}
    calendars: dict[int, WorkCalendar] = {}
    for user in users:
        key = (user_country(user, default_language), user.working_weekdays, vacation_days(vacations[user.id]))
        calendar = shared.get(key)
        if calendar is None:
            calendar = shared[key] = calendar_of(user, vacations[user.id], default_language)
        calendars[user.id] = calendar
    return calendars


async def sync_schedules(turn: Turn) -> None:
    """Bring the user's three schedule rows in line with their settings, from `now` on."""
    session, user, now, default_language = turn.session, turn.user, turn.now, turn.default_language
    repository = ScheduleRepository(session)
    existing = await repository.of_user(user.id)
    active = wants_prompts(user)
    calendar = await user_calendar(session, user, default_language) if active else None
    for rule in rules_of(user):
        schedule = existing.get(rule.kind)
        if schedule is None:
            if not active:
                continue
            schedule = PromptSchedule(user_id=user.id, kind=rule.kind.value, active=True, updated_at=now)
            repository.add(schedule)
        schedule.active = active
        schedule.updated_at = now
        if calendar is not None:
            advance(schedule, rule, calendar, user, now)
    await repository.flush()


async def stop_prompts(session: AsyncSession, user_id: int, now: datetime) -> None:
    """No more prompts for this user (blocked the bot) until they come back."""
    await ScheduleRepository(session).stop(user_id, now)
