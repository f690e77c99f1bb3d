"""/progress's forecast through real updates: too early after one big day, a range once results add up."""

from __future__ import annotations

import io
import re
from collections.abc import Callable
from datetime import date, datetime, timedelta, timezone
from decimal import ROUND_CEILING, Decimal

import matplotlib.image
import pytest
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.core.work_calendar import MONDAY_TO_FRIDAY, WorkCalendar
from bot.storage.models import Entry
from tests.auxil.chat import Chat
from tests.auxil.clock import FakeClock
from tests.auxil.database import rows
from tests.auxil.goals import insert_entries, insert_goal, onboard

START, DEADLINE, TARGET = date(2026, 12, 1), date(2027, 3, 31), Decimal(2_000_000)
SHANGHAI = timezone(timedelta(hours=8))
# An English user on UTC+8 has no country, so Monday to Friday; a Chinese one has China's holidays.
CALENDARS = {"en": WorkCalendar(None, MONDAY_TO_FRIDAY), "zh_CN": WorkCalendar("CN", MONDAY_TO_FRIDAY)}
LOG_FIFTY_K = {"en": "/log 1 deal 50k", "zh_CN": "/log 签单1个 5万"}
LOG_TWENTY_K = {"en": "/log 20k", "zh_CN": "/log 共2万"}
NEEDED = {
    "en": r"Needed per remaining working day: CN¥([\d,.]+)",
    "zh_CN": r"剩余每个工作日需完成：¥([\d,.]+)",
}


async def big_goal(engine: AsyncEngine, chat: Chat, clock: FakeClock) -> int:
    """2,000,000 CNY from 2026-12-01 to 2027-03-31: the issue's 200万 goal."""
    return await insert_goal(
        engine,
        chat.id,
        clock(),
        metric="revenue",
        kind="currency",
        unit="CNY",
        target_value=TARGET,
        start_date=START,
        deadline=DEADLINE,
        description="Sell the ERP upgrade to hospitals",
    )


def evening(day: date) -> datetime:
    return datetime(day.year, day.month, day.day, 19, 0, tzinfo=SHANGHAI)


def needed_amount(text: str, language: str) -> Decimal:
    match = re.search(NEEDED[language], text)
    assert match, text
    return Decimal(match.group(1).replace(",", ""))


@pytest.mark.parametrize("language", ["en", "zh_CN"])
async def test_one_big_day_is_too_early_then_twelve_days_give_a_range(
    make_chat: Callable[..., Chat], engine: AsyncEngine, clock: FakeClock, language: str
) -> None:
    chat = make_chat(language_code="en" if language == "en" else "zh-hans")
    await onboard(chat, language)
    goal_id = await big_goal(engine, chat, clock)
    working_days = CALENDARS[language].working_days(START, DEADLINE)
    assert working_days[0] == START

    # Day one: a single 50,000 deal.
    clock.set(evening(START))
    await chat.send(LOG_FIFTY_K[language])
    [entry] = await rows(engine, Entry, user_id=chat.id)
    assert (entry.goal_id, entry.day, entry.amount) == (goal_id, START, Decimal(50_000))
    text = (await chat.send("/progress"))[0].text
    ten_percent = -(-len(working_days) // 10)
    if language == "en":
        assert (
            "Too early to forecast: results on 1 working day so far; a forecast needs 5 working days with "
            f"results, or {ten_percent} working days gone."
        ) in text
    else:
        assert (
            "现在预测还太早：目前只有 1 个工作日有结果；需要 5 个有结果的工作日，"
            f"或过去 {ten_percent} 个工作日。"
        ) in text
    assert "4,100,000" not in text and "按当前速度" not in text and "At the current pace" not in text
    # Instead: what each remaining working day needs.
    exact = (TARGET - 50_000) / (len(working_days) - 1)
    assert abs(needed_amount(text, language) - exact) < 1

    # Working days 2 to 11 at 20,000 each, day 12 logged by the user.
    await insert_entries(
        engine, chat.id, goal_id, {day: Decimal(20_000) for day in working_days[1:11]}, clock()
    )
    twelfth = working_days[11]
    clock.set(evening(twelfth))
    await chat.send(LOG_TWENTY_K[language])
    entries = await rows(engine, Entry, user_id=chat.id)
    assert len(entries) == 12 and sum(e.amount for e in entries) == 270_000
    assert {e.day for e in entries} == set(working_days[:12])

    sent = await chat.send("/progress")
    text = sent[0].text
    # The plain average, 22,500 a day over the days left, is the high end (three digits, rounded up); the
    # weighted pace, nearer the recent 20,000 a day, the low end.
    days_left = len(working_days) - 12
    high = (Decimal(270_000) + 22_500 * days_left).quantize(Decimal("1e4"), rounding=ROUND_CEILING)
    forecast = re.search(r"(?:CN)?¥([\d,]+)–(?:CN)?¥([\d,]+)", text)
    assert forecast, text
    low_shown, high_shown = (Decimal(n.replace(",", "")) for n in forecast.groups())
    assert high_shown == high
    assert 270_000 + 20_000 * days_left < low_shown < high_shown
    if language == "en":
        assert "Forecast for March 31, 2027: CN¥" in text and "(based on 12 working days)." in text
    else:
        assert "预测：2027年3月31日前可达到 ¥" in text and "（依据 12 个工作日）。" in text
    assert sent[1].method == "sendPhoto"
    image = matplotlib.image.imread(io.BytesIO(sent[1].files["photo"]), format="png")
    assert image.shape[:2] == (500, 800)
