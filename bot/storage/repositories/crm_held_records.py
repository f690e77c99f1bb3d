"""A team connection's held records: those whose CRM owner no owner link names yet (teamsync14)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import delete, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.storage.crm_sync_models import CrmHeldRecord


class CrmHeldRecordRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def hold(
        self, connection_id: int, held: Sequence[tuple[str, str, str, dict[str, Any]]], now: datetime
    ) -> None:
        """Keep each (record id, owner key, owner name, record) as the CRM has it now, replacing the old."""
        ids = [record_id for record_id, *_rest in held]
        statement = select(CrmHeldRecord).where(
            CrmHeldRecord.connection_id == connection_id, CrmHeldRecord.record_id.in_(ids)
        )
        stored = {row.record_id: row for row in await self.session.scalars(statement)}
        for record_id, key, name, record in held:
            row = stored.get(record_id)
            if row is None:
                row = CrmHeldRecord(connection_id=connection_id, record_id=record_id)
                self.session.add(row)
                stored[record_id] = row
            row.owner_key, row.owner_name, row.record, row.held_at = key, name, record, now
        await self.session.flush()

    async def release(self, connection_id: int, record_ids: Sequence[str]) -> None:
        """The records are no longer held (their owner is known now, or the CRM deleted them)."""
        if record_ids:
            await self.session.execute(
                delete(CrmHeldRecord).where(
                    CrmHeldRecord.connection_id == connection_id, CrmHeldRecord.record_id.in_(record_ids)
                )
            )

    async def release_all(self, connection_id: int) -> None:
        await self.session.execute(delete(CrmHeldRecord).where(CrmHeldRecord.connection_id == connection_id))

    async def of_owner(self, connection_id: int, owner_key: str) -> Sequence[CrmHeldRecord]:
        statement = (
            select(CrmHeldRecord)
            .where(CrmHeldRecord.connection_id == connection_id, CrmHeldRecord.owner_key == owner_key)
            .order_by(CrmHeldRecord.id)
        )
        return (await self.session.scalars(statement)).all()

    async def get(self, held_id: int) -> CrmHeldRecord | None:
        return await self.session.get(CrmHeldRecord, held_id)

    async def owners(self, connection_id: int) -> Sequence[tuple[str, int, int]]:
        """Each held owner key with the id of its first held row and its count, first held first."""
        statement = (
            select(CrmHeldRecord.owner_key, func.min(CrmHeldRecord.id), func.count())
            .where(CrmHeldRecord.connection_id == connection_id)
            .group_by(CrmHeldRecord.owner_key)
            .order_by(func.min(CrmHeldRecord.id))
        )
        return [
            (key, int(first), int(count))
            for key, first, count in (await self.session.execute(statement)).all()
        ]

    async def count(self, connection_id: int) -> int:
        statement = (
            select(func.count())
            .select_from(CrmHeldRecord)
            .where(CrmHeldRecord.connection_id == connection_id)
        )
        return int(await self.session.scalar(statement) or 0)
