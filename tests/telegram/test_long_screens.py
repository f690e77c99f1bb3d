"""Issue 12, item 3: screens built from many long entries fit Telegram's 4,096 UTF-16 units by themselves.

/history and /vacation come in pages with ◀/▶ buttons (every entry reachable, in order, none twice, nothing
stored by paging, a forged or stale page button an old button); the weekly evaluation shows a summary that
fits above its question and "📖 Show more" sends the week in full; the other lists are bounded and fit.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from typing import Any

import pytest
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession

from bot.core.utf16 import utf16_length
from bot.devtools.fake_bot_api import SentCall
from bot.scheduler.dispatcher import Dispatcher
from bot.services.goals import MAX_OPEN_GOALS
from bot.services.paging import TEXT_LIMIT
from bot.storage.coaching_models import Setback, StrategyChange
from bot.storage.models import DialogState, PromptOccurrence, ReviewAnswer, User, Vacation
from bot.telegram.callbacks import (
    INTEGER_IDS,
    PagedList,
    PagePress,
    page_callback,
    parse_page_callback,
)
from bot.telegram.context import BotApplication
from bot.telegram.limits import MAX_CALLBACK_DATA_BYTES
from tests.auxil.chat import Chat, labels
from tests.auxil.clock import FakeClock
from tests.auxil.database import fetch, rows, snapshot
from tests.auxil.goals import insert_goal, onboard

OLD_BUTTON = {
    "en": "That button is from an old message and no longer does anything.",
    "zh_CN": "这个按钮来自旧消息，已经失效。",
}
WORDS = {
    "en": {"older": "Older ▶", "newer": "◀ Newer", "later": "Later ▶", "more": "📖 Show more",
           "page": "Page {page} of {count}", "answer": "✍️ Answer now", "weekly": "📊 Weekly evaluation",
           "setback": "Setback: {what} · lesson: {lesson} · next: {next}",
           "tactic": "New tactic since last week: {tactic}. Did it help?", "again": "The question again:",
           "rate": "How would you rate the week, from 1 to 5?"},
    "zh_CN": {"older": "更早 ▶", "newer": "◀ 更新", "later": "更晚 ▶", "more": "📖 显示更多",
              "page": "第 {page} 页，共 {count} 页", "answer": "✍️ 现在回答", "weekly": "📊 每周评估",
              "setback": "挫折：{what} · 教训：{lesson} · 下一步：{next}",
              "tactic": "上周起的新打法：{tactic}。效果如何？", "again": "再问一次：",
              "rate": "给这周打个分吧，1 到 5 分？"},
}  # fmt: skip
MARK = re.compile(r"\[(\d\d)\]")


def fits(calls: list[SentCall]) -> None:
    """What Telegram would accept: every text within 4,096 UTF-16 units, every button's data within 64 bytes."""
    for call in calls:
        assert utf16_length(call.text) <= TEXT_LIMIT, f"{utf16_length(call.text)} units: {call.text[:80]}…"
        for row in call.buttons:
            assert all(len(button["callback_data"].encode()) <= 64 for button in row)


def long_text(marker: str, language: str, size: int = 300) -> str:
    """A note of `size` characters that starts with its marker, in the user's language (emoji count two)."""
    filler = (
        "竞品降价一成五，客户要求捆绑培训和三年维保😀"
        if language == "zh_CN"
        else "competitor cut prices, bundle training 😀 "
    )
    return (f"[{marker}] " + filler * size)[:size]


async def language_chat(make_chat: Callable[..., Chat], language: str) -> Chat:
    chat = make_chat(language_code="en" if language == "en" else "zh-hans")
    await onboard(chat, language)
    return chat


async def revenue_goal(engine: AsyncEngine, chat: Chat, clock: FakeClock) -> int:
    return await insert_goal(engine, chat.id, clock(), metric="revenue", kind="currency", unit="CNY",
                             target_value=Decimal(1_200_000), start_date=date(2026, 11, 2),
                             deadline=date(2027, 3, 31))  # fmt: skip


async def add_rows(engine: AsyncEngine, found: list[Any]) -> None:
    async with AsyncSession(engine, expire_on_commit=False) as session, session.begin():
        session.add_all(found)


async def strategy_changes(engine: AsyncEngine, chat: Chat, goal_id: int, count: int, language: str) -> None:
    """`count` changes with notes of 300 characters (the column's limit), one a day, oldest first."""
    first = datetime(2026, 10, 1, 2, 0, tzinfo=UTC)
    await add_rows(engine, [
        StrategyChange(user_id=chat.id, goal_id=goal_id, at=first + timedelta(days=n), reason="competition",
                       decision="tactics", note=long_text(f"{n + 1:02}", language), before={}, after={})
        for n in range(count)
    ])  # fmt: skip


