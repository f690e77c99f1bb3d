"""/plan, /today, /progress and /vacation through real updates: what the user sees and what is stored."""

from __future__ import annotations

import io
from collections.abc import Callable
from datetime import date, timedelta
from decimal import Decimal

import matplotlib.image
import pytest
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.storage.models import GoalPlan, Vacation
from tests.auxil.chat import Chat, labels, texts
from tests.auxil.clock import FakeClock
from tests.auxil.database import rows
from tests.auxil.goals import insert_entries, insert_goal, onboard, plan_row

DECEMBER_FIRST = date(2026, 12, 1)


async def revenue_goal(engine: AsyncEngine, chat: Chat, clock: FakeClock) -> int:
    """1,200,000 CNY from 2026-12-01 to 2027-03-31 (the issue's example goal)."""
    return await insert_goal(
        engine,
        chat.id,
        clock(),
        metric="revenue",
        kind="currency",
        unit="CNY",
        target_value=Decimal(1_200_000),
        start_date=DECEMBER_FIRST,
        deadline=date(2027, 3, 31),
        description="Sell the ERP upgrade to hospitals",
    )


async def vacations_of(engine: AsyncEngine, user_id: int) -> list[tuple[date, date]]:
    return [(row.start_date, row.end_date) for row in await rows(engine, Vacation, user_id=user_id)]


async def test_plan_shows_month_week_day_and_the_worked_back_activities(
    make_chat: Callable[..., Chat], engine: AsyncEngine, clock: FakeClock
) -> None:
    chat = make_chat(language_code="en")
    await onboard(chat)
    await revenue_goal(engine, chat, clock)
    clock.set(clock().replace(year=2026, month=12, day=2))  # Wednesday 2026-12-02, 10:00 Shanghai
    sent = await chat.send("/plan")
    card = sent[-1].text
    # An English user on UTC+8 has no country, so no public holidays: Mon-Fri gives 87 working days.
    # 1,200,000 / 87 = 13,793.10 a day, rounded cumulatively: December (23 days) round(317,241.4) = 317,241,
    # Dec 1-4 round(55,172.4) = 55,172, and Dec 2 round(27,586.2) - round(13,793.1) = 13,793.
    assert "📋 CN¥1,200,000 revenue by 2027-03-31" in card
    assert "This month: CN¥317,241 over 23 working days" in card
    assert "This week, from the start (Dec 1 – Dec 6): CN¥55,172" in card
    assert "Today: CN¥13,793" in card
    # No deal size was given, so no deal count is invented (it used to be a tenth of the target: 10 deals).
    assert "your average deal size is not set yet, so I cannot say how many deals CN¥1,200,000 takes" in card
    assert "deals" not in card.split("takes.")[1]
    assert labels(sent[-1]) == ["📆 Month split", "🎯 Activity targets", "🔁 Deal size & rates"]


async def test_chinese_plan_today_and_progress_with_a_chart(
    make_chat: Callable[..., Chat], engine: AsyncEngine, clock: FakeClock, bot_api: object
) -> None:
    chat = make_chat(language_code="zh-hans")
    await onboard(chat, "zh_CN")
    goal_id = await revenue_goal(engine, chat, clock)
    clock.set(clock().replace(year=2026, month=12, day=8))  # Tuesday 2026-12-08
    await insert_entries(
        engine, chat.id, goal_id, {date(2026, 12, d): Decimal(10_000) for d in (1, 2, 3, 4, 7)}, clock()
    )

    sent = await chat.send("/today")
    assert "今天，2026年12月8日" in sent[-1].text
    assert "🕘 09:00–11:00 客户拜访" in sent[-1].text

    sent = await chat.send("/progress")
    text, photo = sent[0], sent[1]
    # CN user: 5 working days done of a plan that spreads 1,200,000 over China's working days.
    assert "🔴 进度落后" in text.text or "⚠️ 有风险" in text.text
    assert "已完成：¥50,000 / ¥1,200,000" in text.text
    assert "预测：2027年3月31日前可达到 ¥820,000（依据 5 个工作日）。" in text.text
    assert photo.method == "sendPhoto"
    image = matplotlib.image.imread(io.BytesIO(photo.files["photo"]), format="png")
    assert image.shape[0] > 300 and image.shape[1] > 500


async def test_progress_edge_cases_read_clearly(
    make_chat: Callable[..., Chat], engine: AsyncEngine, clock: FakeClock
) -> None:
    chat = make_chat()
    await onboard(chat)
    goal_id = await revenue_goal(engine, chat, clock)
    sent = await chat.send("/progress")
    assert "⏳ Not started" in sent[0].text and "The goal starts on December 1, 2026." in sent[0].text

    clock.set(clock().replace(year=2026, month=12, day=10))
    await insert_entries(engine, chat.id, goal_id, {date(2026, 12, 9): Decimal(1_300_000)}, clock())
    sent = await chat.send("/progress")
    assert "🏆 Target reached" in sent[0].text and "(108.3%)" in sent[0].text

    clock.set(clock().replace(year=2027, month=4, day=2))
    sent = await chat.send("/progress")
    assert "🏆 Target reached" in sent[0].text


