"""The migrations build exactly the schema the models describe, on the backend under test."""

from __future__ import annotations

from typing import Any

from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy.engine import Connection
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.storage.models import Base
from bot.storage.types import ExactDecimal


def _differences(connection: Connection) -> list[Any]:
    context = MigrationContext.configure(connection, opts={"compare_type": True})
    differences = []
    for difference in compare_metadata(context, Base.metadata):
        change = difference[0] if isinstance(difference, list) else difference
        # ExactDecimal is stored as text on SQLite by design; reflection cannot know the decorator.
        if (
            change[0] == "modify_type"
            and isinstance(change[-1], ExactDecimal)
            and connection.dialect.name == "sqlite"
        ):
            continue
        differences.append(difference)
    return differences


async def test_models_and_migrations_agree(engine: AsyncEngine) -> None:
    async with engine.connect() as connection:
        assert await connection.run_sync(_differences) == []
