"""Team seats: who is in which team, in which role and membership status."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.core.teams.lifecycles import MembershipStatus
from bot.core.teams.roles import Seat
from bot.storage.models import User
from bot.storage.team_models import Team, TeamMember


def seat(member: TeamMember) -> Seat:
    """The domain's view of a row: who, role, status."""
    return Seat(member_id=member.user_id, role=member.role, status=member.status)


class TeamMemberRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    def add(self, member: TeamMember) -> None:
        self.session.add(member)

    async def of(self, team_id: int, user_id: int) -> TeamMember | None:
        """The person's row in the team, whatever its status; None if they never opened an invite."""
        statement = select(TeamMember).where(TeamMember.team_id == team_id, TeamMember.user_id == user_id)
        return await self.session.scalar(statement)

    async def current_of(self, team_id: int) -> Sequence[TeamMember]:
        """The team's current members (managers included), in the order they joined."""
        statement = (
            select(TeamMember)
            .where(TeamMember.team_id == team_id, TeamMember.status == MembershipStatus.MEMBER)
            .order_by(TeamMember.joined_at, TeamMember.id)
        )
        return (await self.session.scalars(statement)).all()

    async def teams_of(self, user_id: int) -> Sequence[tuple[Team, TeamMember]]:
        """The teams the person is a current member of, with their seat, oldest team first."""
        statement = (
            select(Team, TeamMember)
            .join(TeamMember, TeamMember.team_id == Team.id)
            .where(TeamMember.user_id == user_id, TeamMember.status == MembershipStatus.MEMBER)
            .order_by(Team.id)
        )
        return [(team, member) for team, member in (await self.session.execute(statement)).all()]

    async def in_team(self, team_id: int, member_row_id: int) -> TeamMember | None:
        """The seat row `member_row_id` if it belongs to the team (a forged id from another team is None)."""
        member = await self.session.get(TeamMember, member_row_id)
        return member if member is not None and member.team_id == team_id else None

    async def with_users(self, team_id: int) -> Sequence[tuple[TeamMember, User]]:
        """The team's current members with their user rows, in the order they joined (cards, notices)."""
        statement = (
            select(TeamMember, User)
            .join(User, User.id == TeamMember.user_id)
            .where(TeamMember.team_id == team_id, TeamMember.status == MembershipStatus.MEMBER)
            .order_by(TeamMember.joined_at, TeamMember.id)
        )
        return [(member, user) for member, user in (await self.session.execute(statement)).all()]
