"""Properties of every split: parts add up exactly to target x (1 + over-assignment), each part is within
one unit of its proportional share, zero weights get zero; and a locked split refuses a team target
lowered below the parts it already hands out."""

from __future__ import annotations

import math
from datetime import UTC, datetime
from decimal import Decimal
from fractions import Fraction

from hypothesis import given, settings
from hypothesis import strategies as st

from bot.core.teams.split import (
    Split,
    assignment_total,
    split_by_hand,
    split_by_history,
    split_by_weights,
    split_equal,
)
from bot.core.teams.split_changes import (
    ChangedField,
    ChangeProblem,
    LockProblem,
    change_over_percent,
    change_part,
    change_team_target,
    lock_problem,
    rescale,
)

SETTINGS = settings(max_examples=200, deadline=None)
AT = datetime(2026, 6, 1, 9, tzinfo=UTC)
targets = st.integers(1, 10**9)
overs = st.decimals(0, 100, places=2)
team_sizes = st.integers(1, 30)
weights = st.decimals(0, 1000, places=3)


def _members(count: int) -> list[int]:
    return [100 + index for index in range(count)]


def _assert_fair(split: Split, shares: list[Fraction]) -> None:
    """Parts add up to the amount handed out and each is within one unit of its exact share."""
    total = split.assign_total
    assert total == math.ceil(split.team_target * (1 + Fraction(split.over_percent) / 100))
    assert split.parts_total == total
    assert split.unassigned == 0
    assert split.remainder == split.team_target - total
    whole = sum(shares)
    for part, share in zip(split.parts, shares, strict=True):
        assert abs(part.units - total * share / whole) < 1
        assert part.units >= 0


@SETTINGS
@given(targets, team_sizes, overs)
def test_equal(target: int, size: int, over: Decimal) -> None:
    split = split_equal(target, _members(size), over)
    _assert_fair(split, [Fraction(1)] * size)
    assert max(split.as_dict().values()) - min(split.as_dict().values()) <= 1


@SETTINGS
@given(targets, st.lists(weights, min_size=1, max_size=30).filter(any), overs)
def test_weights(target: int, typed: list[Decimal], over: Decimal) -> None:
    members = _members(len(typed))
    split = split_by_weights(target, members, dict(zip(members, typed, strict=True)), over)
    _assert_fair(split, [Fraction(weight) for weight in typed])
    for member, weight in zip(members, typed, strict=True):
        if weight == 0:
            assert split.part_of(member) == 0


@SETTINGS
@given(targets, st.lists(st.one_of(st.none(), weights), min_size=1, max_size=30), overs)
def test_history(target: int, history: list[Decimal | None], over: Decimal) -> None:
    members = _members(len(history))
    results = {member: value for member, value in zip(members, history, strict=True) if value is not None}
    split = split_by_history(target, members, results, over)
    known = [Fraction(value) for value in history if value]
    average = sum(known, Fraction(0)) / len(known) if known else Fraction(1)
    _assert_fair(split, [Fraction(value) if value else average for value in history])
    assert split.averaged == {member for member, value in zip(members, history, strict=True) if not value}


@SETTINGS
@given(targets, st.lists(st.integers(0, 10**8), min_size=1, max_size=30), overs)
def test_hand_remainder(target: int, parts: list[int], over: Decimal) -> None:
    members = _members(len(parts) + 1)  # the last one has no part yet
    split = split_by_hand(target, members, dict(zip(members, parts, strict=False)), over)
    assert split.remainder == target - sum(parts)
    assert split.unassigned == assignment_total(target, over) - sum(parts)
    assert split.missing == (members[-1],)
    assert lock_problem(split) is not None


