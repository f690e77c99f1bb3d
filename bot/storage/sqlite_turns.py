"""SQLite's one writer, taken in turn inside the process: an asyncio lock held from BEGIN to check-in.

Every SQLite transaction of the bot starts with BEGIN IMMEDIATE, the database's write lock. With several
users' updates handled at once (the inbox's consumer), the poller storing batches and the dispatcher,
two transactions of one process would otherwise meet in SQLite's busy handler, which sleeps (1, 2, 5,
10 ... ms) and gives the lock to whoever retries at the right moment: under load a transaction could
wait past busy_timeout and fail with "database is locked". Here they queue, first come first served, on
an asyncio lock taken just before BEGIN and given back when the connection returns to the pool (after
COMMIT or ROLLBACK). Other processes on the same file (a shell beside the bot) still meet the busy
handler. A transaction that waits longer than WAIT_SECONDS fails as SQLite's own timeout would.
"""

from __future__ import annotations

import asyncio
import sqlite3
import weakref
from typing import Any

from sqlalchemy import event
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.exc import MissingGreenlet
from sqlalchemy.util import await_only

WAIT_SECONDS = 30.0


class WriterTurns:
    """The lock of one engine (per event loop: tests run each in a loop of its own)."""

    def __init__(self) -> None:
        self._locks: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, asyncio.Lock] = (
            weakref.WeakKeyDictionary()
        )
        self._holder: Any = None  # the DB-API connection whose transaction holds the lock

    def _lock(self) -> asyncio.Lock:
        loop = asyncio.get_running_loop()
        lock = self._locks.get(loop)
        if lock is None:
            lock = self._locks[loop] = asyncio.Lock()
        return lock

    def take(self, connection: Connection) -> None:
        """Before BEGIN IMMEDIATE: wait for this process's transaction under way, if any, to end."""
        dbapi = connection.connection.dbapi_connection
        if self._holder is dbapi:
            return  # the same connection, a next transaction before its check-in
        try:
            await_only(asyncio.wait_for(self._lock().acquire(), WAIT_SECONDS))
        except (MissingGreenlet, RuntimeError):
            return  # not under the async engine (no event loop): SQLite's busy handler serves
        except TimeoutError:
            raise sqlite3.OperationalError(
                "database is locked (by this process's other transactions)"
            ) from None
        self._holder = dbapi

    def give_back(self, dbapi_connection: Any, *_: Any) -> None:
        """The connection returned to the pool (or was dropped): its transaction is over."""
        if self._holder is not None and self._holder is dbapi_connection:
            self._holder = None
            for lock in self._locks.values():
                if lock.locked():
                    lock.release()


def install(engine: Engine) -> None:
    """Queue `engine`'s transactions in this process before SQLite's own lock: call it before the
    "begin" listener that issues BEGIN IMMEDIATE (bot.storage.database), since listeners run in order."""
    turns = WriterTurns()
    event.listen(engine, "begin", turns.take)
    for name in ("checkin", "invalidate", "soft_invalidate", "close_detached"):
        event.listen(engine.pool, name, turns.give_back)
