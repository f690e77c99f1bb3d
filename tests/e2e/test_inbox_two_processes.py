"""Two bot processes on one PostgreSQL consume one inbox: each update once, each user's in order.

2,000 `/log N calls` updates from 200 users are stored in the inbox the way polling stores them (batches,
one commit each) while two real bot processes run against the HTTP emulator; they find the updates on
their own (each consumer's timer round claims what other processes stored) and share the users' lanes.
"""

from __future__ import annotations

import asyncio
import re
from collections import defaultdict
from datetime import UTC, datetime
from typing import Any

import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession

from bot.devtools.fake_bot_api import SentCall
from bot.services.inbox import Arrival
from bot.storage.message_models import InboxLane, InboxUpdate
from bot.storage.models import ActivityLog, InboxStatus
from bot.storage.repositories.inbox import InboxRepository
from bot.storage.repositories.inbox_lanes import LaneRepository
from tests.e2e.harness import BotProcess, Harness

pytestmark = pytest.mark.e2e

USERS, PER_USER, BATCH = 200, 10, 100
FIRST_USER = 613_000_001
BOT = {"TELEGRAM_RATE_LIMIT": "0", "DISPATCHER_ENABLED": "false", "LOG_LEVEL": "INFO"}
HANDLED = re.compile(r"inbox consumer \S+ stops: (\d+) updates handled")


def amount_of(call: SentCall) -> int | None:
    if call.method != "sendMessage" or not call.text.startswith("Logged for"):
        return None
    return int(call.text.split("calls ")[1].split(".")[0].replace(",", ""))


async def store(engine: AsyncEngine, updates: list[tuple[int, dict[str, Any]]]) -> None:
    """(user id, update) in batches of 100, each batch in one commit, as polling stores them."""
    now = datetime.now(UTC)
    for start in range(0, len(updates), BATCH):
        arrivals = [
            Arrival(update["update_id"], user_id, user_id, payload=lambda update=update: update)
            for user_id, update in updates[start : start + BATCH]
        ]
        async with AsyncSession(engine) as session, session.begin():
            await LaneRepository(session).ensure({arrival.lane_id for arrival in arrivals}, "postgresql")
            await InboxRepository(session).store([arrival.row(now) for arrival in arrivals], "postgresql")


async def test_two_processes_on_one_postgresql_handle_2000_updates_from_200_users_once_in_order(
    harness: Harness, engine: AsyncEngine, database_url: str
) -> None:
    if database_url.startswith("sqlite"):
        pytest.skip("two processes share one inbox only on PostgreSQL (SKIP LOCKED); set TEST_DATABASE_URL")
    chats = [harness.api.user(FIRST_USER + n, first_name=f"Seller {n}") for n in range(USERS)]
    expected = {chat["id"]: [n * PER_USER + k + 1 for k in range(PER_USER)] for n, chat in enumerate(chats)}
    updates = [
        (chat["id"], harness.api.message_update(chat, f"/log {expected[chat['id']][k]} calls"))
        for k in range(PER_USER)
        for chat in chats
    ]
    # One polls getUpdates (the emulator's queue stays empty: no update comes that way), the other is a
    # worker: Telegram ends one of two concurrent long polls of a token with 409 Conflict (workers15).
    bots = [BotProcess({**harness.env, **BOT, "BOT_ROLE": role}) for role in ("all", "worker")]
    harness.started.extend(bots)  # killed by the fixture whatever happens
    for bot in bots:
        await bot.start()
        await bot.wait_for_output(r"polling for updates|working as a worker", timeout=60)
    await store(engine, updates)

    def all_answered(calls: list[SentCall]) -> bool:
        return sum(1 for call in calls if amount_of(call) is not None) >= len(updates)

    await asyncio.wait_for(harness.api.wait_for(all_answered, timeout=300), 310)
    for bot in bots:
        assert await bot.terminate() == 0, bot.tail()

    replies: dict[int, list[int]] = defaultdict(list)
    for call in harness.api.calls:
        amount = amount_of(call)
        if amount is not None and call.chat_id is not None:
            replies[call.chat_id].append(amount)
    assert dict(replies) == expected, "a reply was lost, doubled or out of order"
    async with AsyncSession(engine) as session:
        logged: dict[int, list[int]] = defaultdict(list)
        for user_id, amount in await session.execute(
            select(ActivityLog.user_id, ActivityLog.amount).order_by(ActivityLog.id)
        ):
            logged[user_id].append(int(amount))
        statuses = list(await session.scalars(select(InboxUpdate.status)))
        claimed = list(
            await session.scalars(select(InboxLane.claimed_by).where(InboxLane.claimed_by.is_not(None)))
        )
    assert dict(logged) == expected, "an update was stored twice, never, or out of its user's order"
    assert statuses == [InboxStatus.DONE] * len(updates)
    assert claimed == [], "a process left lanes claimed after a clean stop"
    handled = [int(match[1]) for bot in bots for match in [HANDLED.search(bot.output)] if match]
    assert len(handled) == 2 and sum(handled) == len(updates), handled
    assert min(handled) > 0, f"one process did all the work: {handled}"
