"""A 429 storm (retry_after 35 s) in the middle of a 100-prompt fan-out, with the rate limiter on and off:
every prompt arrives exactly once, none is tried again before Telegram's retry_after, none is counted as a
failed attempt.

The bot's clock is CLOCK_START plus real time, so 35 s of it cannot pass without 35 s of waiting. The test
stops the bot (SIGTERM) while the storm is on and starts it again with CLOCK_START past the wait, as after
a restart: the refused prompts are then due, the others were never tried. How a running bot waits out a
retry_after on its own (the flood gate reopening by the services clock) is tested in-process with the
clock moved by hand (tests/telegram/test_flood.py).
"""

from __future__ import annotations

import asyncio
from collections import Counter
from datetime import datetime, timedelta

import pytest
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.devtools.fake_bot_api import Fault
from bot.scheduler.dispatcher import DispatcherConfig
from bot.storage.models import OccurrenceStatus, PromptOccurrence
from tests.auxil.database import rows
from tests.e2e.harness import Harness
from tests.e2e.test_fanout import (
    CONCURRENCY,
    FAST,
    all_delivered,
    clock_start,
    is_daily,
    latency,
    once_each,
    recorded_as_sent,
    seed,
    settle,
    until,
)

pytestmark = pytest.mark.e2e

FIRST_USER = 820_000_001
STORM = "Too Many Requests: retry after 35"


async def prompt_rows(engine: AsyncEngine) -> list[PromptOccurrence]:
    return await rows(engine, PromptOccurrence, kind="daily")


async def storm_recorded(engine: AsyncEngine, refused: Fault) -> list[PromptOccurrence]:
    """Wait until every send the storm refused is recorded as waiting and nothing is under way."""

    def settled(found: list[PromptOccurrence]) -> bool:
        waiting = [row for row in found if row.wake_at is not None and row.status == OccurrenceStatus.CLAIMED]
        return bool(waiting) and not any(row.status == OccurrenceStatus.SENDING for row in found)

    deadline = asyncio.get_running_loop().time() + 20
    while True:
        found = await prompt_rows(engine)
        if settled(found) and 10**9 - refused.count > 0:
            return found
        if asyncio.get_running_loop().time() > deadline:
            raise AssertionError(f"the storm was never recorded: {Counter(row.status for row in found)}")
        await asyncio.sleep(0.05)


@pytest.mark.parametrize("limiter", ["limiter on", "limiter off"])
async def test_a_429_storm_with_retry_after_35_s_during_a_100_prompt_fan_out_sends_every_prompt_once(
    harness: Harness, engine: AsyncEngine, database_url: str, limiter: str
) -> None:
    chats, start = list(range(FIRST_USER, FIRST_USER + 100)), clock_start(harness)
    await seed(engine, chats, start)
    latency(harness.api, 0.01)  # slow enough for the storm to break out in the middle
    env = {**FAST, "TELEGRAM_RATE_LIMIT": "30" if limiter == "limiter on" else "0"}
    bot = await harness.start(**env)

    arrived = harness.emulator.wait_for_requests(is_daily, 30, timeout=30)
    await until([bot], arrived, "the first 30 prompts")
    storm = Fault(429, STORM, method="sendMessage", retry_after=35, count=10**9)
    harness.api.faults.insert(0, storm)
    recorded = await storm_recorded(engine, storm)
    refused = 10**9 - storm.count
    # The sends under way when the storm broke met it; after the first 429 nothing else was tried.
    assert 1 <= refused <= CONCURRENCY
    waiting = [row for row in recorded if row.wake_at is not None and row.status == OccurrenceStatus.CLAIMED]
    assert all(row.attempts == 0 for row in waiting), "Telegram's wait counted as a failed attempt"
    # Due again 35 s after the 429, by the bot's clock (updated_at is when a send's outcome was written):
    # the refused sends exactly so, the ones the closed gate held back when the gate opens.
    wakes = [row.wake_at for row in waiting if row.wake_at is not None]
    assert any(row.wake_at == row.updated_at + timedelta(seconds=35) for row in waiting)
    first_refusal = min(row.updated_at for row in waiting)
    assert timedelta(seconds=35) <= max(wakes) - first_refusal < timedelta(seconds=36)
    assert "flood control: retry after 35" in (waiting[0].reason or "")
    assert await bot.terminate() == 0
    assert 10**9 - storm.count == refused, "a prompt was tried again before its retry_after"
    harness.api.faults.remove(storm)  # the storm is over
    await settle(harness.emulator)
    before = Counter(call.chat_id for call in harness.api.calls if is_daily(call.method, call.params))

    # The bot again, its clock past the 35 s (and, on PostgreSQL, past the stopped process's claim lease).
    latest = max(row.wake_at for row in waiting if row.wake_at is not None)
    comeback: datetime = latest + timedelta(seconds=1)
    if not database_url.startswith("sqlite"):
        comeback = max(comeback, start + DispatcherConfig().lease + timedelta(minutes=1))
    bot = await harness.start(**{**env, "CLOCK_START": comeback.isoformat()})
    delivered = harness.api.wait_for(lambda _: all_delivered(harness.api, set(chats)), timeout=30)
    await until([bot], delivered, "every prompt after the storm")
    await until([bot], recorded_as_sent(engine, set(chats)), "the bot to record them sent")
    await bot.terminate()
    await settle(harness.emulator)

    final = await prompt_rows(engine)
    statuses = {row.user_id: row.status for row in final}
    assert len(final) == 100
    once_each(harness.api, chats, statuses)
    assert set(statuses.values()) == {OccurrenceStatus.SENT}
    assert {row.attempts for row in final} == {1}, "each prompt took one attempt, the storm's not counted"
    assert sum(before.values()) >= 30, "the storm broke out in the middle of the fan-out"