async def stored_changes(engine: AsyncEngine, user_id: int) -> list[tuple[object, ...]]:
    return [
        (c.id, c.goal_id, c.note, c.before, c.after)
        for c in await rows(engine, StrategyChange, user_id=user_id)
    ]


async def all_pages(chat: Chat, first: SentCall, older: str) -> list[SentCall]:
    """The first page, then each next one by its ▶ button, until a page has none."""
    pages = [first]
    while older in labels(pages[-1]):
        sent = await chat.press(older, on=pages[-1])
        fits(sent)
        [page] = sent
        pages.append(page)
    return pages


@pytest.mark.parametrize("language", ["en", "zh_CN"])
async def test_history_of_twenty_long_changes_comes_in_pages_newest_first(
    make_chat: Callable[..., Chat], engine: AsyncEngine, clock: FakeClock, language: str
) -> None:
    words = WORDS[language]
    chat = await language_chat(make_chat, language)
    goal_id = await revenue_goal(engine, chat, clock)
    await strategy_changes(engine, chat, goal_id, 20, language)
    stored, before = await stored_changes(engine, chat.id), await snapshot(engine, chat.id)

    sent = await chat.send("/history")
    fits(sent)
    pages = await all_pages(chat, sent[-1], words["older"])
    assert len(pages) >= 2
    for number, page in enumerate(pages, 1):
        assert page.text.endswith(words["page"].format(page=number, count=len(pages)))
        assert page.text.startswith("📜 "), "each page names its goal, the later ones as continued"
    shown = [int(mark) for page in pages for mark in MARK.findall(page.text)]
    assert shown == list(range(20, 0, -1)), "all twenty, newest first, none twice"
    full = "\n".join(page.text for page in pages)
    assert all(long_text(f"{n:02}", language) in full for n in range(1, 21)), "every note in full"

    back = await chat.press(words["newer"], on=pages[-1])
    assert [call.text for call in back] == [pages[-2].text]
    assert await stored_changes(engine, chat.id) == stored and await snapshot(engine, chat.id) == before


@pytest.mark.parametrize("language", ["en", "zh_CN"])
async def test_forged_and_stale_page_buttons_are_old_buttons_and_change_nothing(
    make_chat: Callable[..., Chat], engine: AsyncEngine, clock: FakeClock, language: str
) -> None:
    words = WORDS[language]
    chat = await language_chat(make_chat, language)
    goal_id = await revenue_goal(engine, chat, clock)
    await strategy_changes(engine, chat, goal_id, 14, language)
    [first] = await chat.send("/history")
    stamp = first.buttons[0][0]["callback_data"].split(":")[-1]
    before = await snapshot(engine, chat.id)
    for data in [f"pg:history:9:{stamp}", f"pg:history:0:{stamp}", "pg:history:2:00000000",
                 f"pg:vacations:2:{stamp}", f"pg:history:99999999999:{stamp}", f"pg:history:2:{stamp}0",
                 f"pg:history:-1:{stamp}", f"pg:history:02:{stamp}", "pg:history", "pg:"]:  # fmt: skip
        sent = await chat.press_data(data, on=first)
        assert [call.text for call in sent] == [OLD_BUTTON[language]], data
    assert await snapshot(engine, chat.id) == before

    # The history grew since the page was shown: its buttons no longer name these pages.
    await strategy_changes(engine, chat, goal_id, 1, language)
    stored = await stored_changes(engine, chat.id)
    sent = await chat.press(words["older"], on=first)
    assert [call.text for call in sent] == [OLD_BUTTON[language]]
    [fresh] = await chat.send("/history")
    assert MARK.findall(fresh.text)[0] == "01", "the new change (numbered 01 again) is listed first"
    assert await stored_changes(engine, chat.id) == stored


def test_page_buttons_round_trip_and_refuse_what_no_encoder_writes() -> None:
    for listing in PagedList:
        for page in (1, INTEGER_IDS[-1]):
            data = page_callback(listing, page, "0123abcd")
            assert parse_page_callback(data) == PagePress(listing, page, "0123abcd")
            assert len(data.encode()) <= MAX_CALLBACK_DATA_BYTES
    for page, stamp in [(0, "0123abcd"), (2**31, "0123abcd"), (2, "0123ABCD"), (2, "0123abc"), (2, "")]:
        with pytest.raises(ValueError):
            page_callback(PagedList.HISTORY, page, stamp)
    for forged in ["pg:history:0:0123abcd", "pg:history:2147483648:0123abcd", "pg:history:01:0123abcd",
                   "pg:history:+1:0123abcd", "pg:goals:1:0123abcd", "pg:history:1:0123abcg", "pg:history:1",
                   "pg:history:1:0123abcd:x", "pg:history:1:0123abcd\n", None, ""]:  # fmt: skip
        assert parse_page_callback(forged) is None, forged


