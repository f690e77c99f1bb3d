"""The outbox as a bot process has recorded it, and restarts after a crash.

Telegram (the emulator) answers a send a moment before the bot writes it down, so a test that reads the rows
waits until they say what it expects. A reply a killed process left under way holds its chat's next replies
until the process's lease has run out (on SQLite the next process recovers at once): a restart starts the
clock that much later, as a real restart comes later than the crash.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from datetime import datetime, timedelta

from sqlalchemy.ext.asyncio import AsyncEngine

from bot.scheduler.outbox import OutboxConfig
from bot.storage.message_models import OutboxMessage
from tests.auxil.database import rows
from tests.e2e.harness import WAIT, Harness


async def outbox_rows(
    engine: AsyncEngine,
    chat_id: int,
    until: Callable[[list[OutboxMessage]], bool],
    timeout: float = WAIT,  # noqa: ASYNC109
) -> list[OutboxMessage]:
    """The chat's outbox rows, oldest first, once `until(rows)` holds (polled: the bot is another process)."""
    deadline = asyncio.get_running_loop().time() + timeout
    while True:
        found = await rows(engine, OutboxMessage, chat_id=chat_id)
        if until(found):
            return found
        if asyncio.get_running_loop().time() > deadline:
            statuses = [(row.id, row.status, row.attempts) for row in found]
            raise AssertionError(f"the outbox of chat {chat_id} never got there: {statuses}")
        await asyncio.sleep(0.05)


def none_open(found: list[OutboxMessage]) -> bool:
    return all(row.status not in ("pending", "sending") for row in found)


def after_crash(harness: Harness, restart: int) -> dict[str, str]:
    """The settings of the `restart`-th start after a crash: the clock past every earlier process's lease."""
    start = datetime.fromisoformat(harness.env["CLOCK_START"])
    later = restart * (OutboxConfig().lease + timedelta(seconds=5))
    return {"CLOCK_START": (start + later).isoformat()}
