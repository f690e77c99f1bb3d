"""The roll-up after members /log (what the manager and a member each see, text and chart) and the
leaderboard, off by default, turned on by the manager and joined per member."""

from __future__ import annotations

from collections.abc import Callable

from sqlalchemy.ext.asyncio import AsyncEngine

from bot.storage.message_models import OutboxMessage
from bot.telegram.context import BotApplication
from tests.auxil.chat import Chat, labels, texts
from tests.auxil.clock import FakeClock
from tests.auxil.database import rows
from tests.auxil.team_goals import TeamChats, deliver_outbox, seat_team
from tests.telegram.test_team_goals import set_team_goal


async def accepted_team(app: BotApplication, team: TeamChats, language: str = "en") -> None:
    await set_team_goal(team, language)
    await team.manager.press("⚖️ Equal parts" if language == "en" else "⚖️ 平均分配")
    await team.manager.press("✔ Send to the team" if language == "en" else "✔ 发给团队")
    await deliver_outbox(app)
    for member in team.members:
        await member.press("✅ Accept" if language == "en" else "✅ 接受")
    await deliver_outbox(app)  # the managers' notices of each acceptance


async def chart_bands(engine: AsyncEngine, chat_id: int) -> list[str]:
    [*_, row] = [row for row in await rows(engine, OutboxMessage, chat_id=chat_id)
                 if row.drawing and row.drawing["name"] == "team_chart"]  # fmt: skip
    return [band["label"] for band in row.drawing["data"]["bands"]]


async def test_roll_up_after_members_log_as_the_manager_and_a_member_see_it(
    app: BotApplication, make_chat: Callable[..., Chat], engine: AsyncEngine, clock: FakeClock
) -> None:
    team = await seat_team(engine, make_chat, clock())
    await accepted_team(app, team)
    li, zhang, _zhao, _chen = team.members
    await li.send("/log 1 deal 50k")
    await zhang.send("/log 2 deals 80k")

    sent = await team.manager.send("/teamprogress")
    text = sent[0].text
    assert text.startswith("📊 East China KA · CN¥1,300,000 revenue by 2027-03-31")
    assert "Team: CN¥130,000 of CN¥1,300,000 (10) · ✅ On track".replace("(10)", "(10%)") in text
    assert "Members:" in text
    assert "• Li: 15.4% of their part (CN¥50,000 of CN¥325,000), ✅ On track" in text
    assert "• Zhang: 24.6% of their part (CN¥80,000 of CN¥325,000), ✅ On track" in text
    assert "• Zhao: 0% of their part (CN¥0 of CN¥325,000)" in text
    assert "Too early to forecast" in text
    assert sent[1].method == "sendPhoto"
    assert await chart_bands(engine, team.manager.id) == ["Li", "Zhang", "Zhao", "Chen"]

    sent = await li.send("/teamprogress")
    text = sent[0].text
    assert "Team: CN¥130,000 of CN¥1,300,000 (10%)" in text
    assert "Your row:" in text and "• Li: 15.4% of their part" in text
    assert "Zhang" not in text and "Zhao" not in text and "Chen" not in text
    assert sent[1].method == "sendPhoto"
    assert await chart_bands(engine, li.id) == ["You", "Others"]


async def test_team_progress_before_any_team_goal_and_outside_any_team(
    make_chat: Callable[..., Chat], engine: AsyncEngine, clock: FakeClock
) -> None:
    team = await seat_team(engine, make_chat, clock())
    sent = await team.members[0].send("/teamprogress")
    assert "East China KA has no team goal yet; its manager sets one with /teamgoal." in texts(sent)
    loner = make_chat(user_id=900_001)
    sent = await loner.send("/teamprogress")
    assert "You are not in a team yet." in texts(sent)
    sent = await team.members[0].send("/teamgoal")
    assert "Only a team's manager or co-manager sets a team goal." in texts(sent)


