"""Telegram's flood control (429 with retry_after) through the real dispatcher, nudges and sending layer, with
the rate limiter on and off: each send is held for retry_after by the services clock, never retried before,
never counted as an attempt, and every prompt arrives once."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator, Callable
from datetime import timedelta

import pytest
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.app import build_application, startup
from bot.devtools.fake_bot_api import FakeBotApi, Fault
from bot.devtools.inprocess_request import InProcessRequest
from bot.scheduler.dispatcher import Dispatcher, DispatcherConfig
from bot.scheduler.nudge_dispatch import NudgeDispatcher
from bot.services.container import Services
from bot.settings import Settings
from bot.storage.models import Nudge, PromptOccurrence
from bot.telegram.context import BotApplication
from tests.auxil.chat import Chat
from tests.auxil.clock import FakeClock
from tests.auxil.database import rows
from tests.auxil.goals import insert_goal, onboard
from tests.telegram.test_reviews import FRIDAY_18_SHANGHAI, salesperson

STORM = "Too Many Requests: retry after 35"
PROMPTS = ("📝 Daily review", "📊 Weekly evaluation")


@pytest.fixture(params=["limiter on", "limiter off"])
async def sender_app(
    request: pytest.FixtureRequest, settings: Settings, services: Services, bot_api: FakeBotApi
) -> AsyncIterator[BotApplication]:
    """The process that sends the prompts: with python-telegram-bot's rate limiter (30 a second) or without."""
    application = build_application(
        settings,
        request=InProcessRequest(bot_api),
        rate_limited=request.param == "limiter on",
        services=services,
    )
    async with application:
        await startup(application)
        yield application


def storm(api: FakeBotApi) -> Fault:
    """Every message answered 429 with retry_after 35 until the fault is removed."""
    fault = api.fail(429, STORM, method="sendMessage", retry_after=35, count=10**6)
    api.faults.remove(fault)
    api.faults.insert(0, fault)
    return fault


def refused(fault: Fault) -> int:
    return 10**6 - fault.count


def prompts_sent(api: FakeBotApi) -> list[int | None]:
    return [
        call.chat_id for call in api.calls if call.method == "sendMessage" and call.text.startswith(PROMPTS)
    ]


def dispatcher_of(app: BotApplication) -> Dispatcher:
    assert isinstance(app.bot_data.dispatcher, Dispatcher)
    return app.bot_data.dispatcher


async def test_a_429_storm_holds_every_prompt_for_retry_after_and_each_arrives_once(
    sender_app: BotApplication,
    make_chat: Callable[..., Chat],
    engine: AsyncEngine,
    clock: FakeClock,
    bot_api: FakeBotApi,
    caplog: pytest.LogCaptureFixture,
) -> None:
    chats = [await salesperson(make_chat, engine, clock) for _ in range(6)]
    clock.set(FRIDAY_18_SHANGHAI)  # a Friday: each has a daily review and a weekly evaluation due
    flood = storm(bot_api)
    dispatcher = dispatcher_of(sender_app)

    with caplog.at_level(logging.INFO):
        await dispatcher.tick()
    occurrences = await rows(engine, PromptOccurrence)
    assert len(occurrences) == 12 and prompts_sent(bot_api) == []
    # The sends under way together met the 429; after it nothing more was tried.
    assert 1 <= refused(flood) <= DispatcherConfig().concurrency
    assert {o.status for o in occurrences} == {"claimed"}
    assert {o.attempts for o in occurrences} == {0}, "Telegram's wait is not counted against a prompt"
    # The sends that had started when the gate closed are held like the refused one (the sending layer
    # does not ask Telegram while it is closed); the rest wait, claimed, without a request.
    waiting = [o for o in occurrences if o.wake_at is not None]
    assert refused(flood) <= len(waiting) <= DispatcherConfig().concurrency
    assert {o.wake_at for o in waiting} == {FRIDAY_18_SHANGHAI + timedelta(seconds=35)}
    assert not [
        r for r in caplog.records if r.name == "telegram.ext.AIORateLimiter" and r.levelno >= logging.ERROR
    ]
    refused_at_first = refused(flood)

    # Before retry_after has passed nothing goes out, nothing is even tried: the storm is still on.
    for seconds in (10, 20, 34):
        clock.set(FRIDAY_18_SHANGHAI + timedelta(seconds=seconds))
        await dispatcher.tick()
    assert prompts_sent(bot_api) == [] and refused(flood) == refused_at_first

    bot_api.faults.remove(flood)
    clock.set(FRIDAY_18_SHANGHAI + timedelta(seconds=35))
    await dispatcher.tick()
    assert sorted(prompts_sent(bot_api)) == sorted(chat.id for chat in chats for _ in range(2))
    occurrences = await rows(engine, PromptOccurrence)
    assert {(o.status, o.attempts) for o in occurrences} == {("sent", 1)}
    await dispatcher.tick()
    assert len(prompts_sent(bot_api)) == 12, "nothing is sent twice"


async def test_a_reminder_held_by_flood_control_still_comes_once(
    app: BotApplication,
    make_chat: Callable[..., Chat],
    engine: AsyncEngine,
    clock: FakeClock,
    bot_api: FakeBotApi,
) -> None:
    chat = make_chat()
    await onboard(chat)
    await insert_goal(engine, chat.id, clock())
    clock.set(FRIDAY_18_SHANGHAI)
    dispatcher = dispatcher_of(app)
    await dispatcher.tick()
    assert len(prompts_sent(bot_api)) == 2
    clock.advance(hours=2, minutes=1)
    flood = storm(bot_api)
    await dispatcher.tick()
    reminders = [o for o in await rows(engine, PromptOccurrence) if o.wake_at is not None]
    assert refused(flood) == 1 and len(reminders) == 2, "one reminder met the 429, the other was held back"
    assert not any(o.reminded for o in reminders)

    bot_api.faults.remove(flood)
    clock.advance(seconds=35)
    await dispatcher.tick()
    await dispatcher.tick()
    nudges = [c.text for c in bot_api.sent_to(chat.id) if c.text.startswith("A gentle nudge")]
    assert len(nudges) == 2, "each reminder once"
    assert all(o.reminded and o.wake_at is None for o in await rows(engine, PromptOccurrence))


async def test_a_nudge_held_by_flood_control_goes_once_the_wait_is_over(
    app: BotApplication,
    make_chat: Callable[..., Chat],
    engine: AsyncEngine,
    clock: FakeClock,
    bot_api: FakeBotApi,
) -> None:
    chat = make_chat()
    await onboard(chat)
    await insert_goal(engine, chat.id, clock())
    clock.set(FRIDAY_18_SHANGHAI - timedelta(hours=6))  # noon in Shanghai
    await chat.send("/log 1 deal")  # the first deal: a nudge is queued
    nudger = app.bot_data.nudges
    assert isinstance(nudger, NudgeDispatcher)
    flood = storm(bot_api)
    assert await nudger.tick() >= 1
    [nudge] = await rows(engine, Nudge, user_id=chat.id)
    assert (nudge.status, nudge.due_at) == ("pending", clock() + timedelta(seconds=35))
    assert refused(flood) == 1

    bot_api.faults.remove(flood)
    clock.advance(seconds=34)
    assert await nudger.tick() == 0
    clock.advance(seconds=1)
    assert await nudger.tick() == 1
    [nudge] = await rows(engine, Nudge, user_id=chat.id)
    assert nudge.status == "sent"
