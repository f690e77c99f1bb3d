"""Issue 11, item 3: /log for a day outside a goal's dates is told so before anything is stored, with the
choice to record it for another goal whose dates hold the day, or not at all (zh_CN and en)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from decimal import Decimal

import pytest
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.services.flows.out_of_window_log import log_goal_value, parse_log_goal_value
from bot.storage.models import ActivityLog, DialogState, Entry
from tests.auxil.chat import Chat, labels
from tests.auxil.clock import FakeClock
from tests.auxil.database import fetch, rows
from tests.auxil.goals import insert_goal, onboard

# The test clock's today is 2026-11-27.
DECEMBER_GOAL = dict(metric="revenue", kind="currency", unit="CNY", description="Sell the ERP upgrade in East China",
                     target_value=Decimal(2_000_000), start_date=date(2026, 12, 1), deadline=date(2027, 3, 31))  # fmt: skip
NOVEMBER_GOAL = {**DECEMBER_GOAL, "target_value": Decimal(300_000), "start_date": date(2026, 11, 1),
                 "deadline": date(2026, 11, 30)}  # fmt: skip
LOG = {"en": "/log November 20 80k", "zh_CN": "/log 11月20日 8万"}


async def user(make_chat: Callable[..., Chat], language: str) -> Chat:
    chat = make_chat(language_code="en" if language == "en" else "zh-hans")
    await onboard(chat, language)
    return chat


async def stored(engine: AsyncEngine, chat: Chat) -> tuple[list[Entry], list[ActivityLog]]:
    return await rows(engine, Entry, user_id=chat.id), await rows(engine, ActivityLog, user_id=chat.id)


@pytest.mark.parametrize("language", ["en", "zh_CN"])
async def test_a_day_before_the_only_goal_starts_is_told_and_stores_nothing(
    make_chat: Callable[..., Chat], engine: AsyncEngine, clock: FakeClock, language: str
) -> None:
    chat = await user(make_chat, language)
    await insert_goal(engine, chat.id, clock(), **DECEMBER_GOAL)
    [told] = await chat.send(LOG[language])
    if language == "en":
        assert told.text.startswith("November 20, 2026 is before “")
        assert "starts (December 1, 2026), so it would not count toward it.\n" in told.text
        assert told.text.endswith(
            "Nothing was recorded: none of your other open goals runs on November 20, 2026. "
            "/log a day inside the goal's dates, or change them in /goals."
        )
    else:
        assert told.text.startswith("2026年11月20日在“")
        assert "开始（2026年12月1日）之前，不会计入这个目标。\n" in told.text
        assert told.text.endswith("没有记录任何内容：你的其他进行中的目标都不包含2026年11月20日。"
                                  "请用 /log 记录目标日期内的某一天，或在 /goals 里修改日期。")  # fmt: skip
    assert told.buttons == []
    assert await stored(engine, chat) == ([], [])
    assert await fetch(engine, DialogState, chat.id) is None


@pytest.mark.parametrize("language", ["en", "zh_CN"])
async def test_the_user_records_it_for_the_goal_whose_dates_hold_the_day(
    make_chat: Callable[..., Chat], engine: AsyncEngine, clock: FakeClock, language: str
) -> None:
    chat = await user(make_chat, language)
    december = await insert_goal(engine, chat.id, clock(), **DECEMBER_GOAL)
    november = await insert_goal(engine, chat.id, clock(), **NOVEMBER_GOAL)
    [asked] = await chat.send(LOG[language])
    question = (
        "Nothing is recorded yet. Record it for another goal that runs on November 20, 2026?"
        if language == "en"
        else "现在还没有记录任何内容。要记到包含2026年11月20日的另一个目标上吗？"
    )
    assert asked.text.endswith(question)
    record, nothing, cancel = labels(asked)
    assert record.startswith("Record for “" if language == "en" else "记到“") and "300,000" in record
    assert (nothing, cancel) == (
        ("Don't record it", "✖ Cancel") if language == "en" else ("不记录", "✖ 取消")
    )
    # Nothing is stored until the tap; the pending report waits in the database (a restart keeps it).
    assert await stored(engine, chat) == ([], [])
    dialog = await fetch(engine, DialogState, chat.id)
    assert isinstance(dialog, DialogState) and dialog.flow == "out_of_window_log"
    assert dialog.data["day"] == "2026-11-20" and dialog.data["values"] == {"revenue": "80000"}
    assert [choice[0] for choice in dialog.data["choices"]] == [november]
    [logged] = await chat.press(record)
    if language == "en":
        assert logged.text.startswith("Logged for November 20, 2026: revenue CN¥80,000.")
    else:
        assert logged.text.startswith("已记录（2026年11月20日）")
    [entry], [activity] = await stored(engine, chat)
    assert (entry.goal_id, entry.day, entry.amount, entry.source) == (
        november,
        date(2026, 11, 20),
        80000,
        "log",
    )
    assert (activity.measure, activity.amount) == ("revenue", 80000)
    assert december != november and await fetch(engine, DialogState, chat.id) is None
    # The tapped question is gone: its button again is an old one and stores nothing more.
    [again] = await chat.press(record, on=asked)
    assert len(await rows(engine, Entry, user_id=chat.id)) == 1 and again.text


@pytest.mark.parametrize("language", ["en", "zh_CN"])
async def test_the_user_records_it_not_at_all(
    make_chat: Callable[..., Chat], engine: AsyncEngine, clock: FakeClock, language: str
) -> None:
    chat = await user(make_chat, language)
    await insert_goal(engine, chat.id, clock(), **DECEMBER_GOAL)
    await insert_goal(engine, chat.id, clock(), **NOVEMBER_GOAL)
    await chat.send(LOG[language])
    [done] = await chat.press("Don't record it" if language == "en" else "不记录")
    assert done.text == (
        "Not recorded: nothing was stored." if language == "en" else "没有记录：什么都没有保存。"
    )
    assert await stored(engine, chat) == ([], [])
    assert await fetch(engine, DialogState, chat.id) is None


@pytest.mark.parametrize("language", ["en", "zh_CN"])
async def test_a_typed_no_and_a_forged_goal_id(
    make_chat: Callable[..., Chat], engine: AsyncEngine, clock: FakeClock, language: str
) -> None:
    chat = await user(make_chat, language)
    december = await insert_goal(engine, chat.id, clock(), **DECEMBER_GOAL)
    await insert_goal(engine, chat.id, clock(), **NOVEMBER_GOAL)
    [asked] = await chat.send(LOG[language])
    # A forged button naming the goal the day lies outside of is refused like a bad answer.
    version = asked.buttons[0][0]["callback_data"].split(":")[1]
    rejected, _again = await chat.press_data(f"d:{version}:{log_goal_value(december)}")
    assert rejected.text == ("Please tap one of the choices." if language == "en" else "请点选一个选项。")
    assert await stored(engine, chat) == ([], [])
    [done] = await chat.send("no" if language == "en" else "不")
    assert done.text == (
        "Not recorded: nothing was stored." if language == "en" else "没有记录：什么都没有保存。"
    )
    assert await stored(engine, chat) == ([], [])


async def test_a_day_inside_every_goal_is_logged_at_once(
    make_chat: Callable[..., Chat], engine: AsyncEngine, clock: FakeClock
) -> None:
    chat = await user(make_chat, "en")
    november = await insert_goal(engine, chat.id, clock(), **NOVEMBER_GOAL)
    [logged] = await chat.send(LOG["en"])
    assert logged.text.startswith("Logged for November 20, 2026")
    [entry], _activities = await stored(engine, chat)
    assert entry.goal_id == november


def test_the_log_goal_value_round_trips_and_refuses_forgeries() -> None:
    assert parse_log_goal_value(log_goal_value(7)) is not None
    assert parse_log_goal_value(log_goal_value(None)) == parse_log_goal_value("lg:0")
    for forged in ("lg:-1", "lg:01", "lg:9999999999", "lg:", "lg:1:2", "g:1", None):
        assert parse_log_goal_value(forged) is None
