"""Each split mode with its remainder, in English and Chinese, and the bad input of the split: weights of 0,
negative or unreadable, a member removed mid-dialog, forged and foreign ids in callback data."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from decimal import Decimal

import pytest
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.telegram.callbacks import TeamGoalButton, TeamGoalPress, parse_team_goal_callback, team_goal_callback
from bot.telegram.context import BotApplication
from tests.auxil.chat import Chat, texts
from tests.auxil.clock import FakeClock
from tests.auxil.database import snapshot
from tests.auxil.team_goals import (
    deliver_outbox,
    insert_history,
    parts_of,
    remove_member,
    seat_team,
    team_goals,
)
from tests.telegram.test_team_goals import set_team_goal

OLD_BUTTON = "That button is from an old message and no longer does anything."


async def test_split_by_last_period_results_averages_a_newcomer(
    make_chat: Callable[..., Chat], engine: AsyncEngine, clock: FakeClock
) -> None:
    team = await seat_team(engine, make_chat, clock())
    li, zhang, zhao, chen = team.members
    # The goal runs 2026-11-27..2027-03-31 (125 days): last period is the 125 days before it.
    await insert_history(engine, {li.id: Decimal(300_000), zhang.id: Decimal(200_000), zhao.id: Decimal(100_000)},
                         date(2026, 10, 1), clock())  # fmt: skip
    await insert_history(engine, {chen.id: Decimal(999_999)}, date(2026, 7, 1), clock())  # before last period
    await set_team_goal(team)
    sent = await team.manager.press("📈 By last period's results")
    preview = sent[-1].text
    # Weights 3 : 2 : 1 : 2 (Chen has no results last period, so the average) of 1,300,000.
    assert (
        "• Li: CN¥487,500" in preview and "• Zhang: CN¥325,000" in preview and "• Zhao: CN¥162,500" in preview
    )
    assert "• Chen: CN¥325,000 (no results last period: the team average)" in preview
    assert "Remainder: none" in preview
    await team.manager.press("✔ Send to the team")
    [goal] = await team_goals(engine, team.team_id)
    assert goal.split_mode == "history"
    assert {m: p.units for m, p in (await parts_of(engine, goal.id)).items()} == {
        li.id: 487_500,
        zhang.id: 325_000,
        zhao.id: 162_500,
        chen.id: 325_000,
    }


@pytest.mark.parametrize(
    ("language", "typed", "parts"),
    [
        ("en", "3 2 2 1", (487_500, 325_000, 325_000, 162_500)),
        ("en", "Li 1, Zhang 1, Zhao 2, Chen 1", (260_000, 260_000, 520_000, 260_000)),
        ("zh_CN", "李3 张2 赵2 陈1", (487_500, 325_000, 325_000, 162_500)),
        ("zh_CN", "1，1，1，1", (325_000, 325_000, 325_000, 325_000)),
    ],
)
async def test_split_by_typed_weights(
    make_chat: Callable[..., Chat],
    engine: AsyncEngine,
    clock: FakeClock,
    language: str,
    typed: str,
    parts: tuple[int, ...],
) -> None:
    team = await seat_team(engine, make_chat, clock(), language)
    await set_team_goal(team, language)
    await team.manager.press("🔢 By weights" if language == "en" else "🔢 按权重")
    sent = await team.manager.send(typed)
    remainder = "Remainder: none" if language == "en" else "余量：无"
    assert remainder in sent[-1].text
    await team.manager.press("✔ Send to the team" if language == "en" else "✔ 发给团队")
    [goal] = await team_goals(engine, team.team_id)
    stored = await parts_of(engine, goal.id)
    assert tuple(stored[member.id].units for member in team.members) == parts
    assert {part.weight for part in stored.values()} <= {Decimal(n) for n in range(1, 4)}


@pytest.mark.parametrize(
    ("language", "typed", "refusal"),
    [
        ("en", "3 0 2 1", "Zhang: 0 would leave them out; give a weight above 0"),
        ("en", "3 -1 2 1", "Zhang: a weight cannot be negative"),
        ("en", "3 x 2 1", "Zhang: “x” is not a number"),
        ("en", "3 2", "I need 4 weights, one per member"),
        ("en", "Li 3, Zhang 2", "No weight for Zhao, Chen"),
        ("zh_CN", "李3 张0 赵2 陈1", "张：0 会把他排除在外，请给一个大于 0 的权重"),
        ("zh_CN", "李3 张-1 赵2 陈1", "张：权重不能为负数"),
        ("zh_CN", "李3 张好 赵2 陈1", "张：“好”不是数字"),
    ],
)
async def test_bad_weights_are_refused_and_nothing_is_stored(
    make_chat: Callable[..., Chat],
    engine: AsyncEngine,
    clock: FakeClock,
    language: str,
    typed: str,
    refusal: str,
) -> None:
    team = await seat_team(engine, make_chat, clock(), language)
    await set_team_goal(team, language)
    await team.manager.press("🔢 By weights" if language == "en" else "🔢 按权重")
    before = await snapshot(engine, team.manager.id)
    sent = await team.manager.send(typed)
    assert refusal in sent[0].text
    assert await snapshot(engine, team.manager.id) == before
    [goal] = await team_goals(engine, team.team_id)
    assert await parts_of(engine, goal.id) == {}


async def test_split_by_hand_shows_what_is_left_then_the_remainder(
    make_chat: Callable[..., Chat], engine: AsyncEngine, clock: FakeClock
) -> None:
    team = await seat_team(engine, make_chat, clock())
    await set_team_goal(team)
    sent = await team.manager.press("✍️ By hand")
    assert "Li's part? (1 of 4; CN¥1,300,000 of the team target is not handed out yet.)" in sent[-1].text
    await team.manager.send("400k")
    sent = await team.manager.send("300k")
    assert "Zhao's part? (3 of 4; CN¥600,000 of the team target is not handed out yet.)" in sent[-1].text
    sent = await team.manager.send("-5")
    assert "A target cannot be negative" in sent[0].text
    await team.manager.send("300k")
    sent = await team.manager.send("200k")
    assert "Remainder: CN¥100,000 of the team target not handed out yet." in sent[-1].text
    await team.manager.press("✔ Send to the team")
    [goal] = await team_goals(engine, team.team_id)
    stored = await parts_of(engine, goal.id)
    assert [stored[member.id].units for member in team.members] == [400_000, 300_000, 300_000, 200_000]
    assert goal.split_mode == "hand"


async def test_a_member_removed_mid_dialog_leaves_the_split_and_cannot_accept(
    app: BotApplication, make_chat: Callable[..., Chat], engine: AsyncEngine, clock: FakeClock
) -> None:
    team = await seat_team(engine, make_chat, clock())
    li, zhang, zhao, chen = team.members
    await set_team_goal(team)
    await team.manager.press("⚖️ Equal parts")
    await remove_member(engine, team.team_id, chen.id)
    sent = await team.manager.press("✔ Send to the team")
    assert "Chen left the team meanwhile; their part went back to the remainder." in texts(sent)
    assert "Chen" not in sent[-1].text.split("Remainder")[0].split("\n", 1)[1]
    assert "Remainder: CN¥325,000 of the team target not handed out yet." in sent[-1].text
    await team.manager.press("✔ Send to the team")
    [goal] = await team_goals(engine, team.team_id)
    assert set(await parts_of(engine, goal.id)) == {li.id, zhang.id, zhao.id}

    # A member removed after being told their part cannot accept it.
    await deliver_outbox(app)
    await remove_member(engine, team.team_id, zhao.id)
    sent = await zhao.press("✅ Accept")
    assert "You are no longer a member of this team, so this part is not yours to answer." in texts(sent)
    assert (await parts_of(engine, goal.id))[zhao.id].status == "proposed"


async def test_forged_foreign_and_out_of_range_ids_change_nothing(
    app: BotApplication, make_chat: Callable[..., Chat], engine: AsyncEngine, clock: FakeClock
) -> None:
    team = await seat_team(engine, make_chat, clock())
    other = await seat_team(engine, make_chat, clock(), first_id=800_001)
    await set_team_goal(team)
    await team.manager.press("⚖️ Equal parts")
    await team.manager.press("✔ Send to the team")
    [goal] = await team_goals(engine, team.team_id)
    parts = await parts_of(engine, goal.id)
    li, zhang = team.members[:2]
    forged = [
        (li, team_goal_callback(TeamGoalButton.LOCK, goal.id)),  # a member locking
        (li, team_goal_callback(TeamGoalButton.CHANGE, parts[zhang.id].id)),  # a member changing a part
        (zhang, team_goal_callback(TeamGoalButton.ACCEPT, parts[li.id].id)),  # someone else's part
        (other.manager, team_goal_callback(TeamGoalButton.OPEN, goal.id)),  # another team's manager
        (other.manager, team_goal_callback(TeamGoalButton.SPLIT, goal.id)),
        (other.manager, team_goal_callback(TeamGoalButton.BOARD, team.team_id)),
        (other.members[0], team_goal_callback(TeamGoalButton.PROGRESS, team.team_id)),
        (li, team_goal_callback(TeamGoalButton.BOARD, team.team_id)),  # a member turning the board on
        (team.manager, "tg:open:99999999999"),  # out of range
        (team.manager, "tg:open:0"),
        (team.manager, "tg:nope:1"),
        (team.manager, f"tg:accept:{parts[li.id].id}"),  # the manager accepting a member's part
    ]
    await deliver_outbox(app)
    for chat, data in forged:
        await chat.send("/help")
        sent = await chat.press_data(data, on=chat.api.last_sent_to(chat.id))
        assert OLD_BUTTON in texts(sent), data
    assert {part.status for part in (await parts_of(engine, goal.id)).values()} == {"proposed"}
    [goal] = await team_goals(engine, team.team_id)
    assert goal.split_status == "draft"


@pytest.mark.parametrize(
    "data",
    ["tg:open:0", "tg:open:2147483648", "tg:open:99999999999999999999", "tg:open:-1", "tg:open:01", "tg:lock:",
     "tg:open:1:2", "tg:what:1", "tg:open:1 ", None],
)  # fmt: skip
def test_forged_team_goal_callback_data_parses_to_nothing(data: str | None) -> None:
    assert parse_team_goal_callback(data) is None


def test_team_goal_callback_data_round_trips() -> None:
    for button in TeamGoalButton:
        data = team_goal_callback(button, 2**31 - 1)
        assert parse_team_goal_callback(data) == TeamGoalPress(button, 2**31 - 1)
    with pytest.raises(ValueError, match="outside the database's range"):
        team_goal_callback(TeamGoalButton.OPEN, 2**31)
