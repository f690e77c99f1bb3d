"""A team target split across its members: equally, by last period's results, by weights, or by hand.

Parts are whole units (currency units or counts), cut by the one cumulative-rounding apportionment of
bot.core.plan (`apportion`): the parts add up exactly to the amount handed out, each is within one unit of
its proportional share, and a zero weight gets zero. The amount handed out is the team target plus an
optional over-assignment (parts worth 110% of the target, so the team still makes it when someone falls
short), rounded up to a whole unit. Every split shows its remainder: the team target minus the parts
(negative when over-assigned), and what is still unassigned of the amount to hand out (by hand).

By last period's results, a member without results to go on (none, zero or negative: a newcomer, say) is
weighted as the average of the members who have them, so nobody new starts with a zero target; they are
listed in `averaged`. When nobody has results, the split is equal and everyone is listed.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum
from fractions import Fraction

from bot.core.plan import apportion

HUNDRED = Decimal(100)
MAX_OVER_PERCENT = Decimal(100)


class SplitMode(StrEnum):
    EQUAL = "equal"
    HISTORY = "history"  # by each member's share of last period's results
    WEIGHTS = "weights"  # by weights the manager typed
    HAND = "hand"  # parts the manager typed


@dataclass(frozen=True)
class Part:
    member_id: int
    units: int


@dataclass(frozen=True)
class Split:
    """Who gets which part of the team target; `members` in the order the parts are listed."""

    mode: SplitMode
    team_target: int
    over_percent: Decimal
    members: tuple[int, ...]
    parts: tuple[Part, ...]  # by hand, only the members given a part so far
    averaged: frozenset[int] = frozenset()  # HISTORY: members weighted as the average

    def __post_init__(self) -> None:
        _check_target(self.team_target, self.over_percent)
        if len(set(self.members)) != len(self.members):
            raise ValueError(f"members repeat: {self.members}")
        ids = [part.member_id for part in self.parts]
        if len(set(ids)) != len(ids) or not set(ids) <= set(self.members):
            raise ValueError(f"parts {ids} are not distinct members of {self.members}")
        if any(part.units < 0 for part in self.parts):
            raise ValueError("a part must not be negative")

    @property
    def assign_total(self) -> int:
        """What the parts should add up to: the target plus the over-assignment, rounded up."""
        return assignment_total(self.team_target, self.over_percent)

    @property
    def parts_total(self) -> int:
        return sum(part.units for part in self.parts)

    @property
    def remainder(self) -> int:
        """The team target minus the parts: left to cover when positive, over-assigned when negative."""
        return self.team_target - self.parts_total

    @property
    def unassigned(self) -> int:
        """What is still to hand out of `assign_total` (negative: the parts exceed it)."""
        return self.assign_total - self.parts_total

    @property
    def missing(self) -> tuple[int, ...]:
        """Members without a part yet (only by hand)."""
        given = {part.member_id for part in self.parts}
        return tuple(member for member in self.members if member not in given)

    def part_of(self, member_id: int) -> int | None:
        return next((part.units for part in self.parts if part.member_id == member_id), None)

    def as_dict(self) -> dict[int, int]:
        return {part.member_id: part.units for part in self.parts}


def _check_target(team_target: int, over_percent: Decimal) -> None:
    # Both come validated from what the manager typed (targets, split_inputs); anything else is a bug.
    if team_target <= 0:
        raise ValueError(f"the team target must be positive, got {team_target}")
    if not Decimal(0) <= over_percent <= MAX_OVER_PERCENT:
        raise ValueError(f"the over-assignment must be 0..{MAX_OVER_PERCENT}%, got {over_percent}")


def assignment_total(team_target: int, over_percent: Decimal) -> int:
    """The team target plus `over_percent` of it, rounded up to a whole unit."""
    _check_target(team_target, over_percent)
    return math.ceil(team_target * (1 + Fraction(over_percent) / 100))


def _apportioned(
    mode: SplitMode,
    team_target: int,
    members: Sequence[int],
    weights: Sequence[int | Fraction | Decimal],
    over_percent: Decimal,
    averaged: frozenset[int] = frozenset(),
) -> Split:
    if not members:
        raise ValueError("a split needs at least one member")
    units = apportion(assignment_total(team_target, over_percent), weights)
    return Split(
        mode=mode,
        team_target=team_target,
        over_percent=over_percent,
        members=tuple(members),
        parts=tuple(Part(member, part) for member, part in zip(members, units, strict=True)),
        averaged=averaged,
    )


def split_equal(team_target: int, members: Sequence[int], over_percent: Decimal = Decimal(0)) -> Split:
    """The same part for everyone, give or take one unit (the extra units spread, not heaped on the first)."""
    return _apportioned(SplitMode.EQUAL, team_target, members, [1] * len(members), over_percent)


def split_by_history(
    team_target: int,
    members: Sequence[int],
    results: Mapping[int, Decimal],
    over_percent: Decimal = Decimal(0),
) -> Split:
    """Parts in proportion to each member's results last period (`results`; a member missing from it has
    none); members without results count as the average of those with them (listed in `averaged`)."""
    known = {member: Fraction(results[member]) for member in members if results.get(member, 0) > 0}
    if not known:
        return _apportioned(
            SplitMode.HISTORY, team_target, members, [1] * len(members), over_percent, frozenset(members)
        )
    average = sum(known.values(), Fraction(0)) / len(known)
    weights = [known.get(member, average) for member in members]
    averaged = frozenset(member for member in members if member not in known)
    return _apportioned(SplitMode.HISTORY, team_target, members, weights, over_percent, averaged)


def split_by_weights(
    team_target: int,
    members: Sequence[int],
    weights: Mapping[int, Decimal],
    over_percent: Decimal = Decimal(0),
) -> Split:
    """Parts in proportion to `weights` (one per member, none negative, not all zero: split_inputs checks
    what the manager typed); a member weighted 0 gets 0."""
    if set(weights) != set(members):
        raise ValueError(f"weights for {sorted(weights)} do not match the members {sorted(members)}")
    ordered = [weights[member] for member in members]
    if any(weight < 0 or not weight.is_finite() for weight in ordered) or not any(ordered):
        raise ValueError(f"weights must be finite, not negative and not all zero: {ordered}")
    return _apportioned(SplitMode.WEIGHTS, team_target, members, ordered, over_percent)


def split_by_hand(
    team_target: int,
    members: Sequence[int],
    parts: Mapping[int, int],
    over_percent: Decimal = Decimal(0),
) -> Split:
    """The parts the manager typed, so far (members not in `parts` are `missing`), with the remainder."""
    if not members:
        raise ValueError("a split needs at least one member")
    return Split(
        mode=SplitMode.HAND,
        team_target=team_target,
        over_percent=over_percent,
        members=tuple(members),
        parts=tuple(Part(member, parts[member]) for member in members if member in parts),
    )


def with_hand_part(split: Split, member_id: int, units: int) -> Split:
    """The split with one member's part set by hand (the member added if new). It becomes a HAND split:
    its parts no longer follow the rule that made them."""
    members = split.members if member_id in split.members else (*split.members, member_id)
    parts = split.as_dict() | {member_id: units}
    return _rebuilt(split, members, parts)


def without_member(split: Split, member_id: int) -> Split:
    """The split without the member (who left or was removed): their part goes back to the remainder."""
    members = tuple(member for member in split.members if member != member_id)
    if not members:
        raise ValueError("a split needs at least one member")
    parts = split.as_dict()
    parts.pop(member_id, None)
    return _rebuilt(split, members, parts)


def _rebuilt(split: Split, members: tuple[int, ...], parts: Mapping[int, int]) -> Split:
    return Split(
        mode=SplitMode.HAND,
        team_target=split.team_target,
        over_percent=split.over_percent,
        members=members,
        parts=tuple(Part(member, parts[member]) for member in members if member in parts),
        # Still "weighted as the average" only where the part is the one the average gave.
        averaged=frozenset(
            member
            for member in split.averaged
            if member in members and parts.get(member) == split.part_of(member)
        ),
    )
