"""parse_amount reads what a person types as an amount, not scientific notation or numbers inside code."""

from __future__ import annotations

from decimal import Decimal

import pytest

from bot.core.numbers import parse_amount


@pytest.mark.parametrize(
    "text",
    [
        "1e-400",
        "1e5",
        "1E+3",
        "2.5e6",
        "５ｅ３",
        "3 e 5",
        "alert(1)",
        "f(50万)",
        "<b>40</b>",
        "{5}",
        "[5]",
        "`5`",
        "5\\n",
    ],
)
def test_exponents_and_wrapped_numbers_are_not_amounts(text: str) -> None:
    assert parse_amount(text, lang="en") is None
    assert parse_amount(text, lang="zh_CN") is None


@pytest.mark.parametrize(
    ("text", "amount"),
    [
        ("50万", Decimal(500000)),
        ("(50万)", Decimal(500000)),
        ("签了50万的单", Decimal(500000)),
        ("¥80,000", Decimal(80000)),
        ("1.2M", Decimal(1200000)),
        ("5 each", Decimal(5)),
        ("3 deals (a good week)", Decimal(3)),
        ("40 euros", Decimal(40)),
        ("5e", None),  # not an exponent: a number glued to a word
    ],
)
def test_amounts_people_type_still_read(text: str, amount: Decimal | None) -> None:
    assert parse_amount(text, lang="en") == amount
