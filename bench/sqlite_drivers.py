"""Ways for the bot to reach SQLite through aiosqlite, to measure one against another in bench_throughput.

- project: whatever bot/storage/database.py picks: bot/storage/sqlite_driver.py, on aiosqlite's public
  API: `Connection.execute_fetchall` runs a statement and reads its rows in one job on the connection's
  thread, on a sqlite3 connection of its own class whose cursors hand back description and counts with
  the rows; one job per statement, the transaction's BEGIN IMMEDIATE in the job of its first statement,
  no job for a commit or rollback with nothing sent since the last one.
- sqlalchemy: SQLAlchemy's own aiosqlite dialect as it connects by itself: aiosqlite's Connection and
  Cursor, four jobs per SELECT (cursor, execute, fetchall, close), three for BEGIN IMMEDIATE.
- onehop: the driver the bot had before (commit 378d59b), on aiosqlite's private `_execute` and `_conn`:
  one job per statement, BEGIN IMMEDIATE in the job of the transaction's first statement; like the
  project's, it skips the commit or rollback of a connection that sent nothing since the last one.

As a program it runs `python -m bot ARGS` with the given driver, which is how bench_throughput starts
the real bot for `--sqlite-drivers`:

    python bench/sqlite_drivers.py onehop run
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

DRIVERS = ("project", "sqlalchemy", "onehop")


class OneHopCursor:
    """The driver the bot had until it moved to aiosqlite's public API: one job per statement.

    It runs execute, fetchall and close of a statement as a single job through aiosqlite's private
    `Connection._execute`, on the private sqlite3 connection `_conn`.
    """

    arraysize = 1

    def __init__(self, connection: OneHopConnection) -> None:
        self._connection = connection
        self._rows: list[Any] = []
        self.description: Any = None
        self.rowcount = -1
        self.lastrowid: int | None = None

    async def __aenter__(self) -> OneHopCursor:
        return self

    async def __aexit__(self, *_exc: object) -> None:
        await self.close()

    async def _run(self, call: Callable[[sqlite3.Cursor], object]) -> OneHopCursor:
        begin, self._connection.begin = self._connection.begin, None
        self._connection.sent = True

        def job() -> tuple[Any, int, int | None, list[Any]]:
            cursor = self._connection._conn.cursor()
            try:
                if begin is not None:
                    cursor.execute(begin)
                call(cursor)
                rows = cursor.fetchall() if cursor.description else []
                return cursor.description, cursor.rowcount, cursor.lastrowid, rows
            finally:
                cursor.close()

        self.description, self.rowcount, self.lastrowid, self._rows = await self._connection._execute(job)
        return self

    async def execute(
        self, sql: str, parameters: Sequence[Any] | dict[str, Any] | None = None
    ) -> OneHopCursor:
        if not parameters and sql.lstrip().upper().startswith("BEGIN"):
            # Held for the transaction's first statement, as the driver of 378d59b did (its defer_begin).
            self._connection.begin = sql
            self.description, self.rowcount, self.lastrowid, self._rows = None, -1, None, []
            return self
        if parameters is None:
            return await self._run(lambda cursor: cursor.execute(sql))
        return await self._run(lambda cursor: cursor.execute(sql, parameters))

    async def executemany(self, sql: str, parameters: Iterable[Sequence[Any]]) -> OneHopCursor:
        return await self._run(lambda cursor: cursor.executemany(sql, parameters))

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
        self._rows = []


class OneHopConnection(aiosqlite.Connection):
    begin: str | None = None  # the transaction's BEGIN, until its first statement
    # A statement went to the thread since the last commit or rollback (as in the project's driver, so
    # that the two differ only in how a statement reaches the thread: no job for a commit or a rollback
    # with no transaction open, as the pool's reset of every connection handed back).
    sent = False

    async def commit(self) -> None:
        self.begin = None
        if self.sent:
            await super().commit()
            self.sent = False

    async def rollback(self) -> None:
        self.begin = None
        if self.sent:
            await super().rollback()
            self.sent = False

    def cursor(self) -> OneHopCursor:  # type: ignore[override]  # aiosqlite's is a coroutine
        return OneHopCursor(self)


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


def onehop_connector(database: str, **kwargs: Any) -> Callable[[], Any]:
    async def connect() -> OneHopConnection:
        connection = OneHopConnection(partial(sqlite3.connect, database, **kwargs), iter_chunk_size=64)
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
    connectors = {"project": project, "sqlalchemy": sqlalchemy_connector, "onehop": onehop_connector}
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
