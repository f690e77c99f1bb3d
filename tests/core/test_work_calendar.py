"""Working days from a weekly pattern, real public holidays (the `holidays` package) and vacations."""

from __future__ import annotations

from datetime import date, timedelta

import holidays
import pytest

from bot.core import work_calendar
from bot.core.work_calendar import MONDAY_TO_FRIDAY, WorkCalendar, country_for, official_days

CN = WorkCalendar("CN", MONDAY_TO_FRIDAY)
US = WorkCalendar("US", MONDAY_TO_FRIDAY)
NO_HOLIDAYS = WorkCalendar(None, MONDAY_TO_FRIDAY)


def _every_day(start: date, end: date) -> list[date]:
    return [start + timedelta(days=offset) for offset in range((end - start).days + 1)]


# --- China, real 2026 data ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("day", "why"),
    [
        (date(2026, 2, 14), "Saturday before the Spring Festival"),
        (date(2026, 2, 28), "Saturday after the Spring Festival"),
        (date(2026, 1, 4), "Sunday after New Year"),
        (date(2026, 5, 9), "Saturday after Labour Day"),
        (date(2026, 9, 20), "Sunday before National Day"),
        (date(2026, 10, 10), "Saturday after National Day"),
    ],
)
def test_china_2026_make_up_weekend_days_are_working_days(day: date, why: str) -> None:
    assert day.isoweekday() in {6, 7}, why
    assert CN.is_working_day(day), why


@pytest.mark.parametrize(
    "day",
    [
        date(2026, 2, 16),
        date(2026, 2, 17),
        date(2026, 2, 18),
        date(2026, 2, 19),
        date(2026, 2, 20),
        date(2026, 2, 23),
    ],
)
def test_china_2026_spring_festival_weekdays_are_days_off(day: date) -> None:
    assert day.isoweekday() <= 5
    assert not CN.is_working_day(day)


def test_china_2026_every_package_holiday_is_a_day_off_and_every_make_up_day_a_working_day() -> None:
    package = holidays.country_holidays("CN", years=2026)
    assert package, "the package lists China's 2026 holidays"
    for day in package:
        assert not CN.is_working_day(day), day
    makeup_days = {day for day in package.weekend_workdays if day.year == 2026}
    assert {date(2026, 2, 14), date(2026, 2, 28)} <= makeup_days
    for day in makeup_days:
        assert CN.is_working_day(day), day


def test_china_2026_ordinary_weekend_is_not_a_working_day() -> None:
    assert not CN.is_working_day(date(2026, 3, 7))  # Saturday
    assert not CN.is_working_day(date(2026, 3, 8))  # Sunday


def test_china_2026_working_days_of_february() -> None:
    february = CN.working_days(date(2026, 2, 1), date(2026, 2, 28))
    # 20 weekdays, minus 6 holiday weekdays (16-20, 23), plus 2 make-up Saturdays (14, 28).
    assert len(february) == 16
    assert date(2026, 2, 14) in february
    assert date(2026, 2, 28) in february
    assert not {date(2026, 2, 16), date(2026, 2, 20), date(2026, 2, 23)} & set(february)


# --- the United States and Germany ---------------------------------------------------------------------


@pytest.mark.parametrize(
    "day",
    [date(2026, 12, 25), date(2027, 1, 1), date(2027, 1, 18), date(2027, 2, 15), date(2026, 11, 26)],
)
def test_us_holidays_are_days_off(day: date) -> None:
    assert day.isoweekday() <= 5
    assert not US.is_working_day(day)


def test_us_weekends_are_never_working_days() -> None:
    for day in _every_day(date(2026, 1, 1), date(2027, 12, 31)):
        if day.isoweekday() in {6, 7}:
            assert not US.is_working_day(day), day


@pytest.mark.parametrize("day", [date(2026, 10, 3), date(2026, 12, 25), date(2026, 12, 26), date(2026, 4, 6)])
def test_germany_national_holidays_are_days_off(day: date) -> None:
    assert not WorkCalendar("DE", MONDAY_TO_FRIDAY).is_working_day(day)


# --- countries: none, unknown, lower case --------------------------------------------------------------


def test_no_country_has_no_public_holidays() -> None:
    assert NO_HOLIDAYS.is_working_day(date(2026, 1, 1))  # a Thursday
    assert NO_HOLIDAYS.is_working_day(date(2026, 12, 25))  # a Friday
    assert not NO_HOLIDAYS.is_working_day(date(2026, 2, 14))  # China's make-up Saturday means nothing here


