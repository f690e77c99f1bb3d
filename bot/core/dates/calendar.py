"""Calendar arithmetic on plain dates: month and quarter ends, ISO weeks (Monday first), adding months,
and the nearest occurrence of a recurring day (a weekday, a day of the month, a month and day) looking
forward or back. Nothing here reads text or a clock.
"""

from __future__ import annotations

import calendar
from collections.abc import Callable
from datetime import date, datetime, timedelta
from enum import StrEnum
from zoneinfo import ZoneInfo


class Direction(StrEnum):
    """Which occurrence a phrase naming a recurring day means: a deadline looks ahead, a report back."""

    FUTURE = "future"  # the first one from today on, today included
    PAST = "past"  # the latest one on or before today


def local_date(zone: str, moment: datetime) -> date:
    """The calendar date in the IANA zone `zone` at the aware instant `moment`."""
    return moment.astimezone(ZoneInfo(zone)).date()


def safe_date(year: int, month: int, day: int) -> date | None:
    """The date, or None when it does not exist (February 30, month 13)."""
    try:
        return date(year, month, day)
    except ValueError:
        return None


def month_end(year: int, month: int) -> date:
    return date(year, month, calendar.monthrange(year, month)[1])


def quarter_of(month: int) -> int:
    """The quarter (1-4) a month (1-12) belongs to."""
    return (month - 1) // 3 + 1


def quarter_start(year: int, quarter: int) -> date:
    return date(year, quarter * 3 - 2, 1)


def quarter_end(year: int, quarter: int) -> date:
    return month_end(year, quarter * 3)


def shift_month(day: date, months: int) -> tuple[int, int]:
    """(year, month) of the month `months` after day's month (negative: before)."""
    year, month_index = divmod(day.year * 12 + day.month - 1 + months, 12)
    return year, month_index + 1


def add_months(day: date, months: int) -> date:
    """Same day of the month, months later; clamped to the month's end (Jan 31 + 1 month = Feb 28)."""
    year, month = shift_month(day, months)
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def week_start(day: date, weeks: int = 0) -> date:
    """The Monday of day's ISO week, `weeks` weeks later (negative: earlier)."""
    return day - timedelta(days=day.weekday()) + timedelta(weeks=weeks)


def week_end(day: date, weeks: int = 0) -> date:
    """The Sunday of day's ISO week, `weeks` weeks later (negative: earlier)."""
    return week_start(day, weeks) + timedelta(days=6)


def add_business_days(day: date, count: int) -> date:
    """Count Monday-to-Friday days forward; public holidays are not known here."""
    while count > 0:
        day += timedelta(days=1)
        if day.weekday() < 5:
            count -= 1
    return day


def nearest_weekday(today: date, iso_weekday: int, direction: Direction) -> date:
    """The first such weekday from today on, or the latest on or before today; today included."""
    if direction is Direction.PAST:
        return today - timedelta(days=(today.isoweekday() - iso_weekday) % 7)
    return today + timedelta(days=(iso_weekday - today.isoweekday()) % 7)


def nearest_month_day(today: date, month: int, day: int, direction: Direction) -> date | None:
    """The next occurrence of a month and day, today included, in the first year that has it (Feb 29);
    or the latest on or before today, at most a year back (a report looks back, not to the last leap year).
    """
    if direction is Direction.PAST:
        for year in (today.year, today.year - 1):
            candidate = safe_date(year, month, day)
            if candidate is not None and candidate <= today:
                return candidate
        return None
    for year in range(today.year, today.year + 9):
        candidate = safe_date(year, month, day)
        if candidate is not None and candidate >= today:
            return candidate
    return None


def nearest_day_of_month(today: date, day: int, direction: Direction) -> date | None:
    """The next (or latest) occurrence of a day of the month, today included, in a month that has it."""
    step = -1 if direction is Direction.PAST else 1
    for months in range(13):
        year, month = shift_month(today, step * months)
        candidate = safe_date(year, month, day)
        if candidate is not None and (candidate <= today if step < 0 else candidate >= today):
            return candidate
    return None


def nearest_period(today: date, resolve: Callable[[int], date | None], direction: Direction) -> date | None:
    """A period named without a year (6月底, Q2, 下半年): this year's, unless it is already over (looking
    forward, then next year's) or still to come (looking back, then last year's)."""
    this_year = resolve(today.year)
    if direction is Direction.PAST:
        return this_year if this_year is not None and this_year <= today else resolve(today.year - 1)
    return this_year if this_year is not None and this_year >= today else resolve(today.year + 1)
