"""Remembered column mappings: a layout the user mapped once is read the same way next time."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from bot.core.crm.files import ColumnMapping
from bot.storage.repositories.crm_layouts import CrmLayoutRepository


async def remembered_mapping(session: AsyncSession, user_id: int, signature: str) -> ColumnMapping | None:
    """The mapping `user_id` confirmed for files of this header signature, or None (also for a stored
    mapping this version can no longer read: the user is asked again, rather than a file misread)."""
    row = await CrmLayoutRepository(session).get(user_id, signature)
    if row is None:
        return None
    try:
        return ColumnMapping.from_json(row.mapping)
    except ValueError:
        return None


async def remember_mapping(
    session: AsyncSession, user_id: int, signature: str, mapping: ColumnMapping, now: datetime
) -> None:
    """Keep `mapping` for files of this header signature (replacing an older one)."""
    await CrmLayoutRepository(session).put(user_id, signature, mapping.to_json(), now)
