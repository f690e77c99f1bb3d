"""Who is in a team in which role: members, co-managers, removing, leaving, handing over, archiving.

Every move is decided by bot.core.teams.roles (who may) and bot.core.lifecycle.teams (the statuses), on the
seats of the presser and of the member the button names, both looked up in the button's team. The person
a change is about is told, through the outbox, in the same transaction.
"""

from __future__ import annotations

from bot.core.dialog import Button, Outgoing
from bot.core.lifecycle.teams import MEMBERSHIPS, TEAMS, MembershipStatus, TeamStatus
from bot.core.teams.roles import (
    Refusal,
    Role,
    TeamAction,
    action_refusal,
    appoint_refusal,
    demote_refusal,
    hand_over,
    leave_refusal,
    may,
    removal_refusal,
)
from bot.i18n import Translator
from bot.services.notices import tell_each
from bot.services.team_places import Place, card_of, other_seat
from bot.services.team_text import person_name, refusal_text, role_text
from bot.services.turn import Turn
from bot.storage.models import User
from bot.storage.repositories.team_members import TeamMemberRepository, seat
from bot.storage.team_models import TeamMember
from bot.telegram.callbacks import TeamButton, team_callback


def _refused(refusal: Refusal, turn: Turn) -> list[Outgoing]:
    return [Outgoing(refusal_text(refusal, turn._))]


def _back(place: Place, _: Translator) -> tuple[Button, ...]:
    return (Button(_("⬅ Team card"), team_callback(TeamButton.OPEN, place.team.id)),)


async def _managers(turn: Turn, place: Place) -> list[User]:
    rows = await TeamMemberRepository(turn.session).with_users(place.team.id)
    return [user for member, user in rows if member.role is not Role.MEMBER]


async def members_screen(turn: Turn, place: Place) -> list[Outgoing]:
    """The members, a button each, for the managing roles to act on one."""
    _ = turn._
    refusal = action_refusal(place.seat, TeamAction.REMOVE_MEMBER, place.team.status)
    if refusal is not None:
        return _refused(refusal, turn)
    rows = await TeamMemberRepository(turn.session).with_users(place.team.id)
    others = [(member, user) for member, user in rows if member.user_id != turn.user.id]
    if not others:
        return [
            Outgoing(_("No one else has joined yet. ➕ Invite makes a link for them."), (_back(place, _),))
        ]
    buttons = tuple(
        (Button(f"{person_name(user)} · {role_text(member.role, _)}"[:60],
                team_callback(TeamButton.MEMBER, place.team.id, member.id)),)
        for member, user in others
    )  # fmt: skip
    return [
        Outgoing(
            _("Whom do you want to manage in {team}?", team=place.team.name), (*buttons, _back(place, _))
        )
    ]


async def member_screen(turn: Turn, place: Place, member_row_id: int | None) -> list[Outgoing]:
    """One member and what the presser may do with them."""
    _ = turn._
    found = await other_seat(turn, place, member_row_id)
    if found is None or not seat(found[0]).current:
        return _refused(Refusal.NOT_A_MEMBER, turn)
    member, user = found
    target, actor, status = seat(member), place.seat, place.team.status
    team_id = place.team.id
    options = []
    if removal_refusal(actor, target, status) is None:
        options.append(
            Button(_("Remove from the team"), team_callback(TeamButton.REMOVE, team_id, member.id))
        )
    if appoint_refusal(actor, target, status) is None:
        options.append(Button(_("Make co-manager"), team_callback(TeamButton.APPOINT, team_id, member.id)))
    if demote_refusal(actor, target, status) is None:
        options.append(Button(_("Make plain member"), team_callback(TeamButton.DEMOTE, team_id, member.id)))
    if not isinstance(hand_over(actor, target, status), Refusal):
        options.append(
            Button(_("Hand the team over to them"), team_callback(TeamButton.HAND_TO, team_id, member.id))
        )
    text = _(
        "{name}, {role} of {team}.",
        name=person_name(user),
        role=role_text(member.role, _),
        team=place.team.name,
    )
    if not options:
        text += "\n" + _("You cannot change their seat.")
    return [Outgoing(text, (*((option,) for option in options), _back(place, _)))]


def _end_seat(member: TeamMember, ending: MembershipStatus, turn: Turn) -> None:
    member.status = MEMBERSHIPS.move(member.status, ending)
    member.role, member.ended_at, member.updated_at = Role.MEMBER, turn.now, turn.now


async def remove(turn: Turn, place: Place, member_row_id: int | None, *, confirmed: bool) -> list[Outgoing]:
    _ = turn._
    found = await other_seat(turn, place, member_row_id)
    if found is None:
        return _refused(Refusal.NOT_A_MEMBER, turn)
    member, user = found
    refusal = removal_refusal(place.seat, seat(member), place.team.status)
    if refusal is not None:
        return _refused(refusal, turn)
    name, team = person_name(user), place.team
    if not confirmed:
        yes = Button(_("Yes, remove"), team_callback(TeamButton.REMOVE_CONFIRMED, team.id, member.id))
        text = _(
            "Remove {name} from {team}? Their past results stay in the team's history.",
            name=name,
            team=team.name,
        )
        return [Outgoing(text, ((yes,), _back(place, _)))]
    _end_seat(member, MembershipStatus.REMOVED, turn)
    by = person_name(turn.user)
    tell_each(turn, [user], lambda _: Outgoing(_("{manager} removed you from {team}. Your own goals and coaching go on as before.", manager=by, team=team.name)))  # fmt: skip
    return [
        Outgoing(_("{name} is no longer in {team}.", name=name, team=team.name)),
        await card_of(turn, place),
    ]


