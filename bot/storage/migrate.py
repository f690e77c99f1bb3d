"""Apply Alembic migrations from inside the bot's event loop or from the command line."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from sqlalchemy import text
from sqlalchemy.engine import Connection
from sqlalchemy.ext.asyncio import AsyncEngine

MIGRATIONS_DIR = Path(__file__).parent / "migrations"


def alembic_config() -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    return config


def _upgrade(connection: Connection, revision: str) -> None:
    config = alembic_config()
    config.attributes["connection"] = connection
    command.upgrade(config, revision)


# Any fixed number: the key of the advisory lock that serialises migrations across processes.
MIGRATION_LOCK_KEY = 0x51C0AC4


async def upgrade(engine: AsyncEngine, revision: str = "head") -> None:
    """Bring the database to `revision` (by default the newest)."""
    async with engine.begin() as connection:
        if connection.dialect.name == "postgresql":
            # Several bot processes may start at once against one PostgreSQL; one migrates, the rest wait.
            await connection.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": MIGRATION_LOCK_KEY})
        await connection.run_sync(_upgrade, revision)