@SETTINGS
@given(targets, team_sizes, overs, st.integers(1, 10**9))
def test_a_locked_split_refuses_a_target_below_its_parts(
    target: int, size: int, over: Decimal, new_target: int
) -> None:
    split = split_equal(target, _members(size), over)
    assert lock_problem(split) is None
    changed = change_team_target(split, new_target, by=1, at=AT)
    if new_target == target:
        assert changed is ChangeProblem.UNCHANGED
    elif assignment_total(new_target, over) < split.parts_total:
        assert changed is ChangeProblem.BELOW_LOCKED_PARTS
        assert new_target < target
    else:
        assert not isinstance(changed, ChangeProblem)
        new_split, entry = changed
        assert new_split.parts == split.parts  # the locked parts stay
        assert new_split.remainder == new_target - split.parts_total
        assert (entry.field, entry.before, entry.after, entry.by, entry.at) == (
            ChangedField.TEAM_TARGET,
            Decimal(target),
            Decimal(new_target),
            1,
            AT,
        )


@SETTINGS
@given(targets, st.lists(st.integers(1, 50), min_size=1, max_size=20), overs, st.integers(1, 10**9))
def test_rescale_keeps_the_split_fair_and_logs_each_moved_part(
    target: int, typed: list[int], over: Decimal, new_target: int
) -> None:
    members = _members(len(typed))
    split = split_by_weights(
        target, members, {m: Decimal(w) for m, w in zip(members, typed, strict=True)}, over
    )
    result = rescale(split, new_target, by=7, at=AT)
    if new_target == target:
        assert result is ChangeProblem.UNCHANGED
        return
    assert not isinstance(result, ChangeProblem)
    rescaled, changes = result
    assert rescaled.parts_total == assignment_total(new_target, over)
    assert changes[0].field is ChangedField.TEAM_TARGET
    moved = {change.member_id: change for change in changes[1:]}
    for before, after in zip(split.parts, rescaled.parts, strict=True):
        if before.units != after.units:
            change = moved[before.member_id]
            assert (change.before, change.after) == (Decimal(before.units), Decimal(after.units))
        else:
            assert before.member_id not in moved


def test_change_log_entries_by_example() -> None:
    split = split_equal(1000, (1, 2), Decimal(10))  # 550 each
    assert change_team_target(split, 999, by=1, at=AT) is ChangeProblem.BELOW_LOCKED_PARTS
    assert change_team_target(split, 0, by=1, at=AT) is ChangeProblem.NOT_POSITIVE
    assert change_over_percent(split, Decimal(5), by=1, at=AT) is ChangeProblem.BELOW_LOCKED_PARTS
    lowered = change_part(split, 1, 500, by=1, at=AT)
    assert not isinstance(lowered, ChangeProblem)
    split, entry = lowered
    assert (entry.member_id, entry.before, entry.after) == (1, Decimal(550), Decimal(500))
    assert change_part(split, 1, 500, by=1, at=AT) is ChangeProblem.UNCHANGED
    assert change_part(split, 1, -1, by=1, at=AT) is ChangeProblem.NEGATIVE
    lower_over = change_over_percent(split, Decimal(5), by=1, at=AT)  # 1050 parts, 1050 to hand out
    assert not isinstance(lower_over, ChangeProblem)
    assert (lower_over[1].before, lower_over[1].after) == (Decimal(10), Decimal(5))
    newcomer = change_part(split, 3, 100, by=1, at=AT)
    assert not isinstance(newcomer, ChangeProblem)
    assert (newcomer[0].members, newcomer[1].before) == ((1, 2, 3), Decimal(0))


def test_lock_problems() -> None:
    assert lock_problem(split_by_hand(100, (1, 2), {1: 100})) is LockProblem.MISSING_PARTS
    assert lock_problem(split_by_hand(100, (1, 2), {1: 40, 2: 50})) is LockProblem.UNDER_TARGET
    assert lock_problem(split_by_hand(100, (1, 2), {1: 40, 2: 60})) is None
    assert lock_problem(split_by_hand(100, (1, 2), {1: 60, 2: 60})) is None  # over-assigned by hand