async def change_role(
    turn: Turn, place: Place, member_row_id: int | None, *, appoint: bool
) -> list[Outgoing]:
    """Make a member a co-manager, or a co-manager a plain member again."""
    _ = turn._
    found = await other_seat(turn, place, member_row_id)
    if found is None:
        return _refused(Refusal.NOT_A_MEMBER, turn)
    member, user = found
    decide = appoint_refusal if appoint else demote_refusal
    refusal = decide(place.seat, seat(member), place.team.status)
    if refusal is not None:
        return _refused(refusal, turn)
    member.role, member.updated_at = (Role.CO_MANAGER if appoint else Role.MEMBER), turn.now
    name, team = person_name(user), place.team.name
    if appoint:
        tell_each(turn, [user], lambda _: Outgoing(_("You now help manage {team}: you can invite and remove members. /team shows it.", team=team)))  # fmt: skip
        done = _("{name} is now a co-manager of {team}.", name=name, team=team)
    else:
        tell_each(turn, [user], lambda _: Outgoing(_("You are a member of {team} again, no longer a co-manager.", team=team)))  # fmt: skip
        done = _("{name} is a plain member of {team} again.", name=name, team=team)
    return [Outgoing(done), await card_of(turn, place)]


async def hand_over_screen(turn: Turn, place: Place) -> list[Outgoing]:
    """Whom to hand the team to: every other current member."""
    _ = turn._
    refusal = action_refusal(place.seat, TeamAction.HAND_OVER, place.team.status)
    if refusal is not None:
        return _refused(refusal, turn)
    rows = await TeamMemberRepository(turn.session).with_users(place.team.id)
    buttons = tuple(
        (Button(person_name(user)[:60], team_callback(TeamButton.HAND_TO, place.team.id, member.id)),)
        for member, user in rows
        if member.user_id != turn.user.id
    )
    if not buttons:
        return [
            Outgoing(
                _("There is no one to hand the team over to yet: invite someone first."), (_back(place, _),)
            )
        ]
    return [
        Outgoing(_("Who will manage {team} from now on?", team=place.team.name), (*buttons, _back(place, _)))
    ]


async def hand_to(turn: Turn, place: Place, member_row_id: int | None, *, confirmed: bool) -> list[Outgoing]:
    _ = turn._
    found = await other_seat(turn, place, member_row_id)
    if found is None:
        return _refused(Refusal.NOT_A_MEMBER, turn)
    member, user = found
    outcome = hand_over(place.seat, seat(member), place.team.status)
    if isinstance(outcome, Refusal):
        return _refused(outcome, turn)
    name, team = person_name(user), place.team
    if not confirmed:
        yes = Button(_("Yes, hand it over"), team_callback(TeamButton.HAND_TO_CONFIRMED, team.id, member.id))
        text = _(
            "Hand {team} over to {name}? They become its manager; you stay on as a co-manager.",
            team=team.name,
            name=name,
        )
        return [Outgoing(text, ((yes,), _back(place, _)))]
    former, successor = outcome
    place.member.role, member.role = former.role, successor.role
    place.member.updated_at = member.updated_at = turn.now
    by = person_name(turn.user)
    tell_each(turn, [user], lambda _: Outgoing(_("{manager} handed {team} over to you: you are its manager now. /team shows it.", manager=by, team=team.name)))  # fmt: skip
    return [
        Outgoing(_("{name} manages {team} now; you are a co-manager.", name=name, team=team.name)),
        await card_of(turn, place),
    ]


async def archive(turn: Turn, place: Place, *, restore: bool) -> list[Outgoing]:
    _ = turn._
    team = place.team
    wanted = TeamStatus.ACTIVE if restore else TeamStatus.ARCHIVED
    if not may(place.seat, TeamAction.ARCHIVE):
        return _refused(Refusal.NOT_ALLOWED, turn)
    if TEAMS.next_or_none(team.status, wanted) is None:
        return [
            Outgoing(_("Nothing changed: the team is already in that state.")),
            await card_of(turn, place),
        ]
    team.status, team.updated_at = TEAMS.move(team.status, wanted), turn.now
    done = (
        _("{team} is active again.", team=team.name)
        if restore
        else _("{team} is archived. ♻ Restore brings it back.", team=team.name)
    )
    return [Outgoing(done), await card_of(turn, place)]


async def leave(turn: Turn, place: Place, *, confirmed: bool) -> list[Outgoing]:
    _ = turn._
    team = place.team
    refusal = leave_refusal(place.seat, team.status)
    if refusal is not None:
        return _refused(refusal, turn)
    if not confirmed:
        yes = Button(_("Yes, leave"), team_callback(TeamButton.LEAVE_CONFIRMED, team.id))
        text = _("Leave {team}? Its managers will no longer see your goals and results.", team=team.name)
        return [Outgoing(text, ((yes,), _back(place, _)))]
    managers = await _managers(turn, place)
    _end_seat(place.member, MembershipStatus.LEFT, turn)
    name = person_name(turn.user)
    tell_each(turn, managers, lambda _: Outgoing(_("{name} left {team}.", name=name, team=team.name)))
    return [Outgoing(_("You left {team}. Your own goals and coaching go on as before.", team=team.name))]