@pytest.mark.parametrize("country", ["XX", "", "Atlantis", "ZZ", "001"])
def test_unknown_country_is_treated_as_no_public_holidays(country: str) -> None:
    calendar = WorkCalendar(country, MONDAY_TO_FRIDAY)
    start, end = date(2026, 1, 1), date(2026, 12, 31)
    assert calendar.working_days(start, end) == NO_HOLIDAYS.working_days(start, end)


def test_country_code_is_case_insensitive() -> None:
    lower = WorkCalendar("cn", MONDAY_TO_FRIDAY)
    start, end = date(2026, 1, 1), date(2026, 12, 31)
    assert lower.working_days(start, end) == CN.working_days(start, end)


def test_official_days() -> None:
    public_holidays, makeup_days = official_days("CN", 2026)
    assert date(2026, 2, 17) in public_holidays
    assert date(2026, 2, 14) in makeup_days
    assert all(day.year == 2026 for day in public_holidays | makeup_days)
    assert official_days(None, 2026) == (frozenset(), frozenset())
    assert official_days("XX", 2026) == (frozenset(), frozenset())


# --- weekly patterns -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("weekdays", "working_in_week"),
    [
        # The week of Monday 2026-03-02 .. Sunday 2026-03-08, no holidays in it.
        (MONDAY_TO_FRIDAY, [2, 3, 4, 5, 6]),
        (frozenset({1, 2, 3, 4, 5, 6}), [2, 3, 4, 5, 6, 7]),
        (frozenset({7, 1, 2, 3, 4}), [2, 3, 4, 5, 8]),
        (frozenset({2, 4}), [3, 5]),
        (frozenset(range(1, 8)), [2, 3, 4, 5, 6, 7, 8]),
        (frozenset(), []),
    ],
)
def test_weekly_pattern(weekdays: frozenset[int], working_in_week: list[int]) -> None:
    calendar = WorkCalendar("US", weekdays)
    days = calendar.working_days(date(2026, 3, 2), date(2026, 3, 8))
    assert [day.day for day in days] == working_in_week


def test_public_holiday_is_off_even_on_a_working_weekday_of_a_six_day_pattern() -> None:
    six_days = WorkCalendar("CN", frozenset({1, 2, 3, 4, 5, 6}))
    assert not six_days.is_working_day(date(2027, 2, 6))  # a Saturday in the 2027 Spring Festival
    assert six_days.is_working_day(date(2026, 3, 7))  # an ordinary Saturday


@pytest.mark.parametrize("weekdays", [frozenset({0}), frozenset({8}), frozenset({1, 2, 9})])
def test_weekdays_must_be_iso_weekdays(weekdays: frozenset[int]) -> None:
    with pytest.raises(ValueError, match="ISO weekdays"):
        WorkCalendar(None, weekdays)


# --- vacations and adjustments -------------------------------------------------------------------------


@pytest.mark.parametrize(
    "day",
    [
        date(2026, 3, 4),  # an ordinary Wednesday
        date(2026, 2, 14),  # a make-up Saturday from the package
        date(2027, 1, 30),  # a Saturday made a working day by an adjustment
    ],
)
def test_vacation_beats_everything(day: date) -> None:
    calendar = WorkCalendar(
        "CN", MONDAY_TO_FRIDAY, vacations=frozenset({day}), adjustments={date(2027, 1, 30): True}
    )
    assert not calendar.is_working_day(day)


@pytest.mark.parametrize(
    ("day", "adjustment", "expected"),
    [
        (date(2027, 1, 30), True, True),  # an ordinary Saturday made a make-up working day
        (date(2027, 2, 20), True, True),
        (date(2027, 2, 8), True, True),  # a package holiday overridden into a working day
        (date(2027, 3, 3), False, False),  # an ordinary Wednesday made a day off
        (date(2026, 2, 14), False, False),  # a package make-up day overridden into a day off
        (date(2027, 3, 6), False, False),  # a Saturday day off: no change
    ],
)
def test_adjustments_win_over_the_package(day: date, adjustment: bool, expected: bool) -> None:
    calendar = WorkCalendar("CN", MONDAY_TO_FRIDAY, adjustments={day: adjustment})
    assert calendar.is_working_day(day) is expected


def test_adjustments_apply_without_a_country() -> None:
    calendar = WorkCalendar(
        None, MONDAY_TO_FRIDAY, adjustments={date(2026, 3, 7): True, date(2026, 3, 9): False}
    )
    assert calendar.is_working_day(date(2026, 3, 7))
    assert not calendar.is_working_day(date(2026, 3, 9))


