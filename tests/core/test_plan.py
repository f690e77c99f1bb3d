"""A target spread over working days: exact roll-ups, even days, month shares, real CN and US calendars."""

from __future__ import annotations

import random
from collections.abc import Mapping
from datetime import date, timedelta
from decimal import Decimal
from fractions import Fraction

import holidays
import pytest

from bot.core.plan import (
    Month,
    Plan,
    ShareError,
    ShareReason,
    apportion,
    decompose,
    months_between,
    rebalance_shares,
)
from bot.core.work_calendar import MONDAY_TO_FRIDAY, WorkCalendar

ONE = Decimal(1)
CENT = Decimal("0.01")
TARGET = Decimal(1_200_000)
START = date(2026, 12, 1)
DEADLINE = date(2027, 3, 31)
PLAN_MONTHS = [(2026, 12), (2027, 1), (2027, 2), (2027, 3)]

# holidays 0.109 does not list China's 2027 make-up working days yet (only 2026's). These two Saturdays
# stand in for the official 2027 list, passed the way the service passes known official days.
CN_2027_MAKEUP_STAND_INS = {date(2027, 1, 30): True, date(2027, 2, 20): True}

CN_CALENDAR = WorkCalendar("CN", MONDAY_TO_FRIDAY, adjustments=CN_2027_MAKEUP_STAND_INS)
US_CALENDAR = WorkCalendar("US", MONDAY_TO_FRIDAY)
PLAIN_CALENDAR = WorkCalendar(None, MONDAY_TO_FRIDAY)


def _every_day(start: date, end: date) -> list[date]:
    return [start + timedelta(days=offset) for offset in range((end - start).days + 1)]


def _plan(calendar: WorkCalendar, **kwargs: object) -> Plan:
    return decompose(TARGET, calendar.working_days(START, DEADLINE), START, DEADLINE, quantum=ONE, **kwargs)  # type: ignore[arg-type]


def _working_days_per_month(days: list[date]) -> dict[Month, int]:
    counts = dict.fromkeys(months_between(START, DEADLINE), 0)
    for day in days:
        counts[(day.year, day.month)] += 1
    return counts


def assert_exact_and_even(plan: Plan, quantum: Decimal, working_days: list[date]) -> None:
    """Every invariant of a plan: exact roll-ups, quantum multiples, even days, weeks tiling the range."""
    assert sum(month.amount for month in plan.months) == plan.target
    assert [(month.year, month.month) for month in plan.months] == months_between(plan.start, plan.deadline)
    covered: list[date] = []
    for month in plan.months:
        assert sum(week.amount for week in month.weeks) == month.amount
        month_days = [day for week in month.weeks for day in week.days]
        if month_days:
            amounts = [day.amount for day in month_days]
            assert max(amounts) - min(amounts) <= quantum, (month.year, month.month)
        else:
            assert month.amount == 0
        for week in month.weeks:
            assert sum(day.amount for day in week.days) == week.amount
            assert (
                (week.start.year, week.start.month)
                == (week.end.year, week.end.month)
                == (month.year, month.month)
            )
            assert week.start.isocalendar()[:2] == week.end.isocalendar()[:2]
            assert all(week.start <= day.day <= week.end for day in week.days)
            covered.extend(_every_day(week.start, week.end))
    # Weeks tile start..deadline: no calendar day missing, none twice.
    assert covered == _every_day(plan.start, plan.deadline)
    for day in plan.days:
        assert day.amount >= 0
        assert (day.amount / quantum) == (day.amount / quantum).to_integral_value()
    assert [day.day for day in plan.days] == working_days


