"""Dialog state rows: one per user at most."""

from __future__ import annotations

from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.storage.models import DialogState


class DialogRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def get_for_update(self, user_id: int) -> DialogState | None:
        """The user's dialog, locked on PostgreSQL so two updates of one user cannot interleave."""
        statement = select(DialogState).where(DialogState.user_id == user_id).with_for_update()
        return (await self.session.scalars(statement)).one_or_none()

    async def put(self, state: DialogState) -> DialogState:
        merged = await self.session.merge(state)
        await self.session.flush()
        return merged

    async def remove(self, user_id: int) -> bool:
        result = await self.session.execute(delete(DialogState).where(DialogState.user_id == user_id))
        return bool(getattr(result, "rowcount", 0))