async def test_a_short_history_is_one_page_without_buttons(
    make_chat: Callable[..., Chat], engine: AsyncEngine, clock: FakeClock
) -> None:
    chat = await language_chat(make_chat, "en")
    goal_id = await revenue_goal(engine, chat, clock)
    await strategy_changes(engine, chat, goal_id, 2, "en")
    [page] = await chat.send("/history")
    assert page.buttons == [] and "Page" not in page.text
    assert [int(mark) for mark in MARK.findall(page.text)] == [2, 1]


# The weekly evaluation -------------------------------------------------------------------------------


def dispatcher(app: BotApplication) -> Dispatcher:
    found = app.bot_data.dispatcher
    assert isinstance(found, Dispatcher)
    return found


async def long_week(engine: AsyncEngine, chat: Chat, goal_id: int, language: str) -> list[str]:
    """Sixteen setbacks this week and four new tactics, every text as long as the dialogs allow (300
    characters each); what the evaluation says of each, in order."""
    setbacks = [
        Setback(user_id=chat.id, day=date(2026, 11, 23) + timedelta(days=n % 5), summary=long_text(f"{n + 1:02}", language),
                answers={"lesson": long_text("L", language), "next": long_text("N", language)},
                created_at=datetime(2026, 11, 23, 2, tzinfo=UTC))
        for n in range(16)
    ]  # fmt: skip
    tactics = [
        StrategyChange(user_id=chat.id, goal_id=goal_id, at=datetime(2026, 11, 20 + n, 2, tzinfo=UTC),
                       reason="market", decision="tactics", note=long_text(f"{n + 17:02}", language))
        for n in range(4)
    ]  # fmt: skip
    await add_rows(engine, [*setbacks, *tactics])
    words = WORDS[language]
    # Setbacks come in the order they were stored; the days above only spread them over the week.
    said = [words["setback"].format(what=s.summary, lesson=s.answers["lesson"], next=s.answers["next"])
            for s in setbacks]  # fmt: skip
    return said + [words["tactic"].format(tactic=t.note) for t in tactics]


@pytest.mark.parametrize("language", ["en", "zh_CN"])
async def test_weekly_evaluation_of_a_long_week_fits_and_shows_more_in_full(
    app: BotApplication, make_chat: Callable[..., Chat], engine: AsyncEngine, clock: FakeClock, language: str
) -> None:
    words = WORDS[language]
    chat = await language_chat(make_chat, language)
    goal_id = await revenue_goal(engine, chat, clock)
    entries = await long_week(engine, chat, goal_id, language)
    assert sum(utf16_length(entry) for entry in entries) > 3 * TEXT_LIMIT

    clock.set(datetime(2026, 11, 27, 9, 0, tzinfo=UTC))  # Friday 17:00 in Shanghai
    await dispatcher(app).tick()
    prompt = next(c for c in reversed(chat.api.sent_to(chat.id)) if words["weekly"] in c.text)
    sent = await chat.press(words["answer"], on=prompt)
    fits(sent)
    question = sent[-1]
    assert words["rate"] in question.text
    assert labels(question)[:6] == ["1", "2", "3", "4", "5", words["more"]]
    counts = ("16 setbacks this week", "4 new tactics since last week") if language == "en" else ("本周 16 次挫折", "上周起 4 个新打法")  # fmt: skip
    assert all(count in question.text for count in counts)
    assert [int(mark) for mark in MARK.findall(question.text)] == list(
        range(1, len(MARK.findall(question.text)) + 1)
    )
    dialog = await fetch(engine, DialogState, chat.id)

    sent = await chat.press(words["more"], on=question)
    fits(sent)
    *details, note, again = sent
    assert words["again"] in note.text and again.text == question.text and labels(again) == labels(question)
    full = "\n".join(call.text for call in details)
    places = [full.find(entry) for entry in entries]
    assert all(full.count(entry) == 1 for entry in entries) and places == sorted(places), "in order, once"
    assert len(details) >= 3
    after = await fetch(engine, DialogState, chat.id)
    assert isinstance(dialog, DialogState) and isinstance(after, DialogState)
    assert (after.step, after.version, after.data) == (dialog.step, dialog.version, dialog.data), (
        "nothing moved"
    )

    await chat.press("4", on=again)
    sent = await chat.send("Visit the three clinics on Monday morning")
    fits(sent)
    [weekly] = await rows(engine, ReviewAnswer, user_id=chat.id, kind="weekly")
    assert weekly.answers == {"rating": 4, "change": "Visit the three clinics on Monday morning"}
    [occurrence] = await rows(engine, PromptOccurrence, user_id=chat.id, kind="weekly")
    assert occurrence.status == "answered"


