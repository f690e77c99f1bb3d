"""The SMART goal wizard through real updates, in English and Chinese, with coaching on vague answers."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Callable
from datetime import date
from decimal import Decimal

import pytest
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.storage.models import DialogState
from tests.auxil.chat import Chat, labels, texts
from tests.auxil.database import fetch, snapshot
from tests.auxil.goals import audit_of, goals_of, onboard


async def test_english_wizard_coaches_each_vague_answer_and_saves(
    make_chat: Callable[..., Chat], engine: AsyncEngine
) -> None:
    chat = make_chat(language_code="en")
    await onboard(chat)
    sent = await chat.send("/newgoal")
    assert "passes all five SMART tests" in sent[0].text
    assert "S — Specific" in sent[-1].text
    assert "💰 Revenue" in labels(sent[-1])

    sent = await chat.send("stuff")  # S: not a measure
    assert "Tap one of the measures" in sent[0].text
    await chat.press("💰 Revenue")
    sent = await chat.send("increase sales")  # S: vague
    assert "“increase sales” is a direction, not yet a goal" in sent[0].text
    assert "raise revenue 20% next quarter" in sent[0].text
    sent = await chat.send("Sell the ERP upgrade to hospital clients in East China")
    assert "M — Measurable. How much revenue" in sent[-1].text

    sent = await chat.send("a lot")  # M: no number
    assert "I could not read one number in “a lot”" in sent[0].text
    sent = await chat.send("500k")
    assert "T — Time-bound" in sent[-1].text

    sent = await chat.send("ASAP")  # T: no date
    assert "“As soon as possible” has no finish line" in sent[0].text
    sent = await chat.send("end of next quarter")
    assert (
        "A — Achievable. For comparison: over the 4 months before this goal, what was your total for revenue?"
        in sent[-1].text
    )

    sent = await chat.send("200k")  # A: +150% is unrealistic
    assert "Heads-up: $500,000 is 150% above the previous 4 months ($200,000)" in sent[-1].text
    sent = await chat.press("Adjust the target")
    assert "M — Measurable" in sent[-1].text
    sent = await chat.send("280k")
    assert "What is your average deal size" in sent[-1].text, "+40% passes without a warning"
    sent = await chat.send("$40,000")
    assert "Average deal: $40,000." in sent[0].text
    assert "How sure are you" in sent[-1].text
    sent = await chat.press("8")
    assert "R — Relevant" in sent[-1].text

    sent = await chat.send("company")  # R: vague
    assert "Name the objective itself" in sent[0].text
    sent = await chat.send("Company target: +30% revenue this year")
    card = sent[-1].text
    assert (
        "By March 31, 2027, reach $280,000 (revenue): Sell the ERP upgrade to hospital clients in East China."
        in card
    )
    assert "That is 40% more than the previous 4 months ($200,000)." in card
    for letter in (
        "✅ S Specific",
        "✅ M Measurable: $280,000",
        "✅ A Achievable: growth 40%",
        "✅ R Relevant",
        "✅ T Time-bound: March 31, 2027 (124 days from now)",
    ):
        assert letter in card
    assert labels(sent[-1])[:2] == ["💾 Save", "✏️ Edit a part"]

    sent = await chat.press("💾 Save")
    assert sent[-1].text.startswith("Saved! By March 31, 2027, reach $280,000")

    [goal] = await goals_of(engine, chat.id)
    assert (goal.metric, goal.unit, goal.target_kind, goal.target_value) == (
        "revenue",
        "USD",
        "absolute",
        Decimal(280000),
    )
    assert (goal.baseline, goal.start_date, goal.deadline) == (
        Decimal(200000),
        date(2026, 11, 27),
        date(2027, 3, 31),
    )
    assert (goal.confidence, goal.ambition, goal.ambition_decision) == (8, "realistic", "adjusted")
    assert goal.status == "active"
    [created] = await audit_of(engine, goal.id)
    assert created.field == "created" and json.loads(created.new_value or "")["target_value"] == "280000"
    assert await fetch(engine, DialogState, chat.id) is None


async def test_chinese_wizard_with_growth_target_and_a_kept_warning(
    make_chat: Callable[..., Chat], engine: AsyncEngine
) -> None:
    chat = make_chat(language_code="zh-hans")
    await onboard(chat, "zh_CN")
    await chat.send("/newgoal")
    sent = await chat.send("新客户")  # typed, not tapped
    assert "用一句话说明" in sent[-1].text
    sent = await chat.send("做得更好")
    assert "“做得更好”是一个方向，还不是目标" in sent[0].text
    await chat.send("开发苏州地区的连锁药店客户")
    sent = await chat.send("很多")
    assert "没能从“很多”里读出一个数字" in sent[0].text
    sent = await chat.send("1%")
    assert "T — 有时限" in sent[-1].text
    sent = await chat.send("越快越好")
    assert "“尽快”没有终点线" in sent[0].text
    sent = await chat.send("明年第二季度末")
    assert "A — 可实现。作为对比：这个目标之前的7个月里，你的新客户一共是多少？" in sent[-1].text
    assert "你的增长目标将以这个数字为基数计算。" in sent[-1].text
    assert "没有这个数据" not in labels(sent[-1]), "a growth target needs its base"

    sent = await chat.send("100个")
    assert "只比之前7个月（新客户 100）高 1%" in sent[-1].text
    sent = await chat.press("保留")
    sent = await chat.press("4")
    assert "信心只有 4 分" in sent[-1].text and "2027年3月14日前完成 新客户 51" in sent[-1].text
    sent = await chat.press("保留原目标")
    sent = await chat.send("公司")
    assert "请写出具体的目标" in sent[0].text
    sent = await chat.send("团队今年新增 40 家零售客户的目标")
    assert "在2027年6月30日前达到新客户 101：开发苏州地区的连锁药店客户。" in sent[-1].text
    assert "⚠️ A 可实现：增长 1%，经提醒后仍保留；信心 4 分（满分 10 分）" in sent[-1].text
    sent = await chat.press("💾 保存")
    assert sent[-1].text.startswith("已保存！")

    [goal] = await goals_of(engine, chat.id)
    assert (goal.metric, goal.target_kind, goal.growth_percent, goal.baseline) == (
        "new_customers",
        "growth",
        Decimal(1),
        Decimal(100),
    )
    assert goal.target_value == Decimal(101), "+1% of 100 customers, rounded up to whole customers"
    assert (goal.ambition, goal.ambition_decision, goal.confidence) == ("too_small", "kept", 4)


async def test_custom_metric_off_sales_gets_a_question_not_a_refusal(
    make_chat: Callable[..., Chat], engine: AsyncEngine
) -> None:
    chat = make_chat()
    await onboard(chat)
    await chat.send("/newgoal")
    await chat.press("✏️ My own measure")
    sent = await chat.send("gym sessions, count")
    assert "In one line" in sent[-1].text
    await chat.send("Go to the gym before work to keep energy for client meetings")
    await chat.send("40")
    await chat.send("end of February 2027")
    await chat.press("I have no such figure")
    sent = await chat.press("9")
    assert (
        "“gym sessions” does not sound like a sales measure. How does it help your selling" in sent[-1].text
    )
    sent = await chat.send("More energy means more client visits each afternoon")
    assert "reach 40 gym sessions: Go to the gym" in sent[-1].text
    assert "no earlier figure to compare" in sent[-1].text
    await chat.press("💾 Save")
    [goal] = await goals_of(engine, chat.id)
    assert (goal.metric, goal.metric_name, goal.unit, goal.kind, goal.baseline) == (
        "custom",
        "gym sessions",
        "count",
        "count",
        None,
    )


async def test_editing_a_part_from_the_summary_revisits_only_that_step(
    make_chat: Callable[..., Chat], engine: AsyncEngine
) -> None:
    chat = make_chat()
    await onboard(chat)
    await chat.send("/newgoal")
    await chat.press("🤝 Deals signed")
    await chat.send("Sign three-year contracts with chain supermarkets in Jiangsu")
    await chat.send("12")
    await chat.send("2027-03-31")
    await chat.send("10")
    await chat.press("7")
    await chat.send("Team goal: 40 new retail accounts this year")
    await chat.press("✏️ Edit a part")
    sent = await chat.press("Description")
    assert "In one line" in sent[-1].text
    sent = await chat.send("Sign three-year contracts with chain supermarkets in Zhejiang")
    assert "Your goal:" in sent[-1].text, "straight back to the summary"
    assert "supermarkets in Zhejiang" in sent[-1].text
    await chat.press("✏️ Edit a part")
    await chat.press("Deadline")
    sent = await chat.send("end of Q2 2027")
    assert "over the 7 months before this goal" in sent[-1].text, (
        "a new deadline asks for the figure of the new period"
    )
    sent = await chat.send("11")
    assert "Your goal:" in sent[-1].text and "June 30, 2027" in sent[-1].text
    await chat.press("💾 Save")
    [goal] = await goals_of(engine, chat.id)
    assert (goal.description, goal.deadline, goal.baseline) == (
        "Sign three-year contracts with chain supermarkets in Zhejiang",
        date(2027, 6, 30),
        Decimal(11),
    )


@pytest.mark.parametrize(
    ("typed", "reply"),
    [
        ("0", "Zero leaves nothing to reach"),
        ("-5", "A target cannot be negative"),
        ("1e309", "I could not read one number"),
        ("abc", "I could not read one number in “abc”"),
        ("1000000000000000", "far beyond what one salesperson can reach"),
        ("2.5", "Please use a whole number"),
        ("🚀", "I could not read one number"),
        ("5000%", "Growth above 1000% is not a plan"),
        ("-10%", "Growth must be above 0%"),
    ],
)
async def test_bad_targets_are_explained_and_change_nothing(
    make_chat: Callable[..., Chat], engine: AsyncEngine, typed: str, reply: str
) -> None:
    chat = make_chat()
    await deals_goal_answered(chat, steps=2)
    before = await snapshot(engine, chat.id)
    sent = await chat.send(typed)
    assert reply in sent[0].text
    assert "M — Measurable" in sent[-1].text
    assert await snapshot(engine, chat.id) == before


@pytest.mark.parametrize(
    ("typed", "reply"),
    [
        ("2025-01-01", "January 1, 2025 is not in the future"),
        ("yesterday", "is not in the future"),
        ("2031-12-31", "more than 3 years away"),
        ("in 5 years", "more than 3 years away"),
        ("someday", "has no finish line"),
        ("banana", "I could not read a date in “banana”"),
    ],
)
async def test_bad_deadlines_are_explained_and_change_nothing(
    make_chat: Callable[..., Chat], engine: AsyncEngine, typed: str, reply: str
) -> None:
    chat = make_chat()
    await deals_goal_answered(chat, steps=3)
    before = await snapshot(engine, chat.id)
    sent = await chat.send(typed)
    assert reply in sent[0].text
    assert await snapshot(engine, chat.id) == before


@pytest.mark.parametrize(
    ("language", "send", "reply"),
    [
        ("en", "x" * 5000, "That is too long for this question"),
        ("en", "x" * 300, "Please keep it to one line: 200"),
        ("en", "🚀🔥💰", "Please put it in words"),
        ("zh_CN", "🚀🔥💰", "请用文字描述"),
        ("en", "<sticker>", "I can only read text or button presses"),
        ("zh_CN", "<photo>", "这里我只能识别文字或按钮"),
    ],
)
async def test_bad_descriptions_are_explained_in_the_users_language(
    make_chat: Callable[..., Chat], engine: AsyncEngine, language: str, send: str, reply: str
) -> None:
    chat = make_chat(language_code="en" if language == "en" else "zh-hans")
    await onboard(chat, language)
    await chat.send("/newgoal")
    await chat.press("💰 Revenue" if language == "en" else "💰 销售额")
    before = await snapshot(engine, chat.id)
    if send == "<sticker>":
        sent = await chat.sticker()
    elif send == "<photo>":
        sent = await chat.photo()
    else:
        sent = await chat.send(send)
    assert reply in sent[0].text
    assert await snapshot(engine, chat.id) == before


# The standard answers of a deals goal, step by step: measure, description, target, deadline, baseline,
# confidence, objective. Tests answer a prefix of them to reach the step they examine.
DEALS_GOAL_ANSWERS = (
    ("press", "🤝 Deals signed"),
    ("send", "Sign chain supermarkets in Jiangsu and Zhejiang"),
    ("send", "12"),
    ("send", "2027-03-31"),
    ("send", "10"),
    ("press", "7"),
    ("send", "Team goal: 40 new retail accounts this year"),
)


async def deals_goal_answered(chat: Chat, steps: int = len(DEALS_GOAL_ANSWERS)) -> None:
    """Onboard, open /newgoal and give the first `steps` standard answers."""
    await onboard(chat)
    await chat.send("/newgoal")
    for how, answer in DEALS_GOAL_ANSWERS[:steps]:
        await (chat.press(answer) if how == "press" else chat.send(answer))


async def summary_of_a_deals_goal(chat: Chat) -> None:
    await deals_goal_answered(chat)


async def test_save_pressed_twice_at_once_stores_exactly_one_goal(
    make_chat: Callable[..., Chat], engine: AsyncEngine
) -> None:
    chat = make_chat()
    await summary_of_a_deals_goal(chat)
    card = chat.last_with_buttons()
    first = chat.api.press(chat.user, card, "💾 Save")
    second = chat.api.press(chat.user, card, "💾 Save")
    await asyncio.gather(chat.feed(first), chat.feed(second))
    assert len(await goals_of(engine, chat.id)) == 1
    replies = texts(chat.api.sent_to(chat.id)[-3:])
    assert "Saved!" in replies
    assert "That button is from an old message" in replies or "belongs to an earlier question" in replies


async def test_a_button_on_an_old_summary_card_saves_nothing(
    make_chat: Callable[..., Chat], engine: AsyncEngine
) -> None:
    chat = make_chat()
    await summary_of_a_deals_goal(chat)
    old_card = chat.last_with_buttons()
    await chat.press("✏️ Edit a part")
    sent = await chat.press("💾 Save", on=old_card)
    assert "That button belongs to an earlier question" in sent[0].text
    assert await goals_of(engine, chat.id) == []


async def test_cancel_discards_the_draft(make_chat: Callable[..., Chat], engine: AsyncEngine) -> None:
    chat = make_chat(language_code="zh")
    await onboard(chat, "zh_CN")
    await chat.send("/newgoal")
    await chat.press("🤝 签单")
    sent = await chat.press("✖ 取消")
    assert "已放弃这个目标，没有保存任何内容。" in sent[-1].text
    assert await goals_of(engine, chat.id) == []
    assert await fetch(engine, DialogState, chat.id) is None


@pytest.mark.parametrize(
    ("language", "typed", "next_question"),
    [
        ("zh_CN", "本月销售额50万", "用一句话说明"),
        ("en", "more calls this week", "In one line: what exactly will improve"),
    ],
)
async def test_a_sentence_naming_the_measure_chooses_it(
    make_chat: Callable[..., Chat], engine: AsyncEngine, language: str, typed: str, next_question: str
) -> None:
    chat = make_chat(language_code="zh-hans" if language == "zh_CN" else "en")
    await onboard(chat, language)
    await chat.send("/newgoal")
    sent = await chat.send(typed)
    assert next_question in sent[-1].text, sent[-1].text
    dialog = await fetch(engine, DialogState, chat.id)
    assert dialog is not None and dialog.step != "metric"
    assert dialog.data["metric"] == ("revenue" if language == "zh_CN" else "calls")


@pytest.mark.parametrize(
    ("language", "baseline", "warning"),
    [
        ("en", "5k", "Heads-up: $500,000 is 100 times the previous 4 months ($5,000)."),
        ("zh_CN", "5000", "提醒一下：¥500,000 是之前4个月（¥5,000）的 100 倍。"),
    ],
)
async def test_a_target_many_times_the_earlier_figure_is_warned_in_times_not_a_huge_percent(
    make_chat: Callable[..., Chat], language: str, baseline: str, warning: str
) -> None:
    chat = make_chat(language_code="zh-hans" if language == "zh_CN" else "en")
    await onboard(chat, language)
    await chat.send("/newgoal")
    await chat.send("revenue" if language == "en" else "销售额")
    await chat.send(
        "Sell the ERP upgrade to hospital clients in East China"
        if language == "en"
        else "把ERP升级卖给华东的医院客户"
    )
    await chat.send("500k" if language == "en" else "50万")
    await chat.send("end of next quarter" if language == "en" else "下季度末")
    sent = await chat.send("8分" if language == "zh_CN" else "8 points")  # a score, not money: asked again
    assert "A — " in sent[-1].text and "%" not in sent[-1].text
    sent = await chat.send(baseline)
    assert warning in sent[-1].text, sent[-1].text