async def test_leaderboard_off_by_default_on_joined_and_off_again(
    app: BotApplication, make_chat: Callable[..., Chat], engine: AsyncEngine, clock: FakeClock
) -> None:
    team = await seat_team(engine, make_chat, clock())
    await accepted_team(app, team)
    li, zhang, zhao, _chen = team.members
    await li.send("/log 1 deal 50k")
    await zhang.send("/log 2 deals 80k")
    await zhao.send("/log 1 deal 10k")

    sent = await li.send("/leaderboard")
    assert sent[-1].text == "The leaderboard of East China KA is off." and labels(sent[-1]) == []
    sent = await team.manager.send("/leaderboard")
    assert labels(sent[-1]) == ["Turn the leaderboard on"]
    sent = await team.manager.press("Turn the leaderboard on")
    assert "The leaderboard is on" in texts(sent) and "Nobody on the board has results yet." in sent[-1].text

    for member in (li, zhang):
        await member.send("/leaderboard")
        sent = await member.press("🏁 Join the leaderboard")
        assert "You joined the leaderboard." in texts(sent)
    sent = await li.send("/leaderboard")
    board = sent[-1].text
    assert "1. Zhang: 24.6%" in board and "2. Li: 15.3%" in board
    assert "Your rank: 2 of 2 (15.3%)." in board
    assert "Zhao" not in board and "CN¥" not in board  # not joined; never amounts
    assert labels(sent[-1]) == ["🚪 Leave the leaderboard"]
    sent = await zhao.send("/leaderboard")
    assert "You are not on the board; join it to be ranked." in sent[-1].text

    await team.manager.send("/leaderboard")
    sent = await team.manager.press("Turn the leaderboard off")
    assert "The leaderboard is off." in texts(sent)
    sent = await li.send("/leaderboard")
    assert sent[-1].text == "The leaderboard of East China KA is off."


async def test_chinese_roll_up_and_leaderboard(
    app: BotApplication, make_chat: Callable[..., Chat], engine: AsyncEngine, clock: FakeClock
) -> None:
    team = await seat_team(engine, make_chat, clock(), "zh_CN")
    await accepted_team(app, team, "zh_CN")
    li, zhang, zhao, _chen = team.members
    await li.send("/log 签单1个 5万")
    await zhang.send("/log 签单2个 8万")

    sent = await team.manager.send("/teamprogress")
    text = sent[0].text
    assert "团队：已完成 ¥130,000，目标 ¥1,300,000（10%）· ✅ 进度正常" in text
    assert "成员：" in text and "• 李：完成自己份额的 15.4%（¥50,000／¥325,000），✅ 进度正常" in text
    assert "• 张：完成自己份额的 24.6%" in text
    assert await chart_bands(engine, team.manager.id) == ["李", "张", "赵", "陈"]
    sent = await li.send("/teamprogress")
    text = sent[0].text
    assert "你的情况：" in text and "• 李：完成自己份额的 15.4%" in text and "张" not in text
    assert await chart_bands(engine, li.id) == ["你", "其他人"]

    sent = await li.send("/leaderboard")
    assert sent[-1].text == "East China KA的排行榜未开启。"
    await team.manager.send("/leaderboard")
    sent = await team.manager.press("开启排行榜")
    assert "排行榜已开启" in texts(sent)
    for member in (li, zhang):
        await member.send("/leaderboard")
        sent = await member.press("🏁 加入排行榜")
        assert "你已加入排行榜。" in texts(sent)
    sent = await li.send("/leaderboard")
    board = sent[-1].text
    assert (
        "1. 张：24.6%" in board
        and "2. 李：15.3%" in board
        and "你的排名：第 2 名，共 2 人（15.3%）。" in board
    )
    assert "¥" not in board
    sent = await zhao.send("/leaderboard")
    assert "你不在榜上；加入后才会参与排名。" in sent[-1].text
    await team.manager.send("/leaderboard")
    sent = await team.manager.press("关闭排行榜")
    assert "排行榜已关闭。" in texts(sent)
