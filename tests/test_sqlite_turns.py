"""SQLite: one process's transactions take turns before BEGIN IMMEDIATE, never meeting in the busy handler."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

from sqlalchemy import event, text

from bot.storage.database import create_engine, create_sessionmaker


def no_busy_wait(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA busy_timeout=0")
    cursor.close()


async def test_concurrent_transactions_of_one_process_run_one_at_a_time_and_all_commit(
    tmp_path: Path,
) -> None:
    engine = create_engine(f"sqlite+aiosqlite:///{tmp_path / 'turns.sqlite3'}")
    # SQLite's busy handler off on every connection: two write transactions overlapping fail at once.
    event.listen(engine.sync_engine, "connect", no_busy_wait)
    begin = create_sessionmaker(engine)
    async with engine.begin() as connection:
        await connection.execute(text("CREATE TABLE seen (n INTEGER)"))
    inside, peak = 0, 0

    async def transaction(n: int) -> None:
        nonlocal inside, peak
        async with begin.begin() as session:
            await session.execute(text("INSERT INTO seen VALUES (:n)"), {"n": n})
            inside += 1
            peak = max(peak, inside)
            await asyncio.sleep(0)  # others run now; on SQLite they must wait for this one's end
            await session.execute(text("UPDATE seen SET n = n + 0 WHERE n = :n"), {"n": n})
            inside -= 1

    try:
        await asyncio.gather(*(transaction(n) for n in range(40)))
        async with begin() as session:
            assert (await session.execute(text("SELECT count(*) FROM seen"))).scalar() == 40
    finally:
        await engine.dispose()
    assert peak == 1
