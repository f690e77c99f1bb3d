"""Remembered column mappings (crm_layouts), per user and header signature."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.storage.import_models import CrmLayout


class CrmLayoutRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def get(self, user_id: int, signature: str) -> CrmLayout | None:
        statement = select(CrmLayout).where(CrmLayout.user_id == user_id, CrmLayout.signature == signature)
        return await self.session.scalar(statement)

    async def put(self, user_id: int, signature: str, mapping: dict[str, Any], now: datetime) -> None:
        row = await self.get(user_id, signature)
        if row is None:
            self.session.add(CrmLayout(user_id=user_id, signature=signature, mapping=mapping, updated_at=now))
        else:
            row.mapping, row.updated_at = mapping, now
        await self.session.flush()
