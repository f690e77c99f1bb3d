"""Setbacks: lost deals and rejections, and the lessons taken from them."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.storage.models import Setback


class SetbackRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    def add(self, setback: Setback) -> None:
        self.session.add(setback)

    async def between(self, user_id: int, first: date, last: date) -> Sequence[Setback]:
        """The user's setbacks on the days `first` to `last` (inclusive), oldest first."""
        statement = (
            select(Setback)
            .where(Setback.user_id == user_id, Setback.day >= first, Setback.day <= last)
            .order_by(Setback.id)
        )
        return (await self.session.scalars(statement)).all()
