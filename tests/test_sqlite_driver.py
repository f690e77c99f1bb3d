"""The SQLite connection that runs each statement as one job on aiosqlite's thread, on its public API
(bot/storage/sqlite_driver)."""

from __future__ import annotations

import pytest
from sqlalchemy import insert, select, text, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.storage.database import create_engine
from bot.storage.migrate import upgrade
from bot.storage.models import User
from tests.conftest import DEFAULT_NOW


@pytest.fixture
async def sqlite_engine(tmp_path: object) -> AsyncEngine:
    from pathlib import Path

    assert isinstance(tmp_path, Path)
    engine = create_engine(f"sqlite+aiosqlite:///{tmp_path / 'driver.sqlite3'}")
    await upgrade(engine)
    return engine


def a_user(user_id: int) -> dict[str, object]:
    return {"id": user_id, "first_name": f"U{user_id}", "timezone": "UTC", "working_days": "12345",
            "created_at": DEFAULT_NOW, "updated_at": DEFAULT_NOW}  # fmt: skip


async def test_rows_counts_and_many_rows_come_back_as_from_aiosqlite(sqlite_engine: AsyncEngine) -> None:
    async with sqlite_engine.begin() as connection:
        await connection.execute(insert(User), [a_user(1), a_user(2), a_user(3)])
        ids = (await connection.execute(select(User.id).order_by(User.id))).scalars().all()
        assert ids == [1, 2, 3]
        changed = await connection.execute(update(User).where(User.id >= 2).values(first_name="x"))
        assert changed.rowcount == 2
        returned = await connection.execute(
            update(User).where(User.id == 3).values(last_update_id=7).returning(User.id, User.last_update_id)
        )
        assert returned.all() == [(3, 7)]
        streamed = await connection.stream(select(User.id).order_by(User.id.desc()))
        assert [row async for row in streamed.scalars()] == [3, 2, 1]
        assert (await connection.execute(text("SELECT 1 WHERE 0"))).all() == []
    await sqlite_engine.dispose()


async def test_an_error_is_the_usual_exception_and_the_rollback_keeps_nothing(
    sqlite_engine: AsyncEngine,
) -> None:
    with pytest.raises(IntegrityError):
        async with sqlite_engine.begin() as connection:
            await connection.execute(insert(User), [a_user(1)])
            await connection.execute(insert(User), [a_user(1)])
    async with sqlite_engine.connect() as connection:
        assert (await connection.execute(select(User.id))).all() == []
    await sqlite_engine.dispose()


async def test_a_transaction_holds_the_write_lock_from_its_first_statement(
    sqlite_engine: AsyncEngine, tmp_path: object
) -> None:
    import sqlite3
    from pathlib import Path

    assert isinstance(tmp_path, Path)
    other = sqlite3.connect(tmp_path / "driver.sqlite3", timeout=0, isolation_level=None)

    def other_can_write() -> bool:
        try:
            other.execute("BEGIN IMMEDIATE")
        except sqlite3.OperationalError:
            return False
        other.execute("ROLLBACK")
        return True

    async with sqlite_engine.begin() as connection:
        # BEGIN IMMEDIATE goes to SQLite with the first statement, in the same job on its thread.
        await connection.execute(select(User.id))
        assert not other_can_write(), "a read-only first statement still took the write lock"
    assert other_can_write()
    async with sqlite_engine.begin():
        pass  # a transaction without statements never began, and ends without error
    assert other_can_write()
    other.close()
    await sqlite_engine.dispose()


async def test_the_connections_thread_does_not_keep_the_process_alive(sqlite_engine: AsyncEngine) -> None:
    import threading

    await sqlite_engine.dispose()  # the migrations' connection: the one below is new
    before = set(threading.enumerate())
    async with sqlite_engine.connect() as connection:
        await connection.execute(select(User.id))
        started = set(threading.enumerate()) - before
    assert started
    assert all(thread.daemon for thread in started), [thread for thread in started if not thread.daemon]
    await sqlite_engine.dispose()
