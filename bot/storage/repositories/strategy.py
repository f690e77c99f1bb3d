"""Strategy changes: each decision to adjust a goal's strategy, with the numbers before and after."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.storage.coaching_models import StrategyChange


class StrategyChangeRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    def add(self, change: StrategyChange) -> None:
        self.session.add(change)

    async def of_user(self, user_id: int) -> Sequence[StrategyChange]:
        """Every change of the user's, oldest first."""
        statement = (
            select(StrategyChange).where(StrategyChange.user_id == user_id).order_by(StrategyChange.id)
        )
        return (await self.session.scalars(statement)).all()

    async def decided_since(self, user_id: int, decision: str, since: datetime) -> Sequence[StrategyChange]:
        """The user's changes with `decision` made at or after `since`, oldest first."""
        statement = (
            select(StrategyChange)
            .where(
                StrategyChange.user_id == user_id,
                StrategyChange.decision == decision,
                StrategyChange.at >= since,
            )
            .order_by(StrategyChange.id)
        )
        return (await self.session.scalars(statement)).all()
