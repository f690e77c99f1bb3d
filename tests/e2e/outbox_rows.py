"""The outbox as a bot process has recorded it: Telegram (the emulator) answers a send a moment before the
bot writes it down, so a test that reads the rows waits until they say what it expects."""

from __future__ import annotations

import asyncio
from collections.abc import Callable

from sqlalchemy.ext.asyncio import AsyncEngine

from bot.storage.models import OutboxMessage
from tests.auxil.database import rows
from tests.e2e.harness import WAIT


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
