"""/admin's figures, each one query: users, today's prompts, the inbox, the dispatcher, the last errors."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import distinct, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.core.lifecycle.inbox import InboxStatus
from bot.core.lifecycle.outbox import OPEN, OutboxStatus
from bot.core.lifecycle.prompts import OccurrenceStatus
from bot.storage.message_models import InboxUpdate, OutboxMessage
from bot.storage.models import Goal, GoalStatus, PromptOccurrence, PromptSchedule, User

# Prompts the dispatcher has delivered (answered, snoozed and skipped ones were sent first).
DELIVERED = (OccurrenceStatus.SENT, OccurrenceStatus.ANSWERED, OccurrenceStatus.SNOOZED)
NOT_DELIVERED = (OccurrenceStatus.FAILED, OccurrenceStatus.UNCONFIRMED)


@dataclass(frozen=True, slots=True)
class UserCounts:
    total: int
    active: int
    blocked: int
    with_goals: int


@dataclass(frozen=True, slots=True)
class RecentError:
    at: datetime
    where: str  # "update 123" or "message to 456"
    reason: str


class AdminStatsRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def users(self, active_since: datetime) -> UserCounts:
        row = (
            await self.session.execute(
                select(
                    func.count(),
                    func.count().filter(User.last_seen_at >= active_since),
                    func.count().filter(User.is_active.is_(False)),
                )
            )
        ).one()
        with_goals = select(func.count(distinct(Goal.user_id))).where(
            Goal.status.in_(sorted(GoalStatus.OPEN))
        )
        return UserCounts(
            int(row[0]), int(row[1]), int(row[2]), int(await self.session.scalar(with_goals) or 0)
        )

    async def prompts_on(self, day: date) -> tuple[int, int]:
        """Review prompts for the local day `day` (each user's own): delivered, and failed or unconfirmed."""
        counts = {
            status: count
            for status, count in (
                await self.session.execute(
                    select(PromptOccurrence.status, func.count())
                    .where(PromptOccurrence.day == day)
                    .group_by(PromptOccurrence.status)
                )
            ).all()
        }
        return sum(counts.get(s, 0) for s in DELIVERED), sum(counts.get(s, 0) for s in NOT_DELIVERED)

    async def inbox(self) -> tuple[int, datetime | None]:
        """Updates waiting to be handled, and when the oldest of them arrived."""
        row = (
            await self.session.execute(
                select(func.count(), func.min(InboxUpdate.received_at)).where(
                    InboxUpdate.status == InboxStatus.PENDING
                )
            )
        ).one()
        return int(row[0]), row[1]

    async def outbox_depth(self) -> int:
        return int(
            await self.session.scalar(select(func.count()).where(OutboxMessage.status.in_(sorted(OPEN)))) or 0
        )

    async def oldest_due_prompt(self, now: datetime) -> datetime | None:
        """The oldest review prompt that is due and not taken by the dispatcher yet."""
        return await self.session.scalar(
            select(func.min(PromptSchedule.next_due_at)).where(
                PromptSchedule.active.is_(True), PromptSchedule.next_due_at <= now
            )
        )

    async def recent_errors(self, most: int) -> Sequence[RecentError]:
        """The newest handler failures (failed inbox updates) and failed sends, newest first: both tables
        keep them for their retention period, so no table of errors of its own is needed."""
        updates = (
            await self.session.execute(
                select(InboxUpdate.update_id, InboxUpdate.handled_at, InboxUpdate.reason)
                .where(InboxUpdate.status == InboxStatus.FAILED, InboxUpdate.handled_at.is_not(None))
                .order_by(InboxUpdate.handled_at.desc())
                .limit(most)
            )
        ).all()
        sends = (
            await self.session.execute(
                select(OutboxMessage.chat_id, OutboxMessage.updated_at, OutboxMessage.reason)
                .where(OutboxMessage.status == OutboxStatus.FAILED, OutboxMessage.reason.is_not(None))
                .order_by(OutboxMessage.updated_at.desc())
                .limit(most)
            )
        ).all()
        found = [
            RecentError(at, f"update {uid}", reason or "") for uid, at, reason in updates if at is not None
        ]
        found += [RecentError(at, f"message to {chat}", reason or "") for chat, at, reason in sends]
        return sorted(found, key=lambda error: error.at, reverse=True)[:most]
