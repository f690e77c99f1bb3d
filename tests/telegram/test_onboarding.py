"""Onboarding and settings through real Update JSON, in Chinese and English."""

from __future__ import annotations

from collections.abc import Callable
from datetime import time

import pytest
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.storage.models import DialogState, User
from tests.auxil.chat import Chat, labels, texts
from tests.auxil.database import fetch


async def stored_user(engine: AsyncEngine, chat: Chat) -> User:
    user = await fetch(engine, User, chat.id)
    assert isinstance(user, User)
    return user


async def test_english_onboarding_with_defaults(make_chat: Callable[..., Chat], engine: AsyncEngine) -> None:
    chat = make_chat(language_code="en-GB", first_name="Anna")
    sent = await chat.send("/start")
    assert "Hello, Anna! I am Quota Coach" in sent[0].text
    assert "Which language shall I use?" in sent[1].text
    assert labels(sent[1]) == ["English", "中文", "✖ Cancel"]

    sent = await chat.press("English")
    assert "I will speak English with you." in texts(sent)
    assert "Which time zone are you in?" in sent[-1].text

    sent = await chat.send("America/New_York")
    assert "Time zone set to America/New_York; your local time is 21:00." in texts(sent)
    assert "Keep these times?" in sent[-1].text
    assert "Daily review: 18:00 on working days" in sent[-1].text
    assert "Weekly evaluation: Friday 17:00" in sent[-1].text
    assert "Monthly summary: last working day, 17:00" in sent[-1].text

    sent = await chat.press("✔ Keep them")
    assert "All set, Anna!" in sent[-1].text
    user = await stored_user(engine, chat)
    assert (user.language, user.timezone, user.daily_review_time) == ("en", "America/New_York", time(18, 0))
    assert user.onboarded_at is not None
    assert await fetch(engine, DialogState, chat.id) is None


async def test_chinese_onboarding_with_changed_times(
    make_chat: Callable[..., Chat], engine: AsyncEngine
) -> None:
    chat = make_chat(language_code="zh-hans", first_name="小张")
    sent = await chat.send("/start")
    assert "你好，小张！我是销售目标教练" in sent[0].text
    assert "你希望我用哪种语言？" in sent[1].text

    sent = await chat.press("中文")
    assert "好的，我们用中文交流。" in texts(sent)
    sent = await chat.send("上海")
    assert "时区已设为 Asia/Shanghai，你当地时间现在是 10:00。" in texts(sent)

    sent = await chat.press("修改时间")
    assert "工作日几点提醒你做每日回顾？当前：18:00" in sent[-1].text
    sent = await chat.send("下午6点半")
    assert "每日回顾时间：18:30。" in texts(sent)
    sent = await chat.send("周五 下午4点")
    assert "每周评估：星期五 16:00。" in texts(sent)
    sent = await chat.press("18:00")
    assert "设置完成，小张！" in sent[-1].text

    user = await stored_user(engine, chat)
    assert user.language == "zh_CN"
    assert user.timezone == "Asia/Shanghai"
    assert (user.daily_review_time, user.weekly_review_weekday, user.weekly_review_time) == (
        time(18, 30),
        5,
        time(16, 0),
    )
    assert user.monthly_review_time == time(18, 0)


@pytest.mark.parametrize(
    ("language", "typed", "done"),
    [
        ("English", "Keep them", "All set"),  # the words the hint asks to tap, typed
        ("English", "✔ Keep them", "All set"),  # the label as shown
        ("English", "keep them.", "All set"),
        ("中文", "就用这些", "设置完成"),
        ("中文", "✔ 就用这些", "设置完成"),
        ("English", "Change times", "daily review"),
        ("中文", "修改时间", "每日回顾"),
    ],
)
async def test_the_schedule_step_takes_its_buttons_words_typed(
    make_chat: Callable[..., Chat], engine: AsyncEngine, language: str, typed: str, done: str
) -> None:
    chat = make_chat(first_name="Anna")
    await chat.send("/start")
    await chat.press(language)
    await chat.send("America/New_York")
    sent = await chat.send(typed)
    assert done in sent[-1].text, sent[-1].text
    onboarded = (await stored_user(engine, chat)).onboarded_at is not None
    assert onboarded == (done in ("All set", "设置完成"))


@pytest.mark.parametrize(
    ("typed", "zone"),
    [
        ("UTC+8", "Etc/GMT-8"),
        ("America/New_York", "America/New_York"),
        ("上海", "Asia/Shanghai"),
        ("GMT-5", "Etc/GMT+5"),
        ("new york", "America/New_York"),
        ("柏林", "Europe/Berlin"),
    ],
)
async def test_timezone_typed_many_ways(
    make_chat: Callable[..., Chat], engine: AsyncEngine, typed: str, zone: str
) -> None:
    chat = make_chat()
    await chat.send("/start")
    await chat.press("English")
    sent = await chat.send(typed)
    assert f"Time zone set to {zone}" in texts(sent)
    assert (await stored_user(engine, chat)).timezone == zone


async def test_back_returns_to_the_previous_question(
    make_chat: Callable[..., Chat], engine: AsyncEngine
) -> None:
    chat = make_chat()
    await chat.send("/start")
    await chat.press("English")
    sent = await chat.press("⬅ Back")
    assert "Which language shall I use?" in sent[-1].text
    sent = await chat.press("中文")
    assert "你在哪个时区？" in sent[-1].text
    assert (await stored_user(engine, chat)).language == "zh_CN"


