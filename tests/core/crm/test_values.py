"""Amounts and days as Zoho CRM and Fxiaoke exports write them (bot/core/crm/files/values.py), with the
properties: a formatted value reads back as itself, and no text makes the parsers raise."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.core.crm.files import parse_amount, parse_day

SHANGHAI = ZoneInfo("Asia/Shanghai")
NEW_YORK = ZoneInfo("America/New_York")


@pytest.mark.parametrize(
    ("text", "amount"),
    [
        ("¥12,000.50", Decimal("12000.50")),
        ("￥12,000.50", Decimal("12000.50")),
        ("$1,200", Decimal("1200")),
        ("1.2万", Decimal("12000")),
        ("12万元", Decimal("120000")),
        ("3亿", Decimal("300000000")),
        ("1,234", Decimal("1234")),
        ("12,000,000", Decimal("12000000")),
        ("12000 CNY", Decimal("12000")),
        ("RMB 3,000", Decimal("3000")),
        ("１２，０００", Decimal("12000")),  # full-width, as Chinese input methods type it
        ("1.234,50", Decimal("1234.50")),  # a comma decimal where Excel uses semicolons
        ("(1,200)", Decimal("-1200")),  # accounting negative
        ("-5", Decimal("-5")),
        ("0.5", Decimal("0.5")),
        ("185178", Decimal("185178")),
    ],
)
def test_amounts_in_the_forms_exports_write_them(text: str, amount: Decimal) -> None:
    assert parse_amount(text) == amount


@pytest.mark.parametrize(
    "text", ["", "-", "—", "N/A", "abc", "12.", "1,2345", "1e5", "万", "1.2.3", "12 34 x"]
)
def test_what_is_no_amount(text: str) -> None:
    assert parse_amount(text) is None


@pytest.mark.parametrize(
    ("text", "day"),
    [
        ("2024-09-09", date(2024, 9, 9)),
        ("2024/9/9", date(2024, 9, 9)),
        ("2024.09.09", date(2024, 9, 9)),
        ("2024-09-09 13:20:35", date(2024, 9, 9)),  # Zoho: no offset, already the user's local time
        ("2024-09-09 23:59:59", date(2024, 9, 9)),
        ("2024年9月9日", date(2024, 9, 9)),
        ("2024年9月9日 下午1:20", date(2024, 9, 9)),
        ("13/09/2024", date(2024, 9, 13)),  # only day first makes a date
        ("09/13/2024", date(2024, 9, 13)),  # only month first does
        ("09/09/2024", date(2024, 9, 9)),  # the same either way
        ("9/9/24", date(2024, 9, 9)),
        ("Sep 9, 2024", date(2024, 9, 9)),
        ("9 September 2024", date(2024, 9, 9)),
        ("09-Sep-2024", date(2024, 9, 9)),
        ("2024-09-09 01:20 PM", date(2024, 9, 9)),
    ],
)
def test_days_in_the_common_orders(text: str, day: date) -> None:
    assert parse_day(text, SHANGHAI) == day


def test_an_ambiguous_year_last_date_needs_the_file_order() -> None:
    assert parse_day("09/10/2024", SHANGHAI) is None
    assert parse_day("09/10/2024", SHANGHAI, day_first=True) == date(2024, 10, 9)
    assert parse_day("09/10/2024", SHANGHAI, day_first=False) == date(2024, 9, 10)
    # An unambiguous date ignores a wrong hint: there is only one way to read it.
    assert parse_day("13/09/2024", SHANGHAI, day_first=False) == date(2024, 9, 13)


def test_a_moment_with_an_offset_is_converted_to_the_users_zone() -> None:
    assert parse_day("2024-09-09T20:20:35Z", SHANGHAI) == date(2024, 9, 10)
    assert parse_day("2024-09-09T20:20:35Z", NEW_YORK) == date(2024, 9, 9)
    assert parse_day("2024-09-09T13:20:35-05:00", SHANGHAI) == date(2024, 9, 10)
    assert parse_day("2024-09-10T01:00:00+08:00", NEW_YORK) == date(2024, 9, 9)
    assert parse_day("2024-09-09 13:20:35 UTC", SHANGHAI) == date(2024, 9, 9)


@pytest.mark.parametrize(
    "text",
    [
        "",
        "soon",
        "2024-02-30",
        "2024-13-01",
        "2024-09-09 25:00",
        "2024-09-09 later",
        "32/01/2024",
        "Foo 9, 2024",
    ],
)
def test_what_is_no_day(text: str) -> None:
    assert parse_day(text, SHANGHAI) is None


# Properties ---------------------------------------------------------------------------------------------------

amounts = st.decimals(min_value=0, max_value=10**12, places=2, allow_nan=False, allow_infinity=False)


@given(amounts, st.sampled_from(["{:f}", "{:,f}", "¥{:,f}", "${:,f}", "{:f} CNY", "￥{:f}元"]))
@settings(max_examples=300, deadline=None)
def test_a_formatted_amount_reads_back(amount: Decimal, pattern: str) -> None:
    assert parse_amount(pattern.format(amount)) == amount


@given(st.decimals(min_value=0, max_value=10**8, places=1, allow_nan=False, allow_infinity=False))
@settings(max_examples=200, deadline=None)
def test_an_amount_in_wan_reads_back(amount: Decimal) -> None:
    assert parse_amount(f"{amount:f}万") == amount * 10_000


@given(st.dates(min_value=date(1990, 1, 1), max_value=date(2099, 12, 31)), st.booleans())
@settings(max_examples=300, deadline=None)
def test_a_formatted_day_reads_back(day: date, day_first: bool) -> None:
    forms = [
        day.isoformat(),
        f"{day.year}/{day.month}/{day.day}",
        f"{day.year}年{day.month}月{day.day}日",
        f"{day.isoformat()} 13:20:35",
        day.strftime("%b %d, %Y"),
        day.strftime("%d/%m/%Y") if day_first else day.strftime("%m/%d/%Y"),
    ]
    for text in forms:
        assert parse_day(text, SHANGHAI, day_first=day_first) == day, text


@given(st.text(max_size=80))
@settings(max_examples=1000, deadline=None)
def test_no_text_makes_the_parsers_raise(text: str) -> None:
    amount = parse_amount(text)
    assert amount is None or amount.is_finite()
    parse_day(text, SHANGHAI)
    parse_day(text, NEW_YORK, day_first=True)


@given(st.from_regex(r"[-+(]?[¥$]?[0-9.,' 万亿k]{0,20}[)元]?", fullmatch=True))
@settings(max_examples=500, deadline=None)
def test_no_number_like_text_makes_parse_amount_raise(text: str) -> None:
    parse_amount(text)


@given(
    st.from_regex(
        r"[0-9]{1,4}[-/.年][0-9]{1,2}[-/.月][0-9]{1,4}日?( [0-9]{1,2}:[0-9]{2}(:[0-9]{2})?)?(Z|[+-][0-9]{2}:?[0-9]{2})?",
        fullmatch=True,
    )
)
@settings(max_examples=500, deadline=None)
def test_no_date_like_text_makes_parse_day_raise(text: str) -> None:
    parse_day(text, SHANGHAI)
