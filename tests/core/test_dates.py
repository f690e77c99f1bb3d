"""The date package's own API: calendar arithmetic, the direction of a phrase, ranges, day phrases in a line."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from bot.core.dates import (
    DateRange,
    DayPhrase,
    Direction,
    find_day_phrases,
    local_date,
    parse_date_phrase,
    parse_date_range,
    parse_deadline,
)
from bot.core.dates.calendar import (
    add_months,
    month_end,
    nearest_day_of_month,
    nearest_month_day,
    nearest_period,
    nearest_weekday,
    quarter_end,
    quarter_of,
    week_end,
    week_start,
)

WEDNESDAY = date(2026, 11, 25)
FRIDAY = date(2026, 11, 27)
PAST, FUTURE = Direction.PAST, Direction.FUTURE

# --- calendar arithmetic -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("year", "month", "expected"),
    [(2026, 11, date(2026, 11, 30)), (2026, 12, date(2026, 12, 31)), (2027, 2, date(2027, 2, 28)),
     (2028, 2, date(2028, 2, 29))],
)  # fmt: skip
def test_month_end(year: int, month: int, expected: date) -> None:
    assert month_end(year, month) == expected


def test_quarter_end() -> None:
    assert [quarter_of(month) for month in (1, 3, 4, 12)] == [1, 1, 2, 4]
    assert quarter_end(2026, 4) == date(2026, 12, 31)
    assert quarter_end(2027, 1) == date(2027, 3, 31)


@pytest.mark.parametrize(
    ("day", "weeks", "monday"),
    [
        (date(2027, 1, 1), 0, date(2026, 12, 28)),  # a Friday: its week began in the old year
        (date(2027, 1, 3), 0, date(2026, 12, 28)),  # the Sunday closing that week
        (date(2027, 1, 4), 0, date(2027, 1, 4)),  # a Monday is its own week's start
        (date(2026, 12, 31), 1, date(2027, 1, 4)),  # next week, in the new year
        (date(2027, 1, 1), -1, date(2026, 12, 21)),
    ],
)
def test_week_start_across_a_year_boundary(day: date, weeks: int, monday: date) -> None:
    assert week_start(day, weeks) == monday
    assert week_end(day, weeks) == date.fromordinal(monday.toordinal() + 6)


def test_add_months_clamps_to_the_month_end() -> None:
    assert add_months(date(2026, 1, 31), 1) == date(2026, 2, 28)
    assert add_months(date(2026, 12, 15), 2) == date(2027, 2, 15)
    assert add_months(date(2027, 3, 31), -1) == date(2027, 2, 28)


def test_local_date_is_the_date_in_the_zone() -> None:
    moment = datetime(2026, 11, 27, 20, 0, tzinfo=UTC)
    assert local_date("Asia/Shanghai", moment) == date(2026, 11, 28)
    assert local_date("America/New_York", moment) == date(2026, 11, 27)


# --- nearest occurrences -------------------------------------------------------------------------------


def test_nearest_weekday_in_both_directions() -> None:
    assert nearest_weekday(WEDNESDAY, 1, PAST) == date(2026, 11, 23)
    assert nearest_weekday(WEDNESDAY, 1, FUTURE) == date(2026, 11, 30)
    assert nearest_weekday(WEDNESDAY, 3, PAST) == WEDNESDAY == nearest_weekday(WEDNESDAY, 3, FUTURE)


def test_nearest_month_day_and_day_of_month() -> None:
    assert nearest_month_day(date(2027, 1, 5), 12, 31, PAST) == date(2026, 12, 31)
    assert nearest_month_day(date(2027, 1, 5), 12, 31, FUTURE) == date(2027, 12, 31)
    # Looking back reaches a year at most; looking ahead, the next year that has the day.
    assert nearest_month_day(date(2027, 3, 1), 2, 29, PAST) is None
    assert nearest_month_day(date(2027, 3, 1), 2, 29, FUTURE) == date(2028, 2, 29)
    assert nearest_day_of_month(date(2027, 3, 1), 30, PAST) == date(2027, 1, 30)
    assert nearest_day_of_month(date(2027, 3, 1), 30, FUTURE) == date(2027, 3, 30)


def test_nearest_period() -> None:
    def june_end(year: int) -> date:
        return date(year, 6, 30)

    assert nearest_period(FRIDAY, june_end, FUTURE) == date(2027, 6, 30)
    assert nearest_period(FRIDAY, june_end, PAST) == date(2026, 6, 30)
    assert nearest_period(date(2026, 3, 1), june_end, PAST) == date(2025, 6, 30)


# --- phrases with a direction --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "past", "future"),
    [
        ("周一", "2026-11-23", "2026-11-30"),  # on a Wednesday: this Monday back, next Monday ahead
        ("Monday", "2026-11-23", "2026-11-30"),
        ("this Friday", "2026-11-20", "2026-11-27"),
        ("周三", "2026-11-25", "2026-11-25"),  # today, either way
        ("20号", "2026-11-20", "2026-12-20"),
        ("11月30日", "2025-11-30", "2026-11-30"),
        ("christmas", "2025-12-25", "2026-12-25"),
        ("6月底", "2026-06-30", "2027-06-30"),
        # Phrases naming one day relative to today mean it whatever the direction.
        ("上周五", "2026-11-20", "2026-11-20"),
        ("下周一", "2026-11-30", "2026-11-30"),
        ("3天前", "2026-11-22", "2026-11-22"),
        ("in 2 weeks", "2026-12-09", "2026-12-09"),
        ("2026-11-20", "2026-11-20", "2026-11-20"),
    ],
)
def test_a_phrase_resolved_in_each_direction(text: str, past: str, future: str) -> None:
    for lang in ("zh_CN", "en"):
        assert parse_date_phrase(text, today=WEDNESDAY, lang=lang, direction=PAST) == date.fromisoformat(past)
        assert parse_date_phrase(text, today=WEDNESDAY, lang=lang) == date.fromisoformat(future)
        assert parse_deadline(text, today=WEDNESDAY, lang=lang) == date.fromisoformat(future)


def test_vague_phrases_name_no_day_in_either_direction() -> None:
    for direction in Direction:
        assert parse_date_phrase("尽快", today=FRIDAY, lang="zh_CN", direction=direction) is None
        assert parse_date_phrase("", today=FRIDAY, lang="en", direction=direction) is None


# --- ranges --------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("12月24日到28日", DateRange(date(2026, 12, 24), date(2026, 12, 28))),
        ("下周一到下周三", DateRange(date(2026, 11, 30), date(2026, 12, 2))),
        ("2026-12-24 to 2026-12-28", DateRange(date(2026, 12, 24), date(2026, 12, 28))),
        ("明天", DateRange(date(2026, 11, 28), date(2026, 11, 28))),
        # Judging is the caller's: a reversed range is returned as written.
        ("12月28日到12月24日", DateRange(date(2026, 12, 28), date(2026, 12, 24))),
        ("banana", None),
        ("明天 to banana", None),
        ("", None),
    ],
)
def test_date_ranges(text: str, expected: DateRange | None) -> None:
    assert parse_date_range(text, today=FRIDAY, lang="zh_CN") == expected


# --- day phrases in a line -----------------------------------------------------------------------------


def test_day_phrases_in_a_line_look_back() -> None:
    assert find_day_phrases("周一 拜访3次, 昨天 电话2个", today=WEDNESDAY, lang="zh_CN") == [
        DayPhrase(0, 2, "周一", date(2026, 11, 23)),
        DayPhrase(9, 11, "昨天", date(2026, 11, 24)),
    ]


def test_periods_and_durations_are_no_day_phrases() -> None:
    assert find_day_phrases("本月累计60个 this week 3 days", today=FRIDAY, lang="en") == []


def test_an_impossible_date_is_found_but_names_no_day() -> None:
    assert find_day_phrases("2月30日 拜访1次", today=FRIDAY, lang="zh_CN") == [
        DayPhrase(0, 5, "2月30日", None)
    ]
