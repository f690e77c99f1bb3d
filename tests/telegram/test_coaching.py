"""/lost, /change, /reward and /history through real updates, in Chinese and English."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession

from bot.storage.coaching_models import Reward, Setback, StrategyChange
from bot.storage.models import DialogState, GoalAudit
from tests.auxil.chat import Chat, labels
from tests.auxil.clock import FakeClock
from tests.auxil.database import fetch, rows, snapshot
from tests.auxil.goals import goals_of, insert_goal, onboard


async def with_goal(
    make_chat: Callable[..., Chat], engine: AsyncEngine, clock: FakeClock, language: str = "en"
) -> tuple[Chat, int]:
    chat = make_chat(language_code="en" if language == "en" else "zh-hans")
    await onboard(chat, language)
    goal_id = await insert_goal(engine, chat.id, clock(), metric="revenue", kind="currency", unit="CNY",
                                target_value=Decimal(1_200_000), deadline=date(2027, 3, 31))  # fmt: skip
    return chat, goal_id


async def test_lost_reflection_in_chinese_and_spam_makes_one(
    make_chat: Callable[..., Chat], engine: AsyncEngine, clock: FakeClock
) -> None:
    chat, _goal = await with_goal(make_chat, engine, clock, "zh_CN")
    sent = await chat.send("/lost 客户拒绝签单")
    assert "听到这个消息很遗憾" in sent[0].text and "从中可以学到什么？" in sent[-1].text
    for _ in range(19):
        sent = await chat.send("/lost")
        assert "我们正在复盘这件事" in sent[0].text
    await chat.send("报价太晚,客户先看了竞品")
    sent = await chat.send("第一次见面就讲投资回报")
    assert "谢谢你正视这件事" in sent[-2].text and "丢单的主要原因是什么？" in sent[-1].text
    [setback] = await rows(engine, Setback, user_id=chat.id)
    assert setback.summary == "客户拒绝签单"
    assert setback.answers == {"lesson": "报价太晚,客户先看了竞品", "next": "第一次见面就讲投资回报"}


async def test_change_keeps_target_with_new_tactic_and_history_shows_it(
    make_chat: Callable[..., Chat], engine: AsyncEngine, clock: FakeClock
) -> None:
    chat, goal_id = await with_goal(make_chat, engine, clock)
    sent = await chat.send("/change competitor cut prices by 15%")
    assert "You said: “competitor cut prices by 15%”." in sent[-1].text
    assert labels(sent[-1])[0] == "⚔️ Competition", "the reason the note points at comes first"
    await chat.press("⚔️ Competition")
    await chat.press("Keep the target, change tactics")
    sent = await chat.send("Bundle training with the licence")
    assert "Strategy change saved." in sent[-1].text
    [change] = await rows(engine, StrategyChange, user_id=chat.id)
    assert (change.goal_id, change.reason, change.decision, change.note) == (goal_id, "competition", "tactics",
        "Bundle training with the licence (because: competitor cut prices by 15%)")  # fmt: skip
    sent = await chat.send("/history")
    assert "⚔️ Competition → Keep the target, change tactics" in sent[-1].text
    assert "Bundle training with the licence" in sent[-1].text


async def test_change_of_deadline_in_chinese_goes_through_the_audit(
    make_chat: Callable[..., Chat], engine: AsyncEngine, clock: FakeClock
) -> None:
    chat, goal_id = await with_goal(make_chat, engine, clock, "zh_CN")
    await chat.send("/change 客户需求变了")
    await chat.press("🤝 客户需求变化")
    await chat.press("调整截止日期")
    sent = await chat.send("明年第二季度末")
    assert "A — 可实现" not in sent[-1].text
    assert "策略调整已保存" in sent[-1].text
    [goal] = await goals_of(engine, chat.id)
    assert goal.deadline == date(2027, 6, 30)
    audit = [(a.field, a.old_value, a.new_value) for a in await rows(engine, GoalAudit, goal_id=goal_id)]
    assert ("deadline", "2027-03-31", "2027-06-30") in audit
    sent = await chat.send("/history")
    assert (
        "🤝 客户需求变化 → 调整截止日期" in sent[-1].text
        and "截止日期：2027年3月31日 → 2027年6月30日" in sent[-1].text
    )
    assert "deadline" not in sent[-1].text and "2027-03-31 →" not in sent[-1].text, (
        "no raw field names or values"
    )


async def test_change_of_target_records_before_and_after(
    make_chat: Callable[..., Chat], engine: AsyncEngine, clock: FakeClock
) -> None:
    chat, goal_id = await with_goal(make_chat, engine, clock)
    await chat.send("/change")
    await chat.press("🌧 Economy")
    await chat.press("Change the target")
    sent = await chat.send("20%")
    assert "Please type the new target as a number" in sent[0].text
    await chat.send("900k")
    [change] = await rows(engine, StrategyChange, user_id=chat.id)
    assert (change.before["target_value"], change.after["target_value"]) == ("1200000", "900000")
    assert ("target_value", "1200000", "900000") in [
        (a.field, a.old_value, a.new_value) for a in await rows(engine, GoalAudit, goal_id=goal_id)
    ]
    sent = await chat.send("/history")
    assert "🌧 Economy → Change the target (Target: CN¥1,200,000 → CN¥900,000)" in sent[-1].text
    assert "target_value" not in sent[-1].text


async def test_history_speaks_chinese_with_local_dates(
    make_chat: Callable[..., Chat], engine: AsyncEngine, clock: FakeClock
) -> None:
    """A change at 07:30 Saturday in Shanghai (23:30 Friday UTC) is listed on Saturday, in the user's words."""
    chat, _goal = await with_goal(make_chat, engine, clock, "zh_CN")
    clock.set(datetime(2026, 11, 28, 7, 30, tzinfo=ZoneInfo("Asia/Shanghai")))
    await chat.send("/change")
    await chat.press("🌧 经济环境")
    await chat.press("调整目标值")
    await chat.send("90万")
    sent = await chat.send("/history")
    assert "• 2026年11月28日 · 🌧 经济环境 → 调整目标值（目标：¥1,200,000 → ¥900,000）" in sent[-1].text
    assert "target_value" not in sent[-1].text and "2026年11月27日" not in sent[-1].text, (
        "the UTC day is Friday"
    )


