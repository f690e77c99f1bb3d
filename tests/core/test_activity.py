"""Activity worked back through the funnel, funnel validation, and counts spread over a plan's days."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from bot.core.activity import (
    DEFAULT_FUNNEL_RATES,
    ActivityNeeds,
    Funnel,
    FunnelError,
    FunnelReason,
    work_back,
    work_back_from_deals,
)
from bot.core.plan import decompose
from bot.core.work_calendar import MONDAY_TO_FRIDAY, WorkCalendar


def _funnel(average_deal: str, win: str, meeting: str, visit: str) -> Funnel:
    return Funnel(Decimal(average_deal), Decimal(win), Decimal(meeting), Decimal(visit))


def test_the_reference_example() -> None:
    funnel = Funnel(Decimal(50_000), Decimal("0.25"), Decimal("0.5"), Decimal("0.2"))
    assert work_back(Decimal(500_000), funnel) == ActivityNeeds(deals=10, meetings=40, visits=80, calls=400)


def test_default_rates_are_the_documented_ones_and_fill_a_funnel() -> None:
    assert DEFAULT_FUNNEL_RATES.win_rate == Decimal("0.25")
    assert DEFAULT_FUNNEL_RATES.meeting_rate == Decimal("0.5")
    assert DEFAULT_FUNNEL_RATES.visit_rate == Decimal("0.2")
    funnel = Funnel(Decimal(50_000), *DEFAULT_FUNNEL_RATES)
    assert work_back(Decimal(500_000), funnel) == ActivityNeeds(10, 40, 80, 400)


@pytest.mark.parametrize(
    ("revenue", "funnel", "needs"),
    [
        # Every step rounds up: 10.2 deals are 11, and so on down the funnel.
        ("510000", ("50000", "0.25", "0.5", "0.2"), (11, 44, 88, 440)),
        ("500001", ("50000", "0.25", "0.5", "0.2"), (11, 44, 88, 440)),
        ("499999", ("50000", "0.25", "0.5", "0.2"), (10, 40, 80, 400)),
        ("0", ("50000", "0.25", "0.5", "0.2"), (0, 0, 0, 0)),
        ("1", ("50000", "0.25", "0.5", "0.2"), (1, 4, 8, 40)),
        ("100", ("100", "1", "1", "1"), (1, 1, 1, 1)),  # every step certain
        # Exact arithmetic: 3 / 0.3 is 10, not 10.000...1 rounded up to 11.
        ("300", ("100", "0.3", "0.3", "0.3"), (3, 10, 34, 114)),
        ("1234.56", ("0.01", "0.5", "0.5", "0.5"), (123456, 246912, 493824, 987648)),
        ("1000", ("333.33", "0.7", "0.9", "0.15"), (4, 6, 7, 47)),
    ],
)
def test_work_back(revenue: str, funnel: tuple[str, str, str, str], needs: tuple[int, int, int, int]) -> None:
    assert work_back(Decimal(revenue), _funnel(*funnel)) == ActivityNeeds(*needs)


@pytest.mark.parametrize(
    ("deals", "needs"),
    [
        (0, (0, 0, 0, 0)),
        (1, (1, 4, 8, 40)),
        (10, (10, 40, 80, 400)),
        (7, (7, 28, 56, 280)),
    ],
)
def test_work_back_from_deals(deals: int, needs: tuple[int, int, int, int]) -> None:
    funnel = Funnel(Decimal(50_000), *DEFAULT_FUNNEL_RATES)
    assert work_back_from_deals(deals, funnel) == ActivityNeeds(*needs)


def test_work_back_from_deals_rounds_up_odd_rates() -> None:
    funnel = _funnel("1", "0.3", "0.7", "0.45")
    # 5 / 0.3 = 16.7 -> 17; 17 / 0.7 = 24.3 -> 25; 25 / 0.45 = 55.6 -> 56.
    assert work_back_from_deals(5, funnel) == ActivityNeeds(5, 17, 25, 56)


def test_negative_inputs_are_refused() -> None:
    funnel = Funnel(Decimal(50_000), *DEFAULT_FUNNEL_RATES)
    with pytest.raises(ValueError, match="revenue"):
        work_back(Decimal(-1), funnel)
    with pytest.raises(ValueError, match="deals"):
        work_back_from_deals(-1, funnel)


@pytest.mark.parametrize(
    ("funnel", "reason", "field"),
    [
        (("0", "0.25", "0.5", "0.2"), "deal_size_not_positive", "average_deal"),
        (("-100", "0.25", "0.5", "0.2"), "deal_size_not_positive", "average_deal"),
        (("50000", "0", "0.5", "0.2"), "rate_not_positive", "win_rate"),
        (("50000", "-0.1", "0.5", "0.2"), "rate_not_positive", "win_rate"),
        (("50000", "0.25", "0", "0.2"), "rate_not_positive", "meeting_rate"),
        (("50000", "0.25", "0.5", "-1"), "rate_not_positive", "visit_rate"),
        (("50000", "1.01", "0.5", "0.2"), "rate_above_one", "win_rate"),
        (("50000", "0.25", "2", "0.2"), "rate_above_one", "meeting_rate"),
        (("50000", "0.25", "0.5", "25"), "rate_above_one", "visit_rate"),  # a percent typed as a rate
    ],
)
def test_funnel_refuses(funnel: tuple[str, str, str, str], reason: FunnelReason, field: str) -> None:
    with pytest.raises(FunnelError) as raised:
        _funnel(*funnel)
    assert raised.value.reason == reason
    assert raised.value.field == field
    assert isinstance(raised.value, ValueError)
    assert field in str(raised.value)


@pytest.mark.parametrize("rates", [("1", "1", "1"), ("0.0001", "0.0001", "0.0001")])
def test_funnel_accepts_rates_at_the_edges(rates: tuple[str, str, str]) -> None:
    _funnel("0.01", *rates)


def test_without_a_deal_size_deals_are_not_invented() -> None:
    funnel = Funnel(None, *DEFAULT_FUNNEL_RATES)
    with pytest.raises(FunnelError) as raised:
        work_back(Decimal(2_000_000), funnel)
    assert raised.value.reason == "deal_size_not_set"
    # A deals goal needs no deal size.
    assert work_back_from_deals(4, funnel) == ActivityNeeds(4, 16, 32, 160)


CN = WorkCalendar("CN", MONDAY_TO_FRIDAY)


def test_deals_follow_the_revenue_plan_month_by_month() -> None:
    """40 deals over December to March: each month gets its working-day share, not the first ten days."""
    start, deadline = date(2026, 12, 1), date(2027, 3, 31)
    revenue = decompose(
        Decimal(2_000_000), CN.working_days(start, deadline), start, deadline, quantum=Decimal(1)
    )
    deals = revenue.spread(40)
    assert sum(month.amount for month in deals.months) == 40
    for revenue_month, deal_month in zip(revenue.months, deals.months, strict=True):
        share = revenue_month.amount / revenue.target
        assert abs(deal_month.amount - 40 * share) < 1
    first_week = deals.months[0].weeks[0]
    assert first_week.amount in (1, 2)  # 40 deals over ~80 working days: about one every other day


def test_spread_of_nothing_and_of_one() -> None:
    start, deadline = date(2026, 3, 2), date(2026, 3, 6)
    plan = decompose(Decimal(10), CN.working_days(start, deadline), start, deadline, quantum=Decimal(1))
    assert [day.amount for day in plan.spread(0).days] == [0] * 5
    assert [day.amount for day in plan.spread(1).days] == [0, 0, 1, 0, 0]  # due mid-week, not on Monday
