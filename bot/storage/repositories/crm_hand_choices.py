"""Each user's hand-vs-CRM choice per measure (crm_hand_choices)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.storage.import_models import CrmHandChoice


class CrmHandChoiceRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def of_user(self, user_id: int) -> dict[str, str]:
        statement = select(CrmHandChoice).where(CrmHandChoice.user_id == user_id)
        return {row.measure: row.choice for row in await self.session.scalars(statement)}

    async def put(self, user_id: int, measure: str, choice: str, now: datetime) -> None:
        statement = select(CrmHandChoice).where(
            CrmHandChoice.user_id == user_id, CrmHandChoice.measure == measure
        )
        row = await self.session.scalar(statement)
        if row is None:
            self.session.add(CrmHandChoice(user_id=user_id, measure=measure, choice=choice, updated_at=now))
        else:
            row.choice, row.updated_at = choice, now
        await self.session.flush()
