"""Scheduled reviews fanned out by the real bot process: none sent twice, none lost.

The database is seeded directly with hundreds of onboarded users whose daily review is due, the bot runs
against the HTTP emulator, and the emulator counts what arrived per chat. The scenarios: SIGKILLs in the
middle of the fan-out, Telegram errors (429, 500, 403) on the way, two dispatchers sharing PostgreSQL.
"""

from __future__ import annotations

import asyncio
import random
from collections import Counter
from collections.abc import Awaitable, Sequence
from datetime import date, datetime, time, timedelta
from decimal import Decimal

import pytest
from sqlalchemy import insert, select, update
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.devtools.fake_bot_api import JSON, FakeBotApi, Fault
from bot.scheduler.dispatcher import DispatcherConfig
from bot.storage.models import Goal, OccurrenceStatus, PromptOccurrence, PromptSchedule, User
from tests.e2e.harness import WAIT, BotProcess, Harness
from tests.emulator import Emulator

pytestmark = pytest.mark.e2e

DAILY = "📝 Daily review for"
WEEKLY = "📊 Weekly evaluation"
FIRST_USER = 810_000_001
TODAY = date(2026, 11, 27)  # The local day (Shanghai) of the bot's CLOCK_START.
# Ticks five times a second and no rate limiter (the emulator has no flood limits), so a fan-out takes
# seconds; INFO, because DEBUG would log every SQL statement of hundreds of sends.
FAST = {"DISPATCH_INTERVAL_SECONDS": "0.2", "TELEGRAM_RATE_LIMIT": "0", "LOG_LEVEL": "INFO"}
# Sends a dispatcher has under way at once: each may be `sending` when the process dies.
CONCURRENCY = DispatcherConfig().concurrency


def clock_start(harness: Harness) -> datetime:
    return datetime.fromisoformat(harness.env["CLOCK_START"])


def is_daily(method: str, params: JSON) -> bool:
    return method == "sendMessage" and str(params.get("text", "")).startswith(DAILY)


def is_weekly(method: str, params: JSON) -> bool:
    return method == "sendMessage" and str(params.get("text", "")).startswith(WEEKLY)


def daily_counts(api: FakeBotApi) -> Counter[int | None]:
    """Daily prompts the emulator has delivered (answered with 200), per chat."""
    return Counter(call.chat_id for call in api.calls if is_daily(call.method, call.params))


def all_delivered(api: FakeBotApi, chats: set[int]) -> bool:
    return chats <= set(daily_counts(api))


def latency(api: FakeBotApi, seconds: float) -> Fault:
    """Every sendMessage takes `seconds` at the emulator, so a fan-out lasts long enough to be interrupted.

    A fault answering 200 only delays; put it after the error faults, since the first match wins.
    """
    return api.fail(200, "latency", method="sendMessage", count=10**9, delay=seconds)


async def seed(engine: AsyncEngine, user_ids: Sequence[int], start: datetime) -> None:
    """Onboarded English users in Shanghai, each with an active goal and a daily review due a minute ago.

    Core bulk inserts in one transaction. The due instants grow by a millisecond in `user_ids` order,
    which is the order the dispatcher sends in (the blocked user goes first, bursts hit neighbours).
    """
    created = start - timedelta(days=7)
    users = [
        {
            "id": user_id,
            "first_name": f"Seller {n}",
            "username": None,
            "telegram_language": "en",
            "language": "en",
            "timezone": "Asia/Shanghai",
            "working_days": "12345",
            "daily_review_time": time(18, 0),
            "weekly_review_weekday": 5,
            "weekly_review_time": time(17, 0),
            "monthly_review_time": time(17, 0),
            "quiet_start": time(22, 0),
            "quiet_end": time(8, 0),
            "country": None,
            "prompts_paused": False,
            "day_template": None,
            "is_active": True,
            "last_update_id": None,
            "blocked_at": None,
            "onboarded_at": created,
            "created_at": created,
            "updated_at": created,
        }
        for n, user_id in enumerate(user_ids)
    ]
    goals = [
        {
            "user_id": user_id,
            "metric": "deals",
            "metric_name": None,
            "kind": "count",
            "unit": "count",
            "description": "Sign chain supermarkets in Jiangsu",
            "target_kind": "absolute",
            "target_value": Decimal(10),
            "growth_percent": None,
            "baseline": None,
            "start_date": TODAY,
            "deadline": date(2027, 3, 31),
            "confidence": 7,
            "ambition": "no_baseline",
            "ambition_decision": None,
            "relevance": "Team goal: 40 new retail accounts this year",
            "status": "active",
            "created_at": created,
            "updated_at": created,
        }
        for user_id in user_ids
    ]
    schedules = [
        {
            "user_id": user_id,
            "kind": "daily",
            "next_day": TODAY,
            "next_due_at": start - timedelta(minutes=1) + timedelta(milliseconds=n),
            "last_served_day": None,
            "active": True,
            "updated_at": created,
        }
        for n, user_id in enumerate(user_ids)
    ]
    async with engine.begin() as connection:
        await connection.execute(insert(User), users)
        await connection.execute(insert(Goal), goals)
        await connection.execute(insert(PromptSchedule), schedules)


