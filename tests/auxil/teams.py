"""Shortcuts for tests that need a team: straight into the database, as the team flows would leave it."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession

from bot.core.teams.lifecycles import MembershipStatus
from bot.core.teams.roles import Role
from bot.storage.models import User
from bot.storage.team_models import Team, TeamMember


async def insert_team(
    engine: AsyncEngine,
    manager_id: int,
    member_ids: Sequence[int],
    now: datetime,
    *,
    name: str = "East China KA",
    timezone: str = "Asia/Shanghai",
    currency: str = "CNY",
) -> int:
    """A team with its manager and members, all joined with consent. Users that do not exist yet are
    created onboarded, in the team's time zone."""
    async with AsyncSession(engine, expire_on_commit=False) as session, session.begin():
        for user_id in (manager_id, *member_ids):
            if await session.get(User, user_id) is None:
                session.add(User(id=user_id, first_name=f"User {user_id}", timezone=timezone, language="en",
                                 onboarded_at=now, created_at=now, updated_at=now))  # fmt: skip
        await session.flush()
        team = Team(name=name, timezone=timezone, currency=currency, created_by=manager_id,
                    created_at=now, updated_at=now)  # fmt: skip
        session.add(team)
        await session.flush()
        for user_id, role in [(manager_id, Role.MANAGER), *((m, Role.MEMBER) for m in member_ids)]:
            session.add(TeamMember(team_id=team.id, user_id=user_id, role=role, status=MembershipStatus.MEMBER,
                                   consented_at=now, joined_at=now, created_at=now, updated_at=now))  # fmt: skip
        return team.id
