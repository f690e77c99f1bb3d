"""/goals: list, cards, status changes, deletion, editing, and buttons that name goals not the presser's."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from decimal import Decimal

import pytest
from sqlalchemy.ext.asyncio import AsyncEngine

from tests.auxil.chat import Chat, labels, texts
from tests.auxil.clock import FakeClock
from tests.auxil.database import snapshot
from tests.auxil.goals import audit_of, goals_of, insert_goal, onboard


async def test_goals_lists_and_opens_a_card(
    make_chat: Callable[..., Chat], engine: AsyncEngine, clock: FakeClock
) -> None:
    chat = make_chat()
    await onboard(chat)
    sent = await chat.send("/goals")
    assert "You have no open goals yet. /newgoal" in sent[-1].text
    await insert_goal(engine, chat.id, clock())
    await insert_goal(
        engine, chat.id, clock(), metric="revenue", kind="currency", unit="CNY", target_value=Decimal(500000)
    )
    sent = await chat.send("/goals")
    assert sent[-1].text.startswith("2 open goals (up to 10 at a time). Tap one to open it:\n")
    assert labels(sent[-1]) == [
        "1. 10 deals signed by 2027-03-31",
        "2. CN¥500,000 revenue by 2027-03-31",
    ]
    sent = await chat.press("2. CN¥500,000 revenue by 2027-03-31")
    assert "▶️ Active" in sent[-1].text and "reach CN¥500,000 (revenue)" in sent[-1].text
    assert labels(sent[-1]) == ["✏️ Edit", "⏸ Pause", "🏆 Achieved", "🏳 Abandon", "🗑 Delete", "⬅ All goals"]


async def test_pause_resume_achieve_each_leave_an_audit_row(
    make_chat: Callable[..., Chat], engine: AsyncEngine, clock: FakeClock
) -> None:
    chat = make_chat(language_code="zh")
    await onboard(chat, "zh_CN")
    goal_id = await insert_goal(engine, chat.id, clock())
    await chat.send("/goals")
    await chat.press("1. 2027-03-31前签单 10")
    sent = await chat.press("⏸ 暂停")
    assert "已暂停" in sent[0].text and "⏸ 已暂停" in sent[-1].text
    sent = await chat.press("▶️ 恢复")
    assert "已恢复" in sent[0].text
    sent = await chat.press("🏆 已完成")
    assert "已标记为完成" in texts(sent)
    [goal] = await goals_of(engine, chat.id)
    assert goal.status == "achieved"
    changes = [(a.field, a.old_value, a.new_value) for a in await audit_of(engine, goal_id)]
    assert changes[1:] == [
        ("status", "active", "paused"),
        ("status", "paused", "active"),
        ("status", "active", "achieved"),
    ]
    sent = await chat.send("/goals")
    assert "你还没有进行中的目标" in sent[-1].text


async def test_a_stale_card_button_changes_nothing(
    make_chat: Callable[..., Chat], engine: AsyncEngine, clock: FakeClock
) -> None:
    chat = make_chat()
    await onboard(chat)
    await insert_goal(engine, chat.id, clock())
    await chat.send("/goals")
    sent = await chat.press("1. 10 deals signed by 2027-03-31")
    card = sent[-1]
    await chat.press("🏆 Achieved", on=card)
    before = await snapshot(engine, chat.id)
    sent = await chat.press("⏸ Pause", on=card)
    assert "Nothing changed: the goal is already in that state." in sent[0].text
    assert (await goals_of(engine, chat.id))[0].status == "achieved"
    assert await snapshot(engine, chat.id) == before


async def test_delete_asks_first_and_keeps_the_history(
    make_chat: Callable[..., Chat], engine: AsyncEngine, clock: FakeClock
) -> None:
    chat = make_chat()
    await onboard(chat)
    goal_id = await insert_goal(engine, chat.id, clock())
    await chat.send("/goals")
    await chat.press("1. 10 deals signed by 2027-03-31")
    sent = await chat.press("🗑 Delete")
    assert "Delete “10 deals signed by 2027-03-31”?" in sent[-1].text
    sent = await chat.press("No, keep it")
    assert "▶️ Active" in sent[-1].text
    await chat.press("🗑 Delete")
    sent = await chat.press("Yes, delete it")
    assert "Deleted." in sent[-1].text
    [goal] = await goals_of(engine, chat.id)
    assert goal.status == "deleted"
    assert [a.field for a in await audit_of(engine, goal_id)] == ["created", "status"]
    assert "no open goals" in (await chat.send("/goals"))[-1].text


@pytest.mark.parametrize("action", ["open", "pause", "achieved", "abandon", "delete", "delete!", "edit"])
async def test_a_callback_naming_another_users_goal_is_refused(
    make_chat: Callable[..., Chat], engine: AsyncEngine, clock: FakeClock, action: str
) -> None:
    owner, intruder = make_chat(), make_chat()
    await onboard(owner)
    await onboard(intruder)
    goal_id = await insert_goal(engine, owner.id, clock())
    await intruder.send("/goals")
    owners_before = await snapshot(engine, owner.id)
    intruders_before = await snapshot(engine, intruder.id)
    audit_before = len(await audit_of(engine, goal_id))

    sent = await intruder.press_data(f"g:{action}:{goal_id}", on=intruder.api.last_sent_to(intruder.id))

    assert "That goal is not one of yours, or it was deleted. Nothing changed." in sent[-1].text
    assert (await goals_of(engine, owner.id))[0].status == "active"
    assert len(await audit_of(engine, goal_id)) == audit_before
    assert await snapshot(engine, owner.id) == owners_before
    assert await snapshot(engine, intruder.id) == intruders_before


@pytest.mark.parametrize("data", ["g:pause:abc", "g:explode:1", "g:pause:99999999999", "g:", "g:pause:-1"])
async def test_malformed_goal_callbacks_are_refused(
    make_chat: Callable[..., Chat], engine: AsyncEngine, data: str
) -> None:
    chat = make_chat()
    await onboard(chat)
    before = await snapshot(engine, chat.id)
    sent = await chat.press_data(data, on=chat.api.last_sent_to(chat.id))
    assert "That button is from an old message" in sent[-1].text
    assert await snapshot(engine, chat.id) == before


async def test_at_most_ten_open_goals(
    make_chat: Callable[..., Chat], engine: AsyncEngine, clock: FakeClock
) -> None:
    chat = make_chat()
    await onboard(chat)
    for _ in range(10):
        await insert_goal(engine, chat.id, clock())
    sent = await chat.send("/newgoal")
    assert "You already have 10 open goals" in sent[-1].text
    assert len(await goals_of(engine, chat.id)) == 10


async def test_editing_through_the_card_records_each_changed_field(
    make_chat: Callable[..., Chat], engine: AsyncEngine, clock: FakeClock
) -> None:
    chat = make_chat()
    await onboard(chat)
    goal_id = await insert_goal(engine, chat.id, clock(), baseline=Decimal(9), baseline_known=True)
    await chat.send("/goals")
    await chat.press("1. 10 deals signed by 2027-03-31")
    sent = await chat.press("✏️ Edit")
    assert "Which part do you want to change?" in sent[-1].text
    await chat.press("Target")
    sent = await chat.send("12")
    assert "Heads-up: 12 deals signed is 33.3% above" not in texts(sent)
    assert sent[-1].text.startswith("Updated. By March 31, 2027, reach 12 deals signed")
    [goal] = await goals_of(engine, chat.id)
    assert goal.target_value == Decimal(12)
    [_created, change] = await audit_of(engine, goal_id)
    assert (change.field, change.old_value, change.new_value, change.user_id) == (
        "target_value",
        "10",
        "12",
        chat.id,
    )

    await chat.send("/goals")
    await chat.press("1. 12 deals signed by 2027-03-31")
    await chat.press("✏️ Edit")
    await chat.press("Deadline")
    sent = await chat.send("end of Q2 2027")
    assert "over the 7 months before this goal" in sent[-1].text
    sent = await chat.send("11")
    assert "Updated." in sent[-1].text
    [goal] = await goals_of(engine, chat.id)
    assert (goal.deadline, goal.baseline) == (date(2027, 6, 30), Decimal(11))
    assert [a.field for a in await audit_of(engine, goal_id)][2:] == ["baseline", "deadline"]
