"""Plans, vacations and recorded results."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.storage.models import Entry, GoalAudit, GoalPlan, Vacation


class PlanRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def plan_row(self, goal_id: int, now: datetime) -> GoalPlan:
        """The goal's plan settings, created with defaults on first use."""
        row = await self.session.get(GoalPlan, goal_id)
        if row is None:
            row = GoalPlan(goal_id=goal_id, month_shares={}, activity_targets={}, updated_at=now)
            self.session.add(row)
            await self.session.flush()
        return row

    async def vacations(self, user_id: int) -> Sequence[Vacation]:
        statement = select(Vacation).where(Vacation.user_id == user_id).order_by(Vacation.start_date)
        return (await self.session.scalars(statement)).all()

    def add_vacation(self, vacation: Vacation) -> None:
        self.session.add(vacation)

    async def daily_actuals(self, goal_id: int) -> dict[date, Decimal]:
        """The goal's recorded results summed per day."""
        statement = select(Entry.day, Entry.amount).where(Entry.goal_id == goal_id)
        totals: dict[date, Decimal] = {}
        for day, amount in (await self.session.execute(statement)).all():
            totals[day] = totals.get(day, Decimal(0)) + amount
        return totals

    async def has_entry_on(self, goal_id: int, day: date) -> bool:
        statement = select(func.count()).where(Entry.goal_id == goal_id, Entry.day == day)
        return bool(await self.session.scalar(statement))

    async def status_changes(self, goal_id: int) -> Sequence[GoalAudit]:
        statement = (
            select(GoalAudit)
            .where(GoalAudit.goal_id == goal_id, GoalAudit.field == "status")
            .order_by(GoalAudit.id)
        )
        return (await self.session.scalars(statement)).all()
