"""Issue 12, item 5: an edited message is never a new command or answer. An edited /log corrects what that
message recorded (one audit row per changed measure, a reply saying what changed); any other edit gets a
note and changes nothing (zh_CN and en, through the in-process transport; SQLite and PostgreSQL)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.devtools.fake_bot_api import FakeBotApi
from bot.storage.models import ActivityLog, DialogState, Entry, EntryAudit, EntryCorrection
from bot.telegram.context import BotApplication
from tests.auxil.chat import Chat, texts
from tests.auxil.clock import FakeClock
from tests.auxil.database import fetch, rows
from tests.auxil.goals import insert_goal, onboard
from tests.telegram.test_nudges import NOON_SHANGHAI, coaching_texts, nudger, nudges_of
from tests.telegram.test_out_of_window_log import DECEMBER_GOAL, NOVEMBER_GOAL
from tests.telegram.test_reviews import FRIDAY_18_SHANGHAI, dispatcher, salesperson

LANGUAGES = pytest.mark.parametrize("language", ["en", "zh_CN"])
CALLS_GOAL = dict(metric="calls", target_value=Decimal(300), start_date=date(2026, 11, 1))
WORDS: dict[str, dict[str, str]] = {
    "en": {
        "log 3": "/log 3 calls",
        "log 4": "/log 4 calls",
        "corrected": "Corrected: calls 3 → 4 for November 27, 2026. /progress shows the new totals.",
        "pace": "300 calls by 2027-03-31: 4 calls of ",
        "no figures": "/log called a few people",
        "unchanged": "The edited message has no figures I can read.\n"
        "Nothing changed: your /log for November 27, 2026 still reads calls 3.",
        "undone": "That /log was undone, so there is nothing to correct. Send a new /log to record it again.",
        "nothing": "That /log recorded nothing, so there is nothing to correct. Send a new /log with your figures.",
        "typed 3": "3 calls",
        "typed 4": "4 calls",
        "record": "✔ Record",
        "yesterday": "/log yesterday 4 calls, 2 visits",
        "moved": "Corrected: your /log of November 27, 2026 now counts for November 26, 2026: client visits 2, "
        "calls 4. /progress shows the new totals.",
        "same": "/log 3 calls today",
        "no change": "Your edit changes no figures: your /log for November 27, 2026 stays calls 3.",
        "in dialog": "Editing a message does not change the answer I already took from it. To change an "
        "earlier answer, tap ⬅ Back under the question; /cancel stops. Here is where we are:",
        "not read": "Editing a message does not change what I already took from it. "
        "Send what you meant as a new message.",
        "report": "3 visits, 12 calls, 1 deal 50k",
        "report edited": "5 visits, 20 calls, 2 deals 90k",
        "correct": "✔ Correct",
        "hello": "hello there",
    },
    "zh_CN": {
        "log 3": "/log 电话3个",
        "log 4": "/log 电话4个",
        "corrected": "已更正2026年11月27日的记录：电话 3 → 4。/progress 会显示新的合计。",
        "pace": "2027-03-31前电话 300：完成 电话 4 / 计划 ",
        "no figures": "/log 打了几个电话",
        "unchanged": "编辑后的消息里没有我能读懂的数字。\n没有改动：你2026年11月27日的 /log 仍然是电话 3。",
        "undone": "那条 /log 已经撤销，所以没有可更正的。想重新记录，请发送一条新的 /log。",
        "nothing": "那条 /log 没有记录任何内容，所以没有可更正的。请发送一条带上数字的新 /log。",
        "typed 3": "电话3个",
        "typed 4": "电话4个",
        "record": "✔ 记录",
        "yesterday": "/log 昨天 电话4个 拜访2次",
        "moved": "已更正：你2026年11月27日的那条 /log 现在记在2026年11月26日：客户拜访 2、电话 4。"
        "/progress 会显示新的合计。",
        "same": "/log 今天 电话3个",
        "no change": "你的编辑没有改变任何数字：你2026年11月27日的 /log 仍然是电话 3。",
        "in dialog": "编辑消息不会改变我已经收下的回答。要改之前的回答，请点问题下方的“⬅ 返回”；"
        "发送 /cancel 可以退出。我们现在在这里：",
        "not read": "编辑消息不会改变我已经从中读到的内容。请把你想说的作为一条新消息发送。",
        "report": "拜访3次 电话12个 签单1个 共5万",
        "report edited": "拜访5次 电话20个 签单2个 共9万",
        "correct": "✔ 正确",
        "hello": "你好",
    },
}


async def caller(
    make_chat: Callable[..., Chat], engine: AsyncEngine, clock: FakeClock, language: str
) -> Chat:
    """A user with a goal of 300 calls from November 1 to the end of March."""
    chat = make_chat(language_code="en" if language == "en" else "zh-hans")
    await onboard(chat, language)
    await insert_goal(engine, chat.id, clock(), **CALLS_GOAL)
    return chat


async def results(engine: AsyncEngine, chat: Chat) -> tuple[list[Any], list[Any]]:
    """(goal id, day, amount) of each entry and (measure, day, amount) of each activity row."""
    entries = [(e.goal_id, e.day, e.amount) for e in await rows(engine, Entry, user_id=chat.id)]
    activities = [(a.measure, a.day, a.amount) for a in await rows(engine, ActivityLog, user_id=chat.id)]
    return entries, activities


async def corrections(engine: AsyncEngine, chat: Chat) -> list[tuple[Any, ...]]:
    return [(c.message_id, c.measure, c.old_day, c.old_amount, c.new_day, c.new_amount)
            for c in await rows(engine, EntryCorrection, user_id=chat.id)]  # fmt: skip


TODAY, YESTERDAY = date(2026, 11, 27), date(2026, 11, 26)


@LANGUAGES
async def test_an_edited_log_corrects_its_entry_instead_of_adding_one(
    make_chat: Callable[..., Chat], engine: AsyncEngine, clock: FakeClock, language: str
) -> None:
    words = WORDS[language]
    chat = await caller(make_chat, engine, clock, language)
    await chat.send(words["log 3"])
    log = chat.messages[-1]
    [goal_id] = {entry[0] for entry in (await results(engine, chat))[0]}
    [reply] = await chat.edit(words["log 4"])
    assert reply.text.startswith(words["corrected"] + "\n"), reply.text
    assert words["pace"] in reply.text
    assert await results(engine, chat) == ([(goal_id, TODAY, 4)], [("calls", TODAY, 4)])
    assert await corrections(engine, chat) == [(log["message_id"], "calls", TODAY, 3, TODAY, 4)]
    # The rows still know their message, and the audit of the /log itself is untouched.
    [entry] = await rows(engine, Entry, user_id=chat.id)
    [audit] = await rows(engine, EntryAudit, user_id=chat.id)
    assert entry.message_id == audit.message_id == log["message_id"] and audit.action == "add"


@LANGUAGES
async def test_a_redelivered_edit_is_a_no_op(
    make_chat: Callable[..., Chat], engine: AsyncEngine, clock: FakeClock, language: str
) -> None:
    words = WORDS[language]
    chat = await caller(make_chat, engine, clock, language)
    await chat.send(words["log 3"])
    update = chat.edited_update(words["log 4"])
    assert len(await chat.feed(update)) == 1
    assert await chat.feed(update) == []  # Telegram sent it again: answered once, corrected once
    assert [row[-1] for row in await corrections(engine, chat)] == [4]
    assert (await results(engine, chat))[1] == [("calls", TODAY, 4)]


@LANGUAGES
async def test_an_edit_with_no_figures_changes_nothing(
    make_chat: Callable[..., Chat], engine: AsyncEngine, clock: FakeClock, language: str
) -> None:
    words = WORDS[language]
    chat = await caller(make_chat, engine, clock, language)
    await chat.send(words["log 3"])
    before = await results(engine, chat)
    [reply] = await chat.edit(words["no figures"])
    assert reply.text == words["unchanged"]
    assert await results(engine, chat) == before and await corrections(engine, chat) == []
    # The same figures with a different wording: nothing to correct either.
    [reply] = await chat.edit(words["same"])
    assert reply.text == words["no change"]
    assert await results(engine, chat) == before and await corrections(engine, chat) == []


@LANGUAGES
async def test_an_edit_after_undo_says_the_log_was_undone(
    make_chat: Callable[..., Chat], engine: AsyncEngine, clock: FakeClock, language: str
) -> None:
    words = WORDS[language]
    chat = await caller(make_chat, engine, clock, language)
    await chat.send(words["log 3"])
    log = chat.messages[-1]
    await chat.send("/undo")
    [reply] = await chat.edit(words["log 4"], log)
    assert reply.text == words["undone"]
    assert await results(engine, chat) == ([], []) and await corrections(engine, chat) == []


@LANGUAGES
async def test_an_edit_of_a_log_that_recorded_nothing_records_nothing(
    make_chat: Callable[..., Chat], engine: AsyncEngine, clock: FakeClock, language: str
) -> None:
    words = WORDS[language]
    chat = await caller(make_chat, engine, clock, language)
    await chat.send(words["no figures"])  # told the figures could not be read; nothing stored
    [reply] = await chat.edit(words["log 4"])
    assert reply.text == words["nothing"]
    assert await results(engine, chat) == ([], []) and await corrections(engine, chat) == []


@LANGUAGES
async def test_an_edit_that_moves_the_day_and_adds_a_measure(
    make_chat: Callable[..., Chat], engine: AsyncEngine, clock: FakeClock, language: str
) -> None:
    words = WORDS[language]
    chat = await caller(make_chat, engine, clock, language)
    await chat.send(words["log 3"])
    log = chat.messages[-1]
    [goal_id] = {entry[0] for entry in (await results(engine, chat))[0]}
    [reply] = await chat.edit(words["yesterday"])
    assert reply.text.startswith(words["moved"]), reply.text
    entries, activities = await results(engine, chat)
    assert entries == [(goal_id, YESTERDAY, 4)]
    assert sorted(activities) == [("calls", YESTERDAY, 4), ("visits", YESTERDAY, 2)]
    assert await corrections(engine, chat) == [
        (log["message_id"], "calls", TODAY, 3, YESTERDAY, 4),
        (log["message_id"], "visits", TODAY, None, YESTERDAY, 2),
    ]


@LANGUAGES
async def test_results_typed_as_text_and_recorded_with_the_tap_are_corrected_by_editing_the_text(
    make_chat: Callable[..., Chat], engine: AsyncEngine, clock: FakeClock, language: str
) -> None:
    words = WORDS[language]
    chat = await caller(make_chat, engine, clock, language)
    await chat.send(words["typed 3"])
    typed = chat.messages[-1]
    await chat.press(words["record"])
    [reply] = await chat.edit(words["typed 4"], typed)
    assert reply.text.startswith(words["corrected"]), reply.text
    assert (await results(engine, chat))[1] == [("calls", TODAY, 4)]
    assert [row[:2] for row in await corrections(engine, chat)] == [(typed["message_id"], "calls")]


@LANGUAGES
async def test_a_log_recorded_for_the_goal_the_user_chose_is_corrected_for_that_goal(
    make_chat: Callable[..., Chat], engine: AsyncEngine, clock: FakeClock, language: str
) -> None:
    chat = make_chat(language_code="en" if language == "en" else "zh-hans")
    await onboard(chat, language)
    await insert_goal(engine, chat.id, clock(), **DECEMBER_GOAL)
    november = await insert_goal(engine, chat.id, clock(), **NOVEMBER_GOAL)
    await chat.send("/log November 20 80k" if language == "en" else "/log 11月20日 8万")
    log = chat.messages[-1]
    await chat.press(next(label for label in _labels(chat) if "300,000" in label))
    [reply] = await chat.edit("/log November 20 90k" if language == "en" else "/log 11月20日 9万", log)
    assert ("CN¥80,000 → CN¥90,000" if language == "en" else "¥80,000 → ¥90,000") in reply.text
    entries, activities = await results(engine, chat)
    assert entries == [(november, date(2026, 11, 20), 90000)]
    assert activities == [("revenue", date(2026, 11, 20), 90000)]


def _labels(chat: Chat) -> list[str]:
    return [button["text"] for row in chat.last_with_buttons().buttons for button in row]


@LANGUAGES
async def test_undo_after_correcting_an_older_log_removes_the_newest_log(
    make_chat: Callable[..., Chat], engine: AsyncEngine, clock: FakeClock, language: str
) -> None:
    words = WORDS[language]
    chat = await caller(make_chat, engine, clock, language)
    await chat.send(words["log 3"])
    older = chat.messages[-1]
    await chat.send("/log 5 visits" if language == "en" else "/log 拜访5次")
    await chat.edit(words["yesterday"], older)  # adds a visits row to the older report
    await chat.send("/undo")
    assert sorted((await results(engine, chat))[1]) == [("calls", YESTERDAY, 4), ("visits", YESTERDAY, 2)]


@LANGUAGES
async def test_an_edited_review_answer_is_never_taken_as_the_current_answer(
    app: BotApplication,
    make_chat: Callable[..., Chat],
    engine: AsyncEngine,
    clock: FakeClock,
    language: str,
) -> None:
    words = WORDS[language]
    chat = await salesperson(make_chat, engine, clock, language)
    clock.set(FRIDAY_18_SHANGHAI)
    await dispatcher(app).tick()
    await chat.press("✍️ Answer now" if language == "en" else "✍️ 现在回答")
    await chat.send(words["report"])
    report = chat.messages[-1]
    [question] = await chat.press(words["correct"])
    dialog = await fetch(engine, DialogState, chat.id)
    assert isinstance(dialog, DialogState) and dialog.data["report"]["visits"] == "3"
    state = (dialog.flow, dialog.step, dialog.data, dialog.history, dialog.version)

    note, again = await chat.edit(words["report edited"], report)
    assert note.text == words["in dialog"]
    assert (again.text, again.buttons) == (question.text, question.buttons)  # the same question, same buttons
    dialog = await fetch(engine, DialogState, chat.id)
    assert isinstance(dialog, DialogState)
    assert (dialog.flow, dialog.step, dialog.data, dialog.history, dialog.version) == state
    assert await results(engine, chat) == ([], [])
    # Answered on to the end, the review stores what was answered, not what the edit says.
    await chat.send("Closed the Hangzhou hospital deal")
    await chat.press("Skip" if language == "en" else "跳过")
    await chat.send("Call back the two leads before 10:00")
    assert ("visits", TODAY, 3) in (await results(engine, chat))[1]
    assert await corrections(engine, chat) == []


@LANGUAGES
async def test_an_edit_in_the_goal_wizard_leaves_the_wizard_where_it_was(
    make_chat: Callable[..., Chat], engine: AsyncEngine, language: str
) -> None:
    words = WORDS[language]
    chat = make_chat(language_code="en" if language == "en" else "zh-hans")
    await onboard(chat, language)
    await chat.send("/newgoal")
    await chat.press("🤝 Deals signed" if language == "en" else "🤝 签单")
    [current] = await chat.send("Sign three-year contracts with chain supermarkets in Jiangsu")
    description = chat.messages[-1]
    before = await fetch(engine, DialogState, chat.id)
    assert isinstance(before, DialogState) and before.step == "target"
    # Neither an edited answer nor an edit into a command (/cancel, /start) acts on the dialog.
    for text in ("Sign chain supermarkets in Zhejiang", "/cancel", "/start"):
        note, question = await chat.edit(text, description)
        assert note.text == words["in dialog"]
        assert (question.text, question.buttons) == (current.text, current.buttons)
        after = await fetch(engine, DialogState, chat.id)
        assert isinstance(after, DialogState)
        assert (after.step, after.data, after.version) == (before.step, before.data, before.version)


@LANGUAGES
async def test_an_edit_outside_any_dialog_gets_a_note(
    make_chat: Callable[..., Chat], engine: AsyncEngine, clock: FakeClock, language: str
) -> None:
    words = WORDS[language]
    chat = await caller(make_chat, engine, clock, language)
    await chat.send(words["hello"])
    [reply] = await chat.edit(words["typed 4"])  # it reads as results, yet it is an edit: nothing offered
    assert reply.text == words["not read"]
    assert await fetch(engine, DialogState, chat.id) is None
    assert await results(engine, chat) == ([], [])


@LANGUAGES
async def test_a_correction_down_withdraws_the_milestone_it_no_longer_reaches(
    app: BotApplication,
    make_chat: Callable[..., Chat],
    engine: AsyncEngine,
    clock: FakeClock,
    bot_api: FakeBotApi,  # type: ignore[type-arg]
    language: str,
) -> None:
    chat = make_chat(language_code="en" if language == "en" else "zh-hans")
    await onboard(chat, language)
    # 10 deals by the end of March; 3 of them are 30%: a 25% milestone, and the goal's first result.
    goal_id = await insert_goal(engine, chat.id, clock(), start_date=TODAY, deadline=date(2027, 3, 31))
    clock.set(NOON_SHANGHAI)
    await chat.send("/log 3 deals" if language == "en" else "/log 签单3个")
    [reply] = await chat.edit("/log 1 deal" if language == "en" else "/log 签单1个")
    assert ("deals 3 → 1" if language == "en" else "签单 3 → 1") in reply.text
    await nudger(app).tick()  # the queued nudges are checked against the corrected numbers before they go
    by_kind = {nudge.kind: nudge for nudge in await nudges_of(engine, chat.id)}
    assert (by_kind["milestone"].key, by_kind["milestone"].status) == (f"milestone:{goal_id}:25", "withdrawn")
    assert (by_kind["first_deal"].status, by_kind["first_deal"].data["amount"]) == ("sent", "1")
    assert len(coaching_texts(bot_api, chat)) == 1
    # Corrected up past 50%, the new milestone is queued like a /log's.
    await chat.edit("/log 6 deals" if language == "en" else "/log 签单6个")
    keys = {nudge.key for nudge in await nudges_of(engine, chat.id)}
    assert f"milestone:{goal_id}:50" in keys, texts(chat.api.sent_to(chat.id))
