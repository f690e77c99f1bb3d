"""Ways for the bot to reach SQLite through aiosqlite, to measure one against another in bench_throughput.

- project: whatever bot/storage/database.py picks (today the one-hop driver of bot/storage/sqlite_driver.py,
  which reaches into aiosqlite's private `_execute`, `_conn` and `_thread`).
- sqlalchemy: SQLAlchemy's own aiosqlite dialect as it connects by itself: aiosqlite's Connection and
  Cursor, four jobs on the connection's thread per SELECT (cursor, execute, fetchall, close), BEGIN
  IMMEDIATE as its own statement.
- public: a Connection subclass whose cursor uses only aiosqlite's public API: `Connection.execute`
  (cursor and statement in one job), then `Cursor.fetchall` when the statement returns rows; two jobs
  per SELECT, one per other statement, BEGIN IMMEDIATE as its own statement.

As a program it runs `python -m bot ARGS` with the given driver, which is how bench_throughput starts
the real bot for `--sqlite-drivers`:

    python bench/sqlite_drivers.py public run
"""

from __future__ import annotations

import runpy
import sqlite3
import sys
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from functools import partial
from pathlib import Path
from typing import Any

# Import `bot` from the tree this file is in, not from wherever the virtualenv's editable install points.
ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

import aiosqlite  # noqa: E402

DRIVERS = ("project", "sqlalchemy", "public")


class PublicCursor:
    """What SQLAlchemy's aiosqlite adapter needs of a cursor, on aiosqlite's public API only."""

    arraysize = 1

    def __init__(self, connection: aiosqlite.Connection) -> None:
        self._connection = connection
        self._cursor: aiosqlite.Cursor | None = None
        self._rows: list[Any] = []

    async def __aenter__(self) -> PublicCursor:
        return self

    async def __aexit__(self, *_exc: object) -> None:
        await self.close()

    @property
    def description(self) -> Any:
        return self._cursor.description if self._cursor is not None else None

    @property
    def rowcount(self) -> int:
        return self._cursor.rowcount if self._cursor is not None else -1

    @property
    def lastrowid(self) -> int | None:
        return self._cursor.lastrowid if self._cursor is not None else None

    async def execute(
        self, sql: str, parameters: Sequence[Any] | dict[str, Any] | None = None
    ) -> PublicCursor:
        self._cursor = await self._connection.execute(sql, parameters)
        # Read every row now, as SQLAlchemy's adapter does right after execute: the statement is then done.
        self._rows = list(await self._cursor.fetchall()) if self._cursor.description else []
        return self

    async def executemany(self, sql: str, parameters: Iterable[Sequence[Any]]) -> PublicCursor:
        self._cursor = await self._connection.executemany(sql, parameters)
        self._rows = []
        return self

    async def fetchone(self) -> Any:
        return self._rows.pop(0) if self._rows else None

    async def fetchmany(self, size: int | None = None) -> list[Any]:
        count = self.arraysize if size is None else size
        taken, self._rows = self._rows[:count], self._rows[count:]
        return taken

    async def fetchall(self) -> list[Any]:
        taken, self._rows = self._rows, []
        return taken

    async def close(self) -> None:
        # The sqlite3 cursor has run to its end; dropping it frees it without a job on the thread.
        self._rows, self._cursor = [], None


class PublicConnection(aiosqlite.Connection):
    def cursor(self) -> PublicCursor:  # type: ignore[override]  # aiosqlite's is a coroutine
        return PublicCursor(self)


def daemon_thread(connection: aiosqlite.Connection) -> None:
    # What SQLAlchemy's own connect() does: the connection's thread must not keep the process alive.
    connection._thread.daemon = True


def sqlalchemy_connector(database: str, **kwargs: Any) -> Callable[[], Any]:
    """The connection SQLAlchemy's aiosqlite dialect makes when it connects by itself."""

    async def connect() -> aiosqlite.Connection:
        connection = aiosqlite.connect(database, **kwargs)
        daemon_thread(connection)
        return await connection

    return connect


def public_connector(database: str, **kwargs: Any) -> Callable[[], Any]:
    async def connect() -> PublicConnection:
        connection = PublicConnection(partial(sqlite3.connect, database, **kwargs), iter_chunk_size=64)
        daemon_thread(connection)
        return await connection

    return connect


def check_drivers(names: Iterable[str]) -> None:
    if unknown := set(names) - set(DRIVERS):
        raise SystemExit(
            f"unknown SQLite drivers: {', '.join(sorted(unknown))}; choose from {', '.join(DRIVERS)}"
        )


@contextmanager
def use_driver(name: str) -> Iterator[None]:
    """bot.storage.database's create_engine connects SQLite with driver `name` inside the block."""
    check_drivers([name])
    import bot.storage.database

    project = bot.storage.database.connector
    connectors = {"project": project, "sqlalchemy": sqlalchemy_connector, "public": public_connector}
    # create_engine looks `connector` up when it runs, so every engine made inside uses the driver.
    setattr(bot.storage.database, "connector", connectors[name])  # noqa: B010
    try:
        yield
    finally:
        setattr(bot.storage.database, "connector", project)  # noqa: B010


if __name__ == "__main__":
    if len(sys.argv) < 2:
        raise SystemExit(f"usage: {sys.argv[0]} {{{','.join(DRIVERS)}}} [python -m bot arguments]")
    with use_driver(sys.argv[1]):
        sys.argv = ["bot", *sys.argv[2:]]
        runpy.run_module("bot", run_name="__main__", alter_sys=True)
