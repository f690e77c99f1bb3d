"""The statuses of a team and of what hangs off it, each with its table of moves (bot.core.lifecycle).

    team:       active -> archived;  archived -> active (its manager restores it)
    membership: invited -> member | declined;  member -> left | removed;
                declined | left | removed -> invited (a new invite is opened)
    split:      draft -> locked (after that every change goes to the change log: split_changes)
    part:       proposed -> accepted | discussing;  discussing -> proposed | accepted;
                accepted -> proposed (the manager changed an accepted part)

A team's creator is born a member (role manager); everyone else starts invited, when they open an invite.
Leaving and removal only mark the membership, so the member's past results stay in the team's history.
"""

from __future__ import annotations

from enum import StrEnum

from bot.core.lifecycle import Lifecycle


class TeamStatus(StrEnum):
    ACTIVE = "active"
    ARCHIVED = "archived"


class MembershipStatus(StrEnum):
    INVITED = "invited"  # opened an invite, not yet agreed to what the managers will see
    MEMBER = "member"  # agreed and joined
    DECLINED = "declined"
    LEFT = "left"
    REMOVED = "removed"


class SplitStatus(StrEnum):
    DRAFT = "draft"
    LOCKED = "locked"


class PartStatus(StrEnum):
    """A member's answer to the part of the team target proposed to them."""

    PROPOSED = "proposed"
    ACCEPTED = "accepted"
    DISCUSSING = "discussing"


TEAMS: Lifecycle[TeamStatus] = Lifecycle(
    "team",
    initial=TeamStatus.ACTIVE,
    moves={
        TeamStatus.ACTIVE: frozenset({TeamStatus.ARCHIVED}),
        TeamStatus.ARCHIVED: frozenset({TeamStatus.ACTIVE}),
    },
)

_M = MembershipStatus
MEMBERSHIPS: Lifecycle[MembershipStatus] = Lifecycle(
    "membership",
    initial=_M.INVITED,
    moves={
        _M.INVITED: frozenset({_M.MEMBER, _M.DECLINED}),
        _M.MEMBER: frozenset({_M.LEFT, _M.REMOVED}),
        _M.DECLINED: frozenset({_M.INVITED}),
        _M.LEFT: frozenset({_M.INVITED}),
        _M.REMOVED: frozenset({_M.INVITED}),
    },
)
# The status a team's creator is born in (with the role manager): they need no invite.
FOUNDER_STATUS = _M.MEMBER

SPLITS: Lifecycle[SplitStatus] = Lifecycle(
    "split",
    initial=SplitStatus.DRAFT,
    moves={SplitStatus.DRAFT: frozenset({SplitStatus.LOCKED}), SplitStatus.LOCKED: frozenset()},
)

_P = PartStatus
PARTS: Lifecycle[PartStatus] = Lifecycle(
    "part",
    initial=_P.PROPOSED,
    moves={
        _P.PROPOSED: frozenset({_P.ACCEPTED, _P.DISCUSSING}),
        _P.DISCUSSING: frozenset({_P.PROPOSED, _P.ACCEPTED}),
        _P.ACCEPTED: frozenset({_P.PROPOSED}),
    },
)


def is_member(status: str) -> bool:
    """Whether a membership in `status` is one that counts: joined and neither left nor removed."""
    return status == MembershipStatus.MEMBER
