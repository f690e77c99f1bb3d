"""aiosqlite with one hand-over to its thread per statement instead of four.

aiosqlite runs each call of a cursor (create, execute, fetchall, close) as its own job on the connection's
thread: a queue put, a thread wake-up and a wake-up of the event loop, four times per SELECT. The cursor
here does all of it in one job (execute, fetch every row, close) and keeps the rows, the description and
the counts for SQLAlchemy's adapter to read afterwards. Same sqlite3 connection, same statements and
transactions: only how the calls reach the thread changes.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterable, Sequence
from functools import partial
from typing import Any

import aiosqlite


class OneHopCursor:
    """The part of aiosqlite's Cursor that SQLAlchemy's aiosqlite adapter uses, one thread job per call."""

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
        begin = self._connection.take_begin()

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

        self.description, self.rowcount, self.lastrowid, self._rows = await self._connection.run(job)
        return self

    async def execute(
        self, sql: str, parameters: Sequence[Any] | dict[str, Any] | None = None
    ) -> OneHopCursor:
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
    """aiosqlite's connection whose cursors run each statement as one job on its thread.

    `defer_begin` keeps the statement that opens a transaction (BEGIN IMMEDIATE) to run in the same job
    as the transaction's first statement, right before it: the same statements in the same order, one
    hand-over fewer. A transaction ended before any statement ran never began.
    """

    _begin: str | None = None

    def defer_begin(self, statement: str) -> None:
        self._begin = statement

    def take_begin(self) -> str | None:
        begin, self._begin = self._begin, None
        return begin

    async def commit(self) -> None:
        self._begin = None
        await super().commit()

    async def rollback(self) -> None:
        self._begin = None
        await super().rollback()

    async def run(self, job: Callable[[], Any]) -> Any:
        return await self._execute(job)  # type: ignore[no-untyped-call]

    def cursor(self) -> OneHopCursor:  # type: ignore[override]
        # SQLAlchemy enters what cursor() returns with `async with`; nothing to hand to the thread yet.
        return OneHopCursor(self)


def connector(database: str, **kwargs: Any) -> Callable[[], Any]:
    """An `async_creator` for create_async_engine: the connection SQLAlchemy's aiosqlite dialect expects."""

    async def connect() -> OneHopConnection:
        connection = OneHopConnection(partial(sqlite3.connect, database, **kwargs), iter_chunk_size=64)
        # As SQLAlchemy does for aiosqlite: the connection's thread must not keep the process alive.
        connection._thread.daemon = True
        await connection
        return connection

    return connect
