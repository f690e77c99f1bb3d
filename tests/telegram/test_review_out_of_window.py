"""Issue 11, item 3 for the daily review: a review's results for a day outside the dates of a goal they
would count for are told so once confirmed, before anything is stored, with /log's choice: another open
goal whose dates hold the day, or not at all (zh_CN and en, the prompt's dialog and the line typed under it)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from decimal import Decimal

import pytest
from sqlalchemy import update
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession
from telegram.ext import Application

from bot.storage.models import ActivityLog, DialogState, Entry, Goal, PromptOccurrence, ReviewAnswer
from tests.auxil.chat import Chat, labels
from tests.auxil.clock import FakeClock
from tests.auxil.database import fetch, rows
from tests.auxil.goals import insert_goal, onboard
from tests.telegram.test_reviews import FRIDAY_18_SHANGHAI, dispatcher, salesperson

LANGUAGES = pytest.mark.parametrize("language", ["en", "zh_CN"])
# The prompt is for Friday 2026-11-27; the salesperson's goal (CN¥1,200,000) runs from that day.
LATER = dict(metric="revenue", kind="currency", unit="CNY", target_value=Decimal(500_000),
             start_date=date(2026, 12, 7), deadline=date(2027, 3, 31), description="Sell the spring bundle")  # fmt: skip
WORDS = {
    "en": {
        "answer now": "✍️ Answer now",
        "report": "1 deal 50k",
        "correct": "✔ Correct",
        "skip": "Skip",
        "told": "November 27, 2026 is before “CN¥500,000 revenue by 2027-03-31” starts (December 7, 2026), "
        "so it would not count toward it.",
        "asked": "Nothing is recorded yet. Record it for another goal that runs on November 27, 2026?",
        "record": "Record for “CN¥1,200,000 revenue by 2027-03-31”",
        "dont": "Don't record it",
        "no": "no",
        "counted": "Noted: these figures will count toward “CN¥1,200,000 revenue by 2027-03-31”.",
        "left out": "Noted: these figures will not be recorded.",
        "nowhere": "These figures will not be recorded: none of your other open goals runs on November 27, 2026.",
        "went well": "What went well today?",
        "saved": "Thanks, your review for November 27, 2026 is saved.",
        "pace": "CN¥1,200,000 revenue by 2027-03-31: CN¥50,000 of CN¥",
        "outside": "is outside its dates",
        "gone": "That goal no longer runs on November 27, 2026, so the figures were not recorded.",
    },
    "zh_CN": {
        "answer now": "✍️ 现在回答",
        "report": "签单1个 共5万",
        "correct": "✔ 正确",
        "skip": "跳过",
        "told": "2026年11月27日在“2027-03-31前销售额 ¥500,000”开始（2026年12月7日）之前，不会计入这个目标。",
        "asked": "现在还没有记录任何内容。要记到包含2026年11月27日的另一个目标上吗？",
        "record": "记到“2027-03-31前销售额 ¥1,200,000”",
        "dont": "不记录",
        "no": "不",
        "counted": "好的，这些成绩记到“2027-03-31前销售额 ¥1,200,000”。",
        "left out": "好的，这些成绩不记录。",
        "nowhere": "这些成绩不会被记录：你的其他进行中的目标都不包含2026年11月27日。",
        "went well": "今天哪些事做得好？",
        "saved": "谢谢，你2026年11月27日的回顾已保存。",
        "pace": "2027-03-31前销售额 ¥1,200,000：完成 ¥50,000 / 计划 ¥",
        "outside": "不在这个目标的日期内",
        "gone": "那个目标已不包含2026年11月27日，这些成绩没有记录。",
    },
}


async def stored(engine: AsyncEngine, chat: Chat) -> tuple[list[Entry], list[ActivityLog]]:
    return await rows(engine, Entry, user_id=chat.id), await rows(engine, ActivityLog, user_id=chat.id)


async def review_saved(engine: AsyncEngine, chat: Chat) -> bool:
    [occurrence] = await rows(engine, PromptOccurrence, user_id=chat.id, kind="daily")
    return occurrence.status == "answered" and len(await rows(engine, ReviewAnswer, user_id=chat.id)) == 1


async def skip_reflections(chat: Chat, words: dict[str, str]) -> str:
    for _question in range(3):
        sent = await chat.press(words["skip"])
    return sent[-1].text


@LANGUAGES
async def test_the_review_tells_and_records_for_the_goal_whose_dates_hold_the_day(
    app: Application,  # type: ignore[type-arg]
    make_chat: Callable[..., Chat],
    engine: AsyncEngine,
    clock: FakeClock,
    language: str,
) -> None:
    words = WORDS[language]
    chat = await salesperson(make_chat, engine, clock, language)
    later = await insert_goal(engine, chat.id, clock(), **LATER)
    clock.set(FRIDAY_18_SHANGHAI)
    await dispatcher(app).tick()
    await chat.press(words["answer now"], on=chat.last_with_buttons())
    await chat.send(words["report"])
    [asked] = await chat.press(words["correct"])
    assert asked.text == words["told"] + "\n" + words["asked"]
    assert labels(asked)[:2] == [words["record"], words["dont"]]
    # Nothing is stored before the choice; the choice waits in the review's dialog.
    assert await stored(engine, chat) == ([], [])
    state = await fetch(engine, DialogState, chat.id)
    assert isinstance(state, DialogState) and (state.flow, state.step) == ("daily_review", "where")
    assert state.data["window"]["outside"][0]["goal_id"] == later

    counted, went_well = await chat.press(words["record"])
    assert (counted.text, went_well.text) == (words["counted"], words["went well"])
    assert await stored(engine, chat) == ([], []), "the review stores at its end, as before"
    reply = await skip_reflections(chat, words)
    assert reply.startswith(words["saved"]) and words["pace"] in reply
    assert words["outside"] not in reply, "told once at the choice, not repeated in the summary"
    [entry], activities = await stored(engine, chat)
    [goal] = [goal for goal in await rows(engine, Goal, user_id=chat.id) if goal.id != later]
    assert (entry.goal_id, entry.day, entry.amount, entry.source) == (
        goal.id,
        date(2026, 11, 27),
        Decimal(50000),
        "review",
    )
    assert {a.measure: a.amount for a in activities} == {"deals": 1, "revenue": 50000}
    assert await review_saved(engine, chat)


@LANGUAGES
async def test_the_line_typed_under_the_prompt_can_be_recorded_not_at_all(
    app: Application,  # type: ignore[type-arg]
    make_chat: Callable[..., Chat],
    engine: AsyncEngine,
    clock: FakeClock,
    language: str,
) -> None:
    words = WORDS[language]
    chat = await salesperson(make_chat, engine, clock, language)
    await insert_goal(engine, chat.id, clock(), **LATER)
    clock.set(FRIDAY_18_SHANGHAI)
    await dispatcher(app).tick()
    await chat.send(words["report"])  # the one-line fast path, no "Answer now" tap
    [asked] = await chat.press(words["correct"])
    assert asked.text.endswith(words["asked"])
    left_out, went_well = await chat.send(words["no"])  # a typed no is the "Don't record it" button
    assert (left_out.text, went_well.text) == (words["left out"], words["went well"])
    reply = await skip_reflections(chat, words)
    assert reply.startswith(words["saved"])
    assert await stored(engine, chat) == ([], [])
    assert await review_saved(engine, chat)


@LANGUAGES
async def test_with_no_other_goal_on_that_day_the_figures_are_not_recorded(
    app: Application,  # type: ignore[type-arg]
    make_chat: Callable[..., Chat],
    engine: AsyncEngine,
    clock: FakeClock,
    language: str,
) -> None:
    words = WORDS[language]
    chat = make_chat(language_code="en" if language == "en" else "zh-hans")
    await onboard(chat, language)
    await insert_goal(engine, chat.id, clock(), **LATER)
    clock.set(FRIDAY_18_SHANGHAI)
    await dispatcher(app).tick()
    await chat.send(words["report"])
    told, went_well = await chat.press(words["correct"])
    assert told.text == words["told"] + "\n" + words["nowhere"]
    assert told.buttons == [] and went_well.text == words["went well"]
    reply = await skip_reflections(chat, words)
    assert reply.startswith(words["saved"]) and words["outside"] not in reply
    assert await stored(engine, chat) == ([], [])
    assert await review_saved(engine, chat)


@LANGUAGES
async def test_a_chosen_goal_that_closed_before_the_end_gets_nothing(
    app: Application,  # type: ignore[type-arg]
    make_chat: Callable[..., Chat],
    engine: AsyncEngine,
    clock: FakeClock,
    language: str,
) -> None:
    words = WORDS[language]
    chat = await salesperson(make_chat, engine, clock, language)
    later = await insert_goal(engine, chat.id, clock(), **LATER)
    clock.set(FRIDAY_18_SHANGHAI)
    await dispatcher(app).tick()
    await chat.send(words["report"])
    await chat.press(words["correct"])
    await chat.press(words["record"])
    async with AsyncSession(engine) as session, session.begin():  # archived meanwhile (from another device)
        await session.execute(
            update(Goal).where(Goal.user_id == chat.id, Goal.id != later).values(status="abandoned")
        )
    reply = await skip_reflections(chat, words)
    assert reply.startswith(words["gone"] + "\n" + words["saved"])
    assert await stored(engine, chat) == ([], [])
    assert await review_saved(engine, chat)


async def test_typing_again_after_the_choice_asks_afresh(
    app: Application,  # type: ignore[type-arg]
    make_chat: Callable[..., Chat],
    engine: AsyncEngine,
    clock: FakeClock,
) -> None:
    words = WORDS["en"]
    chat = await salesperson(make_chat, engine, clock, "en")
    await insert_goal(engine, chat.id, clock(), **LATER)
    clock.set(FRIDAY_18_SHANGHAI)
    await dispatcher(app).tick()
    await chat.send("3 visits")  # no goal counts visits: nothing is disputed, nothing asked
    [went_well] = await chat.press(words["correct"])
    assert went_well.text == words["went well"]
    await chat.press("⬅ Back")
    await chat.press("✏️ Type again")
    await chat.send(words["report"])
    [asked] = await chat.press(words["correct"])
    assert asked.text.endswith(words["asked"])
    await chat.press(words["record"])
    reply = await skip_reflections(chat, words)
    assert reply.startswith(words["saved"])
    [entry], activities = await stored(engine, chat)
    assert entry.amount == Decimal(50000) and {a.measure for a in activities} == {"deals", "revenue"}


async def test_a_goal_of_my_own_measure_is_asked_only_on_a_day_inside_its_dates(
    app: Application,  # type: ignore[type-arg]
    make_chat: Callable[..., Chat],
    engine: AsyncEngine,
    clock: FakeClock,
) -> None:
    chat = await salesperson(make_chat, engine, clock, "en")
    custom = dict(metric="custom", kind="count", unit="referrals", target_value=Decimal(40), deadline=date(2027, 3, 31),
                  description="Referrals from hospital clients")  # fmt: skip
    running = await insert_goal(engine, chat.id, clock(), **custom, start_date=date(2026, 11, 1))
    await insert_goal(engine, chat.id, clock(), **custom, start_date=date(2026, 12, 7))
    clock.set(FRIDAY_18_SHANGHAI)
    await dispatcher(app).tick()
    await chat.send("3 visits")
    [asked] = await chat.press("✔ Correct")
    assert asked.text.startswith("And your result for “") and "referrals" in asked.text
    [went_well] = await chat.send("2")  # the later goal's result would count nowhere: it is not asked
    assert went_well.text == "What went well today?"
    await skip_reflections(chat, WORDS["en"])
    [entry], _activities = await stored(engine, chat)
    assert (entry.goal_id, entry.amount) == (running, Decimal(2))
