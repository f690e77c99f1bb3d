"""The meeting digest's reads: each across the whole team at once (one query per kind of row), so a
team of fifty with a year of data builds its digest in a few queries (bench/bench_digest.py)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.core.lifecycle.goals import GoalStatus
from bot.core.schedule import PromptKind
from bot.storage.coaching_models import StrategyChange
from bot.storage.models import ActivityLog, Goal, GoalPlan, PromptOccurrence, ReviewAnswer, User, Vacation
from bot.storage.repositories.team_members import TeamMemberRepository
from bot.storage.team_models import TeamGoal, TeamGoalPart, TeamMember, TeamShare


class TeamDigestReads:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def members(self, team_id: int) -> Sequence[tuple[TeamMember, User]]:
        """The team's current members (managers included) with their users, in the order they joined."""
        return await TeamMemberRepository(self.session).with_users(team_id)

    async def open_team_goal(self, team_id: int) -> TeamGoal | None:
        """The team's newest open goal (the one the meeting is about)."""
        statement = (
            select(TeamGoal)
            .where(TeamGoal.team_id == team_id, TeamGoal.status.in_(GoalStatus.OPEN))
            .order_by(TeamGoal.id.desc())
            .limit(1)
        )
        return await self.session.scalar(statement)

    async def parts(self, team_goal_id: int) -> Sequence[tuple[TeamGoalPart, Goal | None, GoalPlan | None]]:
        """Each member's part with its personal goal and that goal's plan settings (None where missing)."""
        statement = (
            select(TeamGoalPart, Goal, GoalPlan)
            .outerjoin(Goal, Goal.id == TeamGoalPart.goal_id)
            .outerjoin(GoalPlan, GoalPlan.goal_id == TeamGoalPart.goal_id)
            .where(TeamGoalPart.team_goal_id == team_goal_id)
            .order_by(TeamGoalPart.id)
        )
        return [(part, goal, plan) for part, goal, plan in (await self.session.execute(statement)).all()]

    async def vacations(self, user_ids: Sequence[int]) -> Sequence[Vacation]:
        statement = select(Vacation).where(Vacation.user_id.in_(user_ids))
        return (await self.session.scalars(statement)).all()

    async def activities(
        self, user_ids: Sequence[int], first: date, last: date
    ) -> list[tuple[int, date, str, Decimal]]:
        """(user id, day, measure, amount) of the members' activities from `first` through `last` (summed by the
        caller: amounts are exact decimals, which SQLite's SUM would turn into floats)."""
        statement = select(
            ActivityLog.user_id, ActivityLog.day, ActivityLog.measure, ActivityLog.amount
        ).where(ActivityLog.user_id.in_(user_ids), ActivityLog.day >= first, ActivityLog.day <= last)
        connection = await self.session.connection()  # plain rows: see PlanRepository.daily_actuals
        return [
            (user, day, measure, amount) for user, day, measure, amount in await connection.execute(statement)
        ]

    async def weekly_ratings(self, user_ids: Sequence[int], first: date, last: date) -> dict[int, int]:
        """Each member's newest weekly-review rating given for a day from `first` through `last`."""
        statement = (
            select(ReviewAnswer.user_id, ReviewAnswer.answers)
            .where(
                ReviewAnswer.user_id.in_(user_ids),
                ReviewAnswer.kind == PromptKind.WEEKLY,
                ReviewAnswer.day >= first,
                ReviewAnswer.day <= last,
            )
            .order_by(ReviewAnswer.day)
        )
        ratings: dict[int, int] = {}
        for user_id, answers in (await self.session.execute(statement)).all():
            rating = answers.get("rating") if isinstance(answers, dict) else None
            if isinstance(rating, int) and 1 <= rating <= 5:
                ratings[user_id] = rating
        return ratings

    async def daily_prompts(
        self, user_ids: Sequence[int], first: date, last: date
    ) -> list[tuple[int, date, str]]:
        """(user id, day, status) of the members' daily review prompts from `first` through `last` (for
        their streaks): plain rows, since a team's two months of prompts are thousands of them."""
        statement = select(PromptOccurrence.user_id, PromptOccurrence.day, PromptOccurrence.status).where(
            PromptOccurrence.user_id.in_(user_ids),
            PromptOccurrence.kind == PromptKind.DAILY,
            PromptOccurrence.day >= first,
            PromptOccurrence.day <= last,
        )
        connection = await self.session.connection()  # plain rows: see PlanRepository.daily_actuals
        return [(user_id, day, status) for user_id, day, status in await connection.execute(statement)]

    async def shares(self, team_id: int, since: datetime, until: datetime) -> Sequence[TeamShare]:
        """What members shared with the team from `since` until `until`, oldest first."""
        statement = (
            select(TeamShare)
            .where(TeamShare.team_id == team_id, TeamShare.created_at >= since, TeamShare.created_at < until)
            .order_by(TeamShare.created_at, TeamShare.id)
        )
        return (await self.session.scalars(statement)).all()

    async def strategy_changes(
        self, user_ids: Sequence[int], since: datetime, until: datetime
    ) -> Sequence[StrategyChange]:
        """The members' strategy changes from `since` until `until`, oldest first."""
        statement = (
            select(StrategyChange)
            .where(
                StrategyChange.user_id.in_(user_ids), StrategyChange.at >= since, StrategyChange.at < until
            )
            .order_by(StrategyChange.at, StrategyChange.id)
        )
        return (await self.session.scalars(statement)).all()
