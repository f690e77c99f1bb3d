"""aiosqlite with fewer hand-overs to its thread, on aiosqlite's public API only.

SQLAlchemy's aiosqlite adapter runs each call of a cursor (create, execute, fetchall, close) as its own
job on the connection's thread: a queue put, a thread wake-up and a wake-up of the event loop, four
times per SELECT. The cursor here runs a statement with `Connection.execute` (the cursor made and the
statement run in one job), reads its rows with `Cursor.fetchall` only when it returns rows, and has
nothing left to close: two jobs per SELECT, one per other statement. Same sqlite3 connection, same
statements and transactions: only how the calls reach the thread changes. bench/README.md measures it
against SQLAlchemy's own path and against a driver on aiosqlite's private API.
"""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Callable, Iterable, Sequence
from functools import partial
from typing import Any

import aiosqlite


class BufferedCursor:
    """The part of a DB-API cursor that SQLAlchemy's aiosqlite adapter uses; rows read at execute."""

    arraysize = 1

    def __init__(self, connection: aiosqlite.Connection) -> None:
        self._connection = connection
        self._cursor: aiosqlite.Cursor | None = None
        self._rows: list[Any] = []

    async def __aenter__(self) -> BufferedCursor:
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
    ) -> BufferedCursor:
        self._cursor = await self._connection.execute(sql, parameters)
        # SQLAlchemy's adapter reads every row right after execute anyway; the statement is then done.
        self._rows = list(await self._cursor.fetchall()) if self._cursor.description else []
        return self

    async def executemany(self, sql: str, parameters: Iterable[Sequence[Any]]) -> BufferedCursor:
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
        # The sqlite3 cursor ran to its end; dropping it frees it without a job on the thread.
        self._rows, self._cursor = [], None


class SQLiteConnection(aiosqlite.Connection):
    """aiosqlite's connection whose cursors are BufferedCursors."""

    def cursor(self) -> BufferedCursor:  # type: ignore[override]
        # aiosqlite's cursor() makes a sqlite3 cursor on the thread (a job); this one needs none until
        # execute. SQLAlchemy enters what cursor() returns with `async with` either way.
        return BufferedCursor(self)


def connector(database: str, **kwargs: Any) -> Callable[[], Any]:
    """An `async_creator` for create_async_engine: the connection SQLAlchemy's aiosqlite dialect expects."""

    def make() -> SQLiteConnection:
        return SQLiteConnection(partial(sqlite3.connect, database, **kwargs), iter_chunk_size=64)

    async def connect() -> SQLiteConnection:
        connection = daemon_made(make)
        await connection  # starts its thread and opens the database there
        return connection

    return connect


def daemon_made(make: Callable[[], SQLiteConnection]) -> SQLiteConnection:
    """`make()` run in a short-lived daemon thread.

    A thread's daemon flag defaults to that of the thread creating it, so the worker thread aiosqlite
    creates with the connection is a daemon too, and an engine left undisposed does not keep the process
    alive at exit (SQLAlchemy's own aiosqlite connect sets the flag for the same reason). Making the
    connection object does no I/O: it connects when awaited.
    """
    outcome: list[SQLiteConnection | BaseException] = []

    def run() -> None:
        try:
            outcome.append(make())
        except BaseException as error:  # handed to the caller's thread below
            outcome.append(error)

    maker = threading.Thread(target=run, daemon=True, name="sqlite-connect")
    maker.start()
    maker.join()
    if isinstance(outcome[0], BaseException):
        raise outcome[0]
    return outcome[0]
