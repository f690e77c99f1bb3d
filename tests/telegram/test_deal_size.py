"""The activity plan counts deals from the user's own deal size, spread by working days (issue 11, item 1).

Before: the deal was a tenth of the target (always 10 deals, also after /change), and all of them sat at
the start of the goal ("签单:本月 10,本周 4,今天 1" on a four-month goal).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal

import pytest
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.storage.models import Goal, GoalPlan
from tests.auxil.chat import Chat, labels
from tests.auxil.clock import FakeClock
from tests.auxil.database import rows
from tests.auxil.goals import goals_of, insert_goal, onboard, plan_row


@dataclass(frozen=True)
class Words:
    """What a user of one language types and taps, and what the bot says back, for these tests."""

    language: str
    revenue: str
    target: str
    baseline: str
    deal: str
    save: str
    economy: str
    change_target: str
    new_target: str
    asks_deal: str
    offers_division: str
    deal_saved: str
    not_sure: str
    worked_back: str  # with {target}, {deal} and {deals}
    money: str  # the currency sign
    month: str  # a regex for this month's amount
    week: str  # a regex for this week's amount
    not_set: str
    funnel_button: str


EN = Words(
    "en", "💰 Revenue", "2M", "1.5M", "50k", "💾 Save", "🌧 Economy", "Change the target", "1.8M",
    "What is your average deal size", "Or type how many deals made up the $1,500,000 of the previous 4 months",
    "Average deal: $50,000.", "Not sure yet",
    "To reach {target} at an average deal of {deal} you need {deals} deals", "$",
    r"This month: \$([\d,]+) over", r"This week[^(]*\([^)]*\): \$([\d,]+)",
    "your average deal size is not set yet, so I cannot say how many deals $2,000,000 takes",
    "🔁 Deal size & rates",
)  # fmt: skip
ZH = Words(
    "zh_CN", "💰 销售额", "200万", "150万", "5万", "💾 保存", "🌧 经济环境", "调整目标值", "180万",
    "你的平均单额是多少", "也可以告诉我之前4个月的 ¥1,500,000 是签了几单做到的",
    "平均单额：¥50,000。", "暂时不确定",
    "按平均单额 {deal} 计算，达到 {target} 需要签 {deals} 单", "¥",
    r"本月.¥([\d,]+)", r"本周.*?）.¥([\d,]+)",
    "你还没有设定平均单额，所以我没法算出 ¥2,000,000 需要签多少单",
    "🔁 单额与转化率",
)  # fmt: skip
LANGUAGES = pytest.mark.parametrize("words", [EN, ZH], ids=["en", "zh"])


def amount(pattern: str, card: str) -> Decimal:
    found = re.search(pattern, card)
    assert found, (pattern, card)
    return Decimal(found.group(1).replace(",", ""))


def deal_counts(card: str) -> tuple[int, int, int]:
    """This month's, this week's and today's deals: the first activity line of the plan card."""
    line = next(line for line in card.splitlines() if line.startswith("• "))
    month, week, day = (int(n) for n in re.findall(r"\d+", line))
    return month, week, day


async def revenue_goal_through_the_wizard(chat: Chat, words: Words, deal: str | None) -> list[str]:
    """/newgoal for 2,000,000 by 2027-03-31 against 1,500,000 before; the replies to the deal-size step."""
    await chat.send("/newgoal")
    await chat.press(words.revenue)
    await chat.send("Sell the ERP upgrade to hospital clients in East China")
    await chat.send(words.target)
    await chat.send("2027-03-31")
    asked = await chat.send(words.baseline)
    answered = await (chat.press(words.not_sure) if deal is None else chat.send(deal))
    await chat.press("8")
    await chat.send("Company target: +30% revenue this year")
    await chat.press(words.save)
    return [asked[-1].text, *(sent.text for sent in answered)]


