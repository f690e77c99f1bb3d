"""Invites and joining: the manager's link, the consent screen /start <payload> shows, Join and No thanks.

Opening a link seats the person as invited (bot.core.teams.lifecycles); Join takes one use of the invite
with a conditional UPDATE (two people racing for its last use cannot both have it), makes them a member
with their consent noted, and tells the managers, all in one transaction. Whether an invite still admits,
and this person, is bot.core.teams.invites' decision.
"""

from __future__ import annotations

import secrets
from datetime import timedelta

from bot.core.dialog import Button, Outgoing
from bot.core.lifecycle.teams import MEMBERSHIPS, MembershipStatus
from bot.core.teams.invites import (
    Invite,
    InviteRefusal,
    InviteTerms,
    TermsProblem,
    admission_refusal,
    new_payload,
    new_terms,
)
from bot.core.teams.roles import Refusal, Role, TeamAction, action_refusal
from bot.i18n import Translator
from bot.services.flows.onboarding import start_onboarding
from bot.services.notices import tell_each
from bot.services.team_places import Place, card_of
from bot.services.team_text import (
    UNKNOWN_INVITE,
    consent_text,
    invite_line,
    invite_link,
    invite_refusal_text,
    person_name,
    refusal_text,
)
from bot.services.turn import Turn
from bot.storage.repositories.team_invites import TeamInviteRepository
from bot.storage.repositories.team_members import TeamMemberRepository
from bot.storage.repositories.teams import TeamRepository
from bot.storage.team_models import Team, TeamInvite, TeamMember
from bot.telegram.callbacks import INVITE_DAYS, USES_DAYS, TeamButton, team_callback

USES = (None, 1, 5, 20)  # the choices offered: any number, or at most this many people


def invite_of(row: TeamInvite) -> Invite:
    """The domain's view of an invite row."""
    terms = InviteTerms(created_at=row.created_at, expires_at=row.expires_at, max_uses=row.max_uses)
    return Invite(terms=terms, uses=row.uses, revoked_at=row.revoked_at)


def _inviting_refusal(place: Place) -> Refusal | None:
    return action_refusal(place.seat, TeamAction.INVITE, place.team.status)


def _uses_label(uses: int | None, _: Translator) -> str:
    if uses is None:
        return _("Any number")
    return _.plural("{count} person", "{count} people", uses)


async def invite_screen(turn: Turn, place: Place) -> list[Outgoing]:
    """How long the link works (7 days unless the manager picks otherwise)."""
    _ = turn._
    refusal = _inviting_refusal(place)
    if refusal is not None:
        return [Outgoing(refusal_text(refusal, _))]
    team_id = place.team.id
    quick = Button(_("🔗 7 days, any number of people"), team_callback(TeamButton.INVITE_7, team_id))
    days = tuple(
        Button(_.plural("{count} day", "{count} days", INVITE_DAYS[making]), team_callback(asking, team_id))
        for asking, making in USES_DAYS.items()
    )
    back = Button(_("⬅ Team card"), team_callback(TeamButton.OPEN, team_id))
    text = _("An invite link for {team}. How long should it work?", team=place.team.name)
    return [Outgoing(text, ((quick,), days, (back,)))]


async def uses_screen(turn: Turn, place: Place, asking: TeamButton) -> list[Outgoing]:
    """How many people may join through a link of the days `asking` names."""
    _ = turn._
    refusal = _inviting_refusal(place)
    if refusal is not None:
        return [Outgoing(refusal_text(refusal, _))]
    choices = tuple(
        Button(_uses_label(uses, _), team_callback(USES_DAYS[asking], place.team.id, uses)) for uses in USES
    )
    return [Outgoing(_("How many people may join with it?"), (choices,))]


async def make_invite(
    turn: Turn, place: Place, days: int, uses: int | None, bot_username: str
) -> list[Outgoing]:
    """A new link for the team, valid `days` days, for `uses` people (None: any number)."""
    _ = turn._
    refusal = _inviting_refusal(place)
    if refusal is not None:
        return [Outgoing(refusal_text(refusal, _))]
    terms = new_terms(turn.now, lifetime=timedelta(days=days), max_uses=uses)
    if isinstance(terms, TermsProblem):
        return [Outgoing(_("I cannot make an invite with those terms; nothing changed."))]
    row = TeamInvite(team_id=place.team.id, payload=new_payload(secrets.token_bytes), created_by=turn.user.id,
                     created_at=turn.now, expires_at=terms.expires_at, max_uses=terms.max_uses, uses=0)  # fmt: skip
    await TeamInviteRepository(turn.session).add(row)
    text = _(
        "Invite link for {team} ({terms}):\n{link}\n\nSend it to your salespeople; "
        "each sees what joining shares before they agree.",
        team=place.team.name,
        terms=invite_line(row, place.team, _),
        link=invite_link(bot_username, row.payload),
    )
    return [Outgoing(text), await card_of(turn, place)]


