"""/teamgoal and the split: a team goal of +30% over last year, split across four members in each mode,
proposed, accepted or discussed, locked, and changed after the lock (the change log)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from decimal import Decimal

from sqlalchemy.ext.asyncio import AsyncEngine

from bot.telegram.context import BotApplication
from tests.auxil.chat import Chat, labels, texts
from tests.auxil.clock import FakeClock
from tests.auxil.goals import goals_of
from tests.auxil.team_goals import TeamChats, changes_of, deliver_outbox, parts_of, seat_team, team_goals


async def set_team_goal(team: TeamChats, language: str = "en", *, confirm: bool = True) -> list:
    """The manager's /teamgoal through to the split's first question: revenue, +30% on last year's 1M."""
    manager = team.manager
    await manager.send("/teamgoal")
    if language == "en":
        await manager.press("💰 Revenue")
        await manager.send("Sell the ERP upgrade to hospital clients in East China")
        await manager.send("+30%")
        await manager.send("end of Q1 2027")
        sent = await manager.send("1M")
        return await manager.press("💾 Save") if confirm else sent
    await manager.press("💰 销售额")
    await manager.send("向华东地区的医院客户销售ERP升级")
    await manager.send("增长30%")
    await manager.send("明年3月底")
    sent = await manager.send("100万")
    return await manager.press("💾 保存") if confirm else sent


async def test_team_goal_of_30_percent_split_equally_with_over_assignment(
    app: BotApplication, make_chat: Callable[..., Chat], engine: AsyncEngine, clock: FakeClock
) -> None:
    team = await seat_team(engine, make_chat, clock())
    summary = (await set_team_goal(team, confirm=False))[-1].text
    assert "That is 30% more than last year (CN¥1,000,000)." in summary and "previous" not in summary
    sent = await team.manager.press("💾 Save")
    assert "Saved the team goal" in texts(sent)
    assert "How should CN¥1,300,000 be split across the team's 4 members?" in sent[-1].text
    [goal] = await team_goals(engine, team.team_id)
    assert (goal.target_kind, goal.target_value, goal.growth_percent, goal.baseline) == (
        "growth",
        1_300_000,
        Decimal(30),
        Decimal(1_000_000),
    )
    assert goal.deadline == date(2027, 3, 31) and goal.metric == "revenue" and goal.unit == "CNY"

    sent = await team.manager.press("⚖️ Equal parts")
    assert "• Li: CN¥325,000" in sent[-1].text and "• Chen: CN¥325,000" in sent[-1].text
    assert "Remainder: none; the parts add up to the team target." in sent[-1].text
    sent = await team.manager.send("+10%")
    assert "Over-assignment: 10%." in texts(sent)
    assert "• Li: CN¥357,500" in sent[-1].text
    assert "Remainder: CN¥130,000 over the team target (over-assigned)." in sent[-1].text
    sent = await team.manager.press("✔ Send to the team")
    assert "Sent to 4 members" in texts(sent)
    assert "Split (equal parts), draft:" in sent[-1].text and "(proposed)" in sent[-1].text
    parts = await parts_of(engine, goal.id)
    assert {part.units for part in parts.values()} == {357_500} and len(parts) == 4
    assert {part.status for part in parts.values()} == {"proposed"}

    await deliver_outbox(app)
    for member in team.members:
        told = member.api.last_sent_to(member.id)
        assert "Wang proposes your part of the team goal: CN¥357,500 by 2027-03-31." in told.text
        assert labels(told) == ["✅ Accept", "💬 Discuss"]