async def test_a_short_week_shows_everything_and_no_show_more(
    app: BotApplication, make_chat: Callable[..., Chat], engine: AsyncEngine, clock: FakeClock
) -> None:
    chat = await language_chat(make_chat, "en")
    await revenue_goal(engine, chat, clock)
    await add_rows(engine, [Setback(user_id=chat.id, day=date(2026, 11, 25), summary="Lost the clinic on price",
                                    answers={"lesson": "Quote earlier", "next": "Lead with ROI"},
                                    created_at=datetime(2026, 11, 25, 2, tzinfo=UTC))])  # fmt: skip
    clock.set(datetime(2026, 11, 27, 9, 0, tzinfo=UTC))
    await dispatcher(app).tick()
    sent = await chat.press(
        "✍️ Answer now", on=next(c for c in reversed(chat.api.sent_to(chat.id)) if "📊" in c.text)
    )
    assert "Brought back: 1 setback this week." in sent[-1].text
    assert "Setback: Lost the clinic on price · lesson: Quote earlier · next: Lead with ROI" in sent[-1].text
    assert "📖 Show more" not in labels(sent[-1])
    dialog = await fetch(engine, DialogState, chat.id)
    assert isinstance(dialog, DialogState)
    forged = await chat.press_data(f"d:{dialog.version}:<more>")
    assert "Please pick a number from 1 to 5." in forged[0].text, "nothing to show: read as a bad rating"


# Other lists: bounded, and each fits -------------------------------------------------------------------


async def test_twenty_five_vacations_come_in_pages_with_their_remove_buttons(
    make_chat: Callable[..., Chat], engine: AsyncEngine, clock: FakeClock
) -> None:
    chat = await language_chat(make_chat, "en")
    starts = [date(2027, 1, 4) + timedelta(weeks=n) for n in range(25)]
    await add_rows(engine, [Vacation(user_id=chat.id, start_date=s, end_date=s + timedelta(days=1),
                                     created_at=clock()) for s in reversed(starts)])  # fmt: skip
    sent = await chat.send("/vacation")
    fits(sent)
    pages = await all_pages(chat, sent[-1], "Later ▶")
    assert len(pages) == 3 and all("Add days off with" in page.text for page in pages)
    removes = [label for page in pages for label in labels(page) if label.startswith("Remove ")]
    assert removes == [f"Remove {s.isoformat()}" for s in starts], "each once, in date order"
    sent = await chat.press(f"Remove {starts[24].isoformat()}", on=pages[-1])
    assert "Vacation removed." in sent[-1].text
    assert len(await rows(engine, Vacation, user_id=chat.id)) == 24
    sent = await chat.press("◀ Earlier", on=pages[-1])
    assert [call.text for call in sent] == [OLD_BUTTON["en"]], "the list changed since that page"


async def test_the_longest_goal_lists_and_cards_fit(
    app: BotApplication, make_chat: Callable[..., Chat], engine: AsyncEngine, clock: FakeClock
) -> None:
    """Ten open goals (the most a user may have) with 64-character measure names and twelve day-plan blocks
    of forty characters: /goals, /plan, /today, /progress and the monthly summary each fit one message."""
    chat = await language_chat(make_chat, "en")
    for n in range(MAX_OPEN_GOALS):
        await insert_goal(engine, chat.id, clock(), metric="custom", metric_name=f"{n} qualified hospital demos booked with decision makers 😀"[:64].ljust(64, "x"),
                          target_value=Decimal(999_999), start_date=date(2026, 11, 2), deadline=date(2029, 11, 30))  # fmt: skip
    async with AsyncSession(engine) as session, session.begin():
        user = await session.get(User, chat.id)
        assert user is not None
        user.day_template = [{"start": f"{8 + n // 2:02}:{30 * (n % 2):02}", "end": f"{8 + n // 2:02}:{30 * (n % 2) + 29:02}",
                              "activity": "Call the hospital purchasing departments"[:40]} for n in range(12)]  # fmt: skip
    for command in ("/goals", "/plan", "/today", "/progress", "/history"):
        sent = await chat.send(command)
        fits(sent)
        assert sent, command
    clock.set(
        datetime(2026, 11, 30, 9, 0, tzinfo=UTC)
    )  # Monday 30 November 17:00: the month's last working day
    await dispatcher(app).tick()
    prompt = next(c for c in reversed(chat.api.sent_to(chat.id)) if "📅 Monthly summary" in c.text)
    sent = await chat.press("✍️ Answer now", on=prompt)
    fits(sent)
    assert "Your month:" in sent[-1].text
    sent = await chat.send("Demos need the department head in the room")
    fits(sent)
    assert "Next month's targets:" in sent[-1].text