# --- apportion -----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("total", "weights", "expected"),
    [
        (10, [1, 1, 1], [3, 4, 3]),  # 3.33, 6.67, 10 rounded: each unit where it falls due
        (11, [1, 1, 1], [4, 3, 4]),
        (1, [1, 1, 1], [0, 1, 0]),  # one unit over three parts: the middle, not the first
        (9, [1, 1, 1], [3, 3, 3]),
        (7, [2, 1], [5, 2]),  # 4.67 and 2.33
        (5, [0, 1], [0, 5]),
        (0, [1, 2], [0, 0]),
        (0, [0, 0], [0, 0]),
        (0, [], []),
        (100, [Decimal("33.33"), Decimal("33.33"), Decimal("33.34")], [33, 34, 33]),
        (3, [Fraction(1, 3), Fraction(1, 3), Fraction(1, 3)], [1, 1, 1]),
        (10, [1, 3, 1, 3], [1, 4, 1, 4]),  # running 1.25 5 6.25 10
        (10, [1, 1, 2], [3, 2, 5]),  # running 2.5 5 10: a half rounds up, so the earlier part gets it
        (2, [1, 1, 1, 1, 1], [0, 1, 0, 1, 0]),  # not [1, 1, 0, 0, 0]: nothing heaped at the start
        (3, [Fraction(1, 2), Decimal("0.5"), 1], [1, 1, 1]),  # running 0.75 1.5 3
    ],
)
def test_apportion(total: int, weights: list[int | Decimal | Fraction], expected: list[int]) -> None:
    assert apportion(total, weights) == expected


def test_apportion_is_exact_and_within_one_of_the_quota_on_random_tables() -> None:
    generator = random.Random(20261127)
    for _ in range(500):
        weights = [generator.randint(0, 30) for _ in range(generator.randint(1, 12))]
        if not any(weights):
            weights[0] = 1
        total = generator.randint(0, 10_000)
        shares = apportion(total, weights)
        assert sum(shares) == total
        for share, weight in zip(shares, weights, strict=True):
            quota = Fraction(total * weight, sum(weights))
            assert quota - 1 < share < quota + 1
            if weight == 0:
                assert share == 0


