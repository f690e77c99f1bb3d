"""What an export reads: a person's (or several team members') rows of every kind, oldest first.

Read-only; each method is one statement over its table (results with the CRM record they came from).
"""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.storage.coaching_models import Reward, Setback, StrategyChange
from bot.storage.crm_models import CrmRecordRow
from bot.storage.models import ActivityLog, Entry, Goal, GoalAudit, GoalPlan, Nudge, ReviewAnswer
from bot.storage.team_models import TeamShare


class ExportRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def goals(self, user_ids: Sequence[int]) -> list[Goal]:
        statement = select(Goal).where(Goal.user_id.in_(user_ids)).order_by(Goal.user_id, Goal.id)
        return list((await self.session.scalars(statement)).all())

    async def goal_audit(self, goal_ids: Sequence[int]) -> list[GoalAudit]:
        statement = select(GoalAudit).where(GoalAudit.goal_id.in_(goal_ids)).order_by(GoalAudit.id)
        return list((await self.session.scalars(statement)).all())

    async def plans(self, goal_ids: Sequence[int]) -> list[GoalPlan]:
        statement = select(GoalPlan).where(GoalPlan.goal_id.in_(goal_ids)).order_by(GoalPlan.goal_id)
        return list((await self.session.scalars(statement)).all())

    async def entries(self, user_ids: Sequence[int]) -> list[tuple[Entry, CrmRecordRow | None]]:
        """Results for goals, each with the CRM record it derives from (None: typed or reviewed)."""
        statement = (
            select(Entry, CrmRecordRow)
            .outerjoin(CrmRecordRow, CrmRecordRow.id == Entry.crm_record_id)
            .where(Entry.user_id.in_(user_ids))
            .order_by(Entry.user_id, Entry.day, Entry.id)
        )
        return [(entry, record) for entry, record in (await self.session.execute(statement)).all()]

    async def activities(self, user_ids: Sequence[int]) -> list[tuple[ActivityLog, CrmRecordRow | None]]:
        statement = (
            select(ActivityLog, CrmRecordRow)
            .outerjoin(CrmRecordRow, CrmRecordRow.id == ActivityLog.crm_record_id)
            .where(ActivityLog.user_id.in_(user_ids))
            .order_by(ActivityLog.user_id, ActivityLog.day, ActivityLog.id)
        )
        return [(log, record) for log, record in (await self.session.execute(statement)).all()]

    async def result_count(self, user_ids: Sequence[int]) -> int:
        """How many results and activities these people have: what makes an export big."""
        entries = select(func.count()).select_from(Entry).where(Entry.user_id.in_(user_ids))
        logs = select(func.count()).select_from(ActivityLog).where(ActivityLog.user_id.in_(user_ids))
        return int(await self.session.scalar(entries) or 0) + int(await self.session.scalar(logs) or 0)

    async def reviews(self, user_ids: Sequence[int]) -> list[ReviewAnswer]:
        statement = (
            select(ReviewAnswer)
            .where(ReviewAnswer.user_id.in_(user_ids))
            .order_by(ReviewAnswer.user_id, ReviewAnswer.day, ReviewAnswer.id)
        )
        return list((await self.session.scalars(statement)).all())

    async def setbacks(self, user_id: int) -> list[Setback]:
        statement = select(Setback).where(Setback.user_id == user_id).order_by(Setback.day, Setback.id)
        return list((await self.session.scalars(statement)).all())

    async def strategy_changes(self, user_id: int) -> list[StrategyChange]:
        statement = (
            select(StrategyChange).where(StrategyChange.user_id == user_id).order_by(StrategyChange.id)
        )
        return list((await self.session.scalars(statement)).all())

    async def rewards(self, user_id: int) -> list[Reward]:
        statement = select(Reward).where(Reward.user_id == user_id).order_by(Reward.id)
        return list((await self.session.scalars(statement)).all())

    async def nudges(self, user_id: int) -> list[Nudge]:
        statement = select(Nudge).where(Nudge.user_id == user_id).order_by(Nudge.id)
        return list((await self.session.scalars(statement)).all())

    async def team_shares(self, team_id: int, user_ids: Sequence[int]) -> list[TeamShare]:
        """What these members shared with the team (wins, reflections), oldest first."""
        statement = (
            select(TeamShare)
            .where(TeamShare.team_id == team_id, TeamShare.user_id.in_(user_ids))
            .order_by(TeamShare.created_at, TeamShare.id)
        )
        return list((await self.session.scalars(statement)).all())
