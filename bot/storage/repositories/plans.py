"""Plans, vacations and recorded results."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import bindparam, exists, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.sql.elements import BindParameter

from bot.core.lifecycle.goals import GoalStatus
from bot.core.lifecycle.rewards import RewardStatus
from bot.storage.coaching_models import Reward
from bot.storage.models import Entry, Goal, GoalAudit, GoalPlan, Vacation


@dataclass(frozen=True)
class OpenGoals:
    """A user's open goals with their plan rows, and which of the rarer rows exist to be read at all."""

    goals: list[Goal]
    rows: dict[int, GoalPlan]  # the plan rows that exist (a goal's is created on first use)
    with_status_changes: list[int]  # ids of goals with a status change (pause, resume, ...) in their audit
    with_active_rewards: list[int]  # ids of goals with an active reward
    has_vacations: bool


# Statements of every /log, built once: building and keying them cost more than running them.
_USER: BindParameter[int] = bindparam("user_id")
_OPEN_GOALS = (
    select(
        Goal,
        GoalPlan,
        exists().where(GoalAudit.goal_id == Goal.id, GoalAudit.field == "status"),
        exists().where(
            Reward.user_id == _USER, Reward.goal_id == Goal.id, Reward.status == RewardStatus.ACTIVE
        ),
        exists().where(Vacation.user_id == _USER),
    )
    .outerjoin(GoalPlan, GoalPlan.goal_id == Goal.id)
    .where(Goal.user_id == _USER, Goal.status.in_(GoalStatus.OPEN))
    .order_by(Goal.id)
)
_DAILY_ACTUALS = select(Entry.goal_id, Entry.day, Entry.amount).where(
    Entry.goal_id.in_(bindparam("goal_ids", expanding=True))
)


class PlanRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def plan_row(self, goal_id: int, now: datetime) -> GoalPlan:
        """The goal's plan settings, created with defaults on first use."""
        return (await self.plan_rows([goal_id], now))[goal_id]

    async def plan_rows(self, goal_ids: Sequence[int], now: datetime) -> dict[int, GoalPlan]:
        """Plan settings of several goals in one query; missing ones are created with defaults."""
        rows = {
            row.goal_id: row
            for row in await self.session.scalars(select(GoalPlan).where(GoalPlan.goal_id.in_(goal_ids)))
        }
        return await self.complete_rows(goal_ids, rows, now)

    async def complete_rows(
        self, goal_ids: Sequence[int], rows: dict[int, GoalPlan], now: datetime
    ) -> dict[int, GoalPlan]:
        """`rows` with a default plan row created for each goal that has none yet."""
        missing = [
            GoalPlan(goal_id=goal_id, month_shares={}, activity_targets={}, updated_at=now)
            for goal_id in goal_ids
            if goal_id not in rows
        ]
        if missing:
            self.session.add_all(missing)
            await self.session.flush()
            rows.update((row.goal_id, row) for row in missing)
        return rows

    async def open_goals_with_plans(self, user_id: int) -> OpenGoals:
        """The open goals, their plan rows and what else they have, in one query: the per-goal status
        changes, active rewards and the user's vacations are then only read when there are any."""
        found = (await self.session.execute(_OPEN_GOALS, {"user_id": user_id})).all()
        return OpenGoals(
            goals=[goal for goal, *_ in found],
            rows={goal.id: row for goal, row, *_ in found if row is not None},
            with_status_changes=[goal.id for goal, _, changed, _, _ in found if changed],
            with_active_rewards=[goal.id for goal, _, _, rewarded, _ in found if rewarded],
            has_vacations=any(away for *_, away in found),
        )

    async def daily_actuals(self, goal_ids: Sequence[int]) -> dict[int, dict[date, Decimal]]:
        """Recorded results of several goals, summed per goal and day, in one query."""
        totals: dict[int, dict[date, Decimal]] = {goal_id: {} for goal_id in goal_ids}
        # Through the session's connection: plain rows, without the ORM's result machinery, which cost more
        # than the query itself for a team's year of entries (bench/bench_digest.py).
        connection = await self.session.connection()
        rows = await connection.execute(_DAILY_ACTUALS, {"goal_ids": list(goal_ids)})
        for goal_id, day, amount in rows.all():
            per_day = totals[goal_id]
            per_day[day] = per_day.get(day, Decimal(0)) + amount
        return totals

    async def status_changes(self, goal_ids: Sequence[int]) -> dict[int, list[GoalAudit]]:
        """Status changes (pause, resume, ...) of several goals, oldest first, in one query."""
        statement = (
            select(GoalAudit)
            .where(GoalAudit.goal_id.in_(goal_ids), GoalAudit.field == "status")
            .order_by(GoalAudit.id)
        )
        changes: dict[int, list[GoalAudit]] = {goal_id: [] for goal_id in goal_ids}
        for change in await self.session.scalars(statement):
            changes[change.goal_id].append(change)
        return changes
