"""Schedule math of the scheduled reviews: days, DST-safe instants, quiet hours, lateness, snoozes."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import holidays
import pytest

from bot.core.schedule import (
    SCAN_DAYS,
    Lateness,
    PromptKind,
    PromptRule,
    QuietHours,
    Snooze,
    apply_quiet_hours,
    classify,
    local_due,
    next_occurrence,
    occurrence_dates,
    reminder_at,
    review_day_end,
    snooze_until,
)
from bot.core.work_calendar import MONDAY_TO_FRIDAY, WorkCalendar
from tests.auxil.quiet_hours import NO_QUIET_HOURS

NEW_YORK = ZoneInfo("America/New_York")
SHANGHAI = ZoneInfo("Asia/Shanghai")
BERLIN = ZoneInfo("Europe/Berlin")

CN = WorkCalendar("CN", MONDAY_TO_FRIDAY)
US = WorkCalendar("US", MONDAY_TO_FRIDAY)
NO_HOLIDAYS = WorkCalendar(None, MONDAY_TO_FRIDAY)
EVERY_DAY = WorkCalendar(None, frozenset(range(1, 8)))
NEVER = WorkCalendar(None, frozenset())

NIGHT = QuietHours(time(22), time(8))
LUNCH = QuietHours(time(13), time(14))

DAILY_18 = PromptRule(PromptKind.DAILY, time(18))
WEEKLY_FRIDAY_17 = PromptRule(PromptKind.WEEKLY, time(17), weekday=5)
MONTHLY_18 = PromptRule(PromptKind.MONTHLY, time(18))


def utc(year: int, month: int, day: int, hour: int = 0, minute: int = 0, second: int = 0) -> datetime:
    return datetime(year, month, day, hour, minute, second, tzinfo=UTC)


def wall(zone: ZoneInfo, year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> datetime:
    """An unambiguous local time as an aware UTC instant."""
    return datetime(year, month, day, hour, minute, tzinfo=zone).astimezone(UTC)


def _every_day(start: date, end: date) -> list[date]:
    return [start + timedelta(days=offset) for offset in range((end - start).days + 1)]


# --- PromptRule and QuietHours ----------------------------------------------------------------------------


def test_rule_kind_given_as_text_becomes_the_enum() -> None:
    rule = PromptRule("weekly", time(17), weekday=5)  # type: ignore[arg-type]  # as a database row has it
    assert rule.kind is PromptKind.WEEKLY
    assert rule == WEEKLY_FRIDAY_17


@pytest.mark.parametrize(
    ("kind", "at", "weekday"),
    [
        (PromptKind.WEEKLY, time(17), None),
        (PromptKind.WEEKLY, time(17), 0),
        (PromptKind.WEEKLY, time(17), 8),
        (PromptKind.DAILY, time(18), 5),
        (PromptKind.MONTHLY, time(18), 1),
        (PromptKind.DAILY, time(18, tzinfo=UTC), None),
        ("hourly", time(18), None),
    ],
)
def test_invalid_rules_are_refused(kind: PromptKind, at: time, weekday: int | None) -> None:
    with pytest.raises(ValueError):
        PromptRule(kind, at, weekday)


def test_quiet_hours_refuse_times_with_a_zone() -> None:
    with pytest.raises(ValueError):
        QuietHours(time(22, tzinfo=UTC), time(8))
    with pytest.raises(ValueError):
        QuietHours(time(22), time(8, tzinfo=UTC))


@pytest.mark.parametrize(
    ("quiet", "at", "inside"),
    [
        (NIGHT, time(21, 59, 59, 999999), False),
        (NIGHT, time(22), True),
        (NIGHT, time(23), True),
        (NIGHT, time(0), True),
        (NIGHT, time(7, 59, 59), True),
        (NIGHT, time(8), False),
        (NIGHT, time(12), False),
        (LUNCH, time(12, 59), False),
        (LUNCH, time(13), True),
        (LUNCH, time(13, 59, 59), True),
        (LUNCH, time(14), False),
        (LUNCH, time(23), False),
        (QuietHours(time(8), time(8)), time(8), False),
        (QuietHours(time(8), time(8)), time(3), False),
        (NO_QUIET_HOURS, time(0), False),
        (NO_QUIET_HOURS, time(23, 59), False),
    ],
)
def test_quiet_hours_contain_start_but_not_end(quiet: QuietHours, at: time, inside: bool) -> None:
    assert quiet.contains(at) is inside


@pytest.mark.parametrize(("quiet", "crosses"), [(NIGHT, True), (LUNCH, False), (NO_QUIET_HOURS, False)])
def test_quiet_hours_crossing_midnight(quiet: QuietHours, crosses: bool) -> None:
    assert quiet.crosses_midnight is crosses


# --- occurrence_dates: DAILY ------------------------------------------------------------------------------


def test_china_2026_make_up_saturday_is_listed_by_the_package() -> None:
    # The test below relies on it; if a holidays release drops it, this says why that one fails.
    assert date(2026, 10, 10) in holidays.country_holidays("CN", years=2026).weekend_workdays


def test_daily_in_china_skips_national_day_and_counts_the_make_up_saturday() -> None:
    days = occurrence_dates(DAILY_18, CN, date(2026, 9, 25), date(2026, 10, 12))
    assert days == [
        date(2026, 9, 28),
        date(2026, 9, 29),
        date(2026, 9, 30),
        date(2026, 10, 8),
        date(2026, 10, 9),
        date(2026, 10, 10),  # Saturday, an official make-up working day
        date(2026, 10, 12),
    ]
    assert not set(_every_day(date(2026, 10, 1), date(2026, 10, 7))) & set(days)


def test_daily_in_china_counts_the_make_up_sunday_before_national_day() -> None:
    assert occurrence_dates(DAILY_18, CN, date(2026, 9, 18), date(2026, 9, 21)) == [
        date(2026, 9, 20),  # Sunday, made a working day
        date(2026, 9, 21),
    ]


def test_daily_skips_weekends_and_excludes_after_but_includes_until() -> None:
    days = occurrence_dates(DAILY_18, NO_HOLIDAYS, date(2026, 11, 26), date(2026, 12, 1))
    assert days == [date(2026, 11, 27), date(2026, 11, 30), date(2026, 12, 1)]


def test_daily_skips_vacations() -> None:
    calendar = WorkCalendar(None, MONDAY_TO_FRIDAY, vacations=frozenset({date(2026, 12, 1)}))
    days = occurrence_dates(DAILY_18, calendar, date(2026, 11, 29), date(2026, 12, 2))
    assert days == [date(2026, 11, 30), date(2026, 12, 2)]


@pytest.mark.parametrize("rule", [DAILY_18, WEEKLY_FRIDAY_17, MONTHLY_18])
@pytest.mark.parametrize(
    ("after", "until"), [(date(2026, 11, 27), date(2026, 11, 27)), (date(2026, 11, 30), date(2026, 11, 1))]
)
def test_empty_range_has_no_occurrences(rule: PromptRule, after: date, until: date) -> None:
    assert occurrence_dates(rule, EVERY_DAY, after, until) == []


# --- occurrence_dates: WEEKLY -----------------------------------------------------------------------------


def test_weekly_friday_in_ordinary_weeks() -> None:
    days = occurrence_dates(WEEKLY_FRIDAY_17, NO_HOLIDAYS, date(2026, 11, 1), date(2026, 11, 30))
    assert days == [date(2026, 11, 6), date(2026, 11, 13), date(2026, 11, 20), date(2026, 11, 27)]


@pytest.mark.parametrize(
    ("rule", "calendar", "week_monday", "expected", "why"),
    [
        (WEEKLY_FRIDAY_17, CN, date(2026, 11, 23), date(2026, 11, 27), "an ordinary week"),
        (WEEKLY_FRIDAY_17, CN, date(2026, 9, 28), date(2026, 9, 30), "Friday is National Day: back to Wed"),
        (WEEKLY_FRIDAY_17, CN, date(2026, 2, 16), date(2026, 2, 20), "Spring Festival: no working day, kept"),
        (WEEKLY_FRIDAY_17, US, date(2026, 12, 21), date(2026, 12, 24), "Christmas Friday: back to Thursday"),
        (
            PromptRule(PromptKind.WEEKLY, time(9), weekday=1),
            CN,
            date(2026, 10, 5),
            date(2026, 10, 5),
            "Monday holiday, nothing before it in the week: kept",
        ),
        (
            PromptRule(PromptKind.WEEKLY, time(9), weekday=3),
            CN,
            date(2026, 9, 28),
            date(2026, 9, 30),
            "Wednesday is a working day even in National Day week",
        ),
        (
            PromptRule(PromptKind.WEEKLY, time(20), weekday=7),
            NO_HOLIDAYS,
            date(2026, 11, 23),
            date(2026, 11, 29),
            "Sunday chosen by a Monday-to-Friday worker: on purpose, not moved",
        ),
        (
            PromptRule(PromptKind.WEEKLY, time(20), weekday=6),
            CN,
            date(2026, 10, 5),
            date(2026, 10, 10),
            "Saturday chosen; it happens to be a make-up working day",
        ),
        (
            WEEKLY_FRIDAY_17,
            WorkCalendar(None, MONDAY_TO_FRIDAY, vacations=frozenset({date(2026, 11, 27)})),
            date(2026, 11, 23),
            date(2026, 11, 26),
            "vacation on Friday: back to Thursday",
        ),
        (
            WEEKLY_FRIDAY_17,
            WorkCalendar(
                None,
                MONDAY_TO_FRIDAY,
                vacations=frozenset(_every_day(date(2026, 11, 23), date(2026, 11, 27))),
            ),
            date(2026, 11, 23),
            date(2026, 11, 27),
            "vacation all week: the evaluation still happens on Friday",
        ),
        (
            WEEKLY_FRIDAY_17,
            WorkCalendar(
                None, MONDAY_TO_FRIDAY, vacations=frozenset({date(2026, 11, 26), date(2026, 11, 27)})
            ),
            date(2026, 11, 23),
            date(2026, 11, 25),
            "vacation Thursday and Friday: back to Wednesday",
        ),
        (WEEKLY_FRIDAY_17, NEVER, date(2026, 11, 23), date(2026, 11, 27), "no working weekdays at all: kept"),
    ],
)
def test_weekly_day_of_one_week(
    rule: PromptRule, calendar: WorkCalendar, week_monday: date, expected: date, why: str
) -> None:
    sunday = week_monday + timedelta(days=6)
    assert occurrence_dates(rule, calendar, week_monday - timedelta(days=1), sunday) == [expected], why


def test_weekly_day_moved_back_counts_when_until_is_before_the_chosen_day() -> None:
    # National Day week: Friday 10-02 moves to Wednesday 09-30, inside (09-29, 09-30].
    assert occurrence_dates(WEEKLY_FRIDAY_17, CN, date(2026, 9, 29), date(2026, 9, 30)) == [date(2026, 9, 30)]


def test_weekly_day_moved_back_before_after_is_not_repeated() -> None:
    # 09-30 was that week's evaluation; asking from 09-30 on must not give Friday 10-02 as well.
    assert occurrence_dates(WEEKLY_FRIDAY_17, CN, date(2026, 9, 30), date(2026, 10, 4)) == []


def test_weekly_happens_exactly_once_every_iso_week_of_two_years() -> None:
    days = occurrence_dates(WEEKLY_FRIDAY_17, CN, date(2025, 12, 28), date(2027, 12, 26))
    weeks = [day.isocalendar()[:2] for day in days]
    assert len(weeks) == len(set(weeks)) == 104
    assert all(day.isoweekday() <= 5 for day in days)


# --- occurrence_dates: MONTHLY ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("calendar", "year", "month", "expected", "why"),
    [
        (CN, 2026, 9, date(2026, 9, 30), "a Wednesday"),
        (CN, 2026, 12, date(2026, 12, 31), "a Thursday"),
        (CN, 2026, 10, date(2026, 10, 30), "the 31st is a Saturday"),
        (CN, 2026, 2, date(2026, 2, 28), "a make-up Saturday after the Spring Festival"),
        (NO_HOLIDAYS, 2027, 1, date(2027, 1, 29), "the 30th and 31st are a weekend"),
        (NO_HOLIDAYS, 2026, 12, date(2026, 12, 31), "no country: Dec 31 is a working day"),
        (US, 2026, 12, date(2026, 12, 31), "Christmas is not the month's end"),
        (EVERY_DAY, 2027, 1, date(2027, 1, 31), "a seven-day week: the last day"),
        (NEVER, 2027, 2, date(2027, 2, 28), "no working day at all: the last calendar day"),
        (
            WorkCalendar(
                None, MONDAY_TO_FRIDAY, vacations=frozenset(_every_day(date(2027, 2, 1), date(2027, 2, 28)))
            ),
            2027,
            2,
            date(2027, 2, 28),
            "on vacation all month: the last calendar day",
        ),
        (
            WorkCalendar(None, MONDAY_TO_FRIDAY, vacations=frozenset({date(2027, 1, 28), date(2027, 1, 29)})),
            2027,
            1,
            date(2027, 1, 27),
            "vacation on the last two working days",
        ),
    ],
)
def test_monthly_on_the_last_working_day(
    calendar: WorkCalendar, year: int, month: int, expected: date, why: str
) -> None:
    before = date(year, month, 1) - timedelta(days=1)
    month_end = date(year + month // 12, month % 12 + 1, 1) - timedelta(days=1)
    assert occurrence_dates(MONTHLY_18, calendar, before, month_end) == [expected], why


def test_monthly_every_month_of_2026_in_china() -> None:
    days = occurrence_dates(MONTHLY_18, CN, date(2025, 12, 31), date(2026, 12, 31))
    assert [day.month for day in days] == list(range(1, 13))
    assert all(CN.is_working_day(day) for day in days)
    for day in days:
        month_end = date(day.year + day.month // 12, day.month % 12 + 1, 1) - timedelta(days=1)
        assert CN.working_days(day + timedelta(days=1), month_end) == [], day


@pytest.mark.parametrize("rule", [DAILY_18, WEEKLY_FRIDAY_17, MONTHLY_18])
@pytest.mark.parametrize("calendar", [CN, US, NO_HOLIDAYS])
@pytest.mark.parametrize("window_days", [1, 3, 7, 10, 31])
def test_occurrences_split_into_windows_equal_one_range(
    rule: PromptRule, calendar: WorkCalendar, window_days: int
) -> None:
    start, end = date(2026, 1, 1), date(2027, 1, 10)
    whole = occurrence_dates(rule, calendar, start, end)
    pieces: list[date] = []
    after = start
    while after < end:
        until = min(after + timedelta(days=window_days), end)
        pieces += occurrence_dates(rule, calendar, after, until)
        after = until
    assert pieces == whole


# --- local_due ------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("zone", "day", "at", "expected", "why"),
    [
        (NEW_YORK, date(2026, 7, 1), time(18), utc(2026, 7, 1, 22), "summer time, UTC-4"),
        (NEW_YORK, date(2026, 12, 1), time(18), utc(2026, 12, 1, 23), "winter time, UTC-5"),
        (SHANGHAI, date(2026, 11, 25), time(18), utc(2026, 11, 25, 10), "no DST, UTC+8"),
        (SHANGHAI, date(2026, 11, 25), time(0, 30), utc(2026, 11, 24, 16, 30), "UTC date is the day before"),
        (NEW_YORK, date(2027, 3, 14), time(1, 59), utc(2027, 3, 14, 6, 59), "just before the gap"),
        (NEW_YORK, date(2027, 3, 14), time(2, 0), utc(2027, 3, 14, 7), "gap start -> 03:00 EDT"),
        (NEW_YORK, date(2027, 3, 14), time(2, 30), utc(2027, 3, 14, 7), "inside the gap -> 03:00 EDT"),
        (NEW_YORK, date(2027, 3, 14), time(2, 59, 59), utc(2027, 3, 14, 7), "gap's last second"),
        (NEW_YORK, date(2027, 3, 14), time(3, 0), utc(2027, 3, 14, 7), "03:00 EDT itself"),
        (NEW_YORK, date(2027, 3, 14), time(3, 1), utc(2027, 3, 14, 7, 1), "after the gap"),
        (NEW_YORK, date(2026, 11, 1), time(0, 59), utc(2026, 11, 1, 4, 59), "before the repeated hour"),
        (NEW_YORK, date(2026, 11, 1), time(1, 0), utc(2026, 11, 1, 5), "repeated hour: the first one"),
        (NEW_YORK, date(2026, 11, 1), time(1, 30), utc(2026, 11, 1, 5, 30), "01:30 EDT, not 01:30 EST"),
        (NEW_YORK, date(2026, 11, 1), time(1, 59), utc(2026, 11, 1, 5, 59), "repeated hour: the first one"),
        (NEW_YORK, date(2026, 11, 1), time(2, 0), utc(2026, 11, 1, 7), "after the repeated hour, EST"),
        (BERLIN, date(2027, 3, 28), time(2, 30), utc(2027, 3, 28, 1), "Berlin gap -> 03:00 CEST"),
        (BERLIN, date(2026, 10, 25), time(2, 30), utc(2026, 10, 25, 0, 30), "Berlin fall-back: CEST one"),
        (
            ZoneInfo("Australia/Sydney"),
            date(2027, 4, 4),
            time(2, 30),
            utc(2027, 4, 3, 15, 30),
            "southern fall-back: the AEDT one",
        ),
        (
            ZoneInfo("Australia/Lord_Howe"),
            date(2026, 10, 4),
            time(2, 15),
            utc(2026, 10, 3, 15, 30),
            "a half-hour gap: 02:00-02:30 -> 02:30",
        ),
        (
            ZoneInfo("Pacific/Apia"),
            date(2011, 12, 30),
            time(18),
            utc(2011, 12, 30, 10),
            "Samoa skipped the whole day: the first instant of Dec 31",
        ),
    ],
)
def test_local_due(zone: ZoneInfo, day: date, at: time, expected: datetime, why: str) -> None:
    due = local_due(day, at, zone)
    assert due == expected, why
    assert due.tzinfo is UTC


def test_local_due_refuses_a_time_with_a_zone() -> None:
    with pytest.raises(ValueError):
        local_due(date(2026, 11, 25), time(18, tzinfo=UTC), SHANGHAI)


@pytest.mark.parametrize(
    "zone_name", ["America/New_York", "Europe/Berlin", "Australia/Sydney", "Asia/Shanghai"]
)
def test_local_due_shows_the_wall_time_every_day_of_a_year(zone_name: str) -> None:
    zone = ZoneInfo(zone_name)
    for day in _every_day(date(2026, 6, 1), date(2027, 5, 31)):
        for at in (time(0), time(8, 15), time(18), time(23, 59)):
            local = local_due(day, at, zone).astimezone(zone)
            assert (local.date(), local.time()) == (day, at), (zone_name, day, at)


# --- apply_quiet_hours ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("quiet", "local_hour_minute", "expected_local", "why"),
    [
        (NIGHT, (23, 0), datetime(2026, 11, 26, 8), "evening in quiet hours -> 08:00 the next day"),
        (NIGHT, (22, 0), datetime(2026, 11, 26, 8), "start is inclusive"),
        (NIGHT, (0, 0), datetime(2026, 11, 25, 8), "after midnight -> 08:00 the same day"),
        (NIGHT, (7, 0), datetime(2026, 11, 25, 8), "early morning -> 08:00 the same day"),
        (NIGHT, (7, 59), datetime(2026, 11, 25, 8), "a minute before the end"),
        (NIGHT, (8, 0), datetime(2026, 11, 25, 8), "end is exclusive: unchanged"),
        (NIGHT, (21, 59), datetime(2026, 11, 25, 21, 59), "a minute before the start: unchanged"),
        (NIGHT, (18, 0), datetime(2026, 11, 25, 18), "daytime: unchanged"),
        (LUNCH, (13, 0), datetime(2026, 11, 25, 14), "not crossing midnight, start"),
        (LUNCH, (13, 59), datetime(2026, 11, 25, 14), "not crossing midnight, inside"),
        (LUNCH, (14, 0), datetime(2026, 11, 25, 14), "not crossing midnight, end: unchanged"),
        (LUNCH, (12, 59), datetime(2026, 11, 25, 12, 59), "before: unchanged"),
        (LUNCH, (23, 0), datetime(2026, 11, 25, 23), "night, outside a lunch window: unchanged"),
        (QuietHours(time(8), time(8)), (8, 0), datetime(2026, 11, 25, 8), "start == end: none"),
        (QuietHours(time(8), time(8)), (3, 0), datetime(2026, 11, 25, 3), "start == end: none"),
        (QuietHours(time(23, 30), time(0, 30)), (23, 45), datetime(2026, 11, 26, 0, 30), "short night"),
        (QuietHours(time(0, 30), time(6)), (3, 0), datetime(2026, 11, 25, 6), "after-midnight window"),
    ],
)
def test_apply_quiet_hours(
    quiet: QuietHours, local_hour_minute: tuple[int, int], expected_local: datetime, why: str
) -> None:
    hour, minute = local_hour_minute
    due = wall(SHANGHAI, 2026, 11, 25, hour, minute)
    moved = apply_quiet_hours(due, quiet, SHANGHAI)
    assert moved == expected_local.replace(tzinfo=SHANGHAI).astimezone(UTC), why
    assert moved.tzinfo is UTC


def test_quiet_hours_seconds_count() -> None:
    just_before = datetime(2026, 11, 25, 21, 59, 59, 999999, tzinfo=SHANGHAI)
    assert apply_quiet_hours(just_before, NIGHT, SHANGHAI) == just_before
    assert apply_quiet_hours(just_before + timedelta(microseconds=1), NIGHT, SHANGHAI) == wall(
        SHANGHAI, 2026, 11, 26, 8
    )


def test_quiet_hours_accept_due_in_any_zone_and_answer_in_utc() -> None:
    due = datetime(2026, 11, 25, 16, 0, tzinfo=BERLIN)  # 23:00 in Shanghai
    moved = apply_quiet_hours(due, NIGHT, SHANGHAI)
    assert moved == wall(SHANGHAI, 2026, 11, 26, 8)
    assert moved.tzinfo is UTC


def test_quiet_hours_end_in_a_spring_forward_gap_is_the_gap_end() -> None:
    quiet = QuietHours(time(22), time(2, 30))
    due = wall(NEW_YORK, 2027, 3, 13, 23)
    assert apply_quiet_hours(due, quiet, NEW_YORK) == utc(2027, 3, 14, 7)  # 03:00 EDT


@pytest.mark.parametrize(
    ("due", "expected", "why"),
    [
        (utc(2026, 11, 1, 5, 10), utc(2026, 11, 1, 5, 30), "01:10 EDT -> 01:30 EDT"),
        (
            utc(2026, 11, 1, 6, 10),
            utc(2026, 11, 1, 6, 30),
            "01:10 EST (repeated hour) -> 01:30 EST, not back",
        ),
        (utc(2026, 11, 1, 5, 40), utc(2026, 11, 1, 5, 40), "01:40 EDT: outside"),
        (utc(2026, 11, 1, 6, 40), utc(2026, 11, 1, 6, 40), "01:40 EST: outside"),
    ],
)
def test_quiet_hours_in_the_fall_back_hour_never_move_earlier(
    due: datetime, expected: datetime, why: str
) -> None:
    quiet = QuietHours(time(0), time(1, 30))
    moved = apply_quiet_hours(due, quiet, NEW_YORK)
    assert moved == expected, why
    assert moved >= due


def test_quiet_hours_refuse_a_naive_due() -> None:
    with pytest.raises(ValueError):
        apply_quiet_hours(datetime(2026, 11, 25, 23), NIGHT, SHANGHAI)


# --- next_occurrence: daylight saving ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        (date(2026, 10, 29), utc(2026, 10, 29, 22)),
        (date(2026, 10, 30), utc(2026, 10, 30, 22)),
        (date(2026, 10, 31), utc(2026, 10, 31, 22)),
        (date(2026, 11, 1), utc(2026, 11, 1, 23)),  # DST ended at 02:00 that morning
        (date(2026, 11, 2), utc(2026, 11, 2, 23)),
        (date(2026, 11, 3), utc(2026, 11, 3, 23)),
        (date(2027, 3, 12), utc(2027, 3, 12, 23)),
        (date(2027, 3, 13), utc(2027, 3, 13, 23)),
        (date(2027, 3, 14), utc(2027, 3, 14, 22)),  # DST started at 02:00 that morning
        (date(2027, 3, 15), utc(2027, 3, 15, 22)),
        (date(2027, 3, 16), utc(2027, 3, 16, 22)),
    ],
)
def test_new_york_daily_review_stays_at_18_local_across_dst(day: date, expected: datetime) -> None:
    for hour in (0, 9, 17):  # asked any time earlier that day
        after = local_due(day, time(hour, 59), NEW_YORK)
        assert next_occurrence(DAILY_18, EVERY_DAY, NEW_YORK, NIGHT, after) == (day, expected)
    # Asked at the due instant itself: strictly after, so the next day.
    following = next_occurrence(DAILY_18, EVERY_DAY, NEW_YORK, NIGHT, expected)
    assert following[0] == day + timedelta(days=1)


@pytest.mark.parametrize(
    ("start", "end"),
    [(date(2026, 10, 20), date(2026, 11, 15)), (date(2027, 3, 1), date(2027, 3, 25))],
)
@pytest.mark.parametrize("zone_name", ["America/New_York", "Europe/Berlin", "Australia/Sydney"])
def test_chained_daily_reviews_across_dst_have_no_gap_no_duplicate_and_keep_the_wall_time(
    start: date, end: date, zone_name: str
) -> None:
    zone = ZoneInfo(zone_name)
    after = local_due(start, time(12), zone)
    day, instant = next_occurrence(DAILY_18, EVERY_DAY, zone, NIGHT, after)
    served = []
    while day <= end:
        served.append(day)
        local = instant.astimezone(zone)
        assert (local.date(), local.time()) == (day, time(18))
        day, instant = next_occurrence(DAILY_18, EVERY_DAY, zone, NIGHT, instant, day + timedelta(days=1))
    assert served == _every_day(start, end)


def test_daily_review_inside_the_spring_forward_gap_goes_at_the_gap_end() -> None:
    rule = PromptRule(PromptKind.DAILY, time(2, 30))
    after = wall(NEW_YORK, 2027, 3, 13, 12)
    assert next_occurrence(rule, EVERY_DAY, NEW_YORK, NO_QUIET_HOURS, after) == (
        date(2027, 3, 14),
        utc(2027, 3, 14, 7),
    )


def test_daily_review_in_the_repeated_hour_goes_once_at_the_first() -> None:
    rule = PromptRule(PromptKind.DAILY, time(1, 30))
    after = wall(NEW_YORK, 2026, 10, 31, 12)
    day, instant = next_occurrence(rule, EVERY_DAY, NEW_YORK, NO_QUIET_HOURS, after)
    assert (day, instant) == (date(2026, 11, 1), utc(2026, 11, 1, 5, 30))
    # From the first 01:30, the second 01:30 (06:30Z) is not that day again.
    assert next_occurrence(rule, EVERY_DAY, NEW_YORK, NO_QUIET_HOURS, instant, day + timedelta(days=1)) == (
        date(2026, 11, 2),
        utc(2026, 11, 2, 6, 30),
    )


# --- next_occurrence: moving zones ------------------------------------------------------------------------

WEDNESDAY = date(2026, 11, 25)
THURSDAY = date(2026, 11, 26)


@pytest.mark.parametrize(
    ("old_zone", "new_zone"),
    [
        ("Asia/Shanghai", "Europe/Berlin"),
        ("Asia/Shanghai", "America/New_York"),
        ("Asia/Shanghai", "Pacific/Honolulu"),
        ("Europe/Berlin", "Asia/Shanghai"),
        ("America/New_York", "Asia/Shanghai"),
        ("America/New_York", "Pacific/Kiritimati"),
        ("Asia/Shanghai", "Asia/Shanghai"),
    ],
)
def test_moving_zones_mid_week_creates_no_duplicate_and_no_gap(old_zone: str, new_zone: str) -> None:
    wednesday_sent = local_due(WEDNESDAY, time(18), ZoneInfo(old_zone))
    day, instant = next_occurrence(DAILY_18, NO_HOLIDAYS, ZoneInfo(new_zone), NIGHT, wednesday_sent, THURSDAY)
    assert day == THURSDAY
    assert instant == local_due(THURSDAY, time(18), ZoneInfo(new_zone))


def test_shanghai_to_berlin_without_not_before_day_would_repeat_wednesday() -> None:
    wednesday_sent = local_due(WEDNESDAY, time(18), SHANGHAI)
    assert wednesday_sent == utc(2026, 11, 25, 10)
    # Wednesday 18:00 in Berlin (17:00Z) is still ahead of 10:00Z: the duplicate not_before_day prevents.
    assert next_occurrence(DAILY_18, NO_HOLIDAYS, BERLIN, NIGHT, wednesday_sent) == (
        WEDNESDAY,
        utc(2026, 11, 25, 17),
    )
    assert next_occurrence(DAILY_18, NO_HOLIDAYS, BERLIN, NIGHT, wednesday_sent, THURSDAY) == (
        THURSDAY,
        utc(2026, 11, 26, 17),
    )


@pytest.mark.parametrize("new_zone", ["Europe/Berlin", "America/New_York", "Asia/Tokyo", "Pacific/Auckland"])
def test_a_week_served_half_in_shanghai_half_elsewhere_covers_every_working_day_once(new_zone: str) -> None:
    zone = SHANGHAI
    day, instant = next_occurrence(DAILY_18, NO_HOLIDAYS, zone, NIGHT, wall(SHANGHAI, 2026, 11, 23, 9))
    served = []
    while day <= date(2026, 11, 30):
        served.append(day)
        if day == WEDNESDAY:
            zone = ZoneInfo(new_zone)  # the user moves right after Wednesday's review
        day, instant = next_occurrence(DAILY_18, NO_HOLIDAYS, zone, NIGHT, instant, day + timedelta(days=1))
    assert served == [
        date(2026, 11, 23),
        date(2026, 11, 24),
        WEDNESDAY,
        THURSDAY,
        date(2026, 11, 27),
        date(2026, 11, 30),
    ]


# --- next_occurrence: calendars, quiet hours, limits ------------------------------------------------------


def test_daily_in_china_resumes_after_national_day_and_serves_the_make_up_saturday() -> None:
    instant = local_due(date(2026, 9, 30), time(18), SHANGHAI)
    day = date(2026, 9, 30)
    served = []
    for _ in range(4):
        day, instant = next_occurrence(DAILY_18, CN, SHANGHAI, NIGHT, instant, day + timedelta(days=1))
        served.append((day, instant))
    assert served == [
        (date(2026, 10, 8), utc(2026, 10, 8, 10)),
        (date(2026, 10, 9), utc(2026, 10, 9, 10)),
        (date(2026, 10, 10), utc(2026, 10, 10, 10)),
        (date(2026, 10, 12), utc(2026, 10, 12, 10)),
    ]


@pytest.mark.parametrize(
    ("after", "expected"),
    [
        (wall(SHANGHAI, 2026, 11, 23, 9), (date(2026, 11, 27), utc(2026, 11, 27, 9))),
        (wall(SHANGHAI, 2026, 11, 27, 16, 59), (date(2026, 11, 27), utc(2026, 11, 27, 9))),
        (wall(SHANGHAI, 2026, 11, 27, 17), (date(2026, 12, 4), utc(2026, 12, 4, 9))),
        (wall(SHANGHAI, 2026, 9, 26, 9), (date(2026, 9, 30), utc(2026, 9, 30, 9))),  # National Day week
    ],
)
def test_weekly_friday_17(after: datetime, expected: tuple[date, datetime]) -> None:
    assert next_occurrence(WEEKLY_FRIDAY_17, CN, SHANGHAI, NIGHT, after) == expected


@pytest.mark.parametrize(
    ("calendar", "zone", "after", "expected"),
    [
        (NO_HOLIDAYS, NEW_YORK, wall(NEW_YORK, 2027, 1, 1, 18), (date(2027, 1, 29), utc(2027, 1, 29, 23))),
        (CN, SHANGHAI, wall(SHANGHAI, 2026, 9, 1, 9), (date(2026, 9, 30), utc(2026, 9, 30, 10))),
        (CN, SHANGHAI, wall(SHANGHAI, 2026, 9, 30, 18), (date(2026, 10, 30), utc(2026, 10, 30, 10))),
        (CN, SHANGHAI, wall(SHANGHAI, 2026, 12, 1, 9), (date(2026, 12, 31), utc(2026, 12, 31, 10))),
        (CN, SHANGHAI, wall(SHANGHAI, 2026, 2, 1, 9), (date(2026, 2, 28), utc(2026, 2, 28, 10))),
    ],
)
def test_monthly_summary(
    calendar: WorkCalendar, zone: ZoneInfo, after: datetime, expected: tuple[date, datetime]
) -> None:
    assert next_occurrence(MONTHLY_18, calendar, zone, NIGHT, after) == expected


def test_a_review_pushed_past_midnight_by_quiet_hours_still_goes_when_not_before_day_says_it_is_pending() -> (
    None
):
    late = PromptRule(PromptKind.DAILY, time(23))
    monday, tuesday = date(2026, 11, 23), date(2026, 11, 24)
    after = wall(SHANGHAI, 2026, 11, 24, 3)  # Tuesday 03:00; Monday's review waits for 08:00
    assert next_occurrence(late, NO_HOLIDAYS, SHANGHAI, NIGHT, after, monday) == (
        monday,
        wall(SHANGHAI, 2026, 11, 24, 8),
    )
    # Without not_before_day nothing is known about Monday: the scan starts on Tuesday.
    assert next_occurrence(late, NO_HOLIDAYS, SHANGHAI, NIGHT, after) == (
        tuesday,
        wall(SHANGHAI, 2026, 11, 25, 8),
    )


def test_not_before_day_long_ago_does_not_resend_old_days() -> None:
    after = wall(SHANGHAI, 2026, 11, 25, 12)
    assert next_occurrence(DAILY_18, NO_HOLIDAYS, SHANGHAI, NIGHT, after, date(2026, 1, 1)) == (
        WEDNESDAY,
        utc(2026, 11, 25, 10),
    )


def test_not_before_day_in_the_future_waits_for_it() -> None:
    after = wall(SHANGHAI, 2026, 11, 23, 12)
    assert next_occurrence(DAILY_18, NO_HOLIDAYS, SHANGHAI, NIGHT, after, date(2026, 11, 27)) == (
        date(2026, 11, 27),
        utc(2026, 11, 27, 10),
    )


@pytest.mark.parametrize(
    "calendar",
    [
        NEVER,
        WorkCalendar(
            None, frozenset({6, 7}), vacations=frozenset(_every_day(date(2026, 11, 1), date(2028, 1, 31)))
        ),
    ],
)
def test_a_calendar_without_working_days_has_no_daily_occurrence(calendar: WorkCalendar) -> None:
    with pytest.raises(ValueError):
        next_occurrence(DAILY_18, calendar, SHANGHAI, NIGHT, utc(2026, 11, 25))


def test_the_scan_reaches_a_working_day_just_inside_the_limit() -> None:
    after = wall(SHANGHAI, 2026, 1, 1, 19)  # that day's review has gone
    last_scanned = date(2026, 1, 1) + timedelta(days=SCAN_DAYS)
    away = frozenset(_every_day(date(2026, 1, 2), last_scanned - timedelta(days=1)))
    calendar = WorkCalendar(None, frozenset(range(1, 8)), vacations=away)
    assert next_occurrence(DAILY_18, calendar, SHANGHAI, NIGHT, after)[0] == last_scanned
    with pytest.raises(ValueError):
        next_occurrence(
            DAILY_18,
            WorkCalendar(None, frozenset(range(1, 8)), vacations=away | {last_scanned}),
            SHANGHAI,
            NIGHT,
            after,
        )


def test_weekly_and_monthly_happen_even_without_working_days() -> None:
    after = wall(SHANGHAI, 2026, 11, 23, 9)
    assert next_occurrence(WEEKLY_FRIDAY_17, NEVER, SHANGHAI, NIGHT, after)[0] == date(2026, 11, 27)
    assert next_occurrence(MONTHLY_18, NEVER, SHANGHAI, NIGHT, after)[0] == date(2026, 11, 30)


def test_next_occurrence_send_instant_respects_quiet_hours() -> None:
    rule = PromptRule(PromptKind.DAILY, time(23))
    after = wall(SHANGHAI, 2026, 11, 25, 12)
    assert next_occurrence(rule, NO_HOLIDAYS, SHANGHAI, NIGHT, after) == (
        WEDNESDAY,
        wall(SHANGHAI, 2026, 11, 26, 8),
    )


def test_next_occurrence_refuses_a_naive_after() -> None:
    with pytest.raises(ValueError):
        next_occurrence(DAILY_18, NO_HOLIDAYS, SHANGHAI, NIGHT, datetime(2026, 11, 25, 12))


# --- classify -------------------------------------------------------------------------------------------

DUE = utc(2026, 11, 25, 10)  # Wednesday 18:00 in Shanghai
GRACE = timedelta(hours=3)


@pytest.mark.parametrize(
    ("late_by", "expected"),
    [
        (timedelta(0), Lateness.ON_TIME),
        (timedelta(seconds=20), Lateness.ON_TIME),
        (timedelta(minutes=1) - timedelta(microseconds=1), Lateness.ON_TIME),
        (timedelta(minutes=1), Lateness.CATCH_UP),
        (timedelta(hours=1, minutes=30), Lateness.CATCH_UP),
        (GRACE - timedelta(microseconds=1), Lateness.CATCH_UP),
        (GRACE, Lateness.MISSED),
        (GRACE + timedelta(seconds=1), Lateness.MISSED),
        (timedelta(days=3), Lateness.MISSED),
    ],
)
def test_classify_boundaries(late_by: timedelta, expected: Lateness) -> None:
    assert classify(DUE, DUE + late_by, GRACE) is expected


def test_classify_with_the_shortest_grace_has_no_catch_up() -> None:
    assert classify(DUE, DUE + timedelta(seconds=59), timedelta(minutes=1)) is Lateness.ON_TIME
    assert classify(DUE, DUE + timedelta(minutes=1), timedelta(minutes=1)) is Lateness.MISSED


def test_classify_compares_instants_not_wall_times() -> None:
    now = datetime(2026, 11, 25, 11, 30, tzinfo=BERLIN)  # 10:30Z
    assert classify(DUE, now, GRACE) is Lateness.CATCH_UP


@pytest.mark.parametrize(
    ("due", "now", "grace"),
    [
        (DUE, DUE - timedelta(microseconds=1), GRACE),  # not due yet
        (DUE, DUE, timedelta(seconds=59)),  # grace under the on-time window
        (DUE, DUE, timedelta(0)),
        (datetime(2026, 11, 25, 10), DUE, GRACE),
        (DUE, datetime(2026, 11, 25, 10), GRACE),
    ],
)
def test_classify_refuses(due: datetime, now: datetime, grace: timedelta) -> None:
    with pytest.raises(ValueError):
        classify(due, now, grace)


def _first_tick_at_or_after(
    due: datetime, down_from: datetime | None, down_until: datetime | None
) -> datetime:
    """The dispatcher ticks every minute on the minute while up, and once right when it comes back."""
    tick = due.replace(second=0, microsecond=0)
    if tick < due:
        tick += timedelta(minutes=1)
    if down_from is not None and down_until is not None and down_from <= tick < down_until:
        return down_until
    return tick


@pytest.mark.parametrize(
    ("down", "expected"),
    [
        (None, Lateness.ON_TIME),
        ((time(17), time(18, 0, 30)), Lateness.ON_TIME),  # back 30 s after the due minute: a normal tick
        ((time(17), time(19, 30)), Lateness.CATCH_UP),
        ((time(17), time(20, 59)), Lateness.CATCH_UP),
        ((time(17), time(21)), Lateness.MISSED),  # exactly the grace
        ((time(17), time(23)), Lateness.MISSED),
        ((time(18, 30), time(23)), Lateness.ON_TIME),  # went down after the review was sent
    ],
)
def test_dispatcher_downtime_around_an_18_00_review_with_three_hours_grace(
    down: tuple[time, time] | None, expected: Lateness
) -> None:
    due = next_occurrence(DAILY_18, NO_HOLIDAYS, SHANGHAI, NIGHT, wall(SHANGHAI, 2026, 11, 25, 9))[1]
    assert due == DUE
    down_from = down_until = None
    if down is not None:
        down_from = datetime.combine(WEDNESDAY, down[0], tzinfo=SHANGHAI)
        down_until = datetime.combine(WEDNESDAY, down[1], tzinfo=SHANGHAI)
    tick = _first_tick_at_or_after(due, down_from, down_until)
    assert classify(due, tick, GRACE) is expected


# --- reminders -------------------------------------------------------------------------------------------

SENT = wall(SHANGHAI, 2026, 11, 25, 18)
WEDNESDAY_NIGHT = wall(SHANGHAI, 2026, 11, 25, 22)


@pytest.mark.parametrize(
    ("delay", "quiet", "day_end", "expected"),
    [
        (timedelta(hours=2), NIGHT, WEDNESDAY_NIGHT, wall(SHANGHAI, 2026, 11, 25, 20)),
        (timedelta(hours=3, minutes=59), NIGHT, WEDNESDAY_NIGHT, wall(SHANGHAI, 2026, 11, 25, 21, 59)),
        (timedelta(hours=4), NIGHT, WEDNESDAY_NIGHT, None),  # 22:00 is quiet: the next morning is too late
        (timedelta(hours=4), NIGHT, None, wall(SHANGHAI, 2026, 11, 26, 8)),  # no limit: the morning
        (timedelta(hours=6), NO_QUIET_HOURS, wall(SHANGHAI, 2026, 11, 26), wall(SHANGHAI, 2026, 11, 26)),
        (timedelta(hours=6, seconds=1), NO_QUIET_HOURS, wall(SHANGHAI, 2026, 11, 26), None),
        (timedelta(minutes=30), LUNCH, None, wall(SHANGHAI, 2026, 11, 25, 18, 30)),
        (timedelta(0), NIGHT, WEDNESDAY_NIGHT, SENT),
    ],
)
def test_reminder_at(
    delay: timedelta, quiet: QuietHours, day_end: datetime | None, expected: datetime | None
) -> None:
    assert reminder_at(SENT, delay, quiet, SHANGHAI, day_end) == expected


def test_reminder_delay_is_real_time_across_the_fall_back() -> None:
    sent = datetime(2026, 11, 1, 1, 50, tzinfo=NEW_YORK)  # 01:50 EDT = 05:50Z
    # Wall-clock arithmetic would say 02:20 EST (07:20Z), an hour too late.
    assert reminder_at(sent, timedelta(minutes=30), NO_QUIET_HOURS, NEW_YORK) == utc(2026, 11, 1, 6, 20)


def test_reminder_refuses_bad_input() -> None:
    with pytest.raises(ValueError):
        reminder_at(SENT, timedelta(minutes=-1), NIGHT, SHANGHAI)
    with pytest.raises(ValueError):
        reminder_at(datetime(2026, 11, 25, 18), timedelta(hours=1), NIGHT, SHANGHAI)
    with pytest.raises(ValueError):
        reminder_at(SENT, timedelta(hours=1), NIGHT, SHANGHAI, datetime(2026, 11, 25, 22))


@pytest.mark.parametrize(
    ("quiet", "zone", "day", "expected"),
    [
        (NIGHT, SHANGHAI, WEDNESDAY, wall(SHANGHAI, 2026, 11, 25, 22)),
        (LUNCH, SHANGHAI, WEDNESDAY, wall(SHANGHAI, 2026, 11, 26)),
        (NO_QUIET_HOURS, SHANGHAI, WEDNESDAY, wall(SHANGHAI, 2026, 11, 26)),
        (QuietHours(time(0, 30), time(7)), SHANGHAI, WEDNESDAY, wall(SHANGHAI, 2026, 11, 26)),
        (NO_QUIET_HOURS, NEW_YORK, date(2026, 11, 1), utc(2026, 11, 2, 5)),  # a 25-hour day
        (NIGHT, NEW_YORK, date(2027, 3, 14), utc(2027, 3, 15, 2)),  # 22:00 EDT
    ],
)
def test_review_day_end(quiet: QuietHours, zone: ZoneInfo, day: date, expected: datetime) -> None:
    assert review_day_end(day, quiet, zone) == expected


def test_reminder_for_a_daily_review_stops_at_the_night() -> None:
    day_end = review_day_end(WEDNESDAY, NIGHT, SHANGHAI)
    assert reminder_at(SENT, timedelta(hours=3), NIGHT, SHANGHAI, day_end) == wall(SHANGHAI, 2026, 11, 25, 21)
    assert reminder_at(SENT, timedelta(hours=5), NIGHT, SHANGHAI, day_end) is None


# --- snoozes ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("kind", "now_local", "quiet", "expected_local"),
    [
        ("30m", (18, 0), NIGHT, datetime(2026, 11, 25, 18, 30)),
        ("2h", (18, 0), NIGHT, datetime(2026, 11, 25, 20)),
        ("morning", (18, 0), NIGHT, datetime(2026, 11, 26, 9)),
        ("30m", (21, 45), NIGHT, datetime(2026, 11, 26, 8)),  # 22:15 is quiet
        ("2h", (21, 45), NIGHT, datetime(2026, 11, 26, 8)),  # 23:45 is quiet
        ("30m", (21, 29), NIGHT, datetime(2026, 11, 25, 21, 59)),
        ("morning", (7, 0), NIGHT, datetime(2026, 11, 25, 9)),  # still before 09:00: today
        ("morning", (8, 59), NIGHT, datetime(2026, 11, 25, 9)),
        ("morning", (9, 0), NIGHT, datetime(2026, 11, 26, 9)),  # strictly after now: tomorrow
        ("morning", (0, 30), NIGHT, datetime(2026, 11, 25, 9)),  # after midnight: this morning
        ("morning", (23, 0), QuietHours(time(22), time(10)), datetime(2026, 11, 26, 10)),
        ("2h", (12, 0), LUNCH, datetime(2026, 11, 25, 14)),  # 14:00 is the end: not quiet
        ("30m", (12, 45), LUNCH, datetime(2026, 11, 25, 14)),
        (Snooze.TWO_HOURS, (9, 0), NO_QUIET_HOURS, datetime(2026, 11, 25, 11)),
    ],
)
def test_snooze_until(
    kind: str, now_local: tuple[int, int], quiet: QuietHours, expected_local: datetime
) -> None:
    now = wall(SHANGHAI, 2026, 11, 25, *now_local)
    back = snooze_until(kind, now, quiet, SHANGHAI)
    assert back == expected_local.replace(tzinfo=SHANGHAI).astimezone(UTC)
    assert back.tzinfo is UTC


def test_snooze_to_a_custom_morning() -> None:
    now = wall(SHANGHAI, 2026, 11, 25, 18)
    assert snooze_until("morning", now, NIGHT, SHANGHAI, morning=time(8, 30)) == wall(
        SHANGHAI, 2026, 11, 26, 8, 30
    )


def test_snooze_is_real_time_across_the_fall_back() -> None:
    now = datetime(2026, 11, 1, 1, 45, tzinfo=NEW_YORK)  # 01:45 EDT = 05:45Z
    assert snooze_until("30m", now, NO_QUIET_HOURS, NEW_YORK) == utc(2026, 11, 1, 6, 15)  # 01:15 EST
    assert snooze_until("2h", now, NO_QUIET_HOURS, NEW_YORK) == utc(2026, 11, 1, 7, 45)  # 02:45 EST


@pytest.mark.parametrize(
    ("now", "expected"),
    [
        (wall(NEW_YORK, 2026, 10, 31, 20), utc(2026, 11, 1, 14)),  # 09:00 EST, the morning after fall-back
        (
            wall(NEW_YORK, 2027, 3, 13, 20),
            utc(2027, 3, 14, 13),
        ),  # 09:00 EDT, the morning after spring-forward
    ],
)
def test_snooze_to_the_morning_across_dst(now: datetime, expected: datetime) -> None:
    assert snooze_until("morning", now, NIGHT, NEW_YORK) == expected


def test_snooze_morning_in_the_spring_forward_gap() -> None:
    now = wall(NEW_YORK, 2027, 3, 13, 20)
    assert snooze_until("morning", now, NO_QUIET_HOURS, NEW_YORK, morning=time(2, 30)) == utc(2027, 3, 14, 7)


@pytest.mark.parametrize("kind", ["1d", "", "MORNING", "30 m"])
def test_snooze_refuses_unknown_kinds(kind: str) -> None:
    with pytest.raises(ValueError):
        snooze_until(kind, SENT, NIGHT, SHANGHAI)


def test_snooze_refuses_a_naive_now() -> None:
    with pytest.raises(ValueError):
        snooze_until("30m", datetime(2026, 11, 25, 18), NIGHT, SHANGHAI)
