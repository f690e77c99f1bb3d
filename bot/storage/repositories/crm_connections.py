"""CRM API connections: a user's own, the due ones, and the claim a sync holds on one."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import delete, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from bot.core.lifecycle.crm_connections import SYNCING
from bot.storage.crm_sync_models import CrmConnection


class CrmConnectionRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def of_user(self, user_id: int) -> Sequence[CrmConnection]:
        statement = select(CrmConnection).where(CrmConnection.user_id == user_id).order_by(CrmConnection.id)
        return (await self.session.scalars(statement)).all()

    async def of_teams(self, team_ids: Sequence[int]) -> Sequence[CrmConnection]:
        """The team connections of these teams (what a member is told feeds their results)."""
        if not team_ids:
            return []
        statement = (
            select(CrmConnection).where(CrmConnection.team_id.in_(list(team_ids))).order_by(CrmConnection.id)
        )
        return (await self.session.scalars(statement)).all()

    async def owned(self, user_id: int, connection_id: int) -> CrmConnection | None:
        """The connection if it is `user_id`'s (a forged button names someone else's: None)."""
        connection = await self.session.get(CrmConnection, connection_id)
        return connection if connection is not None and connection.user_id == user_id else None

    async def of_system(self, user_id: int, system: str) -> CrmConnection | None:
        statement = select(CrmConnection).where(
            CrmConnection.user_id == user_id, CrmConnection.system == system
        )
        return await self.session.scalar(statement)

    async def get(self, connection_id: int) -> CrmConnection | None:
        return await self.session.get(CrmConnection, connection_id, populate_existing=True)

    async def add(self, connection: CrmConnection) -> None:
        self.session.add(connection)
        await self.session.flush()

    async def remove(self, connection_id: int) -> None:
        """Delete the row, and the sealed credentials with it."""
        await self.session.execute(delete(CrmConnection).where(CrmConnection.id == connection_id))

    async def due(self, now: datetime, batch: int) -> Sequence[tuple[int, datetime]]:
        """Up to `batch` connections whose slot has come and that no live sync holds: (id, slot).

        Locked with SKIP LOCKED on PostgreSQL, so several dispatchers read different rows; the claim
        below is what makes a slot one sync's, on either backend."""
        statement = (
            select(CrmConnection.id, CrmConnection.next_sync_at)
            .where(
                CrmConnection.next_sync_at <= now,
                CrmConnection.status.in_(SYNCING),
                or_(CrmConnection.claimed_until.is_(None), CrmConnection.claimed_until < now),
            )
            .order_by(CrmConnection.next_sync_at, CrmConnection.id)
            .limit(batch)
            .with_for_update(skip_locked=True)
        )
        return [(row_id, slot) for row_id, slot in (await self.session.execute(statement)).all()]

    async def claim(
        self, connection_id: int, slot: datetime, worker: str, now: datetime, until: datetime
    ) -> bool:
        """Take the connection for `worker` until `until` if its slot is still `slot` and no live sync holds
        it; whether this worker has it now (one of two racing dispatchers gets False)."""
        statement = (
            update(CrmConnection)
            .where(
                CrmConnection.id == connection_id,
                CrmConnection.next_sync_at == slot,
                CrmConnection.status.in_(SYNCING),
                or_(CrmConnection.claimed_until.is_(None), CrmConnection.claimed_until < now),
            )
            .values(claimed_by=worker, claimed_until=until)
            .execution_options(synchronize_session=False)
        )
        result = await self.session.execute(statement)
        return int(getattr(result, "rowcount", 0) or 0) == 1

    async def held(self, connection_id: int, worker: str, now: datetime) -> CrmConnection | None:
        """The connection, locked, if `worker`'s claim on it is still live (else another sync took over)."""
        statement = (
            select(CrmConnection)
            .where(CrmConnection.id == connection_id, CrmConnection.claimed_by == worker)
            .with_for_update()
            .execution_options(populate_existing=True)
        )
        connection = await self.session.scalar(statement)
        if connection is None or connection.claimed_until is None or connection.claimed_until < now:
            return None
        return connection

    async def sync_soon(self, connection_id: int, now: datetime) -> bool:
        """Make the connection due now (/crm's "sync now"), unless a sync holds it; whether it was moved."""
        statement = (
            update(CrmConnection)
            .where(
                CrmConnection.id == connection_id,
                or_(CrmConnection.claimed_until.is_(None), CrmConnection.claimed_until < now),
            )
            .values(next_sync_at=now, updated_at=now)
            .execution_options(synchronize_session=False)
        )
        result = await self.session.execute(statement)
        return int(getattr(result, "rowcount", 0) or 0) == 1