async def revoke_invite(turn: Turn, place: Place, invite_id: int | None) -> list[Outgoing]:
    _ = turn._
    refusal = _inviting_refusal(place)
    if refusal is not None:
        return [Outgoing(refusal_text(refusal, _))]
    repository = TeamInviteRepository(turn.session)
    invite = await repository.of_team(place.team.id, invite_id) if invite_id is not None else None
    if invite is None:
        return [Outgoing(_("That invite is not one of this team's. Nothing changed."))]
    revoked = await repository.revoke(invite, turn.now)
    done = (
        _("Invite withdrawn: the link no longer works.")
        if revoked
        else _("That invite was already withdrawn.")
    )
    return [Outgoing(done), await card_of(turn, place)]


def _refusal(refusal: InviteRefusal, team: Team, turn: Turn) -> list[Outgoing]:
    return [Outgoing(invite_refusal_text(refusal, team, turn._))]


async def _manager_name(turn: Turn, team: Team) -> str:
    rows = await TeamMemberRepository(turn.session).with_users(team.id)
    return next((person_name(user) for member, user in rows if member.role is Role.MANAGER), "—")


async def open_invite(turn: Turn, payload: str) -> list[Outgoing]:
    """/start <payload>: the team, its manager, what joining shares, and Join / No thanks."""
    _ = turn._
    invite = await TeamInviteRepository(turn.session).by_payload(payload)
    team = await TeamRepository(turn.session).get(invite.team_id) if invite else None
    if invite is None or team is None:
        return [Outgoing(_(UNKNOWN_INVITE))]
    members = TeamMemberRepository(turn.session)
    member = await members.of(team.id, turn.user.id)
    status = member.status if member else None
    removed_at = member.ended_at if member and status is MembershipStatus.REMOVED else None
    refusal = admission_refusal(invite_of(invite), team.status, turn.now, status, removed_at)
    if refusal is not None:
        return _refusal(refusal, team, turn)
    if member is None:
        member = TeamMember(team_id=team.id, user_id=turn.user.id, role=Role.MEMBER, status=MEMBERSHIPS.initial,
                            created_at=turn.now, updated_at=turn.now)  # fmt: skip
        members.add(member)
    elif member.status is not MembershipStatus.INVITED:
        member.status = MEMBERSHIPS.move(member.status, MembershipStatus.INVITED)
    member.invite_id, member.updated_at = invite.id, turn.now
    text = _(
        "{manager} invites you to join the team {team}.\n\n{consent}\n\nJoin the team?",
        manager=await _manager_name(turn, team),
        team=team.name,
        consent=consent_text(_),
    )
    buttons = (
        Button(_("✔ Join and agree"), team_callback(TeamButton.JOIN, team.id, invite.id)),
        Button(_("No, thanks"), team_callback(TeamButton.DECLINE, team.id, invite.id)),
    )
    return [Outgoing(text, (buttons,))]


async def _invited_seat(
    turn: Turn, team_id: int | None, invite_id: int | None
) -> tuple[Team, TeamMember, TeamInvite] | None:
    """The presser's invited seat for exactly this team and invite (as the consent screen showed it)."""
    if team_id is None or invite_id is None:
        return None
    team = await TeamRepository(turn.session).get(team_id)
    member = await TeamMemberRepository(turn.session).of(team_id, turn.user.id) if team else None
    invite = await TeamInviteRepository(turn.session).of_team(team_id, invite_id) if member else None
    if team is None or member is None or invite is None:
        return None
    if member.status is not MembershipStatus.INVITED or member.invite_id != invite.id:
        return None
    return team, member, invite


async def join(turn: Turn, team_id: int | None, invite_id: int | None) -> list[Outgoing] | None:
    """Join: one use of the invite, the seat, the consent, the managers told. None for a stale press."""
    _ = turn._
    found = await _invited_seat(turn, team_id, invite_id)
    if found is None:
        return None
    team, member, invite = found
    refusal = admission_refusal(invite_of(invite), team.status, turn.now, member.status)
    if refusal is not None:
        return _refusal(refusal, team, turn)
    if not await TeamInviteRepository(turn.session).take_use(invite.id, turn.now):
        return _refusal(InviteRefusal.USED_UP, team, turn)
    member.status = MEMBERSHIPS.move(member.status, MembershipStatus.MEMBER)
    member.role, member.consented_at, member.joined_at, member.ended_at = (
        Role.MEMBER,
        turn.now,
        turn.now,
        None,
    )
    member.updated_at = turn.now
    rows = await TeamMemberRepository(turn.session).with_users(team.id)
    managers = [user for seat_row, user in rows if seat_row.role is not Role.MEMBER]
    name = person_name(turn.user)
    tell_each(turn, managers, lambda _: Outgoing(_("{name} joined {team}.", name=name, team=team.name)))
    welcome = Outgoing(_("Welcome to {team}! /team shows the team.", team=team.name))
    if turn.user.onboarded_at is None:
        return await start_onboarding(
            turn, preface=[welcome, Outgoing(_("Now three quick questions to set you up."))]
        )
    return [welcome, await card_of(turn, Place(team, member))]


async def decline(turn: Turn, team_id: int | None, invite_id: int | None) -> list[Outgoing] | None:
    _ = turn._
    found = await _invited_seat(turn, team_id, invite_id)
    if found is None:
        return None
    team, member, _invite = found
    member.status = MEMBERSHIPS.move(member.status, MembershipStatus.DECLINED)
    member.updated_at = turn.now
    return [Outgoing(_("No problem: you did not join {team}, and nothing is shared. If you change your mind, open the link again while it works.", team=team.name))]  # fmt: skip
