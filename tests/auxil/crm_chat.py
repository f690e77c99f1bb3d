"""Shortcuts for the file import's handler tests: a user with goals, a file sent, what was imported."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from decimal import Decimal

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession

from bot.devtools.fake_bot_api import SentCall
from bot.storage.crm_models import CrmRecordRow
from bot.storage.models import ActivityLog, Entry
from tests.auxil.chat import Chat
from tests.auxil.crm_imports import add_user, goal_totals

# Goals over the whole span the sample files cover (September to November 2026), so every result counts.
START, DEADLINE = date(2026, 9, 1), date(2026, 12, 31)


async def with_goals(
    engine: AsyncEngine,
    chat: Chat,
    language: str = "en",
    metrics: Sequence[str] = ("revenue", "deals", "calls"),
) -> None:
    async with AsyncSession(engine, expire_on_commit=False) as session, session.begin():
        await add_user(session, chat.id, language=language, metrics=metrics, start=START, deadline=DEADLINE)


async def send_file(chat: Chat, content: bytes, file_name: str) -> list[SentCall]:
    return await chat.feed(chat.api.document_update(chat.user, content, file_name=file_name))


async def crm_rows(engine: AsyncEngine, user_id: int) -> list[CrmRecordRow]:
    async with AsyncSession(engine) as session:
        found = await session.scalars(select(CrmRecordRow).where(CrmRecordRow.user_id == user_id))
        return list(found.all())


async def totals(engine: AsyncEngine, user_id: int) -> dict[str, Decimal]:
    async with AsyncSession(engine) as session:
        return await goal_totals(session, user_id)


async def counts(engine: AsyncEngine, user_id: int) -> tuple[int, int, int]:
    """(crm_records, entries, activity logs) rows of the user."""
    async with AsyncSession(engine) as session:
        records = await session.scalar(
            select(func.count()).select_from(CrmRecordRow).where(CrmRecordRow.user_id == user_id)
        )
        entries = await session.scalar(
            select(func.count()).select_from(Entry).where(Entry.user_id == user_id)
        )
        logs = await session.scalar(
            select(func.count()).select_from(ActivityLog).where(ActivityLog.user_id == user_id)
        )
        return int(records or 0), int(entries or 0), int(logs or 0)
