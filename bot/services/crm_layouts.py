"""Remembered column mappings: a layout the user mapped once is read the same way next time."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from bot.core.crm.files import ColumnMapping


async def remembered_mapping(session: AsyncSession, user_id: int, signature: str) -> ColumnMapping | None:
    """The mapping `user_id` confirmed for files of this header signature, or None."""
    raise NotImplementedError


async def remember_mapping(
    session: AsyncSession, user_id: int, signature: str, mapping: ColumnMapping, now: datetime
) -> None:
    """Keep `mapping` for files of this header signature (replacing an older one)."""
    raise NotImplementedError
