"""A goal's life: open (active or paused) until achieved, abandoned or deleted.

    active   -> paused | achieved | abandoned | deleted
    paused   -> active | achieved | abandoned | deleted
    achieved -> deleted
    abandoned -> deleted
Deleting only marks the goal, so its audit trail and later reviews keep their history.
"""

from __future__ import annotations

from enum import StrEnum, nonmember

from bot.core.lifecycle import Lifecycle


class GoalStatus(StrEnum):
    ACTIVE = "active"
    PAUSED = "paused"
    ACHIEVED = "achieved"
    ABANDONED = "abandoned"
    DELETED = "deleted"
    # The statuses of a goal still being worked on (not a status itself).
    OPEN = nonmember(("active", "paused"))


class GoalAction(StrEnum):
    """The goal card's buttons."""

    PAUSE = "pause"
    RESUME = "resume"
    ACHIEVED = "achieved"
    ABANDON = "abandon"
    DELETE = "delete"


_S = GoalStatus
_CLOSED = frozenset({_S.ACHIEVED, _S.ABANDONED, _S.DELETED})
GOALS: Lifecycle[GoalStatus] = Lifecycle(
    "goal",
    initial=_S.ACTIVE,
    moves={
        _S.ACTIVE: frozenset({_S.PAUSED}) | _CLOSED,
        _S.PAUSED: frozenset({_S.ACTIVE}) | _CLOSED,
        _S.ACHIEVED: frozenset({_S.DELETED}),
        _S.ABANDONED: frozenset({_S.DELETED}),
        _S.DELETED: frozenset(),
    },
)
# Where each button leads; whether it may is the table's answer.
ACTION_TARGETS = {
    GoalAction.PAUSE: _S.PAUSED,
    GoalAction.RESUME: _S.ACTIVE,
    GoalAction.ACHIEVED: _S.ACHIEVED,
    GoalAction.ABANDON: _S.ABANDONED,
    GoalAction.DELETE: _S.DELETED,
}


def after_action(current: str, action: GoalAction) -> GoalStatus | None:
    """The status a card button moves the goal to, or None when its status does not allow it."""
    return GOALS.next_or_none(current, ACTION_TARGETS[action])


def is_open(status: str) -> bool:
    return status in GoalStatus.OPEN
