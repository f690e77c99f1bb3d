"""Setbacks: lost deals and rejections, and the lessons taken from them."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.storage.coaching_models import Setback


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

    async def add_saved(self, setback: Setback) -> Setback:
        """Keep the setback, flushed so its id is known (a share of it names it)."""
        self.session.add(setback)
        await self.session.flush()
        return setback

    async def owned(self, user_id: int, setback_id: int) -> Setback | None:
        setback = await self.session.get(Setback, setback_id)
        return setback if setback is not None and setback.user_id == user_id else None

    @staticmethod
    def note_reason(setback: Setback, reason_key: str) -> None:
        """Keep why the deal was lost among the setback's answers (a new dict, so the JSON is written)."""
        setback.answers = {**setback.answers, "reason": reason_key}
