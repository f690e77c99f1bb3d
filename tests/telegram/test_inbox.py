"""The durable inbox at the handler level: stored updates fed through the real Application, once each.

Updates are stored as polling stores them (`store_batch`, one commit per batch) and consumed by real
InboxWorkers (`drain()`: rounds until nothing is left for it); handlers run with the in-process Bot API.
"""

from __future__ import annotations

import asyncio
import os
import random
import subprocess
import sys
from collections import defaultdict
from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession
from telegram import Update
from telegram.ext import CommandHandler, TypeHandler

from bot.core.lifecycle.inbox import CLAIMS_BEFORE_FAILED, DIED_UNDER_IT
from bot.devtools.fake_bot_api import FakeBotApi, SentCall
from bot.services.inbox import claim_round, store_batch
from bot.storage.message_models import InboxLane, InboxUpdate
from bot.storage.models import ActivityLog, InboxStatus
from bot.telegram.arrivals import arrival_of
from bot.telegram.context import BotApplication, BotContext
from bot.telegram.inbox_worker import InboxWorker, dead_claimers
from bot.telegram.turns import user_turn
from tests.auxil.chat import Chat, texts
from tests.auxil.clock import FakeClock
from tests.auxil.database import rows

APOLOGY = "Sorry, something went wrong on my side."
JSON = dict[str, Any]


async def store(app: BotApplication, *updates: JSON) -> None:
    """One getUpdates batch into the inbox, as polling stores it."""
    arrivals = [arrival_of(Update.de_json(update, app.bot)) for update in updates]
    await store_batch(app.bot_data.services, arrivals)


async def inbox(engine: AsyncEngine) -> dict[int, InboxUpdate]:
    async with AsyncSession(engine) as session:
        return {
            row.update_id: row
            for row in await session.scalars(select(InboxUpdate).order_by(InboxUpdate.update_id))
        }


async def calls_logged(engine: AsyncEngine, user_id: int) -> list[int]:
    """The amounts of the user's `/log N calls`, in the order they were stored."""
    return [int(row.amount) for row in await rows(engine, ActivityLog, user_id=user_id)]


def log_calls(api: FakeBotApi, chat: Chat, amount: int) -> JSON:
    return api.message_update(chat.user, f"/log {amount} calls")


def answered_amounts(api: FakeBotApi, chat: Chat) -> list[int]:
    return [int(call.text.split("calls ")[1].split(".")[0]) for call in api.sent_to(chat.id)]


# --- Re-delivery and order -------------------------------------------------------------------------------


async def test_a_redelivered_update_is_a_no_op(
    app: BotApplication, make_chat: Callable[..., Chat], bot_api: FakeBotApi, engine: AsyncEngine
) -> None:
    chat = make_chat()
    first = log_calls(bot_api, chat, 7)
    assert "calls 7" in texts(await chat.feed(first))

    # Fed again (Telegram re-sends what a crash left unconfirmed), and stored again by polling.
    assert await chat.feed(first) == []
    await store(app, first)
    await InboxWorker(app, name="A").drain()

    assert bot_api.sent_to(chat.id)[1:] == []
    assert await calls_logged(engine, chat.id) == [7]
    stored = (await inbox(engine))[first["update_id"]]
    assert (stored.status, stored.user_id, stored.chat_id) == (InboxStatus.DONE, chat.id, chat.id)


async def test_an_older_update_arriving_after_a_newer_one_is_handled_not_dropped(
    app: BotApplication, make_chat: Callable[..., Chat], bot_api: FakeBotApi, engine: AsyncEngine
) -> None:
    chat = make_chat()
    older, newer = log_calls(bot_api, chat, 1), log_calls(bot_api, chat, 2)
    assert older["update_id"] < newer["update_id"]

    assert "calls 2" in texts(await chat.feed(newer))
    assert "calls 1" in texts(await chat.feed(older))  # the high-water mark used to drop this one

    # Through the inbox too: the older one is stored (and handled) after the newer one was.
    late, later = log_calls(bot_api, chat, 3), log_calls(bot_api, chat, 4)
    worker = InboxWorker(app, name="A")
    await store(app, later)
    await worker.drain()
    await store(app, late)
    await worker.drain()

    assert await calls_logged(engine, chat.id) == [2, 1, 4, 3]
    assert answered_amounts(bot_api, chat) == [2, 1, 4, 3]
    assert {row.status for row in (await inbox(engine)).values()} == {InboxStatus.DONE}


