"""Issue 11, item 10 and common sense: each screen read as a salesperson would, in both languages, through
real updates; each test pins one line found wrong in the local shell and asserts what is stored with it."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime
from decimal import Decimal

import pytest
from sqlalchemy.ext.asyncio import AsyncEngine
from telegram.ext import Application

from bot.core.goal_draft import GoalDraft
from bot.i18n import translator
from bot.services.goal_text import per_day_text, smart_card
from bot.services.progress_chart import currency_label
from bot.storage.coaching_models import Reward
from bot.storage.models import ActivityLog, Entry, Goal, User
from tests.auxil.chat import Chat, labels
from tests.auxil.clock import FakeClock
from tests.auxil.database import rows
from tests.auxil.goals import insert_goal, onboard
from tests.telegram.test_reviews import FRIDAY_18_SHANGHAI, dispatcher, salesperson

LANGUAGES = pytest.mark.parametrize("language", ["en", "zh_CN"])
SATURDAY = datetime(2026, 11, 28, 2, 0, tzinfo=UTC)  # 10:00 in Shanghai


def person(make_chat: Callable[..., Chat], language: str) -> Chat:
    return make_chat(language_code="en" if language == "en" else "zh-hans")


@LANGUAGES
async def test_today_card_target_line_uses_the_languages_colon(
    make_chat: Callable[..., Chat], engine: AsyncEngine, clock: FakeClock, language: str
) -> None:
    # Before: "🎯 2027-03-31前销售额 ¥1,200,000:¥13,483" (an ASCII colon in Chinese).
    chat = await salesperson(make_chat, engine, clock, language)
    [card] = await chat.send("/today")
    line = card.text.splitlines()[1]
    if language == "en":
        assert line.startswith("🎯 CN¥1,200,000 revenue by 2027-03-31: CN¥")
    else:
        assert line.startswith("🎯 2027-03-31前销售额 ¥1,200,000：¥") and ":" not in line
    [goal] = await rows(engine, Goal, user_id=chat.id)
    assert goal.target_value == 1_200_000


@LANGUAGES
async def test_settings_name_the_country_whose_holidays_count(
    make_chat: Callable[..., Chat], engine: AsyncEngine, language: str
) -> None:
    # Before: "Public holidays: from your time zone" / "公共假日：按你的时区推断", naming no country.
    chat = person(make_chat, language)
    await chat.send("/start")
    await chat.press("English" if language == "en" else "中文")
    sent = await chat.send("New York" if language == "en" else "上海")
    expected = (
        "Public holidays: United States (from your time zone)"
        if language == "en"
        else "公共假日：中国（按你的时区推断）"
    )
    assert expected in sent[-1].text
    await chat.press("✔ Keep them" if language == "en" else "✔ 就用这些")
    [user] = await rows(engine, User, id=chat.id)
    assert user.country is None, "still guessed from the time zone, not stored as a choice"


async def test_an_offset_zone_in_english_names_no_country(make_chat: Callable[..., Chat]) -> None:
    chat = person(make_chat, "en")
    await onboard(chat, "en")  # UTC+8: an offset names no territory
    sent = await chat.send("/settings")
    assert "Public holidays: none (your time zone names no country)" in sent[-1].text


@LANGUAGES
async def test_the_goal_list_counts_in_words_not_like_a_page_number(
    make_chat: Callable[..., Chat], engine: AsyncEngine, clock: FakeClock, language: str
) -> None:
    # Before: "Your open goals (1 of 10)" / "你进行中的目标（1/10）".
    chat = await salesperson(make_chat, engine, clock, language)
    [listed] = await chat.send("/goals")
    assert listed.text.startswith(
        "1 open goal (up to 10 at a time). Tap one to open it:\n"
        if language == "en"
        else "进行中的目标 1 个（最多可同时进行 10 个），点击查看：\n"
    )
    assert len(labels(listed)) == len(await rows(engine, Goal, user_id=chat.id)) == 1


def test_the_smart_card_names_relevant_as_its_question_does() -> None:
    # Before: "R — 相关性" in the question but "✅ R 相关：" on the card.
    draft = GoalDraft(metric="revenue", kind="currency", unit="CNY", description="华东区", target_value=Decimal(500000),
                      start_date=date(2026, 11, 27), deadline=date(2027, 3, 31), confidence=7, relevance="公司目标")  # fmt: skip
    card = smart_card(draft, translator("zh_CN"))
    assert "✅ R 相关性：公司目标" in card


@LANGUAGES
async def test_a_result_on_a_day_off_is_not_read_as_a_target_missed(
    make_chat: Callable[..., Chat], engine: AsyncEngine, clock: FakeClock, language: str
) -> None:
    # Before: "CN¥1,200,000 revenue by 2027-03-31: CN¥50,000 of CN¥0 planned · ✅ On track".
    chat = await salesperson(make_chat, engine, clock, language)
    clock.set(SATURDAY)
    [logged] = await chat.send("/log 1 deal 50k" if language == "en" else "/log 签单1个 5万")
    expected = (
        "CN¥1,200,000 revenue by 2027-03-31: CN¥50,000 on a day off in your plan (no target that day) · "
        if language == "en"
        else "2027-03-31前销售额 ¥1,200,000：完成 ¥50,000（按计划这天休息，没有任务）· "
    )
    assert expected in logged.text and "0 planned" not in logged.text and "计划 ¥0" not in logged.text
    [entry] = await rows(engine, Entry, user_id=chat.id)
    assert (entry.day, entry.amount) == (date(2026, 11, 28), 50000)


@LANGUAGES
async def test_today_on_a_day_off_shows_no_day_plan_and_a_later_goal_says_when_it_starts(
    make_chat: Callable[..., Chat], engine: AsyncEngine, clock: FakeClock, language: str
) -> None:
    # Before: "no target (not a working day)" over "Your day plan: 🕘 09:00–11:00 client visits …", and a goal
    # not started yet also read "not a working day".
    chat = await salesperson(make_chat, engine, clock, language)
    await insert_goal(engine, chat.id, clock(), start_date=date(2026, 12, 7))
    clock.set(SATURDAY)
    [card] = await chat.send("/today")
    if language == "en":
        assert "CN¥1,200,000 revenue by 2027-03-31: no target (not a working day)" in card.text
        assert "10 deals signed by 2027-03-31: starts on December 7, 2026" in card.text
        assert card.text.endswith("No day plan today: it is a day off in your plan.")
    else:
        assert "2027-03-31前销售额 ¥1,200,000：无任务（非工作日）" in card.text
        assert "2027-03-31前签单 10：2026年12月7日开始" in card.text
        assert card.text.endswith("今天没有日程安排：按你的计划今天休息。")
    assert "🕘" not in card.text
    clock.set(FRIDAY_18_SHANGHAI)  # a working day: the day plan is back
    [card] = await chat.send("/today")
    assert "🕘 09:00–11:00" in card.text
    assert len(await rows(engine, Goal, user_id=chat.id)) == 2


@LANGUAGES
async def test_the_month_split_names_months(
    make_chat: Callable[..., Chat], engine: AsyncEngine, clock: FakeClock, language: str
) -> None:
    # Before: buttons "2026-11 · 2.4%" and "Months you fixed: 2026-12 40%".
    chat = await salesperson(make_chat, engine, clock, language)
    await chat.send("/plan")
    [asked] = await chat.press("📆 Month split" if language == "en" else "📆 月度分配")
    month = "Dec 2026" if language == "en" else "2026年12月"
    assert any(label.startswith(month + " · ") for label in labels(asked))
    await chat.press(next(label for label in labels(asked) if label.startswith(month)))
    await chat.send("40%")
    card = (await chat.send("/plan"))[-1].text
    assert ("Months you fixed: Dec 2026 40%" if language == "en" else "你固定的月份：2026年12月 40%") in card


@LANGUAGES
async def test_the_weekly_prompt_names_the_whole_week(
    app: Application,  # type: ignore[type-arg]
    make_chat: Callable[..., Chat],
    engine: AsyncEngine,
    clock: FakeClock,
    language: str,
) -> None:
    # Before: "📊 Weekly evaluation, week of November 27, 2026" (a Friday, not a week).
    chat = await salesperson(make_chat, engine, clock, language)
    clock.set(datetime(2026, 11, 27, 9, 0, tzinfo=UTC))  # Friday 17:00 in Shanghai
    await dispatcher(app).tick()
    prompt = chat.api.last_sent_to(chat.id)
    assert prompt.text.startswith(
        "📊 Weekly evaluation for Nov 23\u2009–\u200929, 2026. "
        if language == "en"
        else "📊 每周评估（2026年11月23日\u2009–\u200929日）。"
    )


@LANGUAGES
async def test_a_review_says_it_adds_to_what_log_recorded_that_day(
    app: Application,  # type: ignore[type-arg]
    make_chat: Callable[..., Chat],
    engine: AsyncEngine,
    clock: FakeClock,
    language: str,
) -> None:
    # Before: a /log at noon and the day's total typed at 18:00 counted the same deal twice, unannounced.
    en = language == "en"
    chat = await salesperson(make_chat, engine, clock, language)
    await chat.send("/log 1 deal 50k" if en else "/log 签单1个 5万")
    clock.set(FRIDAY_18_SHANGHAI)
    await dispatcher(app).tick()
    [asked] = await chat.press("✍️ Answer now" if en else "✍️ 现在回答", on=chat.last_with_buttons())
    assert asked.text.endswith(
        "Already recorded with /log for this day: revenue CN¥50,000, deals 1. Type only what is not in it."
        if en
        else "这一天已经用 /log 记录了：销售额 ¥50,000、签单 1。只需输入其中没有的部分。"
    )
    assert labels(asked)[0] == ("Nothing more to report" if en else "没有其他要记录的")
    [confirm] = await chat.send("3 visits" if en else "拜访3次")
    assert (
        "It is added to what /log recorded for this day: revenue CN¥50,000, deals 1."
        if en
        else "这会加在这一天已用 /log 记录的成绩上：销售额 ¥50,000、签单 1。"
    ) in confirm.text
    await chat.press("✔ Correct" if en else "✔ 正确")
    for _question in range(3):
        await chat.press("Skip" if en else "跳过")
    activities = {(a.measure, a.source): a.amount for a in await rows(engine, ActivityLog, user_id=chat.id)}
    assert activities == {("revenue", "log"): 50000, ("deals", "log"): 1, ("visits", "review"): 3}


@LANGUAGES
async def test_the_reward_asks_what_result_earns_it(
    make_chat: Callable[..., Chat], engine: AsyncEngine, clock: FakeClock, language: str
) -> None:
    # Before: "If you reach how much? Type the amount or count, e.g. 100k or 5."
    en = language == "en"
    chat = await salesperson(make_chat, engine, clock, language)
    [asked] = await chat.send("/reward")
    assert asked.text == (
        "What result earns the reward? Type an amount or a count, e.g. 100k or 5."
        if en
        else "达到多少就奖励自己？输入金额或数量，例如 10万 或 5。"
    )
    await chat.send("300k" if en else "30万")
    [treat] = await chat.send("2026-12-31")
    assert treat.text.startswith("And what will you treat yourself to?" if en else "那你打算奖励自己什么？")
    await chat.send("running shoes" if en else "一双跑鞋")
    [reward] = await rows(engine, Reward, user_id=chat.id)
    assert (reward.target, reward.deadline) == (300000, date(2026, 12, 31))


@LANGUAGES
async def test_a_new_target_ends_with_plan(
    make_chat: Callable[..., Chat], engine: AsyncEngine, clock: FakeClock, language: str
) -> None:
    # Before: "Target is now CN¥1,000,000.\nStrategy change saved. /history shows the goal's strategy log."
    en = language == "en"
    chat = await salesperson(make_chat, engine, clock, language)
    await chat.send("/change")
    await chat.press("🌧 Economy" if en else "🌧 经济环境")
    await chat.press("Change the target" if en else "调整目标值")
    [saved] = await chat.send("1M" if en else "100万")
    assert saved.text.endswith(
        "/plan shows what this month, this week and today need now."
        if en
        else "用 /plan 查看现在本月、本周和今天各需要完成多少。"
    )
    [goal] = await rows(engine, Goal, user_id=chat.id)
    assert goal.target_value == 1_000_000


def test_a_count_per_day_is_shown_to_one_decimal_and_money_whole() -> None:
    # Before: "Next working day needs 1.47 client visits."
    visits = GoalDraft(metric="visits", kind="count", unit="count")
    revenue = GoalDraft(metric="revenue", kind="currency", unit="CNY")
    en, zh = translator("en"), translator("zh_CN")
    assert per_day_text(Decimal("1.47"), visits, en) == "1.5 client visits"
    assert per_day_text(Decimal("0.04"), visits, en) == "0.1 client visits", "a little is never shown as none"
    assert per_day_text(Decimal("2"), visits, en) == "2 client visits"
    assert per_day_text(Decimal("1.47"), visits, zh) == "客户拜访 1.5"
    assert per_day_text(Decimal("13067.8"), revenue, zh) == "¥13,068"


def test_a_chinese_chart_names_its_currency_in_chinese() -> None:
    # Before: the y axis read "CNY" on a Chinese chart.
    assert currency_label("CNY", translator("zh_CN")) == "人民币"
    assert currency_label("USD", translator("zh_CN")) == "美元"
    assert currency_label("USD", translator("en")) == "USD"
