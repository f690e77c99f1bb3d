"""The shutdown's one deadline (bot/telegram/shutdown.py): its arithmetic, what it cancels, its log line."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable

import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession
from telegram import Update
from telegram.ext import CommandHandler

from bot.devtools.fake_bot_api import FakeBotApi
from bot.services.metrics import Backlog
from bot.storage.message_models import InboxLane
from bot.storage.models import InboxStatus
from bot.telegram.context import BotApplication, BotContext
from bot.telegram.inbox_worker import InboxWorker
from bot.telegram.shutdown import LeftOver, ShutdownDeadline, bounded
from bot.telegram.turns import user_turn
from tests.auxil.chat import Chat
from tests.telegram.test_inbox import answered_amounts, calls_logged, inbox, log_calls, store


class Ticks:
    """A monotonic clock the test moves by hand."""

    def __init__(self, now: float = 100.0) -> None:
        self.now = now

    def __call__(self) -> float:
        return self.now


def test_the_deadline_runs_from_the_first_arm_and_never_goes_below_zero() -> None:
    clock = Ticks()
    deadline = ShutdownDeadline(10, clock)
    assert (deadline.remaining(), deadline.elapsed(), deadline.expired) == (10, 0, False)
    clock.now = 150.0  # time before the stop request does not count
    deadline.arm()
    clock.now = 153.0
    deadline.arm()  # a second stop request (SIGINT after SIGTERM) does not restart it
    assert (deadline.remaining(), deadline.elapsed()) == (7, 3)
    assert (deadline.at_most(5), deadline.at_most(9)) == (5, 7)
    assert not deadline.expired
    clock.now = 160.0
    assert (deadline.remaining(), deadline.expired) == (0, True)
    clock.now = 175.0
    assert (deadline.remaining(), deadline.at_most(5), deadline.elapsed()) == (0, 0, 25)


async def test_finish_cancels_only_what_is_still_running_at_the_deadline() -> None:
    clock = Ticks()
    deadline = ShutdownDeadline(2, clock)
    deadline.arm()
    clock.now += 2  # the deadline has passed
    done = asyncio.ensure_future(asyncio.sleep(0))
    await done
    hanging = asyncio.ensure_future(asyncio.Event().wait())
    assert await deadline.finish([done, hanging]) == 1
    assert hanging.cancelled() and not done.cancelled()
    assert await deadline.finish([]) == 0


async def test_a_clean_up_step_that_hangs_is_given_up_with_one_line(caplog: pytest.LogCaptureFixture) -> None:
    async def answers() -> str:
        return "closed"

    assert await bounded(answers(), 1, "closing") == "closed"
    with caplog.at_level(logging.WARNING, "bot.telegram.shutdown"):
        assert await bounded(asyncio.Event().wait(), 0, "closing the database") is None
    assert [r.getMessage() for r in caplog.records] == [
        "shutdown: closing the database did not finish within 0.0 s; going on"
    ]


def test_the_line_is_info_when_nothing_was_cut_off_and_a_warning_naming_what_was(
    caplog: pytest.LogCaptureFixture,
) -> None:
    clock = Ticks()
    deadline = ShutdownDeadline(2, clock)
    deadline.arm()
    clock.now += 0.4
    waiting = Backlog(inbox_depth=5, inbox_oldest_age=1.0, outbox_depth=0, dispatcher_lag=0.0)
    with caplog.at_level(logging.INFO, "bot.telegram.shutdown"):
        LeftOver(updates=5, backlog=waiting).report(deadline)  # not begun: pending, nothing cut off
        clock.now += 1.7
        LeftOver(updates=1, updates_cut=1, replies=2, jobs=1).report(deadline)
    first, second = caplog.records
    assert first.levelno == logging.INFO
    assert first.getMessage() == (
        "shutdown finished in 0.4 s (SHUTDOWN_DEADLINE_SECONDS=2): 5 updates left unhandled (0 cut off "
        "under way, rolled back), 0 replies and 0 prompts cut off while being sent (not repeated), 0 jobs "
        "cancelled; for the next start 5 updates wait in the inbox and 0 replies in the outbox"
    )
    assert second.levelno == logging.WARNING
    assert second.getMessage() == (
        "shutdown finished in 2.1 s (SHUTDOWN_DEADLINE_SECONDS=2): 1 updates left unhandled (1 cut off "
        "under way, rolled back), 2 replies and 0 prompts cut off while being sent (not repeated), 1 jobs "
        "cancelled; for the next start the inbox and the outbox could not be counted"
    )


async def test_a_handler_hung_at_the_deadline_is_rolled_back_and_its_lane_left_for_the_next_start(
    app: BotApplication, make_chat: Callable[..., Chat], bot_api: FakeBotApi, engine: AsyncEngine
) -> None:
    started, release = asyncio.Event(), asyncio.Event()

    async def hang(update: Update, context: BotContext) -> None:
        async with user_turn(update, context):
            started.set()
            await release.wait()  # still under way when the stop's deadline comes

    app.handlers[0].insert(0, CommandHandler("hang", hang))
    chat = make_chat()
    hung, behind = bot_api.message_update(chat.user, "/hang"), log_calls(bot_api, chat, 6)
    await store(app, hung, behind)
    worker = InboxWorker(app)  # its own host:pid name: run() recovers the lanes of dead ones first
    consuming = asyncio.create_task(worker.run())
    await asyncio.wait_for(started.wait(), 10)

    deadline = ShutdownDeadline(0)  # already over: what runs is cut off at once
    deadline.arm()
    assert await worker.stop(deadline) == 2, "the hung update and the one behind it"
    await consuming
    assert worker.cut_off == 1
    stored = await inbox(engine)
    assert [stored[u["update_id"]].status for u in (hung, behind)] == [InboxStatus.PENDING] * 2
    assert [lane.claimed_by for lane in await lanes(engine)] == [None], "the lane is released"
    assert bot_api.sent_to(chat.id) == []

    release.set()  # the next start: both are handled, once
    await InboxWorker(app, name="restarted").drain()
    stored = await inbox(engine)
    assert [stored[u["update_id"]].status for u in (hung, behind)] == [InboxStatus.DONE] * 2
    assert answered_amounts(bot_api, chat) == [6]
    assert await calls_logged(engine, chat.id) == [6]


async def lanes(engine: AsyncEngine) -> list[InboxLane]:
    async with AsyncSession(engine) as session:
        return list(await session.scalars(select(InboxLane)))