async def test_vacation_days_carry_no_target_and_the_plan_rebalances(
    make_chat: Callable[..., Chat], engine: AsyncEngine, clock: FakeClock
) -> None:
    chat = make_chat()
    await onboard(chat)
    await revenue_goal(engine, chat, clock)
    clock.set(clock().replace(year=2026, month=12, day=2))
    before = (await chat.send("/plan"))[-1].text
    sent = await chat.send("/vacation 2026-12-24 to 2026-12-28")
    assert "Vacation saved: December 24, 2026 to December 28, 2026." in sent[-1].text
    assert await vacations_of(engine, chat.id) == [(date(2026, 12, 24), date(2026, 12, 28))]
    after = (await chat.send("/plan"))[-1].text
    assert "This month: CN¥" in after and before != after, "three fewer working days re-spread the target"

    sent = await chat.send("/vacation")
    assert "🏖 December 24, 2026 – December 28, 2026" in sent[-1].text
    sent = await chat.press("Remove 2026-12-24")
    assert "Vacation removed." in sent[-1].text
    assert await vacations_of(engine, chat.id) == []


async def test_vacation_in_chinese_words(make_chat: Callable[..., Chat], engine: AsyncEngine) -> None:
    chat = make_chat(language_code="zh")
    await onboard(chat, "zh_CN")
    sent = await chat.send("/vacation 12月24日到28日")
    assert "已保存" in sent[-1].text or "休假" in sent[-1].text
    assert await vacations_of(engine, chat.id) == [(date(2026, 12, 24), date(2026, 12, 28))]


@pytest.mark.parametrize(
    ("language", "typed", "reply"),
    [
        ("en", "2026-12-28 to 2026-12-24", "The vacation ends before it starts"),
        ("en", "2026-11-01 to 2026-11-03", "That vacation starts in the past"),
        ("en", "2026-12-01 to 2027-03-01", "That is longer than 60 days"),
        ("en", "whenever", "I could not read the dates"),
        ("zh_CN", "12月28日到12月24日", "休假的结束日期早于开始日期"),
        ("zh_CN", "2026-12-01 to 2027-03-01", "超过 60 天"),
    ],
)
async def test_bad_vacations_are_explained_and_nothing_is_stored(
    make_chat: Callable[..., Chat], engine: AsyncEngine, language: str, typed: str, reply: str
) -> None:
    chat = make_chat(language_code="en" if language == "en" else "zh")
    await onboard(chat, language)
    sent = await chat.send(f"/vacation {typed}")
    assert reply in sent[-1].text
    assert await vacations_of(engine, chat.id) == []


async def test_month_split_rebalances_the_other_months(
    make_chat: Callable[..., Chat], engine: AsyncEngine, clock: FakeClock
) -> None:
    chat = make_chat()
    await onboard(chat)
    goal_id = await revenue_goal(engine, chat, clock)
    clock.set(clock().replace(year=2026, month=12, day=2))
    await chat.send("/plan")
    sent = await chat.press("📆 Month split")
    assert "Dec 2026 · " in " ".join(labels(sent[-1])), "a month by its name, not its key"
    sent = await chat.press(next(label for label in labels(sent[-1]) if label.startswith("Dec 2026")))
    assert sent[-1].text.startswith("What share of the whole target should Dec 2026 carry?")
    for bad, reply in (
        ("150%", "cannot be above 100%"),
        ("-5%", "cannot be negative"),
        ("lots", "could not read a percentage"),
    ):
        sent = await chat.send(bad)
        assert reply in sent[0].text
        row = await plan_row(engine, goal_id)
        assert isinstance(row, GoalPlan) and row.month_shares == {}
    sent = await chat.send("40%")
    assert "Saved." in sent[-1].text
    row = await plan_row(engine, goal_id)
    assert isinstance(row, GoalPlan) and row.month_shares == {"2026-12": "40"}
    card = (await chat.send("/plan"))[-1].text
    assert "This month: CN¥480,000 over 23 working days" in card
    assert "Months you fixed: Dec 2026 40%" in card