async def test_each_users_updates_are_handled_once_oldest_first(
    app: BotApplication, make_chat: Callable[..., Chat], bot_api: FakeBotApi, engine: AsyncEngine
) -> None:
    chats = [make_chat() for _ in range(5)]
    updates = [log_calls(bot_api, chat, 10 * n + k) for k in range(1, 5) for n, chat in enumerate(chats)]
    shuffled = random.Random(12).sample(updates, len(updates))
    # Two batches, the second re-sending part of the first (fetched again after a crash).
    await store(app, *shuffled[:12])
    await store(app, *shuffled[8:])
    await InboxWorker(app, name="A", concurrency=3).drain()

    for n, chat in enumerate(chats):
        expected = [10 * n + k for k in range(1, 5)]
        assert await calls_logged(engine, chat.id) == expected, "lost, doubled or out of order"
        assert answered_amounts(bot_api, chat) == expected
    stored = await inbox(engine)
    assert sorted(stored) == sorted(update["update_id"] for update in updates)
    assert {row.status for row in stored.values()} == {InboxStatus.DONE}
    lanes = await rows_of(engine, InboxLane)
    assert sorted(lane.lane_id for lane in lanes) == sorted(chat.id for chat in chats)
    assert {lane.claimed_by for lane in lanes} == {None}, "a lane was left claimed"


async def rows_of(engine: AsyncEngine, model: type[InboxLane]) -> list[InboxLane]:
    async with AsyncSession(engine) as session:
        return list(await session.scalars(select(model)))


async def test_an_update_no_handler_takes_is_marked_done_by_the_consumer(
    app: BotApplication, make_chat: Callable[..., Chat], bot_api: FakeBotApi, engine: AsyncEngine
) -> None:
    chat = make_chat()
    in_a_group = log_calls(bot_api, chat, 5)
    in_a_group["message"]["chat"] = {"id": -100_777, "type": "supergroup", "title": "Sales team"}
    channel_post = {
        "update_id": in_a_group["update_id"] + 1,
        "channel_post": {
            "message_id": 9,
            "date": 0,
            "chat": {"id": -100_888, "type": "channel"},
            "text": "hi",
        },
    }
    await store(app, in_a_group, channel_post)
    await InboxWorker(app, name="A").drain()

    stored = await inbox(engine)
    assert [(row.lane_id, row.user_id, row.chat_id, row.status) for row in stored.values()] == [
        (chat.id, chat.id, -100_777, InboxStatus.DONE),
        (-100_888, None, -100_888, InboxStatus.DONE),
    ]
    assert bot_api.sent_to(chat.id) == [] and bot_api.sent_to(-100_777) == []
    assert await calls_logged(engine, chat.id) == []


# --- Failures --------------------------------------------------------------------------------------------


async def boom(update: Update, context: BotContext) -> None:
    """A handler that fails inside its turn, after writing (the write must roll back with the update)."""
    async with user_turn(update, context) as turn:
        turn.user.first_name = "Changed"
        raise RuntimeError("boom")


async def test_an_update_whose_handler_raises_is_failed_once_and_the_user_told_once(
    app: BotApplication, make_chat: Callable[..., Chat], bot_api: FakeBotApi, engine: AsyncEngine
) -> None:
    # First among the bot's own handlers: as for any update, the one handler that takes it.
    app.handlers[0].insert(0, CommandHandler("boom", boom))
    chat = make_chat(first_name="Li")
    failing, after = bot_api.message_update(chat.user, "/boom"), log_calls(bot_api, chat, 6)
    await store(app, failing, after)
    worker = InboxWorker(app, name="A")
    await worker.drain()
    await worker.drain()  # nothing is retried

    assert [call.text.startswith(APOLOGY) for call in bot_api.sent_to(chat.id)] == [True, False]
    assert "calls 6" in bot_api.sent_to(chat.id)[1].text, "the user's next update is handled"
    stored = await inbox(engine)
    row = stored[failing["update_id"]]
    assert (row.status, row.reason) == (InboxStatus.FAILED, "RuntimeError: boom")
    assert row.handled_at is not None
    assert stored[after["update_id"]].status == InboxStatus.DONE


