"""Team rewards, and the team's results they (and the team goals' milestones) are counted from: the
activity logs of the team's current members, which every /log and review writes for each measure."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.core.lifecycle.goals import GoalStatus
from bot.core.lifecycle.team_rewards import TEAM_REWARDS, TeamRewardStatus
from bot.core.teams.lifecycles import MembershipStatus
from bot.storage.group_models import TeamReward
from bot.storage.models import ActivityLog
from bot.storage.team_models import TeamGoal, TeamMember


class TeamRewardRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    def add(self, reward: TeamReward) -> None:
        self.session.add(reward)

    async def active(self) -> Sequence[TeamReward]:
        """Every team's open rewards, oldest first (the scheduler settles them)."""
        statement = select(TeamReward).where(TeamReward.status == TeamRewardStatus.ACTIVE)
        return (await self.session.scalars(statement.order_by(TeamReward.id))).all()

    async def open_for_update(self, reward_id: int) -> TeamReward | None:
        """The reward if it is still open, locked until the transaction ends (another process settling it
        waits, then finds it settled)."""
        statement = select(TeamReward).where(
            TeamReward.id == reward_id, TeamReward.status == TeamRewardStatus.ACTIVE
        )
        return await self.session.scalar(statement.with_for_update())

    async def active_of(self, team_id: int) -> Sequence[TeamReward]:
        statement = select(TeamReward).where(
            TeamReward.team_id == team_id, TeamReward.status == TeamRewardStatus.ACTIVE
        )
        return (await self.session.scalars(statement.order_by(TeamReward.id))).all()

    @staticmethod
    def settle(reward: TeamReward, outcome: TeamRewardStatus, now: datetime) -> None:
        """Earned, or its window closed unearned (MoveNotAllowed if it was settled already)."""
        reward.status, reward.updated_at = TEAM_REWARDS.move(reward.status, outcome), now

    async def active_team_goals(self, team_id: int) -> Sequence[TeamGoal]:
        statement = select(TeamGoal).where(TeamGoal.team_id == team_id, TeamGoal.status == GoalStatus.ACTIVE)
        return (await self.session.scalars(statement.order_by(TeamGoal.id))).all()

    async def team_total(self, team_id: int, measures: Collection[str], start: date, end: date) -> Decimal:
        """What the team's current members reported of `measures` on the days from `start` through `end`."""
        if not measures:
            return Decimal(0)
        members = select(TeamMember.user_id).where(
            TeamMember.team_id == team_id, TeamMember.status == MembershipStatus.MEMBER
        )
        # Summed here: SQLite keeps amounts as exact text, which its SUM would turn into floats.
        statement = select(ActivityLog.amount).where(
            ActivityLog.user_id.in_(members),
            ActivityLog.measure.in_(sorted(measures)),
            ActivityLog.day >= start,
            ActivityLog.day <= end,
        )
        return sum(await self.session.scalars(statement), Decimal(0))
