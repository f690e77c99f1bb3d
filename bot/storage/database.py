"""Engine and session factory for SQLite (WAL, foreign keys) and PostgreSQL."""

from __future__ import annotations

from pathlib import Path
from typing import Any, TypeAlias

from sqlalchemy import event
from sqlalchemy.dialects.sqlite.aiosqlite import SQLiteDialect_aiosqlite
from sqlalchemy.engine import URL, Connection, make_url
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker, create_async_engine
from sqlalchemy.pool import ConnectionPoolEntry

from bot.storage import sqlite_turns
from bot.storage.sqlite_driver import connector

# One update's (or one job's) transaction, as the layers above storage name it: they hand it to
# repositories and services and never call it themselves (tests/test_structure.py checks that).
Session: TypeAlias = AsyncSession


def _sqlite_pragmas(dbapi_connection: Any, _record: ConnectionPoolEntry) -> None:
    # WAL lets readers run beside the writer; SQLite leaves foreign keys off unless asked per connection.
    # The driver's own implicit BEGIN is turned off: _sqlite_begin issues BEGIN IMMEDIATE instead.
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA busy_timeout=5000")
    cursor.close()


def _sqlite_begin(connection: Connection) -> None:
    # Take the write lock at the start: two transactions of one user then run one after the other and
    # the second sees what the first committed (on PostgreSQL, SELECT ... FOR UPDATE does this).
    connection.exec_driver_sql("BEGIN IMMEDIATE")


def ensure_sqlite_directory(url: URL) -> None:
    """Create the folder of a SQLite file so a fresh clone runs without set-up."""
    if url.drivername.startswith("sqlite") and url.database and url.database != ":memory:":
        Path(url.database).parent.mkdir(parents=True, exist_ok=True)


def create_engine(database_url: str | URL, **kwargs: Any) -> AsyncEngine:
    """An async engine with the per-backend settings the bot relies on."""
    url = make_url(database_url)
    ensure_sqlite_directory(url)
    if url.drivername.startswith("sqlite"):
        if url.drivername == "sqlite+aiosqlite" and "async_creator" not in kwargs:
            # The same aiosqlite connection, with fewer hand-overs to its thread (sqlite_driver).
            args, params = SQLiteDialect_aiosqlite().create_connect_args(url)
            kwargs["async_creator"] = connector(*args, **params)
        engine = create_async_engine(url, **kwargs)
        event.listen(engine.sync_engine, "connect", _sqlite_pragmas)
        # This process's transactions take turns first, then SQLite's write lock (listeners run in order).
        sqlite_turns.install(engine.sync_engine)
        event.listen(engine.sync_engine, "begin", _sqlite_begin)
        return engine
    # A server that does not answer should fail startup within seconds, not hang it.
    connect_args = {"timeout": 10, **kwargs.pop("connect_args", {})}
    return create_async_engine(url, pool_pre_ping=True, connect_args=connect_args, **kwargs)


def create_sessionmaker(engine: AsyncEngine) -> async_sessionmaker[AsyncSession]:
    return async_sessionmaker(engine, expire_on_commit=False)