async def occurrences(engine: AsyncEngine, kind: str = "daily") -> list[tuple[int, str, str | None, int]]:
    """(user_id, status, worker, attempts) of every occurrence of `kind`, as the database holds them now."""
    statement = select(
        PromptOccurrence.user_id, PromptOccurrence.status, PromptOccurrence.worker, PromptOccurrence.attempts
    ).where(PromptOccurrence.kind == kind)
    async with engine.begin() as connection:
        return [tuple(row) for row in await connection.execute(statement)]  # type: ignore[misc]


async def recorded_as_sent(engine: AsyncEngine, chats: set[int], timeout: float = WAIT) -> None:  # noqa: ASYNC109
    """Wait until the database holds the daily prompt of each of `chats` as sent.

    The emulator counts a message when it answers the request; the bot records it a moment later. A bot
    stopped in between would leave a delivered prompt recorded as under way.
    """
    deadline = asyncio.get_running_loop().time() + timeout
    while True:
        sent = {user for user, status, _, _ in await occurrences(engine) if status == OccurrenceStatus.SENT}
        if chats <= sent:
            return
        if asyncio.get_running_loop().time() > deadline:
            raise TimeoutError(f"{len(chats - sent)} delivered prompts not recorded as sent")
        await asyncio.sleep(0.05)


async def until(bots: Sequence[BotProcess], waiting: Awaitable[object], what: str) -> None:
    """Await an event wait (it has its own timeout); fail at once, with the log, if a bot process exits."""
    waiter = asyncio.ensure_future(waiting)
    exits = []
    for bot in bots:
        assert bot.process is not None
        exits.append(asyncio.ensure_future(bot.process.wait()))
    try:
        await asyncio.wait({waiter, *exits}, return_when=asyncio.FIRST_COMPLETED)
    finally:
        for exit_ in exits:
            exit_.cancel()
        if not waiter.done():
            waiter.cancel()
    if not waiter.done() or waiter.cancelled():
        gone = next(bot for bot in bots if bot.returncode is not None)
        raise AssertionError(f"the bot exited ({gone.returncode}) while waiting for {what}\n{gone.tail()}")
    if waiter.exception() is not None:
        logs = "\n".join(bot.tail() for bot in bots)
        raise AssertionError(f"waited in vain for {what}: {waiter.exception()!r}\n{logs}")


async def settle(emulator: Emulator) -> None:
    """Once every bot has stopped: let the emulator finish the sends it still holds, so each is counted.

    A killed bot's requests still complete (Telegram, too, delivers a message whose sender hung up).
    """
    if emulator.in_flight:
        await asyncio.wait(set(emulator.in_flight), timeout=WAIT)


def once_each(api: FakeBotApi, chats: Sequence[int], statuses: dict[int, str]) -> None:
    """Every chat got exactly one daily prompt; a failure names the chats and their occurrences' status."""
    counts = daily_counts(api)
    twice = {chat: counts[chat] for chat in chats if counts[chat] > 1}
    assert not twice, f"prompts sent more than once (chat: count): {twice}"
    lost = {chat: statuses.get(chat) for chat in chats if counts[chat] == 0}
    assert not lost, f"{len(lost)} prompts never arrived (chat: occurrence status): {lost}"
    assert set(counts) <= set(chats), "a prompt went to a chat that had none due"


async def kill_while_every_send_is_at_the_emulator(harness: Harness, bot: BotProcess) -> None:
    """SIGKILL the bot once each of its concurrent sends has reached the emulator and is held there.

    A send killed on its way may or may not have reached Telegram; the design records it unconfirmed and
    never repeats it, so it would be lost (the documented price of never sending twice). Holding every
    send at the emulator leaves CONCURRENCY `sending` rows that all did arrive: the worst case for
    sending twice, without that loss. The held sends complete after the kill, as Telegram's would.
    """
    # Held until the bot is dead, however long the slots take to fill on a busy machine: a send answered
    # before the kill would free its slot for a prompt that may die on its way. The fault counts what it
    # holds: counting the requests that reach the emulator after it was put in place would also count
    # one that arrived just before but was looked at just after (held too, so one more than the slots).
    release = asyncio.Event()
    hold = Fault(200, "held", method="sendMessage", count=10**9, release=release)
    harness.api.faults.insert(0, hold)
    # Every send slot waits for its request's answer before it takes the next prompt, so CONCURRENCY
    # held requests mean every slot is held.
    held = harness.api.wait_for(lambda _: hold.held >= CONCURRENCY, timeout=WAIT)
    await until([bot], held, f"{CONCURRENCY} prompts held at the emulator")
    await harness.kill()
    harness.api.faults.remove(hold)
    release.set()
    assert hold.held == CONCURRENCY, "a send slot got a second prompt while its first was held"


