"""Activity worked back through the funnel, funnel validation, and integer spreads over periods."""

from __future__ import annotations

from decimal import Decimal

import pytest

from bot.core.activity import (
    DEFAULT_FUNNEL_RATES,
    ActivityNeeds,
    Funnel,
    FunnelError,
    FunnelReason,
    spread_count,
    work_back,
    work_back_from_deals,
)


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


@pytest.mark.parametrize(
    ("total", "parts", "expected"),
    [
        (400, [23, 21, 17, 23], [110, 100, 81, 109]),  # calls per month by CN working days
        (10, [5, 5], [5, 5]),
        (10, [1, 1, 1], [4, 3, 3]),  # ties: earlier periods first
        (2, [1, 1, 1, 1, 1], [1, 1, 0, 0, 0]),
        (7, [0, 5, 0, 2], [0, 5, 0, 2]),  # a period without working days gets nothing
        (0, [3, 4], [0, 0]),
        (0, [0, 0], [0, 0]),
        (0, [], []),
        (1, [3], [1]),
    ],
)
def test_spread_count(total: int, parts: list[int], expected: list[int]) -> None:
    assert spread_count(total, parts) == expected
    assert sum(spread_count(total, parts)) == total


@pytest.mark.parametrize(("total", "parts"), [(5, [0, 0]), (5, []), (-1, [1]), (5, [2, -1])])
def test_spread_count_refuses(total: int, parts: list[int]) -> None:
    with pytest.raises(ValueError):
        spread_count(total, parts)
