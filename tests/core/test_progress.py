"""Progress against a plan: expected so far, pace status, required pace and forecast, every edge case."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.core.forecast import ForecastRange
from bot.core.plan import Plan, decompose
from bot.core.progress import PaceStatus, measure, pace_status, standing
from bot.core.work_calendar import MONDAY_TO_FRIDAY, WorkCalendar

# 2,000 over the 20 weekdays from Monday 2026-03-02 to Friday 2026-03-27: exactly 100 a working day.
START = date(2026, 3, 2)
DEADLINE = date(2026, 3, 27)
TARGET = Decimal(2000)
PLAIN = WorkCalendar(None, MONDAY_TO_FRIDAY)


def _plan(
    target: Decimal = TARGET, start: date = START, deadline: date = DEADLINE, calendar: WorkCalendar = PLAIN
) -> Plan:
    return decompose(target, calendar.working_days(start, deadline), start, deadline, quantum=Decimal(1))


def _days(start: date, end: date) -> list[date]:
    return [start + timedelta(days=offset) for offset in range((end - start).days + 1)]


def _each_working_day(amount: int, start: date, end: date) -> dict[date, Decimal]:
    return {day: Decimal(amount) for day in PLAIN.working_days(start, end)}


def test_goal_not_started_yet() -> None:
    progress = measure(_plan(), {}, date(2026, 2, 27))
    assert progress.status is PaceStatus.NOT_STARTED
    assert progress.actual == progress.expected == progress.gap == 0
    assert progress.elapsed_working_days == 0
    assert progress.working_days_left == 20
    assert progress.calendar_days_left == 28
    assert progress.required_per_day == 100
    assert progress.forecast is None
    assert progress.percent_done == 0


def test_results_before_the_start_do_not_count() -> None:
    progress = measure(
        _plan(), {date(2026, 2, 27): Decimal(500), date(2026, 3, 2): Decimal(100)}, date(2026, 3, 2)
    )
    assert progress.actual == 100


def test_first_day_on_plan() -> None:
    progress = measure(_plan(), {START: Decimal(100)}, START)
    assert progress.status is PaceStatus.ON_TRACK
    assert progress.actual == progress.expected == 100
    assert progress.gap == 0
    assert progress.elapsed_working_days == 1
    assert progress.working_days_left == 19
    assert progress.required_per_day == 100
    assert progress.forecast is None  # one day is too early to forecast
    assert (progress.evidence.days_with_results, progress.evidence.elapsed_working_days) == (1, 1)
    assert progress.percent_done == Decimal("5.0")


@pytest.mark.parametrize(
    ("actual", "status"),
    [
        # Through Friday 2026-03-06: 500 expected.
        (700, PaceStatus.ON_TRACK),  # ahead
        (500, PaceStatus.ON_TRACK),
        (451, PaceStatus.ON_TRACK),  # 9.8% short
        (450, PaceStatus.AT_RISK),  # exactly 10% short
        (376, PaceStatus.AT_RISK),  # 24.8% short
        (375, PaceStatus.OFF_TRACK),  # exactly 25% short
        (0, PaceStatus.OFF_TRACK),
    ],
)
def test_pace_status_thresholds(actual: int, status: PaceStatus) -> None:
    progress = measure(_plan(), {date(2026, 3, 4): Decimal(actual)}, date(2026, 3, 6))
    assert progress.expected == 500
    assert progress.status is status
    assert progress.gap == 500 - actual


def test_deadline_passed_target_missed() -> None:
    actuals = _each_working_day(90, START, DEADLINE)
    progress = measure(_plan(), actuals, date(2026, 4, 3))
    assert progress.status is PaceStatus.ENDED
    assert progress.actual == 1800
    assert progress.expected == 2000
    assert progress.working_days_left == 0
    assert progress.calendar_days_left == 0
    assert progress.required_per_day is None
    assert progress.forecast == ForecastRange(Decimal(1800), Decimal(1800), 20)
    assert progress.elapsed_working_days == 20
    assert progress.percent_done == Decimal("90.0")


def test_deadline_day_itself_counted_and_missed_is_ended() -> None:
    progress = measure(_plan(), _each_working_day(90, START, DEADLINE), DEADLINE)
    assert progress.status is PaceStatus.ENDED
    assert progress.calendar_days_left == 0


def test_deadline_passed_target_achieved() -> None:
    progress = measure(_plan(), _each_working_day(100, START, DEADLINE), date(2026, 4, 30))
    assert progress.status is PaceStatus.ACHIEVED
    assert progress.actual == 2000
    assert progress.gap == 0
    assert progress.required_per_day is None
    assert progress.percent_done == 100


def test_results_after_the_deadline_do_not_count() -> None:
    actuals = {**_each_working_day(90, START, DEADLINE), date(2026, 3, 30): Decimal(500)}
    progress = measure(_plan(), actuals, date(2026, 4, 3))
    assert progress.actual == 1800
    assert progress.status is PaceStatus.ENDED


def test_target_exceeded_before_the_deadline() -> None:
    progress = measure(_plan(), {date(2026, 3, 3): Decimal(2500)}, date(2026, 3, 10))
    assert progress.status is PaceStatus.ACHIEVED
    assert progress.actual == 2500
    assert progress.expected == 700
    assert progress.gap == -1800
    assert progress.required_per_day is None
    assert progress.percent_done == 125
    assert progress.elapsed_working_days == 7
    assert progress.working_days_left == 13
    # 7 working days gone (at least 3 and 10% of 20): the plain average 2500 / 7 a day for 13 more days
    # gives 7142.86, the weighted pace (the deal a week old) 6505.2; three digits, rounded outward.
    assert progress.forecast == ForecastRange(Decimal(6500), Decimal(7150), 7)


def test_no_working_days_left_before_the_deadline() -> None:
    # China, February 2026: after the make-up Saturday 02-14, the days up to Sunday 02-22 are all the
    # Spring Festival holiday or a weekend, so nothing is left to work in the plan.
    calendar = WorkCalendar("CN", MONDAY_TO_FRIDAY)
    start, deadline = date(2026, 2, 9), date(2026, 2, 22)
    plan = _plan(Decimal(600), start, deadline, calendar)
    assert [day.day for day in plan.days] == [*_days(date(2026, 2, 9), date(2026, 2, 13)), date(2026, 2, 14)]
    progress = measure(plan, {date(2026, 2, 10): Decimal(300)}, date(2026, 2, 15))
    assert progress.working_days_left == 0
    assert progress.calendar_days_left == 7
    assert progress.required_per_day is None
    assert progress.forecast == ForecastRange(Decimal(300), Decimal(300), 6)
    assert progress.elapsed_working_days == 6
    assert progress.expected == 600
    assert progress.status is PaceStatus.OFF_TRACK  # not ENDED: the deadline has not come


def test_goal_paused_for_a_while() -> None:
    paused = frozenset(_days(date(2026, 3, 9), date(2026, 3, 15)))  # the second week, weekend included
    actuals = {
        **_each_working_day(100, date(2026, 3, 2), date(2026, 3, 6)),
        **_each_working_day(100, date(2026, 3, 16), date(2026, 3, 20)),
    }
    progress = measure(_plan(), actuals, date(2026, 3, 20), paused=paused)
    assert progress.actual == 1000
    assert progress.expected == 1000  # 1500 by the plan, less the paused week's 500
    assert progress.gap == 0
    assert progress.status is PaceStatus.ON_TRACK
    assert progress.elapsed_working_days == 10  # 15 working days, 5 of them paused
    assert progress.forecast == ForecastRange(Decimal(1500), Decimal(1500), 10)  # 100 a day, 5 days left
    assert progress.working_days_left == 5
    assert progress.required_per_day == 200


def test_without_the_pause_the_same_results_are_behind() -> None:
    actuals = {
        **_each_working_day(100, date(2026, 3, 2), date(2026, 3, 6)),
        **_each_working_day(100, date(2026, 3, 16), date(2026, 3, 20)),
    }
    progress = measure(_plan(), actuals, date(2026, 3, 20))
    assert progress.expected == 1500
    assert progress.status is PaceStatus.OFF_TRACK  # 33% short
    assert progress.elapsed_working_days == 15
    # The plain average (66.67 a day) gives 1333.33; the weighted pace (67.96, the latest week full) 1339.81.
    assert progress.forecast == ForecastRange(Decimal(1330), Decimal(1340), 15)


def test_a_planned_pause_ahead_is_not_a_day_left_to_work() -> None:
    paused = frozenset(_days(date(2026, 3, 23), date(2026, 3, 27)))  # the last week, still to come
    progress = measure(
        _plan(), _each_working_day(100, START, date(2026, 3, 13)), date(2026, 3, 13), paused=paused
    )
    assert progress.expected == 1000
    assert progress.working_days_left == 5
    assert progress.required_per_day == 200
    assert progress.forecast == ForecastRange(Decimal(1500), Decimal(1500), 10)


def test_a_result_logged_on_a_paused_day_still_counts() -> None:
    paused = frozenset({date(2026, 3, 4)})
    progress = measure(_plan(), {date(2026, 3, 4): Decimal(300)}, date(2026, 3, 4), paused=paused)
    assert progress.actual == 300
    assert progress.expected == 200
    assert progress.elapsed_working_days == 2


def test_paused_days_outside_the_plan_change_nothing() -> None:
    actuals = _each_working_day(100, START, date(2026, 3, 6))
    paused = frozenset({date(2026, 2, 27), date(2026, 3, 7), date(2026, 4, 1)})  # before, a Saturday, after
    assert measure(_plan(), actuals, date(2026, 3, 6), paused=paused) == measure(
        _plan(), actuals, date(2026, 3, 6)
    )


def test_no_actuals_at_all() -> None:
    progress = measure(_plan(), {}, date(2026, 3, 13))
    assert progress.actual == 0
    assert progress.expected == 1000
    assert progress.gap == 1000
    assert progress.status is PaceStatus.OFF_TRACK
    assert progress.percent_done == 0
    assert progress.forecast is None  # two weeks without a single result are no evidence of a pace
    assert progress.required_per_day == 200


def test_actuals_on_a_weekend() -> None:
    actuals = {date(2026, 3, 7): Decimal(300), date(2026, 3, 8): Decimal(200)}  # Saturday and Sunday
    progress = measure(_plan(), actuals, date(2026, 3, 8))
    assert progress.actual == 500
    assert progress.expected == 500
    assert progress.status is PaceStatus.ON_TRACK
    assert progress.elapsed_working_days == 5  # the weekend is not a working day of the run-rate
    # The weekend's results count for Friday: a day with results, and 5 of 20 working days gone. The
    # plain average (100 a day) gives 2000, the weighted pace (all of it on the latest day) 2211.5.
    assert progress.forecast == ForecastRange(Decimal(2000), Decimal(2220), 5)
    assert progress.working_days_left == 15
    assert progress.calendar_days_left == 19


def test_nothing_expected_yet_is_on_track() -> None:
    # A plan starting on a Saturday: on its first day nothing is expected and no working day has passed.
    plan = _plan(start=date(2026, 2, 28))
    progress = measure(plan, {}, date(2026, 2, 28))
    assert progress.expected == 0
    assert progress.status is PaceStatus.ON_TRACK
    assert progress.forecast is None
    assert progress.elapsed_working_days == 0


def test_everything_paused_so_far_is_on_track() -> None:
    paused = frozenset(_days(START, date(2026, 3, 6)))
    progress = measure(_plan(), {}, date(2026, 3, 6), paused=paused)
    assert progress.expected == 0
    assert progress.status is PaceStatus.ON_TRACK
    assert progress.forecast is None


@pytest.mark.parametrize(
    ("actual", "days_left_through", "required"),
    [
        # 2000 - actual over the working days after `through`, rounded up to the cent.
        (1000, date(2026, 3, 24), Decimal("333.34")),  # 1000 over 3 days
        (1999, date(2026, 3, 24), Decimal("0.34")),
        (0, date(2026, 3, 26), Decimal(2000)),  # one day left
    ],
)
def test_required_per_day_rounds_up(actual: int, days_left_through: date, required: Decimal) -> None:
    progress = measure(_plan(), {START: Decimal(actual)}, days_left_through)
    assert progress.required_per_day == required


@pytest.mark.parametrize(
    ("actual", "percent"),
    [
        (1999, Decimal("99.9")),
        (1, Decimal("0.0")),
        (3, Decimal("0.1")),
        (1000, Decimal("50.0")),
        (2001, Decimal("100.0")),
    ],
)
def test_percent_done_is_rounded_down(actual: int, percent: Decimal) -> None:
    progress = measure(_plan(), {START: Decimal(actual)}, START)
    assert progress.percent_done == percent
    assert str(progress.percent_done) == str(percent)


def test_cent_amounts() -> None:
    plan = decompose(
        Decimal("1000.00"), PLAIN.working_days(START, DEADLINE), START, DEADLINE, quantum=Decimal("0.01")
    )
    progress = measure(plan, {START: Decimal("33.33"), date(2026, 3, 3): Decimal("16.67")}, date(2026, 3, 3))
    assert progress.actual == Decimal("50.00")
    assert progress.expected == Decimal("100.00")
    assert progress.status is PaceStatus.OFF_TRACK
    assert progress.required_per_day == Decimal("52.78")  # 950 / 18 = 52.777...
    assert progress.forecast is None  # two working days: too early


def test_status_values_are_stable_strings() -> None:
    # Stored and used as message keys: renaming one is a data change.
    assert [status.value for status in PaceStatus] == [
        "not_started",
        "on_track",
        "at_risk",
        "off_track",
        "achieved",
        "ended",
    ]


@pytest.mark.parametrize("amount", [0, 60, 85, 100, 140])
@pytest.mark.parametrize("paused", [frozenset(), frozenset(_days(date(2026, 3, 9), date(2026, 3, 15)))])
def test_pace_status_is_the_status_measure_gives(amount: int, paused: frozenset[date]) -> None:
    # The nudges' off-track check asks only for the status of several days: the same answer, for less.
    actuals = _each_working_day(amount, START, date(2026, 3, 20))
    for through in _days(date(2026, 2, 27), date(2026, 4, 3)):
        expected = measure(_plan(), actuals, through, paused=paused).status
        assert pace_status(_plan(), actuals, through, paused=paused) is expected, through


@settings(max_examples=200, deadline=None)
@given(
    target=st.integers(1, 50_000),
    amounts=st.dictionaries(st.integers(-5, 30), st.integers(0, 3_000), max_size=30),
    paused_offsets=st.sets(st.integers(0, 25), max_size=6),
    through_offset=st.integers(-5, 35),
)
def test_a_standing_is_what_measure_says_of_the_same_day(
    target: int, amounts: dict[int, int], paused_offsets: set[int], through_offset: int
) -> None:
    # The member rows of a team read standing(), the personal goal reads measure(): the same day, the
    # same figures, whatever the results (before, inside and after the window), paused days and day.
    plan = _plan(Decimal(target))
    actuals = {START + timedelta(days=offset): Decimal(amount) for offset, amount in amounts.items()}
    paused = frozenset(START + timedelta(days=offset) for offset in paused_offsets)
    through = START + timedelta(days=through_offset)
    measured = measure(plan, actuals, through, paused=paused)
    stood = standing(plan, actuals, through, paused=paused)
    assert (stood.target, stood.actual, stood.expected, stood.gap, stood.status, stood.percent_done) == (
        measured.target,
        measured.actual,
        measured.expected,
        measured.gap,
        measured.status,
        measured.percent_done,
    )
