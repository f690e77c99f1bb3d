"""When the weekly sales meeting happens, and when its pre-meeting prompt and its digest go out.

The manager picks a weekday and a time in the team's zone (default Monday 09:00). The evening before
the meeting (18:00 local, the day before) members are asked for anything to bring; the manager's digest
goes an hour before the meeting starts. Instants are aware UTC datetimes from bot.core.schedule's
`local_due`, and "an hour before" is taken on UTC instants, so all three are right across daylight-saving
changes (a wall time in a spring-forward gap is the first instant after it).

A meeting whose day is off for the team this week (a public holiday on a weekday it normally works)
moves to the next working day of the same ISO week, else to the last working day before it in that
week; a week without a working day has no meeting. A weekday the team does not normally work was chosen
on purpose and never moves (as in bot.core.schedule). The digest covers the seven days before the
meeting's day.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from bot.core.dates.calendar import week_start
from bot.core.schedule import PromptKind, PromptRule, local_due
from bot.core.work_calendar import WorkCalendar

DEFAULT_WEEKDAY = 1  # Monday
DEFAULT_TIME = time(9, 0)
PROMPT_TIME = time(18, 0)
DIGEST_LEAD = timedelta(hours=1)
DIGEST_DAYS = 7
# Enough weeks to get past any run of weeks without a working day (a long holiday, a vacation).
_SCAN_WEEKS = 60
_ONE_DAY = timedelta(days=1)


@dataclass(frozen=True)
class MeetingRule:
    """The meeting's ISO weekday (Monday = 1) and local wall time."""

    weekday: int = DEFAULT_WEEKDAY
    at: time = DEFAULT_TIME
    prompt_at: time = PROMPT_TIME

    def __post_init__(self) -> None:
        # A weekly prompt rule checks the same things: a weekday 1..7 and a wall time without a zone.
        PromptRule(PromptKind.WEEKLY, self.at, self.weekday)
        PromptRule(PromptKind.WEEKLY, self.prompt_at, self.weekday)


@dataclass(frozen=True)
class MeetingSlot:
    day: date  # the meeting's local date
    starts_at: datetime  # UTC
    digest_at: datetime  # UTC, DIGEST_LEAD before the start
    prompt_at: datetime  # UTC, the evening before
    covers: tuple[date, date]  # the digest's days, first and last


def meeting_day(rule: MeetingRule, calendar: WorkCalendar, monday: date) -> date | None:
    """The day of the ISO week starting `monday` the meeting is held on, or None (no working day)."""
    chosen = monday + timedelta(days=rule.weekday - 1)
    if rule.weekday not in calendar.weekdays or calendar.is_working_day(chosen):
        return chosen
    week = [monday + timedelta(days=offset) for offset in range(7)]
    later = [day for day in week if day > chosen and calendar.is_working_day(day)]
    earlier = [day for day in week if day < chosen and calendar.is_working_day(day)]
    if later:
        return later[0]
    return earlier[-1] if earlier else None


def slot(rule: MeetingRule, day: date, zone: ZoneInfo) -> MeetingSlot:
    """The instants of a meeting held on local `day`."""
    starts_at = local_due(day, rule.at, zone)
    return MeetingSlot(
        day=day,
        starts_at=starts_at,
        digest_at=starts_at - DIGEST_LEAD,
        prompt_at=local_due(day - _ONE_DAY, rule.prompt_at, zone),
        covers=(day - timedelta(days=DIGEST_DAYS), day - _ONE_DAY),
    )


def meetings_between(
    rule: MeetingRule, calendar: WorkCalendar, zone: ZoneInfo, first: date, last: date
) -> list[MeetingSlot]:
    """The meetings held on local days from `first` through `last`, in order."""
    slots: list[MeetingSlot] = []
    monday = week_start(first)
    while monday <= last:
        day = meeting_day(rule, calendar, monday)
        if day is not None and first <= day <= last:
            slots.append(slot(rule, day, zone))
        monday += timedelta(weeks=1)
    return slots


def next_meeting(rule: MeetingRule, calendar: WorkCalendar, zone: ZoneInfo, after: datetime) -> MeetingSlot:
    """The first meeting starting strictly after `after` (its prompt or digest may already be due)."""
    if after.tzinfo is None:
        raise ValueError(f"after must be an aware datetime, got {after!r}")
    after = after.astimezone(UTC)
    first = after.astimezone(zone).date()
    for meeting in meetings_between(rule, calendar, zone, first, first + timedelta(weeks=_SCAN_WEEKS)):
        if meeting.starts_at > after:
            return meeting
    raise ValueError(f"no meeting in the {_SCAN_WEEKS} weeks after {first} (no working days?)")
