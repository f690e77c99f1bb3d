"""A team target as an amount or as growth over last year, read by the house's number parser."""

from __future__ import annotations

from decimal import Decimal

import pytest

from bot.core.metrics import MetricKind
from bot.core.teams.targets import TargetKind, TargetProblem, TeamTargetSpec, parse_team_target, target_units

CURRENCY, COUNT = MetricKind.CURRENCY, MetricKind.COUNT


@pytest.mark.parametrize(
    "text", ["+30%", "增长30%", "30% more than last year", "增长百分之三十", "比去年增长 30 %", "不低于30%"]
)
def test_growth_over_last_year(text: str) -> None:
    assert parse_team_target(text, CURRENCY, lang="zh_CN") == TeamTargetSpec(TargetKind.GROWTH, Decimal(30))


@pytest.mark.parametrize(
    ("text", "amount"),
    [
        ("600万", 6_000_000),
        ("¥6,000,000", 6_000_000),
        ("6M", 6_000_000),
        ("一百二十", 120),
        ("120 deals", 120),
    ],
)
def test_an_amount(text: str, amount: int) -> None:
    assert parse_team_target(text, COUNT if amount == 120 else CURRENCY, lang="en") == TeamTargetSpec(
        TargetKind.AMOUNT, Decimal(amount)
    )


@pytest.mark.parametrize(
    ("text", "kind", "problem"),
    [
        ("lots", CURRENCY, TargetProblem.NOT_A_NUMBER),
        ("0", CURRENCY, TargetProblem.ZERO),
        ("-5万", CURRENCY, TargetProblem.NEGATIVE),
        ("-30%", CURRENCY, TargetProblem.NEGATIVE),
        ("0%", CURRENCY, TargetProblem.ZERO),
        ("增长1200%", CURRENCY, TargetProblem.TOO_LARGE),
        ("1234.50", CURRENCY, TargetProblem.NOT_WHOLE),
        ("2.5", COUNT, TargetProblem.NOT_WHOLE),
        ("减少10%", CURRENCY, TargetProblem.DECLINE),
        ("10% less than last year", CURRENCY, TargetProblem.DECLINE),
        ("5000万 or 6000万", CURRENCY, TargetProblem.NOT_A_NUMBER),
    ],
)
def test_refused(text: str, kind: MetricKind, problem: TargetProblem) -> None:
    assert parse_team_target(text, kind, lang="en") is problem


def test_growth_becomes_whole_units_rounded_up() -> None:
    growth = TeamTargetSpec(TargetKind.GROWTH, Decimal(30))
    # B company's case: +30% over last year's 5,000,000.
    assert target_units(growth, Decimal(5_000_000), CURRENCY) == 6_500_000
    assert target_units(growth, Decimal("1000.01"), CURRENCY) == 1301  # 1300.013 rounds up
    assert target_units(growth, Decimal(7), COUNT) == 10  # 9.1 deals: never under 30%
    assert target_units(growth, None, CURRENCY) is TargetProblem.NO_BASELINE
    assert target_units(growth, Decimal(0), CURRENCY) is TargetProblem.ZERO_BASELINE
    assert target_units(TeamTargetSpec(TargetKind.GROWTH, Decimal(1000)), Decimal(10**6), COUNT) is (
        TargetProblem.TOO_LARGE
    )
    assert target_units(TeamTargetSpec(TargetKind.AMOUNT, Decimal(120)), None, COUNT) == 120
