"""The one formatting rule: whole currency units from 100 up, cents only below, percentages half-up to 0.1,
English plurals for counts, week ranges whole or labelled as cut."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest

from bot.core.goal_draft import GoalDraft
from bot.core.plan import decompose
from bot.i18n import translator
from bot.services.goal_text import (
    amount_text,
    count_text,
    goal_headline,
    money_text,
    number_text,
    percent_of,
    percent_text,
)
from bot.services.plan_text import week_line

EN, ZH = translator("en"), translator("zh_CN")


@pytest.mark.parametrize(
    ("value", "currency", "language", "expected"),
    [
        (Decimal("843.38"), "USD", "en", "$843"),
        (Decimal("864.2"), "USD", "en", "$864"),
        (Decimal("843.50"), "USD", "en", "$844"),
        (Decimal("9756.1"), "CNY", "zh_CN", "¥9,756"),
        (Decimal("99.5"), "USD", "en", "$99.50"),
        (Decimal("5"), "USD", "en", "$5"),
        (Decimal("99.995"), "USD", "en", "$100"),
        (Decimal("-1234.5"), "CNY", "zh_CN", "-¥1,235"),
    ],
)
def test_money_is_whole_from_100_and_has_cents_only_below(
    value: Decimal, currency: str, language: str, expected: str
) -> None:
    assert money_text(value, currency, translator(language)) == expected


@pytest.mark.parametrize(
    ("percent", "expected"),
    [(Decimal("6.25"), "6.3"), (Decimal("41.65"), "41.7"), (Decimal("20"), "20"), (Decimal("100.0"), "100"),
     (Decimal("0.04"), "0"), (Decimal("-6.25"), "-6.3")],
)  # fmt: skip
def test_percentages_round_half_up_to_one_decimal(percent: Decimal, expected: str) -> None:
    assert percent_text(percent) == expected


def test_a_share_is_rounded_half_up_but_short_of_the_whole_never_reads_100() -> None:
    assert percent_of(Decimal(50), Decimal(120)) == "41.7"
    assert percent_of(Decimal("99.96"), Decimal(100)) == "99.9"
    assert percent_of(Decimal(130), Decimal(120)) == "108.3"
    assert percent_of(Decimal(1), Decimal(0)) == "0"


def test_counts_take_english_plurals_and_chinese_keeps_one_form() -> None:
    assert count_text(1, "deals", EN) == "1 deal signed"
    assert count_text(10, "deals", EN) == "10 deals signed"
    assert count_text(Decimal("0.5"), "calls", EN) == "0.5 calls"
    assert count_text(1, "deals", ZH) == "签单 1"
    assert number_text(Decimal("1234.5"), EN) == "1,235"


def test_the_headline_has_no_colon_of_its_own() -> None:
    revenue = GoalDraft(metric="revenue", kind="currency", unit="CNY", target_value=Decimal(2_000_000),
                        deadline=date(2027, 3, 31))  # fmt: skip
    deals = GoalDraft(
        metric="deals", kind="count", unit="count", target_value=Decimal(1), deadline=date(2027, 3, 31)
    )
    assert goal_headline(revenue, ZH) == "2027-03-31前销售额 ¥2,000,000"
    assert goal_headline(revenue, EN) == "CN¥2,000,000 revenue by 2027-03-31"
    assert goal_headline(deals, EN) == "1 deal signed by 2027-03-31"
    assert amount_text(Decimal(24391), revenue, ZH) == "¥24,391"


def test_a_week_cut_by_the_month_end_says_so_and_a_whole_week_shows_monday_to_sunday() -> None:
    start, deadline = date(2026, 11, 2), date(2026, 12, 31)
    days = [start + timedelta(days=n) for n in range((deadline - start).days + 1)]
    working = [day for day in days if day.isoweekday() <= 5]
    plan = decompose(Decimal(100_000), working, start, deadline, quantum=Decimal(1))
    cut = plan.week_containing(date(2026, 11, 30))  # a Monday: the ISO week runs on into December
    whole = plan.week_containing(date(2026, 12, 9))
    assert cut is not None and whole is not None
    assert week_line(cut, plan, "$1", EN) == "This week, to the month's end (Nov 30): $1"
    assert week_line(cut, plan, "¥1", ZH) == "本周至月底（11月30日）：¥1"
    assert week_line(whole, plan, "$1", EN) == "This week (Dec 7 – Dec 13): $1"
    assert week_line(whole, plan, "¥1", ZH) == "本周（12月7日–12月13日）：¥1"