@pytest.mark.parametrize(
    ("step_answers", "bad", "reply"),
    [
        ([], "0", "An average deal of zero or less"),
        ([], "abc", "I could not read an amount"),
        (["keep"], "0%", "must be above 0% and at most 100%"),
        (["keep"], "150%", "must be above 0% and at most 100%"),
        (["keep"], "many", "I could not read a rate"),
        (["keep", "keep"], "-20%", "must be above 0% and at most 100%"),
    ],
)
async def test_bad_funnel_numbers_change_nothing(
    make_chat: Callable[..., Chat],
    engine: AsyncEngine,
    clock: FakeClock,
    step_answers: list[str],
    bad: str,
    reply: str,
) -> None:
    chat = make_chat()
    await onboard(chat)
    goal_id = await revenue_goal(engine, chat, clock)
    await chat.send("/plan")
    await chat.press("🔁 Deal size & rates")
    for index, _ in enumerate(step_answers):
        if index == 0:  # no deal size is set yet, so there is none to keep: it is typed
            await chat.send("50k")
        else:
            await chat.press(labels(chat.last_with_buttons())[0])
    sent = await chat.send(bad)
    assert reply in sent[0].text
    row = await plan_row(engine, goal_id)
    assert isinstance(row, GoalPlan)
    assert (row.average_deal, row.win_rate, row.meeting_rate, row.visit_rate) == (None, None, None, None)


async def test_funnel_answers_change_the_activity_plan(
    make_chat: Callable[..., Chat], engine: AsyncEngine, clock: FakeClock
) -> None:
    chat = make_chat()
    await onboard(chat)
    goal_id = await revenue_goal(engine, chat, clock)
    await chat.send("/plan")
    await chat.press("🔁 Deal size & rates")
    await chat.send("50k")
    await chat.send("20%")
    await chat.press(labels(chat.last_with_buttons())[0])
    sent = await chat.send("0.25")
    assert "Saved." in sent[-1].text
    row = await plan_row(engine, goal_id)
    assert isinstance(row, GoalPlan)
    assert (row.average_deal, row.win_rate, row.meeting_rate, row.visit_rate) == (
        Decimal(50000),
        Decimal("0.2"),
        Decimal("0.5"),
        Decimal("0.25"),
    )
    card = (await chat.send("/plan"))[-1].text
    assert "at an average deal of CN¥50,000 you need 24 deals; at a 20% win rate, 120 meetings" in card
    assert "240 visits; if 25% of calls lead to a visit, 960 calls" in card


async def test_activity_targets_and_day_template(
    make_chat: Callable[..., Chat], engine: AsyncEngine, clock: FakeClock
) -> None:
    chat = make_chat(language_code="zh")
    await onboard(chat, "zh_CN")
    goal_id = await revenue_goal(engine, chat, clock)
    await chat.send("/plan")
    await chat.press("🎯 活动目标")
    sent = await chat.send("每周拜访")
    assert "活动、1 到 10000 之间的数字和周期" in sent[0].text
    await chat.send("每周拜访20次")
    row = await plan_row(engine, goal_id)
    assert isinstance(row, GoalPlan) and row.activity_targets == {"visits": {"count": 20, "per": "week"}}
    assert "你自己定的活动目标：20 客户拜访 每周" in (await chat.send("/plan"))[-1].text

    await chat.send("/today")
    await chat.press("🕘 编辑我的一天")
    sent = await chat.send("9:00-11:00 拜访客户\n10:00-12:00 电话")
    assert "与前一个时间段重叠" in sent[0].text
    sent = await chat.send("8:30-11:00 拜访客户\n14:00-16:00 电话销售")
    assert "已保存" in sent[-1].text
    assert "🕘 08:30–11:00 拜访客户" in (await chat.send("/today"))[-1].text


async def test_plan_buttons_refuse_another_users_goal(
    make_chat: Callable[..., Chat], engine: AsyncEngine, clock: FakeClock
) -> None:
    owner, intruder = make_chat(), make_chat()
    await onboard(owner)
    await onboard(intruder)
    goal_id = await revenue_goal(engine, owner, clock)
    sent = await intruder.press_data(f"p:split:{goal_id}", on=intruder.api.last_sent_to(intruder.id))
    assert "That goal is not one of yours" in sent[-1].text
    assert texts(sent).count("Which month") == 0
    vacation_sent = await intruder.press_data("v:del:1", on=intruder.api.last_sent_to(intruder.id))
    assert "no longer does anything" in vacation_sent[-1].text


async def test_today_counts_the_days_left_in_the_plan(
    make_chat: Callable[..., Chat], engine: AsyncEngine, clock: FakeClock
) -> None:
    chat = make_chat()
    await onboard(chat)
    await revenue_goal(engine, chat, clock)
    clock.set(clock().replace(year=2026, month=12, day=5))  # Saturday
    sent = await chat.send("/today")
    assert "no target (not a working day)" in sent[-1].text
    clock.set(clock() + timedelta(days=2))
    assert "CN¥13,794" in (await chat.send("/today"))[-1].text, "Monday 7 December is the 5th working day"
