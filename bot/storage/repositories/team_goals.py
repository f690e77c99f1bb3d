"""Team goals, their parts (one per member) and the change log of a locked split."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from decimal import Decimal

from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.core.lifecycle.goals import GoalStatus
from bot.storage.models import ActivityLog, Goal, GoalPlan
from bot.storage.split_models import TeamSplitChange
from bot.storage.team_models import TeamGoal, TeamGoalPart


class TeamGoalRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def add(self, goal: TeamGoal) -> TeamGoal:
        self.session.add(goal)
        await self.session.flush()
        return goal

    async def get(self, team_goal_id: int) -> TeamGoal | None:
        return await self.session.get(TeamGoal, team_goal_id)

    async def open_of(self, team_id: int) -> Sequence[TeamGoal]:
        """The team's open goals, newest first."""
        statement = (
            select(TeamGoal)
            .where(TeamGoal.team_id == team_id, TeamGoal.status.in_(GoalStatus.OPEN))
            .order_by(TeamGoal.id.desc())
        )
        return (await self.session.scalars(statement)).all()

    async def parts(self, team_goal_id: int) -> Sequence[TeamGoalPart]:
        """Every part of the goal (of current and former members), in the order they were handed out."""
        statement = (
            select(TeamGoalPart).where(TeamGoalPart.team_goal_id == team_goal_id).order_by(TeamGoalPart.id)
        )
        return (await self.session.scalars(statement)).all()

    async def part(self, part_id: int) -> TeamGoalPart | None:
        return await self.session.get(TeamGoalPart, part_id)

    def add_part(self, part: TeamGoalPart) -> None:
        self.session.add(part)

    async def remove_parts(self, parts: Sequence[TeamGoalPart]) -> None:
        if parts:
            await self.session.execute(delete(TeamGoalPart).where(TeamGoalPart.id.in_([p.id for p in parts])))

    def record_change(self, change: TeamSplitChange) -> None:
        self.session.add(change)

    async def changes(self, team_goal_id: int) -> Sequence[TeamSplitChange]:
        """The goal's change log, oldest first."""
        statement = (
            select(TeamSplitChange)
            .where(TeamSplitChange.team_goal_id == team_goal_id)
            .order_by(TeamSplitChange.at, TeamSplitChange.id)
        )
        return (await self.session.scalars(statement)).all()

    async def period_results(
        self, user_ids: Sequence[int], measures: Sequence[str], first: date, last: date
    ) -> dict[int, Decimal]:
        """What each person reported of `measures` from `first` through `last` (summed here, not in SQL:
        SQLite keeps amounts as text)."""
        totals: dict[int, Decimal] = {}
        if not user_ids or not measures:
            return totals
        statement = select(ActivityLog.user_id, ActivityLog.amount).where(
            ActivityLog.user_id.in_(list(user_ids)),
            ActivityLog.measure.in_(list(measures)),
            ActivityLog.day >= first,
            ActivityLog.day <= last,
        )
        for user_id, amount in (await self.session.execute(statement)).all():
            totals[user_id] = totals.get(user_id, Decimal(0)) + amount
        return totals

    async def linked_goals(self, goal_ids: Sequence[int]) -> tuple[dict[int, Goal], dict[int, GoalPlan]]:
        """The members' own goals that parts link to, and those goals' plan rows where they have one (read,
        never created: a goal without one is planned with the defaults)."""
        if not goal_ids:
            return {}, {}
        goals = {
            goal.id: goal for goal in await self.session.scalars(select(Goal).where(Goal.id.in_(goal_ids)))
        }
        plans = await self.session.scalars(select(GoalPlan).where(GoalPlan.goal_id.in_(goal_ids)))
        return goals, {row.goal_id: row for row in plans}
