"""The imports run (crm_imports): who, for whom, from where, and what each changed."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.storage.import_models import CrmImport


class CrmImportRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def add(self, row: CrmImport) -> CrmImport:
        self.session.add(row)
        await self.session.flush()
        return row

    async def of_user(self, user_id: int, limit: int = 20) -> Sequence[CrmImport]:
        """The user's newest imports first."""
        statement = (
            select(CrmImport)
            .where(CrmImport.user_id == user_id)
            .order_by(CrmImport.at.desc(), CrmImport.id.desc())
            .limit(limit)
        )
        return (await self.session.scalars(statement)).all()