async def test_change_with_no_active_goals(make_chat: Callable[..., Chat], engine: AsyncEngine) -> None:
    chat = make_chat()
    await onboard(chat)
    sent = await chat.send("/change market changed")
    assert "You have no open goals yet." in sent[-1].text
    assert await fetch(engine, DialogState, chat.id) is None


async def test_reward_is_set_in_both_languages(
    make_chat: Callable[..., Chat], engine: AsyncEngine, clock: FakeClock
) -> None:
    chat, goal_id = await with_goal(make_chat, engine, clock, "zh_CN")
    await chat.send("/reward")
    await chat.send("10万")
    await chat.send("下月底")
    sent = await chat.send("去杭州过个周末")
    assert "说定了：2026年12月31日前达到 ¥100,000，就奖励自己“去杭州过个周末”" in sent[-1].text
    [reward] = await rows(engine, Reward, user_id=chat.id)
    assert (reward.goal_id, reward.target, reward.deadline, reward.status) == (
        goal_id,
        Decimal(100000),
        date(2026, 12, 31),
        "active",
    )


@pytest.mark.parametrize(
    ("step", "typed", "reply"),
    [("by", "2026-11-01", "is not in the future"), ("by", "2028-01-01", "after the goal's deadline"),
     ("amount", "0", "Zero leaves nothing to reach"), ("treat", "x" * 5000, "That is too long for this question"),
     ("treat", "x" * 250, "Please keep it to 200 characters"), ("treat", "🎁🎁", "A few words, please")],
)  # fmt: skip
async def test_bad_rewards_store_nothing(
    make_chat: Callable[..., Chat], engine: AsyncEngine, clock: FakeClock, step: str, typed: str, reply: str
) -> None:
    chat, _goal = await with_goal(make_chat, engine, clock)
    await chat.send("/reward")
    answers = {"amount": [], "by": ["100k"], "treat": ["100k", "end of next month"]}[step]
    for answer in answers:
        await chat.send(answer)
    before = await snapshot(engine, chat.id)
    sent = await chat.send(typed)
    assert reply in sent[0].text
    assert await snapshot(engine, chat.id) == before
    assert await rows(engine, Reward, user_id=chat.id) == []


async def test_reward_on_a_goal_archived_meanwhile_is_refused(
    make_chat: Callable[..., Chat], engine: AsyncEngine, clock: FakeClock
) -> None:
    chat, goal_id = await with_goal(make_chat, engine, clock)
    await chat.send("/reward")
    await chat.send("100k")
    await chat.send("end of next month")
    async with AsyncSession(engine) as session, session.begin():
        from bot.storage.models import Goal

        goal = await session.get(Goal, goal_id)
        assert goal is not None
        goal.status = "achieved"
    sent = await chat.send("A weekend in Hangzhou")
    assert "That goal is no longer open, so nothing was changed." in sent[-1].text
    assert await rows(engine, Reward, user_id=chat.id) == []
    sent = await chat.send("/reward")
    assert "You have no open goals yet." in sent[-1].text


async def test_lost_and_reward_in_english(
    make_chat: Callable[..., Chat], engine: AsyncEngine, clock: FakeClock
) -> None:
    chat, goal_id = await with_goal(make_chat, engine, clock)
    sent = await chat.send("/lost")
    assert "Sorry to hear it." in sent[0].text and "What happened?" in sent[-1].text
    await chat.send("Lost the Acme deal to a cheaper offer")
    await chat.send("We talked price before value")
    sent = await chat.send("Open with the ROI case study")
    assert "Thank you for looking at it squarely." in sent[-2].text
    assert "What was the main reason the deal was lost?" in sent[-1].text
    [setback] = await rows(engine, Setback, user_id=chat.id)
    assert setback.summary == "Lost the Acme deal to a cheaper offer"

    await chat.send("/reward")
    await chat.send("200k")
    await chat.send("end of next month")
    sent = await chat.send("A new espresso machine")
    assert (
        "Deal: reach CN¥200,000 by December 31, 2026 and you treat yourself to “A new espresso machine”."
        in sent[-1].text
    )
    [reward] = await rows(engine, Reward, user_id=chat.id)
    assert (reward.goal_id, reward.target) == (goal_id, Decimal(200000))
