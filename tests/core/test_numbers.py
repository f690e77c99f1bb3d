"""Amounts, counts, percents and Chinese numerals as salespeople type them."""

from __future__ import annotations

from decimal import Decimal

import pytest

from bot.core.numbers import (
    ENGLISH_NUMBER_WORDS,
    find_numbers,
    find_percents,
    parse_amount,
    parse_chinese_numeral,
    parse_percent,
    parse_small_number,
)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("零", 0),
        ("〇", 0),
        ("五", 5),
        ("十", 10),
        ("十五", 15),
        ("二十", 20),
        ("二十五", 25),
        ("一百", 100),
        ("一百零五", 105),
        ("一百一十", 110),
        ("三百五", 350),
        ("两千", 2000),
        ("两千五", 2500),
        ("一千零一十", 1010),
        ("一千二百三十四", 1234),
        ("一万", 10000),
        ("一万五", 15000),
        ("一万零五", 10005),
        ("三十万", 300000),
        ("一百二十万", 1200000),
        ("二十万零五百", 200500),
        ("一千万", 10000000),
        ("一亿", 100000000),
        ("一亿二千万", 120000000),
        ("一万亿", 10**12),
        ("壹佰贰拾", 120),
        ("叁仟伍佰", 3500),
        ("玖拾玖", 99),
        ("3万5千", 35000),
        ("1万2", 12000),
        ("35万", 350000),
        ("5千万", 50000000),
        ("1亿2", 120000000),
        ("二〇二七", 2027),
        ("一九", 19),
        ("123", 123),
        ("１２３", 123),
    ],
)
def test_chinese_numerals(text: str, expected: int) -> None:
    assert parse_chinese_numeral(text) == expected


@pytest.mark.parametrize("text", ["", " ", "abc", "十百", "五五十", "一.五", "三个", "万万", "1e5"])
def test_not_chinese_numerals(text: str) -> None:
    assert parse_chinese_numeral(text) is None


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # The required examples.
        ("50万", "500000"),
        ("100万元", "1000000"),
        ("1.5万", "15000"),
        ("三十万", "300000"),
        ("一百二十万", "1200000"),
        ("¥80,000", "80000"),
        ("500k", "500000"),
        ("1.2M", "1200000"),
        ("十个新客户", "10"),
        # Chinese units, numerals and shorthands.
        ("10个", "10"),
        ("两千", "2000"),
        ("1亿", "100000000"),
        ("2.5亿", "250000000"),
        ("3千", "3000"),
        ("5百", "500"),
        ("3千万", "30000000"),
        ("1.2百万", "1200000"),
        ("80000元", "80000"),
        ("5w", "50000"),
        ("5W", "50000"),
        ("1.5w", "15000"),
        ("二十五", "25"),
        ("零", "0"),
        ("3万5千", "35000"),
        ("1万2", "12000"),
        ("二十万零五百", "200500"),
        ("一点五万", "15000"),
        ("叁拾万", "300000"),
        ("两家", "2"),
        ("三单", "3"),
        ("５０万", "500000"),
        ("100 万", "1000000"),
        ("1.5 万元", "15000"),
        ("百万", "1000000"),
        ("千万", "10000000"),
        ("目标百万", "1000000"),
        ("五万块钱", "50000"),
        ("人民币五十万", "500000"),
        ("2万8千5", "28500"),
        ("三万五", "35000"),
        ("10万+", "100000"),
        ("约50万", "500000"),
        ("￥８０，０００", "80000"),  # a Chinese IME types "，" for the comma key
        ("80，000元", "80000"),
        # Currencies and English multipliers.
        ("$1,234.50", "1234.50"),
        ("RMB 5000", "5000"),
        ("rmb5000", "5000"),
        ("5000rmb", "5000"),
        ("USD 1,000", "1000"),
        ("€2,500", "2500"),
        ("1.2 million", "1200000"),
        ("3 thousand", "3000"),
        ("2 billion", "2000000000"),
        ("2bn", "2000000000"),
        ("1.5k", "1500"),
        ("12,345,678", "12345678"),
        ("0.5", "0.5"),
        ("twenty five", "25"),
        ("twenty-five new clients", "25"),
        ("two million", "2000000"),
        ("one hundred and twenty", "120"),
        # A sign is kept so that the caller can refuse it with a clear message.
        ("-5", "-5"),
        ("-1.5万", "-15000"),
        ("负五", "-5"),
        # One number among words.
        ("签了50万的单", "500000"),
        ("目标：100万", "1000000"),
        ("Q2目标500k", "500000"),
        ("I want to close 80k this month", "80000"),
        ("我一定要签50万", "500000"),
        ("周一拜访三家客户", "3"),
        ("50万，就是50万", "500000"),
        ("50万，增长20%", "500000"),
        # Nothing, or not an amount.
        ("", None),
        ("   ", None),
        ("abc", None),
        ("1e309", None),
        ("1E5", None),
        ("inf", None),
        ("nan", None),
        ("12.5%", None),
        ("百分之二十", None),
        ("3rd", None),
        ("5kg", None),
        ("10x", None),
        ("1.2.3", None),
        ("千万不要", None),
        ("万一", None),
        ("第二", None),
        ("三十多万", None),
        ("亿万富翁", None),
        ("50-60万", None),
        ("几十万", None),
        ("一定", None),
        # A score or minutes typed where money is asked: not an amount (it read as ¥8).
        ("8分", None),
        ("20分钟", None),
        ("8 points", None),
        ("7 pts", None),
        # Several different numbers are for the multi-field parser.
        ("3 visits 12 calls", None),
        ("50万，100万", None),
        ("3-5", None),
        ("2027年目标100万", None),
    ],
)
def test_parse_amount(text: str, expected: str | None) -> None:
    for lang in ("zh_CN", "en"):
        result = parse_amount(text, lang=lang)
        assert result == (None if expected is None else Decimal(expected)), lang