async def test_sigkill_five_times_during_a_fan_out_of_500_prompts_sends_each_once(
    harness: Harness, engine: AsyncEngine
) -> None:
    chats, start = list(range(FIRST_USER, FIRST_USER + 500)), clock_start(harness)
    await seed(engine, chats, start)
    latency(harness.api, 0.01)
    # Each kill comes after a random number of prompts arrived; at least 50 are left for the next.
    marks = sorted(random.Random(20261127).sample(range(20, 450), 5))
    # Each process starts later on the bot's clock than the one before, as after a real crash, once
    # the dead process's lease ran out: on PostgreSQL its claimed prompts are free only then (on
    # SQLite, recover() at startup frees them at once).
    comeback = DispatcherConfig().lease + timedelta(minutes=1)

    def restarted(k: int) -> dict[str, str]:
        return {**FAST, "CLOCK_START": (start + k * comeback).isoformat()}

    for k, mark in enumerate(marks):
        bot = await harness.start(**restarted(k))
        arrived = harness.emulator.wait_for_requests(is_daily, mark, timeout=30)
        await until([bot], arrived, f"daily prompt number {mark} to reach the emulator")
        await kill_while_every_send_is_at_the_emulator(harness, bot)

    bot = await harness.start(**restarted(len(marks)))
    # What was mid-send at a kill is never sent again (unconfirmed; on PostgreSQL the last kill's are
    # still `sending` until the first tick), so a prompt lost on its way would show as a missing chat
    # below rather than as a timeout here.
    left = {user: status for user, status, _, _ in await occurrences(engine)}
    mid_send = {OccurrenceStatus.UNCONFIRMED, OccurrenceStatus.SENDING}
    expected = {chat for chat in chats if left.get(chat) not in mid_send}
    delivered = harness.api.wait_for(lambda _: all_delivered(harness.api, expected), timeout=30)
    await until([bot], delivered, "every prompt not left unconfirmed by a kill")
    await until([bot], recorded_as_sent(engine, expected), "the bot to record them sent")
    await bot.terminate()
    await settle(harness.emulator)

    rows = await occurrences(engine)
    statuses = {user: status for user, status, _, _ in rows}
    assert len(rows) == len(statuses) == 500, "not exactly one daily occurrence per user"
    once_each(harness.api, chats, statuses)
    # Each kill left exactly its held sends unconfirmed: they reached the emulator and were not repeated.
    assert Counter(statuses.values()) == {
        OccurrenceStatus.SENT: 500 - len(marks) * CONCURRENCY,
        OccurrenceStatus.UNCONFIRMED: len(marks) * CONCURRENCY,
    }