async def test_an_update_the_process_died_under_three_times_is_failed_and_the_user_told_once(
    app: BotApplication, make_chat: Callable[..., Chat], bot_api: FakeBotApi, engine: AsyncEngine
) -> None:
    chat = make_chat()
    deadly, after = log_calls(bot_api, chat, 8), log_calls(bot_api, chat, 9)
    await store(app, deadly, after)
    # Three claims found it at the head of its lane, and each time the process died before it was done.
    async with AsyncSession(engine) as session, session.begin():
        await session.execute(
            update(InboxUpdate)
            .where(InboxUpdate.update_id == deadly["update_id"])
            .values(attempts=CLAIMS_BEFORE_FAILED)
        )
    await InboxWorker(app, name="A").drain()

    sent = bot_api.sent_to(chat.id)
    assert [call.text.startswith(APOLOGY) for call in sent] == [True, False]
    assert "calls 9" in sent[1].text
    assert await calls_logged(engine, chat.id) == [9]
    row = (await inbox(engine))[deadly["update_id"]]
    assert (row.status, row.reason, row.attempts) == (InboxStatus.FAILED, DIED_UNDER_IT, 4)


# --- Several consumers -----------------------------------------------------------------------------------


async def test_a_dead_consumers_lane_is_taken_over_once_its_lease_lapses(
    app: BotApplication,
    make_chat: Callable[..., Chat],
    bot_api: FakeBotApi,
    engine: AsyncEngine,
    clock: FakeClock,
) -> None:
    chat = make_chat()
    await store(app, log_calls(bot_api, chat, 4))
    services = app.bot_data.services
    lease = timedelta(seconds=services.settings.inbox_lease_seconds)
    # Worker "dead" claims the lane and its update, then its process is killed: nothing more happens.
    claimed = await claim_round(
        services, "dead", idle=(), renew=(), slots=8, lease=lease, fetch=10, now=clock()
    )
    assert list(claimed.work) == [chat.id]

    alive = InboxWorker(app, name="alive", lease_clock=clock)
    await alive.drain()
    assert bot_api.sent_to(chat.id) == [], "the lane was taken while its lease held"

    clock.advance(seconds=lease.total_seconds() + 1)
    await alive.drain()
    assert answered_amounts(bot_api, chat) == [4]
    assert await calls_logged(engine, chat.id) == [4]
    assert (await rows_of(engine, InboxLane))[0].claimed_by is None


