"""A bot killed with SIGKILL mid-dialog picks the dialog up where the database says, answers kept."""

from __future__ import annotations

import asyncio
from datetime import time

import pytest
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.devtools.fake_bot_api import Fault
from bot.storage.message_models import OutboxMessage
from bot.storage.models import DialogState, User
from tests.auxil.database import fetch, rows
from tests.e2e.harness import WAIT, Harness
from tests.e2e.outbox_rows import after_crash, none_open, outbox_rows

pytestmark = pytest.mark.e2e


async def stored(engine: AsyncEngine, user_id: int) -> tuple[User, DialogState | None]:
    user = await fetch(engine, User, user_id)
    assert isinstance(user, User)
    dialog = await fetch(engine, DialogState, user_id)
    assert dialog is None or isinstance(dialog, DialogState)
    return user, dialog


async def test_sigkill_during_onboarding_resumes_at_the_same_step(
    harness: Harness, engine: AsyncEngine
) -> None:
    chat = harness.chat(424_242_001, language_code="en", first_name="Anna")
    await harness.start()
    await chat.send("/start", expect="Which language shall I use?")
    await chat.press("English", expect="Which time zone are you in?")
    sent = await chat.send("America/New_York", expect="Keep these times?")
    schedule_prompt = sent[-1]

    await harness.kill()
    user, dialog = await stored(engine, chat.id)
    assert (user.language, user.timezone, user.onboarded_at) == ("en", "America/New_York", None)
    assert dialog is not None and (dialog.flow, dialog.step) == ("onboarding", "schedule")

    await harness.start(**after_crash(harness, 1))
    # The button of the prompt the killed process sent still works: its version is the stored one.
    sent = await chat.press("✔ Keep them", on=schedule_prompt, expect="All set, Anna!")
    assert "/newgoal" in sent[-1].text, "the end of set-up points to the next command"
    assert not any("Which language" in call.text for call in sent), "the dialog started over"

    user, dialog = await stored(engine, chat.id)
    assert (user.language, user.timezone, user.daily_review_time) == ("en", "America/New_York", time(18, 0))
    assert user.onboarded_at is not None
    assert dialog is None


async def test_sigkill_after_an_answer_was_stored_but_before_the_reply_went_out(
    harness: Harness, engine: AsyncEngine
) -> None:
    """The crash between a commit and its replies: the answer and both replies (the confirmation, then the
    next question) are committed; the confirmation is on its way, the question not yet. After the restart
    the question arrives by itself, and the confirmation, which did reach Telegram, is not sent again."""
    chat = harness.chat(424_242_003, language_code="en")
    await harness.start()
    await chat.send("/start", expect="Which language shall I use?")
    await chat.press("English", expect="Which time zone are you in?")

    # The confirmation is held at the emulator: once its request has arrived, the turn has committed.
    release = asyncio.Event()
    hold = Fault(200, "held", method="sendMessage", chat_id=chat.id, release=release)
    harness.api.faults.insert(0, hold)
    seen = len(harness.emulator.received)
    await harness.api.push(harness.api.message_update(chat.user, "Asia/Tokyo"))
    method, params = await harness.emulator.wait_for_request(lambda _, p: p.get("chat_id") == chat.id, seen)
    assert method == "sendMessage" and str(params["text"]).startswith("Time zone set to Asia/Tokyo")
    await harness.kill()
    # Telegram delivers a message whose sender died while it was on its way.
    harness.api.faults.remove(hold)
    release.set()
    await asyncio.wait(set(harness.emulator.in_flight), timeout=WAIT)
    recorded = await rows(engine, OutboxMessage, chat_id=chat.id)
    assert [m.status for m in recorded[-2:]] == ["sending", "pending"]
    user, dialog = await stored(engine, chat.id)
    assert user.timezone == "Asia/Tokyo" and dialog is not None and dialog.step == "schedule"

    before = len(chat.sent())
    bot = await harness.start(**after_crash(harness, 1))
    await bot.wait_for_calls(
        harness.api,
        lambda _: any("Keep these times?" in call.text for call in chat.sent()[before:]),
        "the recorded next question",
    )
    assert len(chat.sent()) == before + 1, "only the question was sent after the restart"
    confirmations = [c for c in chat.sent() if c.text.startswith("Time zone set to Asia/Tokyo")]
    assert len(confirmations) == 1, "the confirmation that arrived before the crash was not repeated"
    recorded = await outbox_rows(engine, chat.id, none_open)
    assert [m.status for m in recorded[-2:]] == ["unconfirmed", "sent"]
    await chat.press("✔ Keep them", expect="All set, Li!")


async def test_sigkill_between_steps_in_chinese_keeps_every_answer(
    harness: Harness, engine: AsyncEngine
) -> None:
    chat = harness.chat(424_242_002, language_code="zh-hans", first_name="小张")
    await harness.start()
    await chat.send("/start", expect="你希望我用哪种语言？")
    await chat.press("中文", expect="你在哪个时区？")
    await chat.send("上海", expect="就用这些时间吗？")

    await harness.kill()
    await harness.start(**after_crash(harness, 1))
    await chat.press("修改时间", expect="工作日几点提醒你做每日回顾？")
    sent = await chat.send("19:00", expect="每周评估安排在什么时候？")
    assert "每日回顾时间：19:00。" in "\n".join(call.text for call in sent)

    # A second crash, one step further: the daily time must survive it too.
    await harness.kill()
    user, dialog = await stored(engine, chat.id)
    assert user.daily_review_time == time(19, 0)
    assert dialog is not None and dialog.step == "weekly"

    await harness.start(**after_crash(harness, 2))
    await chat.send("周五 下午4点", expect="每月总结在每月最后一个工作日进行。")
    sent = await chat.press("18:00", expect="设置完成，小张！")
    assert "用 /newgoal 定下你的第一个目标" in sent[-1].text

    user, dialog = await stored(engine, chat.id)
    assert (user.language, user.timezone) == ("zh_CN", "Asia/Shanghai")
    assert (user.daily_review_time, user.weekly_review_weekday, user.weekly_review_time) == (
        time(19, 0),
        5,
        time(16, 0),
    )
    assert user.monthly_review_time == time(18, 0)
    assert user.onboarded_at is not None
    assert dialog is None
