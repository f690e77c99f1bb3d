"""Team statuses and roles: the tables of moves, permissions, leaving, removing, co-managers, hand-over."""

from __future__ import annotations

from typing import Any

import pytest

from bot.core.lifecycle import Lifecycle, MoveNotAllowed
from bot.core.teams.lifecycles import (
    FOUNDER_STATUS,
    MEMBERSHIPS,
    PARTS,
    SPLITS,
    TEAMS,
    MembershipStatus,
    PartStatus,
    SplitStatus,
    TeamStatus,
    is_member,
)
from bot.core.teams.roles import (
    Refusal,
    Role,
    Seat,
    TeamAction,
    action_refusal,
    appoint_refusal,
    demote_refusal,
    hand_over,
    leave_refusal,
    may,
    removal_refusal,
)
from bot.core.teams.visibility import CONSENTED, sees_member_row, sees_reflection

M = MembershipStatus
ACTIVE, ARCHIVED = TeamStatus.ACTIVE, TeamStatus.ARCHIVED
MANAGER = Seat(1, Role.MANAGER, M.MEMBER)
CO = Seat(2, Role.CO_MANAGER, M.MEMBER)
ANNA = Seat(3, Role.MEMBER, M.MEMBER)
BO = Seat(4, Role.MEMBER, M.MEMBER)
GONE = Seat(5, Role.MEMBER, M.LEFT)
PENDING = Seat(6, Role.MEMBER, M.INVITED)
LIFECYCLES: list[Lifecycle[Any]] = [TEAMS, MEMBERSHIPS, SPLITS, PARTS]


@pytest.mark.parametrize("lifecycle", LIFECYCLES, ids=lambda lifecycle: lifecycle.name)
def test_every_status_has_a_row_and_is_reachable(lifecycle: Lifecycle[Any]) -> None:
    statuses = set(type(lifecycle.initial).__members__.values())
    assert set(lifecycle.moves) == statuses
    born = {MEMBERSHIPS.name: {FOUNDER_STATUS}}.get(lifecycle.name, set())
    reached, frontier = {lifecycle.initial, *born}, [lifecycle.initial, *born]
    while frontier:
        for new in lifecycle.moves[frontier.pop()]:
            if new not in reached:
                reached.add(new)
                frontier.append(new)
    assert reached == statuses


def test_membership_moves() -> None:
    assert MEMBERSHIPS.move("invited", M.MEMBER) is M.MEMBER
    assert MEMBERSHIPS.move("member", M.LEFT) is M.LEFT
    assert MEMBERSHIPS.move("member", M.REMOVED) is M.REMOVED
    assert MEMBERSHIPS.move("removed", M.INVITED) is M.INVITED  # a new invite
    with pytest.raises(MoveNotAllowed):
        MEMBERSHIPS.move("left", M.MEMBER)  # back only through an invite and consent
    with pytest.raises(MoveNotAllowed):
        MEMBERSHIPS.move("invited", M.LEFT)
    assert is_member("member") and not is_member("invited") and not is_member("left")


def test_split_and_part_moves() -> None:
    assert SPLITS.move("draft", SplitStatus.LOCKED) is SplitStatus.LOCKED
    assert SPLITS.next_or_none("locked", SplitStatus.DRAFT) is None
    assert PARTS.move("proposed", PartStatus.DISCUSSING) is PartStatus.DISCUSSING
    assert PARTS.move("discussing", PartStatus.PROPOSED) is PartStatus.PROPOSED  # the manager adjusted it
    assert PARTS.move("accepted", PartStatus.PROPOSED) is PartStatus.PROPOSED  # changed after acceptance
    assert PARTS.next_or_none("accepted", PartStatus.DISCUSSING) is None
    assert TEAMS.move("archived", TeamStatus.ACTIVE) is TeamStatus.ACTIVE


def test_permissions_by_role() -> None:
    assert all(may(MANAGER, action) for action in TeamAction)
    assert may(CO, TeamAction.INVITE) and may(CO, TeamAction.SEE_ALL_ROWS)
    for owning in (TeamAction.HAND_OVER, TeamAction.ARCHIVE, TeamAction.APPOINT_CO_MANAGER):
        assert not may(CO, owning)
    assert not any(may(ANNA, action) for action in TeamAction)
    assert not may(Seat(1, Role.MANAGER, M.REMOVED), TeamAction.INVITE)  # a former manager's seat


def test_action_refusals() -> None:
    assert action_refusal(MANAGER, TeamAction.INVITE, ACTIVE) is None
    assert action_refusal(MANAGER, TeamAction.INVITE, ARCHIVED) is Refusal.TEAM_ARCHIVED
    assert action_refusal(ANNA, TeamAction.SET_TARGET, ACTIVE) is Refusal.NOT_ALLOWED
    assert action_refusal(GONE, TeamAction.SET_TARGET, ACTIVE) is Refusal.NOT_A_MEMBER


