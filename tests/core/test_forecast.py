"""The forecast on synthetic histories: when it speaks, and the range it gives."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from bot.core.forecast import (
    MIN_DAYS_WITH_RESULTS,
    Evidence,
    ForecastRange,
    assess,
    forecast_range,
    weighted_pace,
)
from bot.core.plan import decompose
from bot.core.progress import Progress, measure
from bot.core.work_calendar import MONDAY_TO_FRIDAY, WorkCalendar

# 2,000,000 over the 85 weekdays from Monday 2026-03-02 to Friday 2026-06-26 (17 weeks): 10% is 9 days.
START, DEADLINE, TARGET = date(2026, 3, 2), date(2026, 6, 26), Decimal(2_000_000)
PLAIN = WorkCalendar(None, MONDAY_TO_FRIDAY)
WORKING_DAYS = PLAIN.working_days(START, DEADLINE)
PLAN = decompose(TARGET, WORKING_DAYS, START, DEADLINE, quantum=Decimal(1))


def history(*amounts: int) -> dict[date, Decimal]:
    """One amount per working day from the start (0 is a day without a result, left out)."""
    return {day: Decimal(amount) for day, amount in zip(WORKING_DAYS, amounts, strict=False) if amount}


def through_day(count: int) -> date:
    """The `count`-th working day of the goal."""
    return WORKING_DAYS[count - 1]


def progress(actuals: dict[date, Decimal], days: int) -> Progress:
    return measure(PLAN, actuals, through_day(days))


def test_the_goal_has_85_working_days_and_10_percent_is_9() -> None:
    assert len(WORKING_DAYS) == 85
    assert Evidence(0, 0, 85).elapsed_needed == 9
    assert Evidence(0, 0, 10).elapsed_needed == 3  # never from fewer than 3 days
    assert Evidence(0, 0, 2).elapsed_needed == 2  # nor more than the goal has


def test_steady_pace_gives_a_narrow_range_on_the_pace() -> None:
    result = progress(history(*[20_000] * 15), 15)
    # 300,000 done and 20,000 a day for the 70 working days left, whichever way the pace is measured.
    assert result.forecast == ForecastRange(Decimal(1_700_000), Decimal(1_700_000), 15)


def test_accelerating_pace_reaches_higher_at_the_top_of_the_range() -> None:
    result = progress(history(*[10_000] * 10, *[30_000] * 10), 20)
    assert result.forecast is not None
    plain = Decimal(400_000) + Decimal(20_000) * 65  # the plain average: 20,000 a day
    assert result.forecast.low == plain == 1_700_000
    # The last two weeks weigh more: well above the average, short of the latest pace.
    assert plain + 200_000 < result.forecast.high < Decimal(400_000) + Decimal(30_000) * 65


def test_one_big_deal_on_day_one_is_too_early_then_does_not_set_the_forecast() -> None:
    big_day = history(500_000)
    first = progress(big_day, 1)
    assert first.forecast is None
    assert (first.evidence.days_with_results, first.evidence.elapsed_working_days) == (1, 1)
    assert first.required_per_day == Decimal("17857.15")  # 1,500,000 over the 84 days left, rounded up
    # A week with nothing more: still too early (1 day with results, 5 of the 9 days needed gone).
    assert progress(big_day, 5).forecast is None

    # Two more weeks of small results, then a forecast from all of it.
    later = progress(history(500_000, *[5_000] * 14), 15)
    assert later.forecast is not None
    extrapolated = Decimal(500_000) * 85  # what one day's pace would promise
    assert later.forecast.high < extrapolated / 10
    # The day-one deal weighs less the further it lies behind: the weighted pace is the low end.
    assert later.forecast.low < later.forecast.high
    assert later.forecast.working_days == 15


def test_a_dry_spell_pulls_the_range_down() -> None:
    before = progress(history(*[20_000] * 10), 10)
    after = progress(history(*[20_000] * 10), 20)  # ten working days without a result
    assert before.forecast == ForecastRange(Decimal(1_700_000), Decimal(1_700_000), 10)
    assert after.forecast is not None
    plain = Decimal(200_000) + Decimal(10_000) * 65  # the plain average halves with the dry days
    assert after.forecast.high == plain == 850_000
    # The recent dry weeks weigh more: the low end falls well below the plain average.
    assert after.forecast.low < plain - 100_000
    assert after.forecast.high < before.forecast.low


def test_five_days_with_results_are_enough_before_10_percent_has_gone() -> None:
    assert progress(history(*[10_000] * (MIN_DAYS_WITH_RESULTS - 1)), 4).forecast is None
    assert progress(history(*[10_000] * MIN_DAYS_WITH_RESULTS), 5).forecast is not None


def test_10_percent_gone_with_a_result_is_enough() -> None:
    sparse = history(50_000, 0, 0, 0, 0, 0, 0, 0, 0)
    assert progress(sparse, 8).forecast is None
    nine = progress(sparse, 9)
    assert nine.forecast is not None and nine.forecast.working_days == 9
    # Time alone is not evidence.
    assert progress({}, 30).forecast is None


def test_results_on_a_day_off_count_for_the_working_day_before() -> None:
    saturday = date(2026, 3, 7)
    evidence, _ = assess(WORKING_DAYS, {saturday: Decimal(100)}, START, saturday, 80)
    assert (evidence.days_with_results, evidence.elapsed_working_days) == (1, 5)


def test_weighted_pace_halves_a_day_s_weight_every_two_working_weeks() -> None:
    zeros = [Decimal(0)] * 10
    oldest = weighted_pace([Decimal(100), *zeros])  # ten working days before the latest
    latest = weighted_pace([*zeros, Decimal(100)])
    assert abs(latest - 2 * oldest) < Decimal("1e-20")
    assert abs(weighted_pace([Decimal(7)] * 30) - 7) < Decimal("1e-20")


@given(
    st.lists(st.integers(min_value=0, max_value=10**7), min_size=1, max_size=200),
    st.integers(min_value=0, max_value=800),
)
def test_the_range_is_ordered_and_never_below_what_is_done(amounts: list[int], days_left: int) -> None:
    daily = [Decimal(amount) for amount in amounts]
    result = forecast_range(daily, days_left)
    assert result is not None
    done = sum(daily, Decimal(0))
    assert done <= result.low <= result.high
    assert result.working_days == len(daily)


@given(st.lists(st.integers(min_value=0, max_value=10**6), min_size=1, max_size=85), st.data())
def test_measure_s_forecast_is_ordered_and_never_below_what_is_done(
    amounts: list[int], data: st.DataObject
) -> None:
    days = data.draw(st.integers(min_value=1, max_value=85))
    result = progress(history(*amounts), days)
    if result.forecast is not None:
        assert result.actual <= result.forecast.low <= result.forecast.high
    else:
        assert not result.evidence.enough


def test_a_history_ending_on_the_deadline_forecasts_what_is_done() -> None:
    result = measure(PLAN, history(*[10_000] * 85), DEADLINE + timedelta(days=3))
    assert result.forecast == ForecastRange(Decimal(850_000), Decimal(850_000), 85)
