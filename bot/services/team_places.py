"""Where the person pressing a team button stands: their seat in THAT team, looked up from the ids the
button carries (which the client may have forged), and the card and list that /team shows."""

from __future__ import annotations

from dataclasses import dataclass

from bot.core.dialog import Outgoing
from bot.core.teams.roles import Seat
from bot.services.team_card import no_team_yet, team_card, team_list
from bot.services.turn import Turn
from bot.storage.models import User
from bot.storage.repositories.team_members import TeamMemberRepository, seat
from bot.storage.repositories.teams import TeamRepository
from bot.storage.repositories.users import UserRepository
from bot.storage.team_models import Team, TeamMember


@dataclass(frozen=True)
class Place:
    """The presser's own row in a team, with the team."""

    team: Team
    member: TeamMember

    @property
    def seat(self) -> Seat:
        return seat(self.member)


async def place_of(turn: Turn, team_id: int | None) -> Place | None:
    """The presser's current seat in the team, or None: no such team, or they are not (any more) in it."""
    if team_id is None:
        return None
    team = await TeamRepository(turn.session).get(team_id)
    member = await TeamMemberRepository(turn.session).of(team_id, turn.user.id) if team else None
    if team is None or member is None or not seat(member).current:
        return None
    return Place(team, member)


async def other_seat(turn: Turn, place: Place, member_row_id: int | None) -> tuple[TeamMember, User] | None:
    """The seat a button names in the presser's team, with its user; None when it is not that team's."""
    if member_row_id is None:
        return None
    member = await TeamMemberRepository(turn.session).in_team(place.team.id, member_row_id)
    user = await UserRepository(turn.session).get(member.user_id) if member is not None else None
    return (member, user) if member is not None and user is not None else None


async def card_of(turn: Turn, place: Place) -> Outgoing:
    return await team_card(turn.session, place.team, place.seat, turn._, now=turn.now)


async def show_teams(turn: Turn) -> list[Outgoing]:
    """/team: an intro and "Create a team" without a team, the card with one, the list with several."""
    teams = await TeamMemberRepository(turn.session).teams_of(turn.user.id)
    if not teams:
        return [no_team_yet(turn._)]
    if len(teams) == 1:
        team, member = teams[0]
        return [await card_of(turn, Place(team, member))]
    return [team_list(teams, turn._)]


async def list_teams(turn: Turn) -> list[Outgoing]:
    teams = await TeamMemberRepository(turn.session).teams_of(turn.user.id)
    return [team_list(teams, turn._) if teams else no_team_yet(turn._)]
