"""Corrections made by editing a /log message: the audit of what each edit changed."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.storage.models import EntryCorrection


class CorrectionRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    def add(self, corrections: Sequence[EntryCorrection]) -> None:
        self.session.add_all(corrections)

    async def of_message(self, user_id: int, message_id: int) -> Sequence[EntryCorrection]:
        """Every correction of one message, oldest first."""
        statement = (
            select(EntryCorrection)
            .where(EntryCorrection.user_id == user_id, EntryCorrection.message_id == message_id)
            .order_by(EntryCorrection.id)
        )
        return (await self.session.scalars(statement)).all()
