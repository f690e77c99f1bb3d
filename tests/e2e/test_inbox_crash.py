"""SIGKILL during a burst: with the durable inbox, every update is handled exactly once after the restart.

The real bot process polls the HTTP emulator, which confirms an offset the way Telegram does (every
update below it, at the moment getUpdates is called with it). Each round queues 60 `/log N calls` updates
from 20 users at once (a distinct N per update), kills the bot with SIGKILL at a random moment of the
burst, restarts it and then sends each user a /help: updates are handled in order per user, so a user's
/help answered means all their earlier updates have been handled. The database must then hold each N
exactly once, in each user's order, and every stored update must be done.
"""

from __future__ import annotations

import random
import time
from collections import Counter
from collections.abc import Callable

import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession

from bot.core.lifecycle.outbox import OutboxStatus
from bot.devtools.fake_bot_api import SentCall
from bot.storage.message_models import InboxUpdate, OutboxMessage
from bot.storage.models import ActivityLog, InboxStatus
from tests.auxil.database import rows
from tests.e2e.harness import Harness, RemoteChat
from tests.e2e.outbox_rows import after_crash

pytestmark = pytest.mark.e2e

USERS, PER_USER, ROUNDS = 20, 3, 5
FIRST_USER = 612_000_001
HELP = "/cancel — Leave the current question"
# No limiter (the emulator has no flood limits) and no dispatcher: only updates happen. INFO: DEBUG would
# log every SQL statement. The restarted process frees the killed one's lanes at start (a process of
# its host that is gone); on SQLite it frees every lane (one process).
BOT = {"TELEGRAM_RATE_LIMIT": "0", "DISPATCHER_ENABLED": "false", "LOG_LEVEL": "INFO"}
# Updates a process may have under way when it dies: their replies may be lost after their commit.


def amount_of(call: SentCall) -> int | None:
    """N of a /log reply ("Logged for November 27, 2026: calls N. ..."); None for other messages."""
    if "calls " not in call.text or not call.text.startswith("Logged for"):
        return None
    return int(call.text.split("calls ")[1].split(".")[0])


async def logged(engine: AsyncEngine) -> dict[int, list[int]]:
    """Each user's logged call counts, in the order they were stored."""
    async with AsyncSession(engine) as session:
        result = await session.execute(
            select(ActivityLog.user_id, ActivityLog.amount).order_by(ActivityLog.id)
        )
    by_user: dict[int, list[int]] = {}
    for user_id, amount in result:
        by_user.setdefault(user_id, []).append(int(amount))
    return by_user


async def inbox_statuses(engine: AsyncEngine) -> Counter[InboxStatus]:
    async with AsyncSession(engine) as session:
        return Counter(await session.scalars(select(InboxUpdate.status)))


async def test_sigkill_during_bursts_of_60_updates_from_20_users_loses_and_doubles_none(
    harness: Harness, engine: AsyncEngine
) -> None:
    seed = random.randrange(10**6)  # the moments differ from run to run; a failure names its seed
    rng = random.Random(seed)
    chats = [harness.chat(FIRST_USER + n) for n in range(USERS)]
    expected: dict[int, list[int]] = {chat.id: [] for chat in chats}
    missing_before: list[int] = []
    await harness.start(**BOT)
    began = time.monotonic()
    for number in range(ROUNDS):
        burst = []
        for j in range(PER_USER):
            for n, chat in enumerate(chats):
                amount = 1 + number * USERS * PER_USER + n * PER_USER + j
                expected[chat.id].append(amount)
                burst.append(harness.api.message_update(chat.user, f"/log {amount} calls"))
        replies_before = sum(1 for call in harness.api.calls if amount_of(call) is not None)
        kill_after = rng.randrange(0, len(burst) - 5)  # replies seen before the kill: 0 is "at once"
        for update in burst:
            await harness.api.push(update)
        bot = harness.bot
        assert bot is not None
        target = replies_before + kill_after
        await bot.wait_for_calls(
            harness.api, replies_at_least(target), f"{kill_after} replies of round {number}"
        )
        await harness.kill()
        committed_by_the_dead = {amount for amounts in (await logged(engine)).values() for amount in amounts}

        await harness.start(**BOT, **after_crash(harness, number + 1))
        await answered_help(harness, chats, number + 1)

        assert await logged(engine) == expected, f"seed {seed}, round {number}: lost, doubled or reordered"
        statuses = await inbox_statuses(engine)
        assert statuses == {InboxStatus.DONE: (number + 1) * (USERS * PER_USER + USERS)}, statuses
        answers = Counter(amount_of(call) for call in harness.api.calls if amount_of(call) is not None)
        assert max(answers.values()) == 1, f"seed {seed}: a reply was sent twice"
        missing = [amount for amount in expected_amounts(expected) if amount not in answers]
        # The outbox never sends a reply twice: one a kill left under way (committed `sending`, its request
        # maybe out) is recorded `unconfirmed` and not repeated. Only those may be missing, and only of
        # updates the killed process committed; every other reply arrives after the restart.
        new_missing = set(missing) - set(missing_before)
        unconfirmed = await rows(engine, OutboxMessage, status=OutboxStatus.UNCONFIRMED)
        assert len(missing) <= len(unconfirmed), f"seed {seed}, round {number}: {missing} unanswered"
        assert new_missing <= committed_by_the_dead, f"seed {seed}, round {number}: {new_missing} unanswered"
        missing_before = missing
        print(f"seed {seed}, round {number}: killed after {kill_after} replies, {len(missing)} replies lost so far, "
              f"{time.monotonic() - began:.1f} s")  # fmt: skip
    assert harness.bot is not None and await harness.bot.terminate() == 0


def replies_at_least(count: int) -> Callable[[list[SentCall]], bool]:
    return lambda calls: sum(1 for call in calls if amount_of(call) is not None) >= count


def expected_amounts(expected: dict[int, list[int]]) -> list[int]:
    return [amount for amounts in expected.values() for amount in amounts]


async def answered_help(harness: Harness, chats: list[RemoteChat], times: int) -> None:
    """Send each user /help and wait until every one has been answered `times` times in all."""
    for chat in chats:
        await harness.api.push(harness.api.message_update(chat.user, "/help"))
    bot = harness.bot
    assert bot is not None

    def all_answered(_calls: list[SentCall]) -> bool:
        return all(sum(1 for call in chat.sent() if HELP in call.text) >= times for chat in chats)

    await bot.wait_for_calls(harness.api, all_answered, "every user's /help", timeout=60)
