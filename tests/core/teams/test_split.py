"""The split across members, by example: each mode, the remainder, over-assignment, what the manager types."""

from __future__ import annotations

from decimal import Decimal

import pytest

from bot.core.metrics import MetricKind
from bot.core.smart import AmountProblem
from bot.core.teams.split import (
    SplitMode,
    assignment_total,
    split_by_hand,
    split_by_history,
    split_by_weights,
    split_equal,
    with_hand_part,
    without_member,
)
from bot.core.teams.split_inputs import (
    OverAssignmentProblem,
    WeightProblem,
    WeightRefusal,
    parse_hand_part,
    parse_over_assignment,
    parse_weight,
    parse_weights,
)

TEAM = (11, 12, 13, 14)
D = Decimal


def test_equal_split_spreads_the_extra_units() -> None:
    split = split_equal(10, (1, 2, 3))
    assert split.as_dict() == {1: 3, 2: 4, 3: 3}
    assert (split.parts_total, split.remainder, split.unassigned, split.missing) == (10, 0, 0, ())


def test_b_company_case_with_over_assignment() -> None:
    # 6,500,000 over four salespeople with 10% over-assigned: 7,150,000 handed out.
    split = split_equal(6_500_000, TEAM, D(10))
    assert split.assign_total == 7_150_000
    assert set(split.as_dict().values()) == {1_787_500}
    assert split.remainder == -650_000  # over-assigned by that much
    assert split.unassigned == 0


def test_over_assignment_rounds_up() -> None:
    assert assignment_total(101, D("12.5")) == 114  # 113.625
    assert assignment_total(100, D(0)) == 100
    with pytest.raises(ValueError, match="over-assignment"):
        assignment_total(100, D(101))


def test_by_history_weights_by_last_period() -> None:
    split = split_by_history(1000, TEAM, {11: D(300), 12: D(100), 13: D(100), 14: D(500)})
    assert split.as_dict() == {11: 300, 12: 100, 13: 100, 14: 500}
    assert split.averaged == frozenset()


def test_by_history_a_newcomer_counts_as_the_average() -> None:
    # 14 is new (no figure), 13 sold nothing: both weighted as the average of 11 and 12 (200).
    split = split_by_history(800, TEAM, {11: D(300), 12: D(100), 13: D(0)})
    assert split.as_dict() == {11: 300, 12: 100, 13: 200, 14: 200}
    assert split.averaged == frozenset({13, 14})


def test_by_history_without_any_history_is_equal() -> None:
    split = split_by_history(100, TEAM, {})
    assert split.as_dict() == split_equal(100, TEAM).as_dict()
    assert split.averaged == frozenset(TEAM)


def test_by_weights() -> None:
    split = split_by_weights(900, (1, 2, 3), {1: D(2), 2: D(1), 3: D(0)})
    assert split.as_dict() == {1: 600, 2: 300, 3: 0}
    assert split.mode is SplitMode.WEIGHTS
    with pytest.raises(ValueError, match="all zero"):
        split_by_weights(900, (1, 2), {1: D(0), 2: D(0)})
    with pytest.raises(ValueError, match="do not match"):
        split_by_weights(900, (1, 2), {1: D(1)})


def test_by_hand_shows_the_remainder_as_parts_come_in() -> None:
    split = split_by_hand(1000, (1, 2, 3), {1: 400})
    assert (split.parts_total, split.remainder, split.missing) == (400, 600, (2, 3))
    split = with_hand_part(with_hand_part(split, 2, 400), 3, 300)
    assert (split.remainder, split.unassigned, split.missing) == (-100, -100, ())
    over = split_by_hand(1000, (1, 2), {1: 500, 2: 500}, D(10))
    assert (over.remainder, over.unassigned) == (0, 100)  # 100 more to hand out for the 10%


def test_a_hand_edit_and_a_departure() -> None:
    split = split_by_history(800, TEAM, {11: D(300), 12: D(100), 13: D(0)})
    edited = with_hand_part(split, 11, 250)
    assert edited.mode is SplitMode.HAND
    assert edited.averaged == frozenset({13, 14})  # their parts are still the average's
    assert with_hand_part(edited, 13, 150).averaged == frozenset({14})
    gone = without_member(edited, 14)
    assert gone.members == (11, 12, 13)
    assert gone.remainder == 200 + 50  # 14's part and the 50 taken off 11
    added = with_hand_part(gone, 99, 10)
    assert added.members == (11, 12, 13, 99)


@pytest.mark.parametrize(
    ("text", "weight"), [("2", D(2)), ("1.5", D("1.5")), ("两", D(2)), ("30%", D(30)), ("三十", D(30))]
)
def test_typed_weights(text: str, weight: Decimal) -> None:
    assert parse_weight(text, lang="zh_CN") == weight


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("0", WeightProblem.ZERO),
        ("0%", WeightProblem.ZERO),
        ("-1", WeightProblem.NEGATIVE),
        ("a lot", WeightProblem.NOT_A_NUMBER),
        ("", WeightProblem.NOT_A_NUMBER),
        ("2 or 3", WeightProblem.NOT_A_NUMBER),
        ("1e5", WeightProblem.NOT_A_NUMBER),
        ("2000000", WeightProblem.TOO_LARGE),
    ],
)
def test_refused_weights(text: str, problem: WeightProblem) -> None:
    assert parse_weight(text, lang="en") is problem


def test_each_refused_weight_names_its_member() -> None:
    parsed = parse_weights({1: "3", 2: "0", 3: "-2", 4: "?"}, lang="en")
    assert not parsed.ok
    assert parsed.weights == {1: D(3)}
    assert parsed.refusals == (
        WeightRefusal(2, WeightProblem.ZERO),
        WeightRefusal(3, WeightProblem.NEGATIVE),
        WeightRefusal(4, WeightProblem.NOT_A_NUMBER),
    )
    assert parse_weights({1: "3", 2: "1"}, lang="en").ok


def test_hand_parts_and_over_assignment_as_typed() -> None:
    assert parse_hand_part("150万", MetricKind.CURRENCY, lang="zh_CN") == 1_500_000
    assert parse_hand_part("0", MetricKind.COUNT, lang="en") == 0
    assert parse_hand_part("1.5万元", MetricKind.CURRENCY, lang="zh_CN") == 15_000
    assert parse_hand_part("99.5", MetricKind.CURRENCY, lang="en") is AmountProblem.NOT_WHOLE
    assert parse_hand_part("-3", MetricKind.COUNT, lang="en") is AmountProblem.NEGATIVE
    assert parse_hand_part("some", MetricKind.COUNT, lang="en") is AmountProblem.NOT_A_NUMBER
    assert parse_over_assignment("10%", lang="en") == D(10)
    assert parse_over_assignment("百分之十二点五", lang="zh_CN") == D("12.5")
    assert parse_over_assignment("0", lang="en") == D(0)
    assert parse_over_assignment("-5%", lang="en") is OverAssignmentProblem.NEGATIVE
    assert parse_over_assignment("150%", lang="en") is OverAssignmentProblem.TOO_LARGE
    assert parse_over_assignment("extra", lang="en") is OverAssignmentProblem.NOT_A_NUMBER