@LANGUAGES
async def test_the_wizard_asks_the_deal_size_and_the_plan_counts_and_spreads_deals_from_it(
    make_chat: Callable[..., Chat], engine: AsyncEngine, clock: FakeClock, words: Words
) -> None:
    chat = make_chat(language_code="en" if words.language == "en" else "zh-hans")
    await onboard(chat, words.language)
    clock.set(clock().replace(day=1, month=12))  # Tuesday 2026-12-01: a goal of four whole months
    replies = await revenue_goal_through_the_wizard(chat, words, words.deal)
    assert words.asks_deal in replies[0] and words.offers_division in replies[0]
    assert words.deal_saved in replies[1]
    [goal] = await goals_of(engine, chat.id)
    row = await plan_row(engine, goal.id)
    assert isinstance(row, GoalPlan) and row.average_deal == Decimal(50_000)

    card = (await chat.send("/plan"))[-1].text
    target, deal = f"{words.money}2,000,000", f"{words.money}50,000"
    assert words.worked_back.format(target=target, deal=deal, deals=40) in card
    # December's share of the 40 deals is December's share of the revenue, within one deal; the same for
    # this week. (Before, all deals sat at the start: "本月 10,本周 4,今天 1" of 10.)
    month_deals, week_deals, today_deals = deal_counts(card)
    month_revenue, week_revenue = amount(words.month, card), amount(words.week, card)
    assert abs(month_deals - 40 * month_revenue / 2_000_000) < 1, (month_deals, month_revenue)
    assert abs(week_deals - 40 * week_revenue / 2_000_000) < 1, (week_deals, week_revenue)
    assert today_deals in (0, 1)

    # /change of the target: the deals follow from the same deal size (36, not 10 again).
    await chat.send("/change")
    await chat.press(words.economy)
    await chat.press(words.change_target)
    await chat.send(words.new_target)
    [goal] = await rows(engine, Goal, user_id=chat.id)
    assert goal.target_value == Decimal(1_800_000)
    row = await plan_row(engine, goal.id)
    assert isinstance(row, GoalPlan) and row.average_deal == Decimal(50_000)
    card = (await chat.send("/plan"))[-1].text
    assert words.worked_back.format(target=f"{words.money}1,800,000", deal=deal, deals=36) in card


@LANGUAGES
async def test_not_sure_leaves_the_deal_size_unset_and_the_plan_says_so(
    make_chat: Callable[..., Chat], engine: AsyncEngine, clock: FakeClock, words: Words
) -> None:
    chat = make_chat(language_code="en" if words.language == "en" else "zh-hans")
    await onboard(chat, words.language)
    await revenue_goal_through_the_wizard(chat, words, None)
    [goal] = await goals_of(engine, chat.id)
    row = await plan_row(engine, goal.id)
    assert row is None or (isinstance(row, GoalPlan) and row.average_deal is None)
    sent = await chat.send("/plan")
    assert words.not_set in sent[-1].text
    assert words.funnel_button in labels(sent[-1])


@LANGUAGES
async def test_a_goal_without_a_deal_size_gets_one_through_deal_size_and_rates(
    make_chat: Callable[..., Chat], engine: AsyncEngine, clock: FakeClock, words: Words
) -> None:
    chat = make_chat(language_code="en" if words.language == "en" else "zh-hans")
    await onboard(chat, words.language)
    currency = "USD" if words.language == "en" else "CNY"
    goal_id = await insert_goal(engine, chat.id, clock(), metric="revenue", kind="currency", unit=currency,
                                target_value=Decimal(2_000_000))  # fmt: skip
    sent = await chat.send("/plan")
    assert words.not_set in sent[-1].text
    sent = await chat.press(words.funnel_button)
    assert words.asks_deal in sent[-1].text
    assert labels(sent[-1])[0] != "Keep None", "an unset deal size has nothing to keep"
    await chat.send(words.deal)
    for _ in range(3):  # keep the three rates
        await chat.press(labels(chat.last_with_buttons())[0])
    row = await plan_row(engine, goal_id)
    assert isinstance(row, GoalPlan) and row.average_deal == Decimal(50_000)
    card = (await chat.send("/plan"))[-1].text
    assert (
        words.worked_back.format(target=f"{words.money}2,000,000", deal=f"{words.money}50,000", deals=40)
        in card
    )


@pytest.mark.parametrize(
    ("typed", "stored"),
    [("12 deals", Decimal(125_000)), ("$50,000", Decimal(50_000)), ("50k", Decimal(50_000))],
)
async def test_deal_size_typed_as_an_amount_or_as_the_baselines_deal_count(
    make_chat: Callable[..., Chat], engine: AsyncEngine, clock: FakeClock, typed: str, stored: Decimal
) -> None:
    chat = make_chat(language_code="en")
    await onboard(chat)
    await revenue_goal_through_the_wizard(chat, EN, typed)
    [goal] = await goals_of(engine, chat.id)
    row = await plan_row(engine, goal.id)
    assert isinstance(row, GoalPlan) and row.average_deal == stored


async def test_a_deal_size_that_would_mean_thousands_of_deals_is_refused(
    make_chat: Callable[..., Chat], engine: AsyncEngine, clock: FakeClock
) -> None:
    chat = make_chat(language_code="zh-hans")
    await onboard(chat, "zh_CN")
    await chat.send("/newgoal")
    await chat.press(ZH.revenue)
    await chat.send("Sell the ERP upgrade to hospital clients in East China")
    await chat.send(ZH.target)
    await chat.send("2027-03-31")
    await chat.send(ZH.baseline)
    sent = await chat.send("12")  # a count typed without a word: ¥12 a deal would be 166,667 deals
    assert "需要超过 10,000 单" in sent[0].text
    sent = await chat.send("十二单")  # the baseline's deals: 1,500,000 / 12
    assert "平均单额：¥125,000。" in sent[0].text
