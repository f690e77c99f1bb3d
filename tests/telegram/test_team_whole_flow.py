"""Issue 13's whole flow in one conversation, in English and Chinese: a manager creates a team and invites,
four salespeople join with consent, the manager sets a +30% team goal and splits it equally, each accepts,
the split is locked and a later change is logged, members /log, and /team, /teamprogress and the leaderboard
show each person what their seat allows. The steps are tested in depth elsewhere (test_teams.py,
test_team_goals.py, test_team_progress.py); here they run end to end on one team made through real updates."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.core.lifecycle.teams import MembershipStatus
from bot.devtools.fake_bot_api import FakeBotApi
from bot.storage.split_models import TeamSplitChange
from bot.storage.team_models import Team, TeamGoal, TeamGoalPart, TeamMember
from bot.telegram.context import BotApplication
from tests.auxil.chat import Chat, labels, texts
from tests.auxil.clock import FakeClock
from tests.auxil.database import rows
from tests.auxil.goals import onboard
from tests.auxil.team_goals import TeamChats, deliver_outbox
from tests.telegram.test_team_progress import accepted_team
from tests.telegram.test_teams import NAMES, PAYLOAD, TEAM_NAMES, WORDS, code_of

STEPS = {
    "en": {"lock": "🔒 Lock the split", "locked": "🔒 Locked.", "log": ["/log 1 deal 50k", "/log 2 deals 80k"],
           "team": "Team:", "board on": "Turn the leaderboard on", "board off": "Turn the leaderboard off",
           "is on": "The leaderboard is on", "is off": "The leaderboard is off.", "join board": "🏁 Join the leaderboard",
           "target": "🎯 Change the team target", "rescale": "Rescale every part", "changed": "Change log:"},
    "zh_CN": {"lock": "🔒 锁定分配", "locked": "🔒 已锁定。", "log": ["/log 签单1个 5万", "/log 签单2个 8万"],
              "team": "团队：", "board on": "开启排行榜", "board off": "关闭排行榜", "is on": "排行榜已开启",
              "is off": "排行榜已关闭", "join board": "🏁 加入排行榜",
              "target": "🎯 修改团队目标", "rescale": "按比例调整所有份额", "changed": "变更记录："},
}  # fmt: skip


@pytest.mark.parametrize("language", ["en", "zh_CN"])
async def test_a_team_from_its_creation_to_its_leaderboard(
    make_chat: Callable[..., Chat], engine: AsyncEngine, clock: FakeClock, app: BotApplication,
    bot_api: FakeBotApi, language: str,
) -> None:  # fmt: skip
    short = "en" if language == "en" else "zh"
    w, s, names = WORDS[short], STEPS[language], NAMES[short]
    manager = make_chat(language_code=code_of(short), first_name=names[0])
    await onboard(manager, short)
    await manager.send("/team")
    await manager.press(w["create"])
    for answer in (TEAM_NAMES[short], w["zone"], "cny"):
        await manager.send(answer)
    await manager.press(w["invite"])
    match = PAYLOAD.search((await manager.press(w["quick"]))[0].text)
    assert match is not None
    members = [make_chat(language_code=code_of(short), first_name=name) for name in names[1:]]
    for member in members:
        await onboard(member, short)
        consent = (await member.send(f"/start {match.group(1)}"))[-1]
        assert w["shared"] in consent.text and w["private"] in consent.text
        await member.press(w["join"])
    await deliver_outbox(app)  # the managers' news of each join
    [team] = await rows(engine, Team)
    seats = await rows(engine, TeamMember, team_id=team.id)
    assert [(seat.status, seat.consented_at is not None) for seat in seats] == [
        (MembershipStatus.MEMBER, True)
    ] * 5

    # The team goal, split equally, each part accepted: every member now has a goal linked to it.
    chats = TeamChats(team.id, manager, members)
    await accepted_team(app, chats, language)
    [goal] = await rows(engine, TeamGoal, team_id=team.id)
    parts = await rows(engine, TeamGoalPart, team_goal_id=goal.id)
    assert sum(part.units for part in parts) == goal.target_value == 1_300_000
    assert {part.status for part in parts} == {"accepted"} and all(part.goal_id for part in parts)

    # Locked; then the team target rescaled to 1.2M: every part's change lands in the change log.
    team_card = (await manager.send("/team"))[-1]
    card = (await manager.press(next(label for label in labels(team_card) if label.startswith("🎯"))))[-1]
    sent = await manager.press(s["lock"], on=card)
    assert s["locked"] in texts(sent)
    await manager.press(s["target"], on=bot_api.last_sent_to(manager.id))
    await manager.send("1200000")
    sent = await manager.press(s["rescale"])
    assert s["changed"] in sent[-1].text
    log = await rows(engine, TeamSplitChange, team_goal_id=goal.id)
    assert [change.field for change in log] == ["team_target", "part", "part", "part", "part"]
    assert {change.changed_by for change in log} == {manager.id}
    assert sum(part.units for part in await rows(engine, TeamGoalPart, team_goal_id=goal.id)) == 1_200_000

    await deliver_outbox(app)  # each member told of their rescaled part

    # Results roll up: the manager sees every row, a member the team and their own row only.
    for member, report in zip(members, s["log"], strict=False):
        await member.send(report)
    progress = (await manager.send("/teamprogress"))[0].text
    assert s["team"] in progress and all(name in progress for name in names[1:])
    own = (await members[0].send("/teamprogress"))[0].text
    assert names[1] in own and not any(name in own for name in names[2:])

    # /team: the manager sees the open invite and the goal's card button; a member neither.
    manager_card, member_card = (await manager.send("/team"))[-1], (await members[0].send("/team"))[-1]
    assert w["open invites"] in manager_card.text and any(
        label.startswith("🎯") for label in labels(manager_card)
    )
    assert w["open invites"] not in member_card.text and not any(
        label.startswith("🎯") for label in labels(member_card)
    )

    # The leaderboard: off, turned on and joined, off again.
    sent = await manager.send("/leaderboard")
    sent = await manager.press(s["board on"], on=sent[-1])
    assert s["is on"] in texts(sent)
    await members[0].send("/leaderboard")
    await members[0].press(s["join board"])
    board = (await members[0].send("/leaderboard"))[-1].text
    assert f"1. {names[1]}" in board
    sent = await manager.send("/leaderboard")
    sent = await manager.press(s["board off"], on=sent[-1])
    assert s["is off"] in texts(sent)
