"""/start inside a dialog keeps the draft and offers to continue it or to start over."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.storage.models import DialogState, Goal
from tests.auxil.chat import Chat, labels
from tests.auxil.database import fetch, rows
from tests.auxil.goals import onboard

WORDS = {
    "en": {
        "keep": "You are in the middle of a question, and what you answered so far is kept. "
        "Continue where you left off, or start over?",
        "buttons": ["▶ Continue", "🔄 Start over"],
        "revenue": "💰 Revenue",
        "description": "Sell the ERP upgrade to hospital clients in East China",
        "target question": "How much revenue",
        "target": "500k",
        "deadline question": "T — Time-bound. By when?",
        "discarded": "Goal discarded; nothing was saved.",
        "welcome": "Welcome back, Li! Your settings:",
        "hello": "Hello, Li! I am Quota Coach",
        "language question": "Which language shall I use?",
    },
    "zh_CN": {
        "keep": "你正在回答一组问题，已经回答的内容都保留着。接着刚才的继续，还是重新开始？",
        "buttons": ["▶ 继续", "🔄 重新开始"],
        "revenue": "💰 销售额",
        "description": "开发苏州地区的连锁药店客户",
        "target question": "销售额",
        "target": "50万",
        "deadline question": "T — 有时限",
        "discarded": "已放弃这个目标，没有保存任何内容。",
        "welcome": "欢迎回来，Li！你的设置：",
        "hello": "你好，Li！",
        "language question": "你希望我用哪种语言",
    },
}
LANGUAGES = pytest.mark.parametrize("language", ["en", "zh_CN"])


async def _halfway_through_a_goal(chat: Chat, language: str) -> None:
    words = WORDS[language]
    await onboard(chat, language)
    await chat.send("/newgoal")
    await chat.press(words["revenue"])
    sent = await chat.send(words["description"])
    assert words["target question"] in sent[-1].text


@LANGUAGES
async def test_start_in_the_goal_wizard_keeps_the_draft_and_continue_asks_again(
    make_chat: Callable[..., Chat], engine: AsyncEngine, language: str
) -> None:
    words = WORDS[language]
    chat = make_chat(language_code="en" if language == "en" else "zh-hans")
    await _halfway_through_a_goal(chat, language)
    before = await fetch(engine, DialogState, chat.id)
    assert isinstance(before, DialogState) and before.flow == "new_goal"
    step, data = before.step, dict(before.data)

    sent = await chat.send("/start")
    assert sent[-1].text == words["keep"]
    assert labels(sent[-1]) == words["buttons"]
    kept = await fetch(engine, DialogState, chat.id)
    assert isinstance(kept, DialogState) and (kept.flow, kept.step, kept.data) == ("new_goal", step, data)

    sent = await chat.press(words["buttons"][0])
    assert words["target question"] in sent[-1].text
    sent = await chat.send(words["target"])  # the wizard takes the answer: no "not waiting" reply
    assert words["deadline question"] in sent[-1].text
    moved = await fetch(engine, DialogState, chat.id)
    assert isinstance(moved, DialogState) and moved.flow == "new_goal" and moved.step != step


@LANGUAGES
async def test_start_over_leaves_the_dialog_and_starts_as_usual(
    make_chat: Callable[..., Chat], engine: AsyncEngine, language: str
) -> None:
    words = WORDS[language]
    chat = make_chat(language_code="en" if language == "en" else "zh-hans")
    await _halfway_through_a_goal(chat, language)
    await chat.send("/start")
    sent = await chat.press(words["buttons"][1])
    assert words["discarded"] in sent[0].text
    assert words["welcome"] in sent[-1].text
    assert await fetch(engine, DialogState, chat.id) is None
    assert await rows(engine, Goal, user_id=chat.id) == []


@LANGUAGES
async def test_start_during_onboarding_offers_the_same_and_start_over_greets_again(
    make_chat: Callable[..., Chat], engine: AsyncEngine, language: str
) -> None:
    words = WORDS[language]
    chat = make_chat(language_code="en" if language == "en" else "zh-hans")
    await chat.send("/start")
    await chat.press("English" if language == "en" else "中文")
    sent = await chat.send("/start")
    assert sent[-1].text == words["keep"]
    state = await fetch(engine, DialogState, chat.id)
    assert isinstance(state, DialogState) and state.flow == "onboarding"
    sent = await chat.press(words["buttons"][1])
    assert words["hello"] in sent[-2].text
    assert words["language question"] in sent[-1].text
    restarted = await fetch(engine, DialogState, chat.id)
    assert isinstance(restarted, DialogState) and restarted.flow == "onboarding"
    assert restarted.step == "language"


async def test_an_old_continue_button_after_the_dialog_ended_just_starts(
    make_chat: Callable[..., Chat], engine: AsyncEngine
) -> None:
    chat = make_chat()
    await _halfway_through_a_goal(chat, "en")
    offer = (await chat.send("/start"))[-1]
    await chat.send("/cancel")
    sent = await chat.press("▶ Continue", on=offer)
    assert WORDS["en"]["welcome"] in sent[-1].text
    sent = await chat.press_data("s:nonsense", on=offer)
    assert "That button is from an old message" in sent[-1].text


async def test_start_at_a_dialogs_first_question_just_starts(
    make_chat: Callable[..., Chat], engine: AsyncEngine
) -> None:
    chat = make_chat()
    await onboard(chat)
    await chat.send("/newgoal")  # nothing answered yet: no draft to keep
    sent = await chat.send("/start")
    assert WORDS["en"]["welcome"] in sent[-1].text
    assert await fetch(engine, DialogState, chat.id) is None