async def test_settings_changes_a_prompt_time(make_chat: Callable[..., Chat], engine: AsyncEngine) -> None:
    chat = make_chat()
    await chat.send("/start")
    await chat.press("English")
    await chat.press("Shanghai (UTC+8)")
    await chat.press("✔ Keep them")

    sent = await chat.send("/settings")
    assert "What would you like to change?" in sent[-1].text
    sent = await chat.press("Daily review")
    assert "At what time should I ask for your daily review" in sent[-1].text
    sent = await chat.send("19:15")
    assert "Daily review at 19:15." in texts(sent)
    assert "Saved. Your settings now:" in sent[-1].text
    assert "Daily review: 19:15 on working days" in sent[-1].text
    assert (await stored_user(engine, chat)).daily_review_time == time(19, 15)


@pytest.mark.parametrize(
    ("setting", "typed", "column", "expected"),
    [
        ("Working days", "Mon-Sat", "working_days", "123456"),
        ("Quiet hours", "21:30-07:00", "quiet_start", time(21, 30)),
        ("Weekly evaluation", "Monday 9am", "weekly_review_weekday", 1),
        ("Monthly summary", "16:30", "monthly_review_time", time(16, 30)),
        ("Language", "中文", "language", "zh_CN"),
        ("Public holidays", "Japan", "country", "JP"),
        ("Public holidays", "中国", "country", "CN"),
    ],
)
async def test_each_setting_can_be_changed(
    make_chat: Callable[..., Chat],
    engine: AsyncEngine,
    setting: str,
    typed: str,
    column: str,
    expected: object,
) -> None:
    chat = make_chat()
    await chat.send("/settings")
    await chat.press(setting)
    sent = await chat.send(typed)
    assert "Saved" in sent[-1].text or "已保存" in sent[-1].text
    assert getattr(await stored_user(engine, chat), column) == expected


async def test_help_lists_every_command_in_both_languages(make_chat: Callable[..., Chat]) -> None:
    english = await make_chat(language_code="en").send("/help")
    for line in ("/start — ", "/settings — ", "/help — ", "/cancel — Leave the current question"):
        assert line in english[0].text
    chinese = await make_chat(language_code="zh").send("/help")
    assert "/cancel — 退出当前问题" in chinese[0].text


async def test_cancel_mid_dialog_keeps_answers_and_ends_the_dialog(
    make_chat: Callable[..., Chat], engine: AsyncEngine
) -> None:
    chat = make_chat(language_code="zh")
    await chat.send("/start")
    await chat.press("中文")
    sent = await chat.send("/cancel")
    assert "已退出设置向导。已回答的内容都保留着" in sent[-1].text
    assert await fetch(engine, DialogState, chat.id) is None
    assert (await stored_user(engine, chat)).language == "zh_CN"

    sent = await chat.send("/cancel")
    assert "没有可以取消的" in sent[-1].text
    sent = await chat.send("Asia/Tokyo")
    assert "我现在没有在等你回答" in sent[-1].text
    assert (await stored_user(engine, chat)).timezone == "Asia/Shanghai"


async def test_cancel_button_leaves_settings(make_chat: Callable[..., Chat], engine: AsyncEngine) -> None:
    chat = make_chat()
    await chat.send("/settings")
    sent = await chat.press("✖ Cancel")
    assert "Settings closed. Nothing else was changed." in sent[-1].text
    assert await fetch(engine, DialogState, chat.id) is None


async def test_returning_user_is_welcomed_back(make_chat: Callable[..., Chat]) -> None:
    chat = make_chat()
    await chat.send("/start")
    await chat.press("English")
    await chat.press("Tokyo (UTC+9)")
    await chat.press("✔ Keep them")
    sent = await chat.send("/start")
    assert "Welcome back, Li!" in sent[-1].text
    assert "Time zone: Asia/Tokyo" in sent[-1].text


async def test_unknown_command_is_named(make_chat: Callable[..., Chat]) -> None:
    sent = await make_chat().send("/frobnicate now")
    assert "I don't know the command /frobnicate" in sent[-1].text


async def test_language_follows_telegram_then_default(make_chat: Callable[..., Chat]) -> None:
    assert "你好" in (await make_chat(language_code="zh-TW").send("/start"))[0].text
    assert "Hello" in (await make_chat(language_code="de").send("/start"))[0].text
    # No language_code at all: the configured default (English in the test settings).
    assert "Hello" in (await make_chat(language_code=None).send("/start"))[0].text


async def test_commands_are_published_in_both_languages(app: object, bot_api: object) -> None:
    from bot.devtools.fake_bot_api import FakeBotApi

    assert isinstance(bot_api, FakeBotApi)
    english = {c["command"]: c["description"] for c in bot_api.commands[""]}
    chinese = {c["command"]: c["description"] for c in bot_api.commands["zh"]}
    from bot.telegram.commands import COMMANDS

    assert english.keys() == chinese.keys() == {command for command, _ in COMMANDS}
    assert {
        "start",
        "newgoal",
        "goals",
        "plan",
        "today",
        "progress",
        "vacation",
        "settings",
        "help",
        "cancel",
    } <= english.keys()
    assert chinese["cancel"] == "退出当前问题"
