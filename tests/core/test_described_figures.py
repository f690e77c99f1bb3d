"""A goal's description that already names its target and its deadline."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from bot.core.smart import DescribedFigures, figures_in_description

TODAY = date(2026, 11, 27)


def test_an_amount_and_a_period_in_chinese() -> None:
    assert figures_in_description("下季度把华东区销售额做到200万", TODAY) == DescribedFigures(
        amount=Decimal(2_000_000), deadline=date(2027, 3, 31), deadline_words="下季度"
    )


def test_a_number_inside_the_date_is_no_target() -> None:
    figures = figures_in_description("3月底前卖出50万的ERP", TODAY)
    assert (figures.amount, figures.deadline) == (Decimal(500_000), date(2027, 3, 31))


def test_a_growth_and_a_period_in_english() -> None:
    figures = figures_in_description("raise revenue 20% next quarter by selling the new model", TODAY)
    assert (figures.amount, figures.growth_percent, figures.deadline) == (
        None,
        Decimal(20),
        date(2027, 3, 31),
    )


def test_a_description_without_figures_offers_nothing() -> None:
    assert figures_in_description("sell the ERP upgrade to hospital clients in East China", TODAY) == (
        DescribedFigures()
    )
