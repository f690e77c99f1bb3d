"""Locking a split and every change after it: the change log entry (who, when, before, after).

A split locks once every member has a part and the parts cover the team target (a split whose parts
would not make the team goal even if everyone made theirs is refused). After the lock, each change to a
part, to the team target or to the over-assignment gives a `SplitChange` for the log. The team target
(with its over-assignment) may not drop below what the locked parts already hand out: lower parts first,
or `rescale` every part to the new target, one log entry per part that moved. Raising the target is
always allowed; the difference shows as the remainder until the manager hands it out.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime
from decimal import Decimal
from enum import StrEnum

from bot.core.plan import apportion
from bot.core.teams.split import Part, Split, assignment_total, with_hand_part


class LockProblem(StrEnum):
    MISSING_PARTS = "missing_parts"  # some member has no part yet
    UNDER_TARGET = "under_target"  # the parts add up to less than the team target


def lock_problem(split: Split) -> LockProblem | None:
    """Why the split cannot be locked yet, or None."""
    if split.missing:
        return LockProblem.MISSING_PARTS
    return LockProblem.UNDER_TARGET if split.parts_total < split.team_target else None


class ChangedField(StrEnum):
    TEAM_TARGET = "team_target"
    OVER_PERCENT = "over_percent"
    PART = "part"


@dataclass(frozen=True)
class SplitChange:
    """One change to a locked split; `member_id` is set for a part (before 0 for a member added)."""

    at: datetime
    by: int  # the member id of who made it
    field: ChangedField
    before: Decimal
    after: Decimal
    member_id: int | None = None


class ChangeProblem(StrEnum):
    UNCHANGED = "unchanged"
    NOT_POSITIVE = "not_positive"  # a team target of 0 or less
    NEGATIVE = "negative"  # a negative part or over-assignment
    BELOW_LOCKED_PARTS = "below_locked_parts"  # target x (1 + over) under the parts handed out


def _checked_at(at: datetime) -> datetime:
    if at.tzinfo is None:
        raise ValueError(f"at must be an aware datetime, got {at!r}")
    return at


def change_part(
    split: Split, member_id: int, units: int, *, by: int, at: datetime
) -> tuple[Split, SplitChange] | ChangeProblem:
    """The split with the member's part changed (added if new), and its log entry."""
    before = split.part_of(member_id)
    if units < 0:
        return ChangeProblem.NEGATIVE
    if before == units:
        return ChangeProblem.UNCHANGED
    change = SplitChange(
        _checked_at(at), by, ChangedField.PART, Decimal(before or 0), Decimal(units), member_id
    )
    return with_hand_part(split, member_id, units), change


def _target_problem(split: Split, team_target: int, over_percent: Decimal) -> ChangeProblem | None:
    if team_target <= 0:
        return ChangeProblem.NOT_POSITIVE
    if over_percent < 0:
        return ChangeProblem.NEGATIVE
    if (team_target, over_percent) == (split.team_target, split.over_percent):
        return ChangeProblem.UNCHANGED
    if assignment_total(team_target, over_percent) < split.parts_total:
        return ChangeProblem.BELOW_LOCKED_PARTS
    return None


def change_team_target(
    split: Split, team_target: int, *, by: int, at: datetime
) -> tuple[Split, SplitChange] | ChangeProblem:
    """The split with a new team target and the same parts, and its log entry; refused below the parts."""
    problem = _target_problem(split, team_target, split.over_percent)
    if problem is not None:
        return problem
    change = SplitChange(
        _checked_at(at), by, ChangedField.TEAM_TARGET, Decimal(split.team_target), Decimal(team_target)
    )
    return replace(split, team_target=team_target), change


def change_over_percent(
    split: Split, over_percent: Decimal, *, by: int, at: datetime
) -> tuple[Split, SplitChange] | ChangeProblem:
    """The split with a new over-assignment and the same parts, and its log entry."""
    problem = _target_problem(split, split.team_target, over_percent)
    if problem is not None:
        return problem
    change = SplitChange(_checked_at(at), by, ChangedField.OVER_PERCENT, split.over_percent, over_percent)
    return replace(split, over_percent=over_percent), change


def rescale(
    split: Split, team_target: int, *, by: int, at: datetime
) -> tuple[Split, tuple[SplitChange, ...]] | ChangeProblem:
    """Every part moved in proportion to the new team target (the current parts are the weights), with
    the target's log entry and one per part that changed. Meant for a locked split (everyone has a part);
    members without a part stay without one."""
    if team_target <= 0:
        return ChangeProblem.NOT_POSITIVE
    if team_target == split.team_target:
        return ChangeProblem.UNCHANGED
    at = _checked_at(at)
    old = split.parts
    weights = [part.units for part in old]
    if not any(weights):
        weights = [1] * len(old)
    units = apportion(assignment_total(team_target, split.over_percent), weights) if old else []
    parts = tuple(Part(part.member_id, new) for part, new in zip(old, units, strict=True))
    changes = [
        SplitChange(at, by, ChangedField.TEAM_TARGET, Decimal(split.team_target), Decimal(team_target))
    ]
    changes += [
        SplitChange(at, by, ChangedField.PART, Decimal(before.units), Decimal(after.units), before.member_id)
        for before, after in zip(old, parts, strict=True)
        if before.units != after.units
    ]
    # Proportions are kept, so the split keeps its mode (an equal split stays equal, give or take a unit).
    return replace(split, team_target=team_target, parts=parts), tuple(changes)