def test_calendar_is_frozen_against_later_changes_to_its_inputs() -> None:
    adjustments = {date(2026, 3, 7): True}
    weekdays = {1, 2, 3}
    calendar = WorkCalendar(None, weekdays, adjustments=adjustments)  # type: ignore[arg-type]
    adjustments[date(2026, 3, 7)] = False
    weekdays.add(4)
    assert calendar.is_working_day(date(2026, 3, 7))
    assert not calendar.is_working_day(date(2026, 3, 5))  # a Thursday
    assert isinstance(calendar.weekdays, frozenset)


def test_calendar_is_hashable_and_compares_by_value() -> None:
    first = WorkCalendar("CN", MONDAY_TO_FRIDAY, adjustments={date(2027, 1, 30): True})
    second = WorkCalendar("CN", MONDAY_TO_FRIDAY, adjustments={date(2027, 1, 30): True})
    assert first == second
    assert hash(first) == hash(second)
    assert first != WorkCalendar("CN", MONDAY_TO_FRIDAY)


# --- working_days ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("calendar", [CN, US, NO_HOLIDAYS, WorkCalendar("DE", frozenset({1, 2, 3, 4, 5, 6}))])
def test_working_days_is_is_working_day_over_the_range(calendar: WorkCalendar) -> None:
    start, end = date(2025, 12, 15), date(2027, 1, 15)
    days = calendar.working_days(start, end)
    assert days == [day for day in _every_day(start, end) if calendar.is_working_day(day)]
    assert days == sorted(set(days))


@pytest.mark.parametrize(
    ("start", "end", "expected"),
    [
        (date(2026, 3, 2), date(2026, 3, 2), [date(2026, 3, 2)]),  # one day, both ends included
        (date(2026, 3, 7), date(2026, 3, 8), []),  # a weekend
        (date(2026, 3, 6), date(2026, 3, 9), [date(2026, 3, 6), date(2026, 3, 9)]),
        (date(2026, 3, 9), date(2026, 3, 2), []),  # start after end
    ],
)
def test_working_days_bounds(start: date, end: date, expected: list[date]) -> None:
    assert NO_HOLIDAYS.working_days(start, end) == expected


def test_holiday_tables_are_built_once_per_country_and_year(monkeypatch: pytest.MonkeyPatch) -> None:
    built: list[tuple[str, object]] = []
    real = holidays.country_holidays

    def counting(country: str, **kwargs: object) -> holidays.HolidayBase:
        built.append((country, kwargs.get("years")))
        return real(country, **kwargs)  # type: ignore[arg-type]

    work_calendar._official_year.cache_clear()
    monkeypatch.setattr(holidays, "country_holidays", counting)
    for _ in range(3):
        CN.working_days(date(2026, 1, 1), date(2027, 12, 31))
        CN.is_working_day(date(2026, 2, 14))
    assert sorted(built) == [("CN", 2026), ("CN", 2027)]
    work_calendar._official_year.cache_clear()


# --- the default country --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("timezone", "language", "country"),
    [
        ("Asia/Shanghai", "zh_CN", "CN"),
        ("Asia/Urumqi", "zh_CN", "CN"),
        ("Asia/Chongqing", "zh_CN", "CN"),  # an old alias of Asia/Shanghai
        ("PRC", "zh_CN", "CN"),
        ("Etc/GMT-8", "zh_CN", "CN"),  # a zh_CN user who gave "UTC+8"
        ("Etc/UTC", "zh_CN", "CN"),  # any offset zone: the language is the only hint
        ("Etc/GMT+5", "zh-cn", "CN"),
        ("Asia/Shanghai", "en", "CN"),  # the zone's territory
        ("Etc/GMT-8", "en", None),  # an offset says nothing about the country
        ("Etc/UTC", "en", None),
        ("UTC", "en", None),
        ("Asia/Hong_Kong", "zh_CN", "HK"),  # Hong Kong keeps its own holidays
        ("Asia/Taipei", "zh_CN", "TW"),
        ("America/New_York", "zh_CN", "US"),  # a Chinese speaker in New York works New York's days
        ("America/New_York", "en", "US"),
        ("America/Los_Angeles", "en", "US"),
        ("US/Eastern", "en", "US"),
        ("Europe/Berlin", "en", "DE"),
        ("Europe/Kiev", "en", "UA"),
        ("Asia/Calcutta", "en", "IN"),
        ("Asia/Tokyo", "en", "JP"),
        ("Antarctica/Troll", "en", None),  # CLDR territory "001": no country
        ("Mars/Olympus_Mons", "en", None),
        ("", "zh_CN", None),
    ],
)
def test_country_for(timezone: str, language: str, country: str | None) -> None:
    assert country_for(timezone, language) == country
