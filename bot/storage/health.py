"""Whether the database can serve the bot: reachable, and its schema at the migrations' head (web15)."""

from __future__ import annotations

import asyncio
from functools import cache

from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import text
from sqlalchemy.engine import Connection
from sqlalchemy.exc import DBAPIError
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.storage.migrate import alembic_config


async def ping(engine: AsyncEngine, timeout: float) -> None:  # noqa: ASYNC109
    """SELECT 1 within `timeout` seconds; raises (TimeoutError, the driver's error) otherwise."""

    async def select_one() -> None:
        async with engine.connect() as connection:
            await connection.execute(text("SELECT 1"))

    async def select_one_again_if_stale() -> None:
        try:
            await select_one()
        except DBAPIError as error:
            if not error.connection_invalidated:
                raise
            # The pooled connection was the server's before a restart: the pool has dropped it; a new one
            # tells whether the server is back.
            await select_one()

    await asyncio.wait_for(select_one_again_if_stale(), timeout)


@cache
def head_revisions() -> frozenset[str]:
    """The newest migrations this code ships (read from the files once)."""
    return frozenset(ScriptDirectory.from_config(alembic_config()).get_heads())


def _current(connection: Connection) -> frozenset[str]:
    return frozenset(MigrationContext.configure(connection).get_current_heads())


async def current_revisions(engine: AsyncEngine, timeout: float) -> frozenset[str]:  # noqa: ASYNC109
    """The revisions the database is at (alembic_version), within `timeout` seconds."""

    async def read() -> frozenset[str]:
        async with engine.connect() as connection:
            return await connection.run_sync(_current)

    return await asyncio.wait_for(read(), timeout)