def test_amount_keeps_the_typed_decimals_and_drops_spurious_ones() -> None:
    assert str(parse_amount("$1,234.50", lang="en")) == "1234.50"
    assert str(parse_amount("1.5万", lang="zh_CN")) == "15000"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("20%", "20"),
        ("２０％", "20"),
        ("12.5%", "12.5"),
        ("20 %", "20"),
        ("百分之二十", "20"),
        ("百分之十二点五", "12.5"),
        ("百分之5", "5"),
        ("20 percent", "20"),
        ("20 per cent", "20"),
        ("20pct", "20"),
        ("增长20%", "20"),
        ("转化率提高到百分之三十", "30"),
        ("提高5个百分点", "5"),
        ("-3%", "-3"),
        ("20", None),
        ("50万", None),
        ("", None),
        ("from 10% to 20%", None),
        ("百分", None),
    ],
)
def test_parse_percent(text: str, expected: str | None) -> None:
    for lang in ("zh_CN", "en"):
        assert parse_percent(text, lang=lang) == (None if expected is None else Decimal(expected)), lang


def test_find_numbers_gives_spans_in_the_original_text() -> None:
    text = "３ visits, 12 calls, 签了50万, 20% up"
    found = find_numbers(text)
    assert [value for value, _, _ in found] == [Decimal(3), Decimal(12), Decimal(500000)]
    assert [text[start:end] for _, start, end in found] == ["３", "12", "50万"]
    assert [(value, text[start:end]) for value, start, end in find_percents(text)] == [(Decimal(20), "20%")]


def test_find_numbers_reads_chinese_counts_and_skips_ordinals_and_weekdays() -> None:
    text = "第二周周三拜访了十个客户，签了两单，一共1.5万"
    assert [text[start:end] for _, start, end in find_numbers(text)] == ["十", "两", "1.5万"]
    assert [value for value, _, _ in find_numbers(text)] == [Decimal(10), Decimal(2), Decimal(15000)]


def test_find_numbers_is_linear_on_hostile_input() -> None:
    # A run of digits that fails at its end must not be re-split in every possible way.
    assert find_numbers("1" * 5000 + "x") == []
    assert find_numbers("一" * 5000 + "x") == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("7", 7),
        ("１０", 10),
        ("五", 5),
        ("七", 7),
        ("两", 2),
        ("十", 10),
        ("十二", 12),
        ("二十", 20),
        ("7分", 7),
        ("九分！", 9),
        ("7/10", 7),
        ("7 / 10", 7),
        ("8 out of 10", 8),
        ("8 of 10", 8),
        ("eight", 8),
        ("Eight.", 8),
        ("twenty", 20),
        ("twenty-one", 21),
        ("ninety nine", 99),
        ("ten out of ten", 10),
        ("7 points", 7),
        ("0", 0),
    ],
)
def test_small_numbers_are_read_in_any_notation(text: str, expected: int) -> None:
    assert parse_small_number(text) == expected


@pytest.mark.parametrize(
    "text", ["", "a", "and", "7.5", "-3", "7 visits", "很好", "seven cats", "x/10", "3/"]
)
def test_not_small_numbers(text: str) -> None:
    assert parse_small_number(text) is None


def test_a_small_number_on_another_scale_is_no_answer() -> None:
    assert parse_small_number("3/5", out_of=10) is None
    assert parse_small_number("3 out of 5", out_of=10) is None
    assert parse_small_number("4/5", out_of=5) == 4
    assert parse_small_number("3/5") == 3


def test_english_number_words_are_one_table() -> None:
    assert ENGLISH_NUMBER_WORDS["one"] == 1 and ENGLISH_NUMBER_WORDS["twenty"] == 20
    assert ENGLISH_NUMBER_WORDS["ninety"] == 90
    assert parse_amount("twenty five new customers", lang="en") == Decimal(25)
