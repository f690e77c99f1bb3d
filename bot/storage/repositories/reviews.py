"""Review answers: the reflective answers of one review, one row per user, kind and day."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.storage.models import ReviewAnswer


class ReviewAnswerRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def of_day(self, user_id: int, kind: str, day: date) -> ReviewAnswer | None:
        statement = select(ReviewAnswer).where(
            ReviewAnswer.user_id == user_id, ReviewAnswer.kind == kind, ReviewAnswer.day == day
        )
        return (await self.session.scalars(statement)).one_or_none()

    async def save(self, user_id: int, kind: str, day: date, answers: dict[str, Any], now: datetime) -> None:
        """The day's answers; answering the same review again replaces the earlier ones."""
        row = await self.of_day(user_id, kind, day)
        if row is None:
            self.session.add(
                ReviewAnswer(
                    user_id=user_id, kind=kind, day=day, answers=answers, created_at=now, updated_at=now
                )
            )
        else:
            row.answers, row.updated_at = answers, now
