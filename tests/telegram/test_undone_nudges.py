"""Issue 11, item 7: a nudge whose result was undone before it went out is withdrawn, never sent."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.devtools.fake_bot_api import FakeBotApi
from bot.storage.coaching_models import Reward
from bot.storage.models import Entry
from bot.telegram.context import BotApplication
from tests.auxil.chat import Chat
from tests.auxil.clock import FakeClock
from tests.auxil.database import rows
from tests.telegram.test_nudges import (
    NOON_SHANGHAI,
    coaching_texts,
    deals_salesperson,
    nudger,
    nudges_of,
    set_reward,
)

LOG_THREE = {"en": "/log 3 deals", "zh_CN": "/log 签单3个"}


@pytest.mark.parametrize("language", ["en", "zh_CN"])
async def test_log_then_undo_sends_no_milestone_and_no_first_result(
    app: BotApplication,
    make_chat: Callable[..., Chat],
    engine: AsyncEngine,
    clock: FakeClock,
    bot_api: FakeBotApi,  # type: ignore[type-arg]
    language: str,
) -> None:
    chat, goal_id = await deals_salesperson(make_chat, engine, clock, language)  # 10 deals by 2027-03-31
    clock.set(NOON_SHANGHAI)
    await chat.send(LOG_THREE[language])  # 30%: passes 25%, and the goal's first result
    [undone] = await chat.send("/undo")
    assert undone.text == (
        "Removed your last /log for November 27, 2026."
        if language == "en"
        else "已撤销你2026年11月27日的最近一次 /log。"
    )
    assert await rows(engine, Entry, user_id=chat.id) == []
    await nudger(app).tick()
    assert coaching_texts(bot_api, chat) == []
    nudges = sorted(await nudges_of(engine, chat.id), key=lambda n: n.kind)
    assert [(n.kind, n.key, n.status, n.reason, n.sent_at) for n in nudges] == [
        ("first_deal", f"first_deal:{goal_id}", "withdrawn", "its result was undone or corrected", None),
        ("milestone", f"milestone:{goal_id}:25", "withdrawn", "its result was undone or corrected", None),
    ]
    # The same results reported again are the same occasions, celebrated once after all.
    await chat.send(LOG_THREE[language])
    await nudger(app).tick()
    assert len(coaching_texts(bot_api, chat)) == 2
    assert {n.status for n in await nudges_of(engine, chat.id)} == {"sent"}


@pytest.mark.parametrize("language", ["en", "zh_CN"])
async def test_a_correction_down_before_the_send_says_the_numbers_as_they_are(
    app: BotApplication,
    make_chat: Callable[..., Chat],
    engine: AsyncEngine,
    clock: FakeClock,
    bot_api: FakeBotApi,  # type: ignore[type-arg]
    language: str,
) -> None:
    chat, goal_id = await deals_salesperson(make_chat, engine, clock, language)
    clock.set(NOON_SHANGHAI)
    await chat.send("/log 2 deals" if language == "en" else "/log 签单2个")
    await chat.send(LOG_THREE[language])  # 50%: a milestone of 50, actual 5
    await chat.send("/undo")  # back to 2 deals: 50% no longer holds, the first result still does
    await nudger(app).tick()
    by_kind = {n.kind: n for n in await nudges_of(engine, chat.id)}
    assert (
        by_kind["milestone"].status == "withdrawn" and by_kind["milestone"].key == f"milestone:{goal_id}:50"
    )
    assert by_kind["first_deal"].status == "sent" and by_kind["first_deal"].data["amount"] == "2"
    assert [text for text in coaching_texts(bot_api, chat) if "50%" in text] == []


REWARD_INPUTS = {
    "en": ("end of next month", "A weekend in Hangzhou", "/log 2 deals"),
    "zh_CN": ("下月底", "去杭州过个周末", "/log 签单2个"),
}


@pytest.mark.parametrize("language", ["en", "zh_CN"])
async def test_a_reward_earned_by_an_undone_result_is_not_celebrated_and_reopens(
    app: BotApplication,
    make_chat: Callable[..., Chat],
    engine: AsyncEngine,
    clock: FakeClock,
    bot_api: FakeBotApi,  # type: ignore[type-arg]
    language: str,
) -> None:
    by, treat, log = REWARD_INPUTS[language]
    chat, _goal_id = await deals_salesperson(make_chat, engine, clock, language)
    await set_reward(chat, "2", by, treat)
    clock.set(NOON_SHANGHAI)
    await chat.send(log)  # reaches the reward's 2 deals: earned, its celebration queued
    [reward] = await rows(engine, Reward, user_id=chat.id)
    assert reward.status == "earned"
    await chat.send("/undo")
    await nudger(app).tick()
    assert [text for text in coaching_texts(bot_api, chat) if "杭州" in text or "Hangzhou" in text] == []
    [reward] = await rows(engine, Reward, user_id=chat.id)
    assert reward.status == "active"
    [celebration] = [n for n in await nudges_of(engine, chat.id) if n.kind == "reward_earned"]
    assert (celebration.status, celebration.sent_at) == ("withdrawn", None)
    # Reached again, the reward is earned once more and celebrated once, in the user's own words.
    await chat.send(log)
    await nudger(app).tick()
    assert len([text for text in coaching_texts(bot_api, chat) if "杭州" in text or "Hangzhou" in text]) == 1
    [reward] = await rows(engine, Reward, user_id=chat.id)
    assert reward.status == "earned"