@pytest.mark.parametrize(
    ("total", "weights", "message"),
    [
        (-1, [1], "negative total"),
        (5, [1, -1], "negative"),
        (5, [0, 0], "all zero"),
        (5, [], "all zero"),
    ],
)
def test_apportion_refuses(total: int, weights: list[int], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        apportion(total, weights)


# --- acceptance: a 1,200,000 goal from 2026-12-01 to 2027-03-31 ------------------------------------------


@pytest.mark.parametrize("calendar", [CN_CALENDAR, US_CALENDAR], ids=["CN", "US"])
def test_acceptance_rollups_are_exact_and_days_even(calendar: WorkCalendar) -> None:
    working_days = calendar.working_days(START, DEADLINE)
    plan = _plan(calendar)
    assert_exact_and_even(plan, ONE, working_days)
    assert sum(day.amount for day in plan.days) == TARGET
    for day in plan.days:
        assert day.amount == day.amount.to_integral_value()


def test_acceptance_cn_skips_every_package_holiday_in_the_window() -> None:
    plan = _plan(CN_CALENDAR)
    package = holidays.country_holidays("CN", years=[2026, 2027])
    in_window = [day for day in package if START <= day <= DEADLINE]
    # As of holidays 0.109: 2027-01-01 and the Spring Festival 2027-02-05 .. 2027-02-10.
    assert date(2027, 1, 1) in in_window
    assert {date(2027, 2, 5), date(2027, 2, 8), date(2027, 2, 9), date(2027, 2, 10)} <= set(in_window)
    planned_days = {day.day for day in plan.days}
    for day in in_window:
        assert not CN_CALENDAR.is_working_day(day), day
        assert day not in planned_days, day
        assert plan.for_day(day) == 0, day


@pytest.mark.parametrize("saturday", sorted(CN_2027_MAKEUP_STAND_INS))
def test_acceptance_cn_make_up_saturdays_are_working_days_with_amounts(saturday: date) -> None:
    assert saturday.isoweekday() == 6
    assert CN_CALENDAR.is_working_day(saturday)
    plan = _plan(CN_CALENDAR)
    assert plan.for_day(saturday) > 0
    week = plan.week_containing(saturday)
    assert week is not None
    assert saturday in {day.day for day in week.days}


def test_acceptance_cn_working_day_counts() -> None:
    counts = _working_days_per_month(CN_CALENDAR.working_days(START, DEADLINE))
    # Jan: 21 weekdays - New Year + 1 make-up Saturday; Feb: 20 weekdays - 4 Spring Festival weekdays + 1.
    assert counts == {(2026, 12): 23, (2027, 1): 21, (2027, 2): 17, (2027, 3): 23}


@pytest.mark.parametrize(
    "holiday", [date(2026, 12, 25), date(2027, 1, 1), date(2027, 1, 18), date(2027, 2, 15)]
)
def test_acceptance_us_skips_holidays(holiday: date) -> None:
    plan = _plan(US_CALENDAR)
    assert holiday.isoweekday() <= 5
    assert plan.for_day(holiday) == 0
    assert holiday not in {day.day for day in plan.days}


def test_acceptance_us_never_plans_a_weekend() -> None:
    plan = _plan(US_CALENDAR)
    assert all(day.day.isoweekday() <= 5 for day in plan.days)
    assert len(plan.days) == 83  # 87 weekdays minus Christmas, New Year, MLK day and Presidents' Day


@pytest.mark.parametrize("calendar", [CN_CALENDAR, US_CALENDAR], ids=["CN", "US"])
def test_acceptance_vacation_days_are_skipped(calendar: WorkCalendar) -> None:
    vacation = frozenset(_every_day(date(2027, 3, 8), date(2027, 3, 12)))
    on_vacation = WorkCalendar(calendar.country, calendar.weekdays, vacation, calendar.adjustments)
    working_days = on_vacation.working_days(START, DEADLINE)
    plan = decompose(TARGET, working_days, START, DEADLINE, quantum=ONE)
    assert_exact_and_even(plan, ONE, working_days)
    for day in vacation:
        assert plan.for_day(day) == 0
    week = plan.week_containing(date(2027, 3, 10))
    assert week is not None
    assert week.amount == 0
    assert week.days == ()


# --- weeks and months ----------------------------------------------------------------------------------


def test_week_crossing_a_month_and_year_boundary_is_split() -> None:
    plan = _plan(PLAIN_CALENDAR)
    december_part = plan.week_containing(date(2026, 12, 30))
    january_part = plan.week_containing(date(2027, 1, 2))
    assert december_part is not None
    assert january_part is not None
    # ISO week 53 of 2026 runs Monday 2026-12-28 .. Sunday 2027-01-03.
    assert (december_part.start, december_part.end) == (date(2026, 12, 28), date(2026, 12, 31))
    assert (january_part.start, january_part.end) == (date(2027, 1, 1), date(2027, 1, 3))
    assert plan.months[0].weeks[-1] is december_part
    assert plan.months[1].weeks[0] is january_part


def test_weeks_are_cut_at_start_and_deadline() -> None:
    start, deadline = date(2026, 3, 4), date(2026, 3, 17)  # a Wednesday to a Tuesday
    working_days = PLAIN_CALENDAR.working_days(start, deadline)
    plan = decompose(Decimal(100), working_days, start, deadline, quantum=ONE)
    weeks = plan.months[0].weeks
    assert [(week.start, week.end) for week in weeks] == [
        (date(2026, 3, 4), date(2026, 3, 8)),
        (date(2026, 3, 9), date(2026, 3, 15)),
        (date(2026, 3, 16), date(2026, 3, 17)),
    ]
    assert [week.amount for week in weeks] == [30, 50, 20]
    assert_exact_and_even(plan, ONE, working_days)


@pytest.mark.parametrize(
    ("day", "week", "month"),
    [
        (date(2026, 12, 1), (date(2026, 12, 1), date(2026, 12, 6)), (2026, 12)),
        (date(2026, 12, 6), (date(2026, 12, 1), date(2026, 12, 6)), (2026, 12)),  # a Sunday
        (date(2027, 2, 28), (date(2027, 2, 22), date(2027, 2, 28)), (2027, 2)),
        (date(2027, 3, 31), (date(2027, 3, 29), date(2027, 3, 31)), (2027, 3)),
        (date(2026, 11, 30), None, None),  # the day before the start
        (date(2027, 4, 1), None, None),  # the day after the deadline
    ],
)
def test_week_and_month_containing(day: date, week: tuple[date, date] | None, month: Month | None) -> None:
    plan = _plan(PLAIN_CALENDAR)
    found_week = plan.week_containing(day)
    found_month = plan.month_containing(day)
    assert (None if found_week is None else (found_week.start, found_week.end)) == week
    assert (None if found_month is None else (found_month.year, found_month.month)) == month


def test_month_containing_is_none_before_a_mid_month_start() -> None:
    working_days = PLAIN_CALENDAR.working_days(date(2026, 12, 15), DEADLINE)
    plan = decompose(TARGET, working_days, date(2026, 12, 15), DEADLINE, quantum=ONE)
    assert plan.month_containing(date(2026, 12, 14)) is None
    month = plan.month_containing(date(2026, 12, 15))
    assert month is not None
    assert month.weeks[0].start == date(2026, 12, 15)


# --- for_day and cumulative ----------------------------------------------------------------------------


def test_for_day_and_cumulative_over_a_small_plan() -> None:
    start, deadline = date(2026, 3, 2), date(2026, 3, 8)  # Monday to Sunday
    plan = decompose(Decimal(12), PLAIN_CALENDAR.working_days(start, deadline), start, deadline, quantum=ONE)
    table = [
        (date(2026, 3, 1), 0, 0),
        (date(2026, 3, 2), 2, 2),  # 12 over 5 days: running 2.4, 4.8, 7.2, 9.6, 12 rounded
        (date(2026, 3, 3), 3, 5),
        (date(2026, 3, 4), 2, 7),
        (date(2026, 3, 5), 3, 10),
        (date(2026, 3, 6), 2, 12),
        (date(2026, 3, 7), 0, 12),  # a Saturday
        (date(2026, 3, 8), 0, 12),
        (date(2026, 3, 9), 0, 12),  # after the deadline
    ]
    for day, amount, cumulative in table:
        assert plan.for_day(day) == amount, day
        assert plan.cumulative(day) == cumulative, day


@pytest.mark.parametrize("calendar", [CN_CALENDAR, US_CALENDAR], ids=["CN", "US"])
def test_cumulative_adds_up_day_by_day(calendar: WorkCalendar) -> None:
    plan = _plan(calendar)
    running = Decimal(0)
    for day in _every_day(START - timedelta(days=3), DEADLINE + timedelta(days=3)):
        running += plan.for_day(day)
        assert plan.cumulative(day) == running, day
    assert plan.cumulative(DEADLINE) == TARGET


# --- quantum -------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("target", "quantum", "days", "amounts"),
    [
        (Decimal("1000.00"), CENT, 3, ["333.33", "333.34", "333.33"]),
        (Decimal("0.05"), CENT, 3, ["0.02", "0.01", "0.02"]),
        (Decimal(10), ONE, 3, ["3", "4", "3"]),
        (Decimal(2), ONE, 5, ["0", "1", "0", "1", "0"]),  # fewer units than days: where they fall due
        (Decimal(1000), Decimal(100), 3, ["300", "400", "300"]),
    ],
)
def test_quantum(target: Decimal, quantum: Decimal, days: int, amounts: list[str]) -> None:
    working_days = PLAIN_CALENDAR.working_days(date(2026, 3, 2), date(2026, 3, 6))[:days]
    plan = decompose(target, working_days, date(2026, 3, 2), date(2026, 3, 6), quantum=quantum)
    assert [day.amount for day in plan.days] == [Decimal(amount) for amount in amounts]
    assert_exact_and_even(plan, quantum, working_days)