def test_the_claims_of_stopped_processes_of_this_host_are_recognised() -> None:
    gone = subprocess.run(
        [sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True
    )
    dead_pid, me = int(gone.stdout), f"host:{os.getpid()}:aaaa"
    claimers = [
        f"host:{dead_pid}:bbbb",  # exited
        f"host:{os.getpid()}:cccc",  # an earlier process with this one's pid (a restarted container)
        f"host:{os.getppid()}:dddd",  # running
        f"elsewhere:{dead_pid}:eeee",  # another host: its lease decides
        me,
        "not a worker name",
    ]
    assert dead_claimers(claimers, me) == {f"host:{dead_pid}:bbbb", f"host:{os.getpid()}:cccc"}


async def test_a_stopped_local_processs_lanes_are_taken_at_start_without_waiting_for_the_lease(
    app: BotApplication,
    make_chat: Callable[..., Chat],
    bot_api: FakeBotApi,
    engine: AsyncEngine,
    clock: FakeClock,
) -> None:
    chat = make_chat()
    await store(app, log_calls(bot_api, chat, 5))
    services = app.bot_data.services
    restarted = InboxWorker(app, lease_clock=clock)
    host = restarted.name.split(":")[0]
    lease = timedelta(seconds=services.settings.inbox_lease_seconds)
    # The process before the restart had this one's pid (a container restarted) and died holding the lane.
    before = f"{host}:{os.getpid()}:0000dead"
    await claim_round(services, before, idle=(), renew=(), slots=8, lease=lease, fetch=10, now=clock())

    await restarted.recover()
    await restarted.drain()
    assert answered_amounts(bot_api, chat) == [5], "the lane waited for the dead process's lease"


async def test_two_consumers_never_work_one_users_updates_at_the_same_time(
    app: BotApplication, make_chat: Callable[..., Chat], bot_api: FakeBotApi, engine: AsyncEngine
) -> None:
    held, other = make_chat(), make_chat()
    # The reply to held's first update hangs: its consumer is in the middle of that update.
    release = asyncio.Event()
    hang = bot_api.fail(200, "slow network", method="sendMessage", chat_id=held.id, release=release)
    await store(app, log_calls(bot_api, held, 1), log_calls(bot_api, held, 2), log_calls(bot_api, other, 3))
    first, second = InboxWorker(app, name="first", concurrency=1), InboxWorker(app, name="second")
    assert await first.round()  # takes held's lane (the longest waiting) and starts its first update
    await bot_api.wait_for(lambda _: hang.held == 1)

    await second.drain()  # everything it may take
    assert answered_amounts(bot_api, other) == [3]
    stored = await inbox(engine)
    assert [row.status for row in stored.values() if row.user_id == held.id] == [
        InboxStatus.DONE,  # committed; its reply is on its way
        InboxStatus.PENDING,  # not taken by the second consumer while the first works the lane
    ]

    release.set()
    await first.drain()
    assert answered_amounts(bot_api, held) == [1, 2]
    assert await calls_logged(engine, held.id) == [1, 2]


async def test_two_consumers_draining_together_keep_each_users_order(
    app: BotApplication,
    make_chat: Callable[..., Chat],
    bot_api: FakeBotApi,
    engine: AsyncEngine,
    database_url: str,
) -> None:
    if database_url.startswith("sqlite"):
        pytest.skip("consumers' transactions overlap only on PostgreSQL (SKIP LOCKED); set TEST_DATABASE_URL")
    chats = [make_chat() for _ in range(12)]
    updates = [log_calls(bot_api, chat, 10 * n + k) for k in range(6) for n, chat in enumerate(chats)]
    await store(app, *updates)
    # Who is working on what: a handler before all others notes each update starting; the reply ends it.
    events: dict[int, list[tuple[str, int]]] = defaultdict(list)

    async def started(update: Update, context: BotContext) -> None:
        assert update.effective_user is not None and update.message is not None
        events[update.effective_user.id].append(("start", int(str(update.message.text).split()[1])))

    def replied(call: SentCall) -> None:
        if call.method == "sendMessage" and call.chat_id is not None:
            events[call.chat_id].append(("reply", int(call.text.split("calls ")[1].split(".")[0])))

    app.add_handler(TypeHandler(Update, started), group=-2)
    bot_api.listeners.append(replied)
    workers = [InboxWorker(app, name=name, concurrency=4) for name in ("one", "two")]
    # Both claim at once (SKIP LOCKED shares the lanes out), then both work and claim until all is done.
    claimed = await asyncio.gather(*(worker.round() for worker in workers))
    assert claimed == [True, True]
    assert sorted(len(worker.working) for worker in workers) == [4, 4], "a claim took more than its slots"
    await asyncio.gather(*(worker.drain() for worker in workers))

    for n, chat in enumerate(chats):
        amounts = [10 * n + k for k in range(6)]
        expected = [(what, amount) for amount in amounts for what in ("start", "reply")]
        assert events[chat.id] == expected, "two updates of one user overlapped, or came out of order"
        assert await calls_logged(engine, chat.id) == amounts
    assert sum(worker.handled for worker in workers) == len(updates)
