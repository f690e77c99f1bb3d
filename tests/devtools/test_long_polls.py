"""One long poll per token, as Telegram keeps it: a second getUpdates ends the open one with 409."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Sequence

import pytest
from telegram import Update

from bot.devtools.fake_bot_api import FakeBotApi
from bot.devtools.long_polls import TERMINATED
from bot.telegram.context import BotApplication
from bot.telegram.polling import poll_updates


async def open_poll(api: FakeBotApi, **params: object) -> asyncio.Task[tuple[int, dict[str, object]]]:
    """A getUpdates that waits (nothing is queued), once it is the open one."""
    poll = asyncio.create_task(api.call("getUpdates", {"timeout": 30, **params}))
    await asyncio.wait_for(api.polls.opened.wait(), 5)
    assert api.polls.waiting
    return poll


async def test_a_second_getupdates_terminates_the_open_one_and_gets_the_updates(bot_api: FakeBotApi) -> None:
    first = await open_poll(bot_api)
    second = asyncio.create_task(bot_api.call("getUpdates", {"timeout": 30}))
    status, body = await asyncio.wait_for(first, 5)
    assert (status, body) == (409, {"ok": False, "error_code": 409, "description": TERMINATED})
    assert not second.done(), "the later poll goes on waiting"
    await bot_api.push(bot_api.message_update(bot_api.user(5), "hi"))
    status, body = await asyncio.wait_for(second, 5)
    result = body["result"]
    assert status == 200 and isinstance(result, list) and [u["message"]["text"] for u in result] == ["hi"]
    assert bot_api.polls.terminated == 1 and not bot_api.polls.waiting


async def test_polls_one_after_another_do_not_conflict(bot_api: FakeBotApi) -> None:
    for _ in range(3):
        assert (await bot_api.call("getUpdates", {"timeout": 0}))[0] == 200
    assert bot_api.polls.terminated == 0


async def test_a_poll_whose_caller_hung_up_is_no_longer_open(bot_api: FakeBotApi) -> None:
    poll = await open_poll(bot_api)
    poll.cancel()
    await asyncio.gather(poll, return_exceptions=True)
    assert not bot_api.polls.waiting
    assert (await bot_api.call("getUpdates", {"timeout": 0}))[0] == 200
    assert bot_api.polls.terminated == 0


async def test_polling_cut_off_by_a_second_instance_logs_one_warning_and_polls_on(
    app: BotApplication, bot_api: FakeBotApi, caplog: pytest.LogCaptureFixture
) -> None:
    stop = asyncio.Event()
    stored: list[int] = []

    async def store(batch: Sequence[Update]) -> None:
        stored.extend(update.update_id for update in batch)
        stop.set()

    caplog.set_level(logging.WARNING, logger="bot.telegram.polling")
    polling = asyncio.create_task(poll_updates(app, store, stop))
    await asyncio.wait_for(bot_api.polls.opened.wait(), 10)
    # Another instance with the same token polls once: ours is cut off.
    assert (await bot_api.call("getUpdates", {"timeout": 0}))[0] == 200
    update = bot_api.message_update(bot_api.user(5), "/log 3 calls")
    await bot_api.push(update)
    await asyncio.wait_for(polling, 30)
    assert stored == [update["update_id"]], "polling went on after the conflict and fetched the update"
    warnings = [record.getMessage() for record in caplog.records if record.levelno >= logging.WARNING]
    assert len(warnings) == 1 and "terminated by other getUpdates request" in warnings[0], warnings
