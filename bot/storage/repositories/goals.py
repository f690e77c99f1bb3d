"""Goals and their audit trail."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.core.lifecycle.goals import GoalStatus
from bot.storage.models import Goal, GoalAudit


class GoalRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def open_goals(self, user_id: int) -> Sequence[Goal]:
        statement = (
            select(Goal).where(Goal.user_id == user_id, Goal.status.in_(GoalStatus.OPEN)).order_by(Goal.id)
        )
        return (await self.session.scalars(statement)).all()

    async def count_open(self, user_id: int) -> int:
        statement = select(func.count()).where(Goal.user_id == user_id, Goal.status.in_(GoalStatus.OPEN))
        return int(await self.session.scalar(statement) or 0)

    async def get(self, goal_id: int) -> Goal | None:
        return await self.session.get(Goal, goal_id)

    async def owned(self, user_id: int, goal_id: int) -> Goal | None:
        """The goal if it exists, is not deleted and belongs to `user_id`; locked for the update."""
        statement = (
            select(Goal)
            .where(Goal.id == goal_id, Goal.user_id == user_id, Goal.status != GoalStatus.DELETED)
            .with_for_update()
        )
        return (await self.session.scalars(statement)).one_or_none()

    async def add(self, goal: Goal) -> Goal:
        self.session.add(goal)
        await self.session.flush()
        return goal

    def record(self, entry: GoalAudit) -> None:
        self.session.add(entry)

    async def audit_of(self, goal_id: int) -> Sequence[GoalAudit]:
        statement = select(GoalAudit).where(GoalAudit.goal_id == goal_id).order_by(GoalAudit.id)
        return (await self.session.scalars(statement)).all()