def test_cent_quantum_over_the_acceptance_window() -> None:
    target = Decimal("1200000.07")
    working_days = US_CALENDAR.working_days(START, DEADLINE)
    plan = decompose(target, working_days, START, DEADLINE, quantum=CENT)
    assert_exact_and_even(plan, CENT, working_days)


# --- what decompose refuses or ignores -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("target", "working_days", "start", "deadline", "quantum", "message"),
    [
        (TARGET, [], START, DEADLINE, ONE, "no working days"),
        (TARGET, [date(2027, 4, 1)], START, DEADLINE, ONE, "no working days"),  # all outside the window
        (TARGET, [START], DEADLINE, START, ONE, "after the deadline"),
        (TARGET, [START], START, DEADLINE, Decimal(0), "quantum must be positive"),
        (TARGET, [START], START, DEADLINE, Decimal(-1), "quantum must be positive"),
        (Decimal(0), [START], START, DEADLINE, ONE, "target must be positive"),
        (Decimal(-5), [START], START, DEADLINE, ONE, "target must be positive"),
        (Decimal("10.5"), [START], START, DEADLINE, ONE, "not a whole number"),
        (Decimal("10.005"), [START], START, DEADLINE, CENT, "not a whole number"),
    ],
)
def test_decompose_refuses(
    target: Decimal, working_days: list[date], start: date, deadline: date, quantum: Decimal, message: str
) -> None:
    with pytest.raises(ValueError, match=message):
        decompose(target, working_days, start, deadline, quantum=quantum)


