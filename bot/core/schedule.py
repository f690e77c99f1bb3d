"""When the scheduled reviews fire: which local days, at which UTC instant, and what to do when late.

Everything here is pure: no clock reads, `now`/`after` are passed in as aware datetimes, and every
instant returned is an aware UTC datetime. Wall times are resolved with the standard library `zoneinfo`
only, so the rules follow the IANA database the process runs with.

Time arithmetic ("30 minutes later") is always done on UTC instants: adding a timedelta to a datetime
carrying a ZoneInfo adds wall-clock time, which is wrong across a daylight-saving change.

Decisions worth knowing:

* DAILY fires on the calendar's working days (make-up Saturdays included, holidays and vacations not).
* WEEKLY fires every ISO week. If the chosen weekday is one the user normally works but this week it is
  off (a public holiday, a vacation), it moves back to the last working day before it in the same ISO
  week; if the week has no working day before it, it stays on the chosen day, because the evaluation
  still happens. A weekday the user does not normally work (a Sunday review for a Monday-to-Friday
  worker) was chosen on purpose and is never moved.
* MONTHLY fires on the month's last working day, or its last calendar day if it has none.
* A wall time in a spring-forward gap becomes the first instant after the gap (02:30 -> 03:00); an
  ambiguous one (fall-back) is its first occurrence.
* Quiet hours push a send to the end of the quiet period; never earlier than the original instant.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from enum import StrEnum
from zoneinfo import ZoneInfo

from bot.core.dates.calendar import month_end, week_start
from bot.core.work_calendar import WorkCalendar

ONE_DAY = timedelta(days=1)
# A late send within this of its due instant is an ordinary scheduler tick, not a catch-up.
ON_TIME_WINDOW = timedelta(minutes=1)
# next_occurrence gives up after this many local days: a year plus a month covers any MONTHLY rule.
SCAN_DAYS = 400
# A day's send instant can land on a later local date (quiet hours push a 23:00 review to 08:00 the next
# morning), so up to two days before `after` may still be pending; older days cannot be.
_LOOKBACK = timedelta(days=2)
# next_occurrence computes occurrences a window at a time, so a daily rule does not compute 400 days.
_SCAN_WINDOW_DAYS = 35


def _require_naive_time(name: str, value: time) -> None:
    # A wall time means "whatever the user's zone says"; an attached zone would silently be ignored.
    if value.tzinfo is not None:
        raise ValueError(f"{name} must be a local wall time without tzinfo, got {value!r}")


def _require_aware(name: str, value: datetime) -> None:
    if value.tzinfo is None or value.utcoffset() is None:
        raise ValueError(f"{name} must be an aware datetime, got {value!r}")


class PromptKind(StrEnum):
    DAILY = "daily"
    WEEKLY = "weekly"
    MONTHLY = "monthly"


@dataclass(frozen=True)
class PromptRule:
    """A scheduled review: its kind, its local wall time and, for WEEKLY, its ISO weekday (Friday = 5)."""

    kind: PromptKind
    at: time
    weekday: int | None = None

    def __post_init__(self) -> None:
        # Rows from the database carry the kind as a plain string.
        object.__setattr__(self, "kind", PromptKind(self.kind))
        _require_naive_time("at", self.at)
        if self.kind is PromptKind.WEEKLY:
            if self.weekday is None or not 1 <= self.weekday <= 7:
                raise ValueError(f"a weekly rule needs an ISO weekday 1..7, got {self.weekday!r}")
        elif self.weekday is not None:
            raise ValueError(f"only a weekly rule has a weekday, got {self.weekday!r} for {self.kind}")


@dataclass(frozen=True)
class QuietHours:
    """Local wall times between which nothing is sent: start inclusive, end exclusive; start == end: none."""

    start: time
    end: time

    def __post_init__(self) -> None:
        _require_naive_time("start", self.start)
        _require_naive_time("end", self.end)

    @property
    def crosses_midnight(self) -> bool:
        return self.start > self.end

    def contains(self, wall: time) -> bool:
        """Whether the local wall time `wall` is inside the quiet hours."""
        if self.start == self.end:
            return False
        if self.crosses_midnight:
            return wall >= self.start or wall < self.end
        return self.start <= wall < self.end


class Lateness(StrEnum):
    ON_TIME = "on_time"
    CATCH_UP = "catch_up"
    MISSED = "missed"


class Snooze(StrEnum):
    THIRTY_MINUTES = "30m"
    TWO_HOURS = "2h"
    MORNING = "morning"


_SNOOZE_DELAYS = {Snooze.THIRTY_MINUTES: timedelta(minutes=30), Snooze.TWO_HOURS: timedelta(hours=2)}


# --- which local days ----------------------------------------------------------------------------------


def _weekly_day(weekday: int, calendar: WorkCalendar, monday: date) -> date:
    """The day of the ISO week starting `monday` on which a weekly rule on `weekday` fires."""
    chosen = monday + timedelta(days=weekday - 1)
    if weekday not in calendar.weekdays or calendar.is_working_day(chosen):
        return chosen
    day = chosen - ONE_DAY
    while day >= monday:
        if calendar.is_working_day(day):
            return day
        day -= ONE_DAY
    return chosen


def _monthly_day(calendar: WorkCalendar, year: int, month: int) -> date:
    """The last working day of the month, or its last calendar day if it has none."""
    last = month_end(year, month)
    day = last
    while day.month == month:
        if calendar.is_working_day(day):
            return day
        day -= ONE_DAY
    return last


def occurrence_dates(rule: PromptRule, calendar: WorkCalendar, after: date, until: date) -> list[date]:
    """Local dates d with after < d <= until on which `rule` fires, ascending."""
    first = after + ONE_DAY
    if first > until:
        return []
    if rule.kind is PromptKind.DAILY:
        return calendar.working_days(first, until)
    days: list[date] = []
    if rule.kind is PromptKind.WEEKLY:
        assert rule.weekday is not None  # PromptRule guarantees it; this tells mypy
        # A week's day can move back, so weeks whose chosen day lies past `until` may still count.
        monday = week_start(first)
        while monday <= until:
            day = _weekly_day(rule.weekday, calendar, monday)
            if first <= day <= until:
                days.append(day)
            monday += timedelta(weeks=1)
        return days
    year, month = first.year, first.month
    while date(year, month, 1) <= until:
        day = _monthly_day(calendar, year, month)
        if first <= day <= until:
            days.append(day)
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return days


# --- which instants ------------------------------------------------------------------------------------


def _offset_changed_by(zone: ZoneInfo, offset: timedelta | None, instant: datetime) -> bool:
    return instant.astimezone(zone).utcoffset() != offset


def _end_of_gap(wall: datetime, zone: ZoneInfo) -> datetime:
    """The UTC instant a spring-forward gap containing the naive wall time `wall` ends (its transition).

    zoneinfo does not expose transitions; but read with the offset after the change (fold=1) the wall
    time lands before the transition, read with the offset before it (fold=0) after it, so a binary
    search on whole seconds (transitions are on whole seconds) between the two finds it.
    """
    before_offset = wall.replace(tzinfo=zone, fold=0).utcoffset()
    low = int(wall.replace(tzinfo=zone, fold=1).timestamp()) - 1
    high = int(wall.replace(tzinfo=zone, fold=0).timestamp()) + 1
    while high - low > 1:
        middle = (low + high) // 2
        if _offset_changed_by(zone, before_offset, datetime.fromtimestamp(middle, UTC)):
            high = middle
        else:
            low = middle
    return datetime.fromtimestamp(high, UTC)


def _wall_to_utc(day: date, at: time, zone: ZoneInfo, *, fold: int) -> datetime:
    """The UTC instant of wall time `at` on `day` in `zone`; `fold` picks the occurrence if ambiguous."""
    wall = datetime.combine(day, at.replace(tzinfo=None, fold=0))
    instant = wall.replace(tzinfo=zone, fold=fold).astimezone(UTC)
    if instant.astimezone(zone).replace(tzinfo=None, fold=0) != wall:
        # The wall time does not round-trip: it is in a spring-forward gap and never shows on a clock.
        return _end_of_gap(wall, zone)
    return instant


def local_due(day: date, at: time, zone: ZoneInfo) -> datetime:
    """The UTC instant of wall time `at` on `day` in `zone`.

    A time in a spring-forward gap becomes the first instant after the gap; an ambiguous time (fall-back)
    its first occurrence.
    """
    _require_naive_time("at", at)
    return _wall_to_utc(day, at, zone, fold=0)


def apply_quiet_hours(due: datetime, quiet: QuietHours, zone: ZoneInfo) -> datetime:
    """`due` in UTC, or the end of the quiet period it falls in (local time in `zone`)."""
    _require_aware("due", due)
    due = due.astimezone(UTC)
    local = due.astimezone(zone)
    wall = local.time()
    if not quiet.contains(wall):
        return due
    # In a window crossing midnight, a time after its start belongs to the night ending tomorrow.
    end_day = local.date() + ONE_DAY if quiet.crosses_midnight and wall >= quiet.start else local.date()
    end = _wall_to_utc(end_day, quiet.end, zone, fold=0)
    if end <= due:
        # `due` is in the repeated hour of a fall-back and the end is too: take the end's second pass.
        end = _wall_to_utc(end_day, quiet.end, zone, fold=1)
    return end


def _send_instant(rule: PromptRule, day: date, zone: ZoneInfo, quiet: QuietHours) -> datetime:
    return apply_quiet_hours(local_due(day, rule.at, zone), quiet, zone)


def _occurrences_from(rule: PromptRule, calendar: WorkCalendar, first: date, last: date) -> Iterator[date]:
    """occurrence_dates from `first` to `last` (both included), computed a window at a time."""
    start = first
    while start <= last:
        end = min(start + timedelta(days=_SCAN_WINDOW_DAYS - 1), last)
        yield from occurrence_dates(rule, calendar, start - ONE_DAY, end)
        start = end + ONE_DAY


def next_occurrence(
    rule: PromptRule,
    calendar: WorkCalendar,
    zone: ZoneInfo,
    quiet: QuietHours,
    after: datetime,
    not_before_day: date | None = None,
) -> tuple[date, datetime]:
    """The earliest occurrence sent strictly after `after`: (its local day, its UTC send instant).

    `not_before_day` is the day after the last served occurrence's day: days before it were served and
    are skipped, even if the user has since moved to a zone where their instant is still ahead (Shanghai
    to Berlin on a Wednesday must not send Wednesday again). Given it, days up to two before `after`'s
    local date are considered too (a review pushed past midnight by quiet hours still goes); without it,
    the scan starts on `after`'s local date. Scans SCAN_DAYS days; ValueError if the rule never fires.
    """
    _require_aware("after", after)
    after_day = after.astimezone(zone).date()
    first = after_day if not_before_day is None else max(not_before_day, after_day - _LOOKBACK)
    last = after_day + timedelta(days=SCAN_DAYS)
    for day in _occurrences_from(rule, calendar, first, last):
        instant = _send_instant(rule, day, zone, quiet)
        if instant > after:
            return day, instant
    raise ValueError(f"{rule} has no occurrence between {first} and {last} (no working days?)")


# --- when late, reminders, snoozes ---------------------------------------------------------------------


def classify(due: datetime, now: datetime, grace: timedelta) -> Lateness:
    """How late a due prompt is: ON_TIME under a minute, CATCH_UP under `grace`, MISSED from `grace` on.

    ValueError if it is not due yet (callers only classify due rows) or if `grace` is shorter than the
    one-minute on-time window (a normal tick would then count as missed).
    """
    _require_aware("due", due)
    _require_aware("now", now)
    if grace < ON_TIME_WINDOW:
        raise ValueError(f"grace must be at least {ON_TIME_WINDOW}, got {grace}")
    if now < due:
        raise ValueError(f"not due yet: due {due.isoformat()}, now {now.isoformat()}")
    lateness = now - due
    if lateness < ON_TIME_WINDOW:
        return Lateness.ON_TIME
    if lateness < grace:
        return Lateness.CATCH_UP
    return Lateness.MISSED


def review_day_end(day: date, quiet: QuietHours, zone: ZoneInfo) -> datetime:
    """The `day_end` for reminder_at about a review of local `day`: when that day's night begins.

    That is the quiet-hours start on `day` when the quiet hours cross midnight (22:00-08:00), otherwise
    (none, or a daytime window such as 13:00-14:00) the local midnight ending `day`.
    """
    if quiet.crosses_midnight:
        return local_due(day, quiet.start, zone)
    return local_due(day + ONE_DAY, time(0), zone)


def reminder_at(
    sent_at: datetime,
    delay: timedelta,
    quiet: QuietHours,
    zone: ZoneInfo,
    day_end: datetime | None = None,
) -> datetime | None:
    """When a gentle reminder may go: `delay` after `sent_at`, out of quiet hours; None if past `day_end`."""
    _require_aware("sent_at", sent_at)
    if delay < timedelta(0):
        raise ValueError(f"delay must not be negative, got {delay}")
    if day_end is not None:
        _require_aware("day_end", day_end)
    candidate = apply_quiet_hours(sent_at.astimezone(UTC) + delay, quiet, zone)
    if day_end is not None and candidate > day_end:
        return None
    return candidate


def snooze_until(
    kind: str, now: datetime, quiet: QuietHours, zone: ZoneInfo, morning: time = time(9, 0)
) -> datetime:
    """When a snoozed prompt comes back: "30m", "2h", or "morning" (the next local `morning` strictly after
    now); moved out of quiet hours. ValueError for another kind.
    """
    _require_aware("now", now)
    choice = Snooze(kind)
    now = now.astimezone(UTC)
    if choice is Snooze.MORNING:
        today = now.astimezone(zone).date()
        back = local_due(today, morning, zone)
        if back <= now:
            back = local_due(today + ONE_DAY, morning, zone)
    else:
        back = now + _SNOOZE_DELAYS[choice]
    return apply_quiet_hours(back, quiet, zone)
