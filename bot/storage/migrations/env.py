"""Alembic environment: runs on a connection handed in by bot.storage.migrate (async engines included)."""

from __future__ import annotations

import asyncio

from alembic import context
from sqlalchemy.engine import Connection

from bot.storage.models import Base

config = context.config


def run_migrations(connection: Connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=Base.metadata,
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


async def _run_from_settings() -> None:
    """The `alembic` command line path (e.g. autogenerate): connect with DATABASE_URL."""
    from bot.settings import load_settings
    from bot.storage.database import create_engine

    engine = create_engine(load_settings().database_url)
    async with engine.begin() as async_connection:
        await async_connection.run_sync(run_migrations)
    await engine.dispose()


connection = config.attributes.get("connection")
if connection is None:
    asyncio.run(_run_from_settings())
else:
    run_migrations(connection)