def test_decompose_ignores_duplicates_order_and_days_outside_the_window() -> None:
    start, deadline = date(2026, 3, 2), date(2026, 3, 6)
    messy = [date(2026, 3, 4), date(2026, 3, 2), date(2026, 3, 4), date(2026, 2, 27), date(2026, 3, 9)]
    plan = decompose(Decimal(5), messy, start, deadline, quantum=ONE)
    assert [(day.day, day.amount) for day in plan.days] == [
        (date(2026, 3, 2), Decimal(3)),
        (date(2026, 3, 4), Decimal(2)),
    ]


def test_month_without_working_days_gets_zero_and_keeps_its_weeks() -> None:
    vacation = frozenset(_every_day(date(2027, 2, 1), date(2027, 2, 28)))
    working_days = WorkCalendar("US", MONDAY_TO_FRIDAY, vacation).working_days(START, DEADLINE)
    plan = decompose(TARGET, working_days, START, DEADLINE, quantum=ONE)
    february = plan.months[2]
    assert (february.year, february.month) == (2027, 2)
    assert february.amount == 0
    assert len(february.weeks) == 4
    assert all(week.days == () and week.amount == 0 for week in february.weeks)
    assert_exact_and_even(plan, ONE, working_days)


# --- month shares --------------------------------------------------------------------------------------


@pytest.mark.parametrize("calendar", [CN_CALENDAR, US_CALENDAR], ids=["CN", "US"])
def test_december_fixed_at_40_percent(calendar: WorkCalendar) -> None:
    working_days = calendar.working_days(START, DEADLINE)
    per_month = _working_days_per_month(working_days)
    shares = rebalance_shares(per_month, {(2026, 12): Decimal(40)})
    plan = _plan(calendar, month_shares=shares)
    assert_exact_and_even(plan, ONE, working_days)
    december, *others = plan.months
    assert december.amount == Decimal(480_000)
    assert sum(month.amount for month in others) == Decimal(720_000)
    other_days = sum(per_month[month] for month in PLAN_MONTHS[1:])
    for month in others:
        key = (month.year, month.month)
        # Each month gets exactly its (0.01-rounded) share, and that share follows its working days.
        assert month.amount == TARGET * shares[key] / 100
        proportional = Fraction(720_000 * per_month[key], other_days)
        assert abs(Fraction(month.amount) - proportional) < Fraction(TARGET) * Fraction(CENT) / 100


def test_month_shares_drive_month_amounts_then_days_even_inside() -> None:
    working_days = PLAIN_CALENDAR.working_days(START, DEADLINE)
    shares = {(2026, 12): Decimal(10), (2027, 1): Decimal(20), (2027, 2): Decimal(30), (2027, 3): Decimal(40)}
    plan = _plan(PLAIN_CALENDAR, month_shares=shares)
    assert [month.amount for month in plan.months] == [120_000, 240_000, 360_000, 480_000]
    assert_exact_and_even(plan, ONE, working_days)


def test_month_shares_may_leave_months_out_and_give_them_zero() -> None:
    working_days = PLAIN_CALENDAR.working_days(START, DEADLINE)
    plan = _plan(PLAIN_CALENDAR, month_shares={(2027, 1): Decimal(50), (2027, 3): Decimal(50)})
    assert [month.amount for month in plan.months] == [0, 600_000, 0, 600_000]
    assert all(day.amount == 0 for day in plan.months[0].weeks[1].days)
    assert_exact_and_even(plan, ONE, working_days)