async def test_accept_discuss_change_lock_and_change_log(
    app: BotApplication, make_chat: Callable[..., Chat], engine: AsyncEngine, clock: FakeClock
) -> None:
    team = await seat_team(engine, make_chat, clock())
    await set_team_goal(team)
    await team.manager.press("⚖️ Equal parts")
    await team.manager.press("✔ Send to the team")
    await deliver_outbox(app)
    [goal] = await team_goals(engine, team.team_id)
    li, zhang, zhao, chen = team.members

    sent = await li.press("✅ Accept")
    assert "Accepted: CN¥325,000 by 2027-03-31 is now one of your goals." in texts(sent)
    [own] = await goals_of(engine, li.id)
    assert own.target_value == 325_000 and own.deadline == date(2027, 3, 31) and own.metric == "revenue"
    assert own.relevance.startswith("Team East China KA: By March 31, 2027, reach CN¥1,300,000 (revenue)")
    parts = await parts_of(engine, goal.id)
    assert parts[li.id].status == "accepted" and parts[li.id].goal_id == own.id
    await deliver_outbox(app)
    assert "Li accepted their part: CN¥325,000." in team.manager.last_text()

    await zhang.press("💬 Discuss")
    sent = await zhang.send("My region is half the size of Li's")
    assert "Sent to your manager" in texts(sent)
    parts = await parts_of(engine, goal.id)
    assert (
        parts[zhang.id].status == "discussing"
        and parts[zhang.id].note == "My region is half the size of Li's"
    )
    await deliver_outbox(app)
    notice = team.manager.api.last_sent_to(team.manager.id)
    assert (
        "Zhang wants to discuss their part (CN¥325,000): “My region is half the size of Li's”" in notice.text
    )
    sent = await team.manager.press("✏️ Change Zhang's part", on=notice)
    assert "Zhang's part is CN¥325,000. What should it be?" in sent[-1].text
    sent = await team.manager.send("250k")
    assert "Zhang's part is now CN¥250,000; sent to them to accept." in texts(sent)
    assert "Remainder: CN¥75,000 of the team target not handed out yet." in sent[-1].text
    await deliver_outbox(app)
    assert "Wang proposes your part of the team goal: CN¥250,000" in zhang.last_text()
    assert (await parts_of(engine, goal.id))[zhang.id].status == "proposed"

    sent = await team.manager.press("🔒 Lock the split")
    assert "Not locked: the parts add up to CN¥1,225,000, less than the team target CN¥1,300,000." in texts(
        sent
    )
    assert (await team_goals(engine, team.team_id))[0].split_status == "draft"

    # Zhao takes 75k more: the parts cover the target, and the split locks.
    await zhao.press("💬 Discuss")
    await zhao.send("I can take the rest, my pipeline is strong")
    await deliver_outbox(app)
    await team.manager.press("✏️ Change Zhao's part", on=team.manager.api.last_sent_to(team.manager.id))
    sent = await team.manager.send("400000")
    assert "Remainder: none" in sent[-1].text
    sent = await team.manager.press("🔒 Lock the split")
    assert "🔒 Locked." in texts(sent)
    assert "Change log: no changes since the lock." in sent[-1].text
    [goal] = await team_goals(engine, team.team_id)
    assert goal.split_status == "locked" and goal.locked_at is not None
    assert await changes_of(engine, goal.id) == []

    # After the lock: a part changed is logged (who, when, before, after, whose).
    await chen.press("💬 Discuss")
    await chen.send("Can we talk about my part")
    await deliver_outbox(app)
    await team.manager.press("✏️ Change Chen's part", on=team.manager.api.last_sent_to(team.manager.id))
    sent = await team.manager.send("350k")
    assert "Change log:" in sent[-1].text and "Wang: Chen's part CN¥325,000 → CN¥350,000" in sent[-1].text
    [change] = await changes_of(engine, goal.id)
    assert (change.field, change.member_id, change.changed_by) == ("part", chen.id, team.manager.id)
    assert (change.before, change.after, change.at) == (Decimal(325_000), Decimal(350_000), clock())

    # A team target below the locked parts is refused with the numbers; rescaling moves every part.
    card = team.manager.api.last_sent_to(team.manager.id)
    await team.manager.press("🎯 Change the team target", on=card)
    await team.manager.send("1M")
    sent = await team.manager.press("Keep the parts")
    assert (
        "Refused: the locked parts add up to CN¥1,325,000, more than a team target of CN¥1,000,000 (with its "
        "0% over-assignment) allows."
    ) in texts(sent)
    assert (await team_goals(engine, team.team_id))[0].target_value == 1_300_000
    await team.manager.press("🎯 Change the team target", on=team.manager.api.last_sent_to(team.manager.id))
    await team.manager.send("1M")
    sent = await team.manager.press("Rescale every part")
    assert "Team target: CN¥1,000,000." in texts(sent)
    parts = await parts_of(engine, goal.id)
    assert sum(part.units for part in parts.values()) == 1_000_000
    log = await changes_of(engine, goal.id)
    assert [change.field for change in log] == ["part", "team_target", "part", "part", "part", "part"]
    assert "Wang: team target CN¥1,300,000 → CN¥1,000,000" in sent[-1].text


