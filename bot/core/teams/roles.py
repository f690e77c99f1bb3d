"""Who may do what in a team: roles, their permissions, and the rules for leaving, removing and handing over.

A team has exactly one manager. Co-managers help run it: they invite, remove plain members, split the
target and run the meeting, but only the manager hands the team over, archives it or appoints and demotes
co-managers. A manager never simply leaves a team they manage while it is active: they hand it over (to
anyone of their choosing; no one is promoted behind their back) or archive it first. After a hand-over the
former manager stays on as a co-manager unless they ask to become a plain member.
Every refusal is a typed reason, for the caller to put in words.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from enum import StrEnum

from bot.core.teams.lifecycles import MembershipStatus, TeamStatus, is_member


class Role(StrEnum):
    MANAGER = "manager"
    CO_MANAGER = "co_manager"
    MEMBER = "member"


class TeamAction(StrEnum):
    INVITE = "invite"
    REMOVE_MEMBER = "remove_member"
    APPOINT_CO_MANAGER = "appoint_co_manager"
    DEMOTE_CO_MANAGER = "demote_co_manager"
    HAND_OVER = "hand_over"
    ARCHIVE = "archive"
    SET_TARGET = "set_target"
    SPLIT_TARGET = "split_target"
    LOCK_SPLIT = "lock_split"
    SET_MEETING = "set_meeting"
    RECORD_MEETING = "record_meeting"
    TOGGLE_LEADERBOARD = "toggle_leaderboard"
    SEE_ALL_ROWS = "see_all_rows"
    EDIT_TEAM = "edit_team"  # name, time zone, currency


_MANAGING = frozenset(
    {
        TeamAction.INVITE,
        TeamAction.REMOVE_MEMBER,
        TeamAction.SET_TARGET,
        TeamAction.SPLIT_TARGET,
        TeamAction.LOCK_SPLIT,
        TeamAction.SET_MEETING,
        TeamAction.RECORD_MEETING,
        TeamAction.TOGGLE_LEADERBOARD,
        TeamAction.SEE_ALL_ROWS,
        TeamAction.EDIT_TEAM,
    }
)
_OWNING = frozenset(
    {TeamAction.APPOINT_CO_MANAGER, TeamAction.DEMOTE_CO_MANAGER, TeamAction.HAND_OVER, TeamAction.ARCHIVE}
)
PERMISSIONS: dict[Role, frozenset[TeamAction]] = {
    Role.MANAGER: _MANAGING | _OWNING,
    Role.CO_MANAGER: _MANAGING,
    Role.MEMBER: frozenset(),
}


class Refusal(StrEnum):
    NOT_A_MEMBER = "not_a_member"  # the actor (or the one acted on) is not a current member
    NOT_ALLOWED = "not_allowed"  # the actor's role does not allow it
    TEAM_ARCHIVED = "team_archived"
    MANAGER_MUST_HAND_OVER = "manager_must_hand_over"  # hand over or archive first
    SELF = "self"  # removing, appointing or handing over to oneself
    MANAGER_PROTECTED = "manager_protected"  # the manager cannot be removed or demoted
    CO_MANAGER_PROTECTED = "co_manager_protected"  # only the manager removes a co-manager
    ALREADY_CO_MANAGER = "already_co_manager"
    NOT_A_CO_MANAGER = "not_a_co_manager"
    MANAGER_STAYS_ON_AS_MANAGER = "manager_stays_on_as_manager"  # a hand-over's keep_as cannot be manager


@dataclass(frozen=True)
class Seat:
    """One person's place in one team: who, in which role, in which membership status."""

    member_id: int
    role: Role
    status: MembershipStatus

    @property
    def current(self) -> bool:
        return is_member(self.status)


def may(seat: Seat, action: TeamAction) -> bool:
    """Whether the seat may take `action`: a current member whose role allows it."""
    return seat.current and action in PERMISSIONS[seat.role]


def action_refusal(actor: Seat, action: TeamAction, team: TeamStatus) -> Refusal | None:
    """Why `actor` may not take `action` on the team now, or None when they may."""
    if not actor.current:
        return Refusal.NOT_A_MEMBER
    if team is not TeamStatus.ACTIVE:
        return Refusal.TEAM_ARCHIVED
    return None if may(actor, action) else Refusal.NOT_ALLOWED


def leave_refusal(seat: Seat, team: TeamStatus) -> Refusal | None:
    """Why the seat may not leave: not a member, or the manager of an active team (hand over or archive)."""
    if not seat.current:
        return Refusal.NOT_A_MEMBER
    if seat.role is Role.MANAGER and team is TeamStatus.ACTIVE:
        return Refusal.MANAGER_MUST_HAND_OVER
    return None


def removal_refusal(actor: Seat, target: Seat, team: TeamStatus) -> Refusal | None:
    """Why `actor` may not remove `target`; co-managers remove plain members only, nobody the manager."""
    refusal = action_refusal(actor, TeamAction.REMOVE_MEMBER, team)
    if refusal is not None:
        return refusal
    if actor.member_id == target.member_id:
        return Refusal.SELF
    if not target.current:
        return Refusal.NOT_A_MEMBER
    if target.role is Role.MANAGER:
        return Refusal.MANAGER_PROTECTED
    if target.role is Role.CO_MANAGER and actor.role is not Role.MANAGER:
        return Refusal.CO_MANAGER_PROTECTED
    return None


def appoint_refusal(actor: Seat, target: Seat, team: TeamStatus) -> Refusal | None:
    """Why `actor` may not make `target` a co-manager."""
    refusal = action_refusal(actor, TeamAction.APPOINT_CO_MANAGER, team)
    if refusal is not None:
        return refusal
    if actor.member_id == target.member_id:
        return Refusal.SELF
    if not target.current:
        return Refusal.NOT_A_MEMBER
    return Refusal.ALREADY_CO_MANAGER if target.role is not Role.MEMBER else None


def demote_refusal(actor: Seat, target: Seat, team: TeamStatus) -> Refusal | None:
    """Why `actor` may not make the co-manager `target` a plain member again."""
    refusal = action_refusal(actor, TeamAction.DEMOTE_CO_MANAGER, team)
    if refusal is not None:
        return refusal
    if actor.member_id == target.member_id:
        return Refusal.SELF
    if not target.current:
        return Refusal.NOT_A_MEMBER
    if target.role is Role.MANAGER:
        return Refusal.MANAGER_PROTECTED
    return Refusal.NOT_A_CO_MANAGER if target.role is not Role.CO_MANAGER else None


def hand_over(
    manager: Seat, successor: Seat, team: TeamStatus, *, keep_as: Role = Role.CO_MANAGER
) -> tuple[Seat, Seat] | Refusal:
    """(the former manager's new seat, the successor's new seat), or why the hand-over cannot happen."""
    refusal = action_refusal(manager, TeamAction.HAND_OVER, team)
    if refusal is not None:
        return refusal
    if keep_as is Role.MANAGER:
        return Refusal.MANAGER_STAYS_ON_AS_MANAGER
    if manager.member_id == successor.member_id:
        return Refusal.SELF
    if not successor.current:
        return Refusal.NOT_A_MEMBER
    return replace(manager, role=keep_as), replace(successor, role=Role.MANAGER)
