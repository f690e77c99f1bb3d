"""Prompt schedule rows: when each user's next review of each kind is due."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from typing import Any, cast

from sqlalchemy import Row, Table, bindparam, select, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import load_only

from bot.core.lifecycle.goals import GoalStatus
from bot.storage.models import Goal, PromptSchedule, User

# The claim reads and writes these as plain rows (executemany), without the ORM's unit of work.
SCHEDULES = cast(Table, PromptSchedule.__table__)
# What the claim reads of a user (wants_prompts, rule_of, quiet hours, calendar); nothing else is loaded.
CLAIM_USER_COLUMNS = (
    User.is_active,
    User.prompts_paused,
    User.onboarded_at,
    User.timezone,
    User.working_days,
    User.country,
    User.language,
    User.telegram_language,
    User.daily_review_time,
    User.weekly_review_weekday,
    User.weekly_review_time,
    User.monthly_review_time,
    User.quiet_start,
    User.quiet_end,
)
# A due schedule as the claim reads it: id, kind, day, due instant, its user, whether they have an active goal.
DueSchedule = Row[int, str, date, datetime, User, bool]
_BY_ID = SCHEDULES.c.id == bindparam("schedule_id")


class ScheduleRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def of_user(self, user_id: int) -> dict[str, PromptSchedule]:
        """The user's schedule rows by kind."""
        statement = select(PromptSchedule).where(PromptSchedule.user_id == user_id)
        return {row.kind: row for row in await self.session.scalars(statement)}

    def add(self, schedule: PromptSchedule) -> None:
        self.session.add(schedule)

    async def flush(self) -> None:
        await self.session.flush()

    async def stop(self, user_id: int, now: datetime) -> None:
        """No more prompts for this user (blocked the bot) until they come back."""
        await self.session.execute(
            update(PromptSchedule)
            .where(PromptSchedule.user_id == user_id)
            .values(active=False, updated_at=now)
        )

    async def due(self, now: datetime, batch: int) -> Sequence[DueSchedule]:
        """Up to `batch` active schedules due by `now`, oldest first, locked (others skip them), each
        with its user (only what the claim reads) and whether the user has an active goal: one query."""
        # LIMIT 1 makes PostgreSQL probe the goals index per row rather than hash every active goal.
        has_goal = (
            select(Goal.id)
            .where(Goal.user_id == PromptSchedule.user_id, Goal.status == GoalStatus.ACTIVE)
            .limit(1)
            .scalar_subquery()
            .is_not(None)
        )
        statement = (
            select(
                PromptSchedule.id,
                PromptSchedule.kind,
                PromptSchedule.next_day,
                PromptSchedule.next_due_at,
                User,
                has_goal,
            )
            .join(User, User.id == PromptSchedule.user_id)
            .options(load_only(*CLAIM_USER_COLUMNS))
            .where(PromptSchedule.active.is_(True), PromptSchedule.next_due_at <= now)
            .order_by(PromptSchedule.next_due_at)
            .limit(batch)
            .with_for_update(of=PromptSchedule, skip_locked=True)
        )
        return (await self.session.execute(statement)).all()

    async def advance(self, moves: list[dict[str, Any]], now: datetime) -> None:
        """Served schedules moved on, one UPDATE for all: {schedule_id, served, day, due_at} each."""
        if moves:
            await self.session.execute(
                update(SCHEDULES)
                .where(_BY_ID)
                .values(
                    last_served_day=bindparam("served"),
                    next_day=bindparam("day"),
                    next_due_at=bindparam("due_at"),
                    updated_at=now,
                ),
                moves,
            )

    async def stop_served(self, stops: list[dict[str, Any]], now: datetime) -> None:
        """Served schedules of users who want no prompts, stopped: {schedule_id, served} each."""
        if stops:
            await self.session.execute(
                update(SCHEDULES)
                .where(_BY_ID)
                .values(last_served_day=bindparam("served"), active=False, updated_at=now),
                stops,
            )
