"""The team roster as the team-goal features read it: the teams a person may set targets for,
their seat in one team, the members a split goes to, and names to show."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass

from sqlalchemy.ext.asyncio import AsyncSession

from bot.core.lifecycle.teams import TeamStatus
from bot.core.teams.roles import Role, Seat, TeamAction, may
from bot.storage.repositories.team_members import TeamMemberRepository, seat
from bot.storage.repositories.teams import TeamRepository
from bot.storage.repositories.users import UserRepository
from bot.storage.team_models import Team


@dataclass(frozen=True)
class TeamSeat:
    """A team and the viewer's seat in it."""

    team: Team
    seat: Seat

    def may(self, action: TeamAction) -> bool:
        return self.team.status == TeamStatus.ACTIVE and may(self.seat, action)


async def teams_of(session: AsyncSession, user_id: int) -> list[TeamSeat]:
    """The active teams the person is a current member of, oldest first."""
    found = await TeamMemberRepository(session).teams_of(user_id)
    return [TeamSeat(team, seat(member)) for team, member in found if team.status == TeamStatus.ACTIVE]


async def teams_allowing(session: AsyncSession, user_id: int, action: TeamAction) -> list[TeamSeat]:
    """The teams in which the person's role allows `action`."""
    return [found for found in await teams_of(session, user_id) if found.may(action)]


async def seat_in(session: AsyncSession, team_id: int, user_id: int) -> TeamSeat | None:
    """The person's seat in the team (whatever its status), or None when they never had one."""
    team = await TeamRepository(session).get(team_id)
    member = await TeamMemberRepository(session).of(team_id, user_id) if team else None
    return TeamSeat(team, seat(member)) if team is not None and member is not None else None


async def split_members(session: AsyncSession, team_id: int) -> list[int]:
    """Who a team target is split across: the current members in the plain member role, as they joined."""
    members = await TeamMemberRepository(session).current_of(team_id)
    return [member.user_id for member in members if member.role is Role.MEMBER]


async def current_members(session: AsyncSession, team_id: int) -> list[Seat]:
    """Every current seat of the team, managers included."""
    return [seat(member) for member in await TeamMemberRepository(session).current_of(team_id)]


async def names_of(session: AsyncSession, user_ids: Collection[int]) -> dict[int, str]:
    """Each person's first name as Telegram gave it (their id when unknown)."""
    users = await UserRepository(session).by_ids(user_ids)
    return {
        user_id: (users[user_id].first_name if user_id in users else str(user_id)) for user_id in user_ids
    }


def managers(seats: Sequence[Seat]) -> list[int]:
    """Those who run the team: the manager and the co-managers."""
    return [one.member_id for one in seats if one.current and one.role in (Role.MANAGER, Role.CO_MANAGER)]
