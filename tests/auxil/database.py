"""Test databases: SQLite files by default, PostgreSQL when TEST_DATABASE_URL names one."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from sqlalchemy import delete
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.storage.models import Base

TEST_DATABASE_URL_VARIABLE = "TEST_DATABASE_URL"


def test_database_url(tmp_dir: Path) -> str:
    return os.environ.get(TEST_DATABASE_URL_VARIABLE) or f"sqlite+aiosqlite:///{tmp_dir / 'test.sqlite3'}"


async def wipe(engine: AsyncEngine) -> None:
    """Empty every table (children first), keeping the migrated schema for the next test."""
    async with engine.begin() as connection:
        for table in reversed(Base.metadata.sorted_tables):
            await connection.execute(delete(table))


async def fetch(engine: AsyncEngine, model: type[Base], key: object) -> Base | None:
    """A row as the database holds it now, read in a fresh session."""
    from sqlalchemy.ext.asyncio import AsyncSession

    async with AsyncSession(engine) as session:
        return await session.get(model, key)


async def snapshot(engine: AsyncEngine, user_id: int) -> tuple[dict[str, object], dict[str, object] | None]:
    """Everything stored about a user (settings and dialog state), for 'nothing changed' checks."""
    from bot.storage.models import DialogState, User

    user = await fetch(engine, User, user_id)
    dialog = await fetch(engine, DialogState, user_id)
    assert user is not None

    def columns(row: Base, skip: set[str]) -> dict[str, object]:
        return {c.key: getattr(row, c.key) for c in row.__table__.columns if c.key not in skip}

    # The last handled update id moves with every update by design; everything else must not.
    return columns(user, {"last_update_id"}), (columns(dialog, set()) if dialog else None)


async def rows(engine: AsyncEngine, model: type[Base], **where: object) -> list[Any]:
    """Rows of `model` matching `where`, oldest first, read in a fresh session."""
    from sqlalchemy import select
    from sqlalchemy.ext.asyncio import AsyncSession

    async with AsyncSession(engine) as session:
        statement = select(model).filter_by(**where).order_by(model.id)  # type: ignore[attr-defined]
        return list((await session.scalars(statement)).all())
