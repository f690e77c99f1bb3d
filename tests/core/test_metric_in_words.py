"""A metric named inside a sentence typed at the wizard's measure step (`metric_in_words`)."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.core.metrics import METRIC_WORDS, metric_in_words


@pytest.mark.parametrize(
    ("typed", "metric"),
    [
        ("本月销售额50万", "revenue"),
        ("这个月要多打电话", "calls"),
        ("客户拜访20次", "visits"),  # the longer name, not 客户 (new customers)
        ("more calls this week", "calls"),
        ("Sales of 500k by March", "revenue"),
        ("new customers: 5", "new_customers"),
    ],
)
def test_a_sentence_naming_one_metric_gives_it(typed: str, metric: str) -> None:
    assert metric_in_words(typed) == metric


@pytest.mark.parametrize("typed", ["revenue and deals", "销售额和签单", "recalls", "50万", ""])
def test_none_or_two_metrics_give_none(typed: str) -> None:
    assert metric_in_words(typed) is None


@given(key=st.sampled_from(sorted(METRIC_WORDS)), number=st.integers(0, 10**6))
def test_every_metric_word_is_found_beside_a_number(key: str, number: int) -> None:
    assert metric_in_words(f"{key} {number}") == METRIC_WORDS[key]
    assert metric_in_words(f"{number} {key}") == METRIC_WORDS[key]