def test_a_manager_cannot_leave_an_active_team_they_manage() -> None:
    assert leave_refusal(MANAGER, ACTIVE) is Refusal.MANAGER_MUST_HAND_OVER
    assert leave_refusal(MANAGER, ARCHIVED) is None  # archived first
    former, _ = hand_over_ok(MANAGER, ANNA)
    assert leave_refusal(former, ACTIVE) is None  # handed over first
    assert leave_refusal(CO, ACTIVE) is None
    assert leave_refusal(ANNA, ACTIVE) is None
    assert leave_refusal(GONE, ACTIVE) is Refusal.NOT_A_MEMBER


def hand_over_ok(manager: Seat, successor: Seat, keep_as: Role = Role.CO_MANAGER) -> tuple[Seat, Seat]:
    result = hand_over(manager, successor, ACTIVE, keep_as=keep_as)
    assert not isinstance(result, Refusal)
    return result


def test_hand_over() -> None:
    former, new = hand_over_ok(MANAGER, ANNA)
    assert (former.role, new.role) == (Role.CO_MANAGER, Role.MANAGER)
    assert hand_over_ok(MANAGER, CO, Role.MEMBER)[0].role is Role.MEMBER
    assert hand_over(MANAGER, MANAGER, ACTIVE) is Refusal.SELF
    assert hand_over(MANAGER, GONE, ACTIVE) is Refusal.NOT_A_MEMBER
    assert hand_over(MANAGER, PENDING, ACTIVE) is Refusal.NOT_A_MEMBER  # not yet consented
    assert hand_over(CO, ANNA, ACTIVE) is Refusal.NOT_ALLOWED
    assert hand_over(MANAGER, ANNA, ARCHIVED) is Refusal.TEAM_ARCHIVED
    assert hand_over(MANAGER, ANNA, ACTIVE, keep_as=Role.MANAGER) is Refusal.MANAGER_STAYS_ON_AS_MANAGER


def test_removal() -> None:
    assert removal_refusal(MANAGER, ANNA, ACTIVE) is None
    assert removal_refusal(MANAGER, CO, ACTIVE) is None
    assert removal_refusal(CO, ANNA, ACTIVE) is None
    assert removal_refusal(CO, MANAGER, ACTIVE) is Refusal.MANAGER_PROTECTED
    assert removal_refusal(Seat(7, Role.CO_MANAGER, M.MEMBER), CO, ACTIVE) is Refusal.CO_MANAGER_PROTECTED
    assert removal_refusal(ANNA, BO, ACTIVE) is Refusal.NOT_ALLOWED
    assert removal_refusal(MANAGER, MANAGER, ACTIVE) is Refusal.SELF
    assert removal_refusal(MANAGER, GONE, ACTIVE) is Refusal.NOT_A_MEMBER  # already gone (a stale button)
    assert removal_refusal(GONE, ANNA, ACTIVE) is Refusal.NOT_A_MEMBER  # the presser left mid-dialog


def test_co_managers() -> None:
    assert appoint_refusal(MANAGER, ANNA, ACTIVE) is None
    assert appoint_refusal(MANAGER, CO, ACTIVE) is Refusal.ALREADY_CO_MANAGER
    assert appoint_refusal(CO, ANNA, ACTIVE) is Refusal.NOT_ALLOWED
    assert appoint_refusal(MANAGER, PENDING, ACTIVE) is Refusal.NOT_A_MEMBER
    assert demote_refusal(MANAGER, CO, ACTIVE) is None
    assert demote_refusal(MANAGER, ANNA, ACTIVE) is Refusal.NOT_A_CO_MANAGER
    assert demote_refusal(MANAGER, MANAGER, ACTIVE) is Refusal.SELF


def test_visibility() -> None:
    assert {str(item) for item in CONSENTED} == {"goals", "results", "review_ratings", "streak"}
    assert sees_member_row(MANAGER, ANNA.member_id) and sees_member_row(CO, ANNA.member_id)
    assert sees_member_row(ANNA, ANNA.member_id)
    assert not sees_member_row(ANNA, BO.member_id)
    assert not sees_member_row(GONE, ANNA.member_id)
    assert sees_reflection(ANNA, ANNA.member_id, shared=False)
    assert not sees_reflection(MANAGER, ANNA.member_id, shared=False)
    assert sees_reflection(MANAGER, ANNA.member_id, shared=True)
    assert not sees_reflection(BO, ANNA.member_id, shared=True)  # shared with the managers, not colleagues