def test_uneven_month_shares_round_cumulatively() -> None:
    start, deadline = date(2026, 3, 1), date(2026, 5, 31)
    working_days = PLAIN_CALENDAR.working_days(start, deadline)
    shares = {(2026, 3): Decimal("33.33"), (2026, 4): Decimal("33.33"), (2026, 5): Decimal("33.34")}
    plan = decompose(Decimal(100), working_days, start, deadline, quantum=ONE, month_shares=shares)
    # Running 33.33, 66.66, 100 rounded: 33, 67, 100.
    assert [month.amount for month in plan.months] == [33, 34, 33]
    assert_exact_and_even(plan, ONE, working_days)


@pytest.mark.parametrize(
    ("shares", "reason"),
    [
        ({(2027, 4): Decimal(10), (2026, 12): Decimal(90)}, "unknown_month"),
        ({(2026, 12): Decimal(-10), (2027, 1): Decimal(110)}, "negative"),
        ({(2026, 12): Decimal(101)}, "above_100"),
        ({(2026, 12): Decimal(60), (2027, 1): Decimal(50)}, "sum_above_100"),
        ({(2026, 12): Decimal(60), (2027, 1): Decimal("39.99")}, "sum_below_100"),
        ({}, "sum_below_100"),
        ({(2027, 2): Decimal(10), (2026, 12): Decimal(90)}, "month_without_working_days"),
    ],
)
def test_decompose_refuses_bad_month_shares(shares: Mapping[Month, Decimal], reason: ShareReason) -> None:
    vacation = frozenset(_every_day(date(2027, 2, 1), date(2027, 2, 28)))
    working_days = WorkCalendar(None, MONDAY_TO_FRIDAY, vacation).working_days(START, DEADLINE)
    with pytest.raises(ShareError) as raised:
        decompose(TARGET, working_days, START, DEADLINE, quantum=ONE, month_shares=shares)
    assert raised.value.reason == reason
    assert isinstance(raised.value, ValueError)


# --- rebalance_shares ----------------------------------------------------------------------------------

FOUR_MONTHS = {(2026, 12): 23, (2027, 1): 21, (2027, 2): 17, (2027, 3): 23}  # CN, 84 working days


def _shares(*values: str) -> dict[Month, Decimal]:
    return dict(zip(sorted(FOUR_MONTHS), (Decimal(value) for value in values), strict=True))


@pytest.mark.parametrize(
    ("working_days", "fixed", "expected"),
    [
        # Nothing fixed: by working days. 23/84 = 27.38, 21/84 = 25, 17/84 = 20.24, 23/84 = 27.38.
        (FOUR_MONTHS, {}, _shares("27.38", "25.00", "20.24", "27.38")),
        # December at 40%: 60% over 61 days: 20.66, 16.72, 22.62 (22.622 and 16.721 floor, 20.655 up).
        (FOUR_MONTHS, {(2026, 12): Decimal(40)}, _shares("40.00", "20.66", "16.72", "22.62")),
        (FOUR_MONTHS, {(2026, 12): Decimal(100)}, _shares("100.00", "0.00", "0.00", "0.00")),
        (FOUR_MONTHS, {(2026, 12): Decimal(0)}, _shares("0.00", "34.43", "27.87", "37.70")),
        (
            FOUR_MONTHS,
            {(2026, 12): Decimal(10), (2027, 1): Decimal(20), (2027, 2): Decimal(30), (2027, 3): Decimal(40)},
            _shares("10.00", "20.00", "30.00", "40.00"),
        ),
        (
            FOUR_MONTHS,
            {(2026, 12): Decimal("12.5"), (2027, 3): Decimal("37.5")},
            _shares("12.50", "27.63", "22.37", "37.50"),
        ),
        # Three equal months: running 33.333, 66.667, 100 rounded, so the odd hundredth falls in the middle.
        (
            {(2026, 1): 20, (2026, 2): 20, (2026, 3): 20},
            {},
            {(2026, 1): Decimal("33.33"), (2026, 2): Decimal("33.34"), (2026, 3): Decimal("33.33")},
        ),
        # A month without working days takes nothing of the rest.
        (
            {(2026, 1): 20, (2026, 2): 0, (2026, 3): 20},
            {},
            {(2026, 1): Decimal(50), (2026, 2): Decimal(0), (2026, 3): Decimal(50)},
        ),
        (
            {(2026, 1): 20, (2026, 2): 0, (2026, 3): 20},
            {(2026, 2): Decimal(0)},
            {(2026, 1): Decimal(50), (2026, 2): Decimal(0), (2026, 3): Decimal(50)},
        ),
        # A fixed share finer than 0.01 is rounded, and the total still comes to exactly 100.
        (
            {(2026, 1): 20, (2026, 2): 20},
            {(2026, 1): Decimal("33.333")},
            {(2026, 1): Decimal("33.33"), (2026, 2): Decimal("66.67")},
        ),
        ({(2026, 1): 5}, {}, {(2026, 1): Decimal(100)}),
    ],
)
def test_rebalance_shares(
    working_days: Mapping[Month, int], fixed: Mapping[Month, Decimal], expected: dict[Month, Decimal]
) -> None:
    shares = rebalance_shares(working_days, fixed)
    assert shares == expected
    assert sum(shares.values()) == 100
    assert list(shares) == sorted(working_days)
    for share in shares.values():
        assert share == share.quantize(CENT)


