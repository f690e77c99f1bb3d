"""The team tables' repositories: seats, current members, a person's teams."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession

from bot.core.teams.lifecycles import MembershipStatus
from bot.core.teams.roles import Role
from bot.storage.repositories.team_members import TeamMemberRepository, seat
from bot.storage.repositories.teams import TeamRepository
from tests.auxil.teams import insert_team
from tests.conftest import DEFAULT_NOW


async def test_a_team_knows_its_current_members_and_a_person_their_teams(engine: AsyncEngine) -> None:
    first = await insert_team(engine, 1, [2, 3], DEFAULT_NOW)
    second = await insert_team(engine, 2, [3], DEFAULT_NOW, name="Retail")
    async with AsyncSession(engine) as session, session.begin():
        members = TeamMemberRepository(session)
        left = await members.of(first, 3)
        assert left is not None
        left.status = MembershipStatus.LEFT
    async with AsyncSession(engine) as session:
        members = TeamMemberRepository(session)
        assert [m.user_id for m in await members.current_of(first)] == [1, 2]
        assert [(t.id, m.role) for t, m in await members.teams_of(2)] == [
            (first, Role.MEMBER),
            (second, Role.MANAGER),
        ]
        assert [t.name for t, _ in await members.teams_of(3)] == ["Retail"]
        row = await members.of(first, 1)
        assert row is not None and seat(row).role == Role.MANAGER and seat(row).current
        assert await members.of(first, 99) is None
        team = await TeamRepository(session).get(second)
        assert team is not None and (team.meeting_weekday, team.leaderboard_on) == (1, False)
