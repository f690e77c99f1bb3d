"""Text typed outside a dialog: under a review prompt it is the answer; results are offered as a /log."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta
from decimal import Decimal

import pytest
from sqlalchemy.ext.asyncio import AsyncEngine
from telegram.ext import Application

from bot.app import build_application, startup
from bot.devtools.fake_bot_api import FakeBotApi
from bot.devtools.inprocess_request import InProcessRequest
from bot.services.container import build_services
from bot.settings import Settings
from bot.storage.models import ActivityLog, DialogState, Entry, PromptOccurrence, ReviewAnswer
from tests.auxil.chat import Chat, labels
from tests.auxil.clock import FakeClock
from tests.auxil.database import fetch, rows
from tests.telegram.test_reviews import FRIDAY_18_SHANGHAI, dispatcher, salesperson

WORDS = {
    "en": {
        "report": "3 visits, 12 calls, 1 deal 50k",
        "got": "Got it: revenue CN¥50,000, deals 1, client visits 3, calls 12. Correct?",
        "correct": "✔ Correct",
        "skip": "Skip",
        "saved": "Thanks, your review for November 27, 2026 is saved.",
        "result": "Today I visited 3 clients and signed one deal for 50k",
        "offer": "Record this as today's result? revenue CN¥50,000, deals 1, client visits 3",
        "record": "✔ Record",
        "no": "No",
        "logged": "Logged for November 27, 2026: revenue CN¥50,000, deals 1, client visits 3.",
        "not recorded": "Not recorded. /log records results whenever you like.",
        "chat": "the weather is lovely",
        "pointer": "I am not waiting for an answer right now. To record results, type /log and what you did, "
        "e.g. “/log 3 visits, 1 deal 50k”; /help shows what I can do.",
        "unreadable": "/log feeling good today",
        "hint": "I could not find numbers I know in that. Type them like “/log 3 visits, 12 calls, 1 deal 50k” "
        "or “/log yesterday 2 deals 80k”.",
    },
    "zh_CN": {
        "report": "拜访3次 电话12个 签单1个 共5万",
        "got": "销售额 ¥50,000、签单 1、客户拜访 3、电话 12",
        "correct": "✔ 正确",
        "skip": "跳过",
        "saved": "2026年11月27日的回顾已保存",
        "result": "今天拜访了3个客户,签了一单5万",
        "offer": "把这条记为今天的成绩吗？销售额 ¥50,000",
        "record": "✔ 记录",
        "no": "不用",
        "logged": "2026年11月27日",
        "not recorded": "没有记录。想记的时候随时用 /log。",
        "chat": "今天天气不错",
        "pointer": "我现在没有在等你回答。要记录成绩，请在 /log 后写上你做了什么，例如“/log 拜访3次 签单1个 5万”；"
        "发送 /help 看看我能做什么。",
        "unreadable": "/log 今天心情不错",
        "hint": "没能从中读出我认识的数字。可以这样写：“/log 拜访3次 电话12个 签单1个 共5万”或“/log 昨天 签单2个 8万”。",
    },
}
LANGUAGES = pytest.mark.parametrize("language", ["en", "zh_CN"])


@LANGUAGES
async def test_the_one_line_review_typed_under_the_prompt_is_its_answer(
    app: Application,  # type: ignore[type-arg]
    make_chat: Callable[..., Chat],
    engine: AsyncEngine,
    clock: FakeClock,
    language: str,
) -> None:
    words = WORDS[language]
    chat = await salesperson(make_chat, engine, clock, language)
    clock.set(FRIDAY_18_SHANGHAI)
    await dispatcher(app).tick()
    sent = await chat.send(words["report"])  # no "Answer now" tap
    assert words["got"] in sent[-1].text
    state = await fetch(engine, DialogState, chat.id)
    assert isinstance(state, DialogState) and (state.flow, state.step) == ("daily_review", "confirm")
    assert await rows(engine, Entry, user_id=chat.id) == [], "nothing is stored before the confirmation"
    await chat.press(words["correct"])
    for _ in range(3):
        sent = await chat.press(words["skip"])
    assert words["saved"] in sent[-1].text
    [entry] = await rows(engine, Entry, user_id=chat.id)
    assert (entry.day, entry.amount, entry.source) == (date(2026, 11, 27), Decimal(50000), "review")
    [occurrence] = await rows(engine, PromptOccurrence, user_id=chat.id, kind="daily")
    assert occurrence.status == "answered"
    assert len(await rows(engine, ReviewAnswer, user_id=chat.id)) == 1


async def test_a_snoozed_prompt_of_yesterday_still_takes_the_answer_but_an_older_one_does_not(
    app: Application,  # type: ignore[type-arg]
    make_chat: Callable[..., Chat],
    engine: AsyncEngine,
    clock: FakeClock,
) -> None:
    chat = await salesperson(make_chat, engine, clock)
    clock.set(FRIDAY_18_SHANGHAI)
    await dispatcher(app).tick()
    await chat.press("🌅 Tomorrow morning")
    clock.set(FRIDAY_18_SHANGHAI + timedelta(hours=14))  # Saturday 08:00, before the snooze ends
    sent = await chat.send("2 visits")
    assert "Got it: client visits 2. Correct?" in sent[-1].text
    await chat.send("/cancel")
    clock.set(FRIDAY_18_SHANGHAI + timedelta(days=2, hours=-2))  # Sunday 16:00: the Friday prompt is too old
    sent = await chat.send("hello")
    assert "I am not waiting for an answer right now." in sent[-1].text


@LANGUAGES
async def test_results_typed_outside_a_dialog_are_offered_as_a_log_and_stored_only_on_the_tap(
    app: Application,  # type: ignore[type-arg]
    make_chat: Callable[..., Chat],
    engine: AsyncEngine,
    clock: FakeClock,
    bot_api: FakeBotApi,
    settings: Settings,
    language: str,
) -> None:
    words = WORDS[language]
    chat = await salesperson(make_chat, engine, clock, language)
    sent = await chat.send(words["result"])
    assert words["offer"] in sent[-1].text
    assert labels(sent[-1])[:2] == [words["record"], words["no"]]
    assert await rows(engine, Entry, user_id=chat.id) == []
    state = await fetch(engine, DialogState, chat.id)
    assert isinstance(state, DialogState) and state.flow == "log_offer"
    assert state.data["text"] == words["result"] and state.data["today"] == "2026-11-27"

    # A restart between the offer and the tap: the offer is in the database, the new process takes it.
    # The first process stops as a shutdown does (its last send written down), or on PostgreSQL the new one
    # would wait out that send's lease before the chat's next reply.
    await app.bot_data.outbox.flush()
    restarted = build_application(
        settings, request=InProcessRequest(bot_api), rate_limited=False,
        services=build_services(settings, clock, engine=engine),
    )  # fmt: skip
    async with restarted:
        await startup(restarted)
        sent = await Chat(restarted, bot_api, chat.user).press(words["record"])
    assert words["logged"] in sent[-1].text
    [entry] = await rows(engine, Entry, user_id=chat.id)
    assert (entry.day, entry.amount, entry.source) == (date(2026, 11, 27), Decimal(50000), "log")
    assert {a.measure: a.amount for a in await rows(engine, ActivityLog, user_id=chat.id)} == {
        "visits": 3, "deals": 1, "revenue": 50000}  # fmt: skip
    assert await fetch(engine, DialogState, chat.id) is None


@LANGUAGES
async def test_declining_the_offer_stores_nothing(
    app: Application,  # type: ignore[type-arg]
    make_chat: Callable[..., Chat],
    engine: AsyncEngine,
    clock: FakeClock,
    language: str,
) -> None:
    words = WORDS[language]
    chat = await salesperson(make_chat, engine, clock, language)
    await chat.send(words["result"])
    sent = await chat.press(words["no"])
    assert words["not recorded"] in sent[-1].text
    assert await rows(engine, Entry, user_id=chat.id) == []
    assert await rows(engine, ActivityLog, user_id=chat.id) == []
    assert await fetch(engine, DialogState, chat.id) is None


@LANGUAGES
async def test_other_text_points_to_log_and_help_and_logs_hint_names_no_missing_button(
    app: Application,  # type: ignore[type-arg]
    make_chat: Callable[..., Chat],
    engine: AsyncEngine,
    clock: FakeClock,
    language: str,
) -> None:
    words = WORDS[language]
    chat = await salesperson(make_chat, engine, clock, language)
    sent = await chat.send(words["chat"])
    assert sent[-1].text == words["pointer"]
    sent = await chat.send(words["unreadable"])
    assert sent[-1].text == words["hint"]
    assert "Nothing to report" not in sent[-1].text and "今天没有可记录的" not in sent[-1].text
    assert await rows(engine, Entry, user_id=chat.id) == []
    assert await fetch(engine, DialogState, chat.id) is None