@pytest.mark.parametrize(
    ("working_days", "fixed", "reason"),
    [
        (FOUR_MONTHS, {(2026, 12): Decimal("-0.01")}, "negative"),
        (FOUR_MONTHS, {(2026, 12): Decimal("100.01")}, "above_100"),
        (FOUR_MONTHS, {(2026, 12): Decimal(60), (2027, 1): Decimal("40.01")}, "sum_above_100"),
        (
            FOUR_MONTHS,
            {(2026, 12): Decimal(10), (2027, 1): Decimal(20), (2027, 2): Decimal(30), (2027, 3): Decimal(39)},
            "no_other_month",
        ),
        # The only other month has no working days, so nobody can take the remaining 40%.
        ({(2026, 1): 20, (2026, 2): 0}, {(2026, 1): Decimal(60)}, "no_other_month"),
        ({}, {}, "no_other_month"),
        ({(2026, 1): 20, (2026, 2): 0}, {(2026, 2): Decimal(5)}, "month_without_working_days"),
        (FOUR_MONTHS, {(2027, 4): Decimal(5)}, "unknown_month"),
    ],
)
def test_rebalance_shares_refuses(
    working_days: Mapping[Month, int], fixed: Mapping[Month, Decimal], reason: ShareReason
) -> None:
    with pytest.raises(ShareError) as raised:
        rebalance_shares(working_days, fixed)
    assert raised.value.reason == reason
    assert str(raised.value)


def test_share_error_names_the_month() -> None:
    with pytest.raises(ShareError) as raised:
        rebalance_shares(FOUR_MONTHS, {(2027, 1): Decimal(-1)})
    assert raised.value.month == (2027, 1)


def test_rebalance_shares_refuses_negative_working_days() -> None:
    with pytest.raises(ValueError, match="negative"):
        rebalance_shares({(2026, 1): -1}, {})


def test_rebalanced_shares_always_make_a_plan() -> None:
    working_days = CN_CALENDAR.working_days(START, DEADLINE)
    per_month = _working_days_per_month(working_days)
    for fixed in [{}, {(2027, 2): Decimal("5.55")}, {(2026, 12): Decimal(1), (2027, 3): Decimal(98)}]:
        shares = rebalance_shares(per_month, fixed)
        plan = _plan(CN_CALENDAR, month_shares=shares)
        assert_exact_and_even(plan, ONE, working_days)
        for month, share in fixed.items():
            assert plan.months[PLAN_MONTHS.index(month)].amount == TARGET * share / 100


@pytest.mark.parametrize(
    ("start", "end", "months"),
    [
        (date(2026, 12, 1), date(2027, 3, 31), PLAN_MONTHS),
        (date(2026, 3, 5), date(2026, 3, 5), [(2026, 3)]),
        (date(2026, 11, 30), date(2027, 1, 1), [(2026, 11), (2026, 12), (2027, 1)]),
        (date(2026, 3, 5), date(2026, 2, 5), []),
    ],
)
def test_months_between(start: date, end: date, months: list[Month]) -> None:
    assert months_between(start, end) == months
