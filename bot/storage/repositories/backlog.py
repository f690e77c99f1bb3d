"""What is waiting, read across the queue tables: inbox updates, outbox replies, due prompts (web15).

Read-only counts for /metrics and /readyz (and for anyone reporting lag, such as /admin): every process
reads the same rows, so several workers report the same figures.
"""

from __future__ import annotations

from datetime import datetime
from typing import NamedTuple

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.core.lifecycle.inbox import INBOX
from bot.core.lifecycle.outbox import OPEN
from bot.core.lifecycle.prompts import OccurrenceStatus
from bot.storage.message_models import InboxUpdate, OutboxMessage
from bot.storage.models import PromptOccurrence, PromptSchedule


class Waiting(NamedTuple):
    """How many rows wait, and since when the oldest has waited (None when none does)."""

    rows: int
    oldest: datetime | None


class BacklogRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def inbox(self) -> Waiting:
        """Updates stored and not handled yet, and the oldest one's arrival."""
        row = (
            await self.session.execute(
                select(func.count(), func.min(InboxUpdate.received_at)).where(
                    InboxUpdate.status == INBOX.initial
                )
            )
        ).one()
        return Waiting(rows=int(row[0]), oldest=row[1])

    async def outbox(self) -> Waiting:
        """Replies recorded and not sent yet (waiting, or under way), and the oldest one's recording."""
        row = (
            await self.session.execute(
                select(func.count(), func.min(OutboxMessage.created_at)).where(OutboxMessage.status.in_(OPEN))
            )
        ).one()
        return Waiting(rows=int(row[0]), oldest=row[1])

    async def oldest_due_prompt(self, now: datetime) -> datetime | None:
        """The due time of the oldest prompt that should have gone and has not: a schedule due and not
        recorded yet, or an occurrence recorded and waiting for its send."""
        due_schedule = await self.session.scalar(
            select(func.min(PromptSchedule.next_due_at)).where(
                PromptSchedule.active.is_(True), PromptSchedule.next_due_at <= now
            )
        )
        waiting_send = await self.session.scalar(
            select(func.min(PromptOccurrence.due_at)).where(
                PromptOccurrence.status == OccurrenceStatus.CLAIMED
            )
        )
        found = [moment for moment in (due_schedule, waiting_send) if moment is not None]
        return min(found) if found else None