async def test_chinese_team_goal_split_accept_discuss_and_lock(
    app: BotApplication, make_chat: Callable[..., Chat], engine: AsyncEngine, clock: FakeClock
) -> None:
    team = await seat_team(engine, make_chat, clock(), "zh_CN")
    summary = (await set_team_goal(team, "zh_CN", confirm=False))[-1].text
    assert "比去年（¥1,000,000）增长 30%。" in summary and "之前" not in summary
    sent = await team.manager.press("💾 保存")
    assert "团队目标已保存" in texts(sent)
    assert "¥1,300,000 要怎样分配给团队的 4 名成员？" in sent[-1].text
    [goal] = await team_goals(engine, team.team_id)
    assert (goal.target_value, goal.growth_percent, goal.deadline) == (
        1_300_000,
        Decimal(30),
        date(2027, 3, 31),
    )

    sent = await team.manager.press("⚖️ 平均分配")
    assert "• 李：¥325,000" in sent[-1].text and "余量：无" in sent[-1].text
    sent = await team.manager.press("✔ 发给团队")
    assert "已发给 4 名成员" in texts(sent) and "分配（平均分配），草稿：" in sent[-1].text
    await deliver_outbox(app)
    li, zhang, zhao, chen = team.members
    assert "王经理给你分配的团队目标份额：2027-03-31前完成 ¥325,000。" in li.last_text()

    sent = await li.press("✅ 接受")
    assert "已接受：2027-03-31前完成 ¥325,000，现在是你的目标之一。" in texts(sent)
    [own] = await goals_of(engine, li.id)
    assert own.relevance.startswith("East China KA团队：")
    await zhang.press("💬 讨论")
    await zhang.send("我的区域比李的小一半")
    await deliver_outbox(app)
    notice = team.manager.api.last_sent_to(team.manager.id)
    assert "张想讨论自己的份额（¥325,000）：“我的区域比李的小一半”" in notice.text
    await team.manager.press("✏️ 修改张的份额", on=notice)
    sent = await team.manager.send("30万")
    assert "张的份额现在是 ¥300,000；已发给对方确认。" in texts(sent)
    assert "余量：团队目标还有 ¥25,000 未分配。" in sent[-1].text
    sent = await team.manager.press("🔒 锁定分配")
    assert "未锁定：各人份额合计 ¥1,275,000，少于团队目标 ¥1,300,000。" in texts(sent)
    await zhao.press("💬 讨论")
    await zhao.send("我可以多承担一些")
    await deliver_outbox(app)
    await team.manager.press("✏️ 修改赵的份额", on=team.manager.api.last_sent_to(team.manager.id))
    await team.manager.send("35万")
    sent = await team.manager.press("🔒 锁定分配")
    assert "🔒 已锁定。" in texts(sent) and "变更记录：锁定后没有任何变更。" in sent[-1].text
    await chen.press("💬 讨论")
    await chen.send("想聊聊我的份额")
    await deliver_outbox(app)
    await team.manager.press("✏️ 修改陈的份额", on=team.manager.api.last_sent_to(team.manager.id))
    sent = await team.manager.send("33万")
    assert "王经理：陈的份额 ¥325,000 → ¥330,000" in sent[-1].text
    assert [(c.field, c.before, c.after) for c in await changes_of(engine, goal.id)] == [
        ("part", Decimal(325_000), Decimal(330_000))
    ]


async def test_over_assignment_changed_after_the_lock_is_logged(
    app: BotApplication, make_chat: Callable[..., Chat], engine: AsyncEngine, clock: FakeClock
) -> None:
    team = await seat_team(engine, make_chat, clock())
    await set_team_goal(team)
    await team.manager.press("⚖️ Equal parts")
    await team.manager.send("+10%")
    await team.manager.press("✔ Send to the team")
    sent = await team.manager.press("🔒 Lock the split")
    assert "Over-assignment: 10% (parts worth CN¥1,430,000 in all)." in sent[-1].text
    sent = await team.manager.press("📐 Over-assignment")
    assert "The over-assignment is 10%. What should it be?" in sent[-1].text
    sent = await team.manager.send("-5%")
    assert "An over-assignment cannot be negative; type 0 for none." in sent[0].text
    sent = await team.manager.send("0")
    assert (
        "Refused: the locked parts add up to CN¥1,430,000, more than a team target of CN¥1,300,000 (with its "
        "0% over-assignment) allows." in texts(sent)
    )
    [goal] = await team_goals(engine, team.team_id)
    assert goal.over_percent == Decimal(10)
    await team.manager.press("📐 Over-assignment")
    sent = await team.manager.send("15%")
    assert "Wang: over-assignment 10% → 15%" in sent[-1].text
    [change] = await changes_of(engine, goal.id)
    assert (change.field, change.before, change.after, change.member_id) == (
        "over_percent",
        Decimal(10),
        Decimal(15),
        None,
    )
    assert (await team_goals(engine, team.team_id))[0].over_percent == Decimal(15)