async def test_429s_500s_and_a_blocked_user_during_a_fan_out_of_300_prompts(
    harness: Harness, engine: AsyncEngine
) -> None:
    start = clock_start(harness)
    blocker, sentinel = FIRST_USER, FIRST_USER + 1  # Sent first, in this order.
    chats = list(range(FIRST_USER + 1, FIRST_USER + 301))
    await seed(engine, [blocker, *chats], start)
    # Their weekly evaluations are not due yet; they are made due once the block is recorded.
    later = start + timedelta(days=7)
    async with engine.begin() as connection:
        await connection.execute(
            insert(PromptSchedule),
            [
                {
                    "user_id": user,
                    "kind": "weekly",
                    "next_day": TODAY,
                    "next_due_at": later,
                    "last_served_day": None,
                    "active": True,
                    "updated_at": start,
                }
                for user in (blocker, sentinel)
            ],
        )

    api, rng = harness.api, random.Random(429_500)
    blocked = api.fail(
        403, "Forbidden: bot was blocked by the user", method="sendMessage", chat_id=blocker, count=100
    )
    # Three bursts of 429s, each on four neighbours in sending order, then 500s on 30 other chats
    # (three of them twice). One or two failures per chat: the backoff is 2 s, then 4 s; a 429 waits 1 s.
    bursts = rng.sample(range(10, 290, 10), 3)
    flooded = [chats[first + n] for first in bursts for n in range(4)]
    broken = rng.sample([chat for chat in chats[1:] if chat not in flooded], 30)
    faults = [
        api.fail(429, "Too Many Requests: retry after 1", method="sendMessage", chat_id=chat, retry_after=1)
        for chat in flooded
    ] + [
        api.fail(500, "Internal Server Error", method="sendMessage", chat_id=chat, count=2 if n < 3 else 1)
        for n, chat in enumerate(broken)
    ]
    latency(api, 0.005)

    bot = await harness.start(**FAST)
    delivered = api.wait_for(lambda _: all_delivered(api, set(chats)), timeout=30)
    await until([bot], delivered, "every prompt, retries included")

    # The block was recorded in the first tick, long before the last retry. Now a later prompt falls
    # due for the blocker and for the sentinel, due a moment later: once the sentinel's arrives, the
    # dispatcher has claimed everything due up to it.
    async with engine.begin() as connection:
        await connection.execute(
            update(PromptSchedule)
            .where(PromptSchedule.user_id == blocker, PromptSchedule.kind == "weekly")
            .values(next_due_at=start)
        )
        await connection.execute(
            update(PromptSchedule)
            .where(PromptSchedule.user_id == sentinel, PromptSchedule.kind == "weekly")
            .values(next_due_at=start + timedelta(milliseconds=1))
        )
    weekly = harness.emulator.wait_for_requests(
        lambda method, params: is_weekly(method, params) and params.get("chat_id") == sentinel, 1
    )
    await until([bot], weekly, "the sentinel's weekly evaluation")
    await bot.terminate()
    await settle(harness.emulator)

    rows = await occurrences(engine)
    statuses = {user: status for user, status, _, _ in rows}
    once_each(api, chats, statuses)
    assert all(fault.count == 0 for fault in faults), "an injected 429 or 500 was never hit"
    assert blocked.count == 99, "the blocked chat was sent to again"
    assert [m for m, p in harness.emulator.received if p.get("chat_id") == blocker] == ["sendMessage"]
    # A 429 is Telegram's wait, not an attempt: sent again after retry_after, counted once. Each 500 cost
    # exactly one more attempt: retried after the backoff, never in parallel.
    attempts = {user: tries for user, _, _, tries in rows}
    assert {attempts[chat] for chat in flooded} == {1}
    assert [attempts[chat] for chat in broken] == [3, 3, 3] + [2] * 27
    assert all(statuses[chat] == OccurrenceStatus.SENT for chat in chats)
    assert statuses[blocker] == OccurrenceStatus.FAILED

    async with engine.begin() as connection:
        user = (
            await connection.execute(select(User.is_active, User.blocked_at).where(User.id == blocker))
        ).one()
        schedules = list(
            await connection.execute(
                select(PromptSchedule.kind, PromptSchedule.active).where(PromptSchedule.user_id == blocker)
            )
        )
    assert user.is_active is False and user.blocked_at is not None
    assert sorted(schedules) == [("daily", False), ("weekly", False)]
    assert [user for user, _, _, _ in await occurrences(engine, "weekly")] == [sentinel]


async def test_two_dispatchers_on_one_postgresql_send_1000_prompts_once(
    harness: Harness, engine: AsyncEngine, database_url: str
) -> None:
    if database_url.startswith("sqlite"):
        pytest.skip(
            "two dispatchers share a database only on PostgreSQL (SKIP LOCKED); set TEST_DATABASE_URL"
        )
    chats = list(range(FIRST_USER, FIRST_USER + 1000))
    await seed(engine, chats, clock_start(harness))
    # Slow enough that the first process to tick cannot send everything before the second joins in.
    latency(harness.api, 0.02)
    # Both poll getUpdates with one token: the emulator lets them share (no user writes in this test).
    bots = [BotProcess({**harness.env, **FAST}) for _ in range(2)]
    harness.started.extend(bots)  # Killed by the fixture whatever happens.
    await asyncio.gather(*(bot.start() for bot in bots))

    delivered = harness.api.wait_for(lambda _: all_delivered(harness.api, set(chats)), timeout=60)
    await until(bots, delivered, "every prompt")
    await until(bots, recorded_as_sent(engine, set(chats)), "the bots to record them sent")
    for bot in bots:
        await bot.terminate()
    await settle(harness.emulator)

    rows = await occurrences(engine)
    statuses = {user: status for user, status, _, _ in rows}
    assert len(rows) == 1000
    once_each(harness.api, chats, statuses)
    assert set(statuses.values()) == {OccurrenceStatus.SENT}
    by_worker = Counter(worker for _, _, worker, _ in rows)
    assert len(by_worker) == 2, f"not both dispatchers sent: {by_worker}"
