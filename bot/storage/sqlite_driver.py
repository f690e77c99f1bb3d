"""aiosqlite with one hand-over to its thread per statement, on aiosqlite's public API only.

SQLAlchemy's aiosqlite adapter runs each call of a cursor (create, execute, fetchall, close) as its own
job on the connection's thread: a queue put, a thread wake-up and a wake-up of the event loop, four
times per SELECT. Here every statement is one job, through aiosqlite's public `execute_fetchall` (run
the statement and read its rows in one job) on a sqlite3 connection of our own class (sqlite3's
documented `factory`): its cursors hand back, with the rows, what SQLAlchemy reads of a cursor
(description, rowcount, lastrowid). The BEGIN that opens a transaction is held and sent in the same job
as the transaction's first statement, right before it; a commit or rollback with nothing sent since the
last one (the pool's reset of every connection handed back) needs no job. Same sqlite3 connection, same
statements in the same order, same transactions: only how the calls reach the thread changes.
bench/README.md measures it against SQLAlchemy's own path and against the former driver on aiosqlite's
private API.
"""

from __future__ import annotations

import re
import sqlite3
import threading
from collections.abc import Callable, Iterable, Sequence
from typing import Any

import aiosqlite

# The statement database.py's "begin" listener sends; held until the transaction's first statement.
_BEGIN = re.compile(r"\s*BEGIN\b", re.IGNORECASE)


class StatementRows(list[Any]):
    """A statement's rows, with what SQLAlchemy's adapter reads of the cursor that ran it."""

    description: Any = None
    rowcount: int = -1
    lastrowid: int | None = None


class _StatementCursor(sqlite3.Cursor):
    def fetchall(self) -> StatementRows:
        rows = StatementRows(super().fetchall())
        rows.description, rows.rowcount, rows.lastrowid = self.description, self.rowcount, self.lastrowid
        return rows


class StatementConnection(sqlite3.Connection):
    """The sqlite3 connection on aiosqlite's thread: runs a held BEGIN right before the next statement.

    `begin` is set on the event loop's thread before the job that reads it is queued (the queue orders
    the two), and read and cleared only on aiosqlite's thread, inside that job.
    """

    begin: str | None = None

    def _take_begin(self, cursor: sqlite3.Cursor) -> None:
        begin, self.begin = self.begin, None
        if begin is not None:
            cursor.execute(begin)

    def execute(self, sql: str, parameters: Any = (), /) -> _StatementCursor:
        cursor = self.cursor(_StatementCursor)
        self._take_begin(cursor)
        cursor.execute(sql, parameters)
        return cursor

    def executemany(self, sql: str, parameters: Any, /) -> _StatementCursor:
        cursor = self.cursor(_StatementCursor)
        self._take_begin(cursor)
        cursor.executemany(sql, parameters)
        return cursor


class BufferedCursor:
    """The part of a DB-API cursor that SQLAlchemy's aiosqlite adapter uses; rows read at execute."""

    arraysize = 1

    def __init__(self, connection: SQLiteConnection) -> None:
        self._connection = connection
        self._rows: list[Any] = []
        self.description: Any = None
        self.rowcount = -1
        self.lastrowid: int | None = None

    async def __aenter__(self) -> BufferedCursor:
        return self

    async def __aexit__(self, *_exc: object) -> None:
        await self.close()

    async def execute(
        self, sql: str, parameters: Sequence[Any] | dict[str, Any] | None = None
    ) -> BufferedCursor:
        if not parameters and _BEGIN.match(sql):
            self._connection.hold_begin(sql)
            self._rows, self.description, self.rowcount, self.lastrowid = [], None, -1, None
            return self
        self._connection.sending()
        rows = await self._connection.execute_fetchall(sql, parameters)
        if not isinstance(rows, StatementRows):  # the sqlite3 connection is always a StatementConnection
            raise TypeError(f"expected StatementRows from the connection, got {type(rows).__name__}")
        self._rows, self.description, self.rowcount, self.lastrowid = (
            rows, rows.description, rows.rowcount, rows.lastrowid
        )  # fmt: skip
        return self

    async def executemany(self, sql: str, parameters: Iterable[Sequence[Any]]) -> BufferedCursor:
        self._connection.sending()
        cursor = await self._connection.executemany(sql, parameters)
        self._rows, self.description = [], None
        self.rowcount, self.lastrowid = cursor.rowcount, cursor.lastrowid
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
        # The sqlite3 cursor ran to its end inside its job; nothing is left to close on the thread.
        self._rows = []


class SQLiteConnection(aiosqlite.Connection):
    """aiosqlite's connection whose cursors are BufferedCursors, on a StatementConnection."""

    def __init__(self, database: str, **kwargs: Any) -> None:
        self._statements: StatementConnection | None = None
        # Whether a statement went to the thread since the last commit or rollback: only then can a
        # transaction be open (one still running when its caller was cancelled included).
        self._sent = False

        def open_database() -> StatementConnection:
            # Runs on aiosqlite's thread when the connection is awaited.
            connection = sqlite3.connect(database, factory=StatementConnection, **kwargs)
            self._statements = connection
            return connection

        super().__init__(open_database, iter_chunk_size=64)

    def hold_begin(self, statement: str) -> None:
        """Send `statement` (the transaction's BEGIN) with the next statement, in the same job."""
        if self._statements is None:
            raise ValueError("the connection is not open")
        self._statements.begin = statement

    def sending(self) -> None:
        """A statement is about to be queued for the thread."""
        self._sent = True

    def _drop_begin(self) -> None:
        # A transaction that ends before any statement never began: its BEGIN is not sent at all.
        if self._statements is not None:
            self._statements.begin = None

    async def commit(self) -> None:
        self._drop_begin()
        # Nothing sent since the last end: no transaction is open, and sqlite3's commit would do
        # nothing; so would the rollback with which the pool resets every connection handed back.
        if self._sent:
            await super().commit()
            self._sent = False

    async def rollback(self) -> None:
        self._drop_begin()
        if self._sent:
            await super().rollback()
            self._sent = False

    def cursor(self) -> BufferedCursor:  # type: ignore[override]
        # aiosqlite's cursor() makes a sqlite3 cursor on the thread (a job); this one needs none until
        # execute. SQLAlchemy enters what cursor() returns with `async with` either way.
        return BufferedCursor(self)


def connector(database: str, **kwargs: Any) -> Callable[[], Any]:
    """An `async_creator` for create_async_engine: the connection SQLAlchemy's aiosqlite dialect expects."""

    async def connect() -> SQLiteConnection:
        connection = daemon_made(lambda: SQLiteConnection(database, **kwargs))
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
