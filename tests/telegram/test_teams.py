"""Teams through real updates, in English and Chinese: one manager and four salespeople.

Create the team, invite, four join with consent (one declines first), the card as the manager and as a
member see it, a co-manager, leaving, removal, the manager refused leaving, the hand-over and archiving;
what each person is told, and what the database holds after each step.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import timedelta

import pytest
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.core.lifecycle.teams import MembershipStatus, TeamStatus
from bot.core.teams.roles import Role
from bot.devtools.fake_bot_api import FakeBotApi, SentCall
from bot.storage.team_models import Team, TeamInvite, TeamMember
from bot.telegram.context import BotApplication
from tests.auxil.chat import Chat, labels, texts
from tests.auxil.clock import FakeClock
from tests.auxil.database import rows
from tests.auxil.goals import onboard

PAYLOAD = re.compile(r"https://t\.me/QuotaCoachBot\?start=(t_[A-Za-z0-9_-]{22})")

WORDS = {
    "en": {
        "no team": "You are not in a team yet.", "create": "➕ Create a team", "name": "What is the team called?",
        "zone": "Shanghai", "zone asked": "Which time zone does East China KA work in?",
        "currency asked": "Which currency does East China KA count revenue in?", "created": "Team East China KA created",
        "zone line": "Time zone: Asia/Shanghai · Currency: CNY", "meeting": "Weekly sales meeting: Monday 09:00",
        "invite": "➕ Invite", "members": "👥 Members", "hand over": "🤝 Hand over", "archive": "🗄 Archive",
        "leave": "🚪 Leave", "restore": "♻ Restore", "quick": "🔗 7 days, any number of people",
        "invites you": "Wang invites you to join the team East China KA.",
        "shared": "the team's managers will see your goals, your results, your review ratings, your streak",
        "private": "(setbacks, lessons, notes) stays private", "join": "✔ Join and agree", "decline": "No, thanks",
        "declined": "you did not join East China KA", "welcome": "Welcome to East China KA!",
        "onboarding": "Which language shall I use?", "joined": "{name} joined East China KA.",
        "five": "5 members:", "manager row": "• Wang (manager), since", "member row": "• Zhao",
        "manager seen": "• Wang (manager)", "open invites": "Open invites:", "appoint": "Make co-manager",
        "appointed": "You now help manage East China KA", "remove": "Remove from the team", "yes remove": "Yes, remove",
        "removed": "Wang removed you from East China KA.", "yes leave": "Yes, leave", "left": "Zhao left East China KA.",
        "must hand over": "hand it over to someone, or archive it first", "yes hand": "Yes, hand it over",
        "handed": "Wang handed East China KA over to you", "archived": "East China KA is archived.",
        "since": "since", "my teams": "📋 My teams",
    },
    "zh": {
        "no team": "你还没有加入团队。", "create": "➕ 创建团队", "name": "团队叫什么名字？",
        "zone": "上海", "zone asked": "华东大客户部 在哪个时区工作？",
        "currency asked": "华东大客户部 用哪种货币统计销售额？", "created": "团队 华东大客户部 已创建",
        "zone line": "时区：Asia/Shanghai · 货币：CNY", "meeting": "每周销售例会：星期一 09:00",
        "invite": "➕ 邀请", "members": "👥 成员", "hand over": "🤝 移交", "archive": "🗄 归档",
        "leave": "🚪 退出", "restore": "♻ 恢复", "quick": "🔗 7 天，不限人数",
        "invites you": "王 邀请你加入团队 华东大客户部。",
        "shared": "团队经理可以看到你的目标、你的业绩、你的回顾评分、你的连续打卡天数",
        "private": "（挫折、教训、笔记）仍然只属于你", "join": "✔ 同意并加入", "decline": "不用了，谢谢",
        "declined": "你没有加入 华东大客户部", "welcome": "欢迎加入 华东大客户部！",
        "onboarding": "你希望我用哪种语言", "joined": "{name} 加入了 华东大客户部。",
        "five": "5 位成员：", "manager row": "• 王（经理），", "member row": "• 赵",
        "manager seen": "• 王（经理）", "open invites": "有效的邀请：", "appoint": "设为副经理",
        "appointed": "你现在协助管理 华东大客户部", "remove": "移出团队", "yes remove": "是的，移除",
        "removed": "王 把你移出了 华东大客户部。", "yes leave": "是的，退出", "left": "赵 退出了 华东大客户部。",
        "must hand over": "请先把团队移交给别人，或者将其归档", "yes hand": "是的，移交",
        "handed": "王 把 华东大客户部 移交给了你", "archived": "华东大客户部 已归档。",
        "since": "加入", "my teams": "📋 我的团队",
    },
}  # fmt: skip
NAMES = {"en": ("Wang", "Zhao", "Qian", "Sun", "Li"), "zh": ("王", "赵", "钱", "孙", "李")}
TEAM_NAMES = {"en": "East China KA", "zh": "华东大客户部"}


async def told(app: BotApplication, bot_api: FakeBotApi, *chats: Chat) -> list[list[SentCall]]:
    """What each chat was sent by the outbox's tick: messages other people's actions caused."""
    before = [len(bot_api.sent_to(chat.id)) for chat in chats]
    await app.bot_data.outbox.tick()
    return [bot_api.sent_to(chat.id)[count:] for chat, count in zip(chats, before, strict=True)]


async def seats(engine: AsyncEngine, team_id: int) -> dict[int, tuple[Role, MembershipStatus]]:
    return {
        member.user_id: (member.role, member.status)
        for member in await rows(engine, TeamMember, team_id=team_id)
    }


def code_of(language: str) -> str:
    return "en" if language == "en" else "zh-hans"


@pytest.mark.parametrize("language", ["en", "zh"])
async def test_a_manager_and_four_salespeople(
    make_chat: Callable[..., Chat], engine: AsyncEngine, clock: FakeClock, app: BotApplication,
    bot_api: FakeBotApi, language: str,
) -> None:  # fmt: skip
    w = WORDS[language]
    names = NAMES[language]
    manager = make_chat(language_code=code_of(language), first_name=names[0])
    await onboard(manager, language)

    # Create: name, the time zone typed, the currency typed as a code.
    sent = await manager.send("/team")
    assert w["no team"] in sent[-1].text and labels(sent[-1]) == [w["create"]]
    sent = await manager.press(w["create"])
    assert w["name"] in sent[-1].text
    sent = await manager.send(TEAM_NAMES[language])
    assert w["zone asked"] in sent[-1].text
    sent = await manager.send(w["zone"])
    assert w["currency asked"] in sent[-1].text
    sent = await manager.send("cny")
    assert w["created"] in sent[0].text
    card = sent[-1]
    for line in (w["zone line"], w["meeting"], f"👥 {TEAM_NAMES[language]}"):
        assert line in card.text
    assert [w["invite"], w["members"], w["hand over"], w["archive"], w["leave"]] == labels(card)[:5]
    [team] = await rows(engine, Team)
    assert (team.name, team.timezone, team.currency, team.status) == (TEAM_NAMES[language], "Asia/Shanghai", "CNY", TeamStatus.ACTIVE)  # fmt: skip
    [founder] = await rows(engine, TeamMember, team_id=team.id)
    assert (founder.user_id, founder.role, founder.status) == (
        manager.id,
        Role.MANAGER,
        MembershipStatus.MEMBER,
    )
    assert founder.consented_at == clock()

    # Invite: the default link, 7 days, any number of people.
    await manager.press(w["invite"])
    sent = await manager.press(w["quick"])
    match = PAYLOAD.search(sent[0].text)
    assert match is not None
    payload = match.group(1)
    [invite] = await rows(engine, TeamInvite, team_id=team.id)
    assert (invite.payload, invite.max_uses, invite.expires_at) == (
        payload,
        None,
        clock() + timedelta(days=7),
    )
    assert w["open invites"] in sent[-1].text

    # Four join with consent; the first is new to the bot, declines first, then joins and is onboarded.
    members = [make_chat(language_code=code_of(language), first_name=name) for name in names[1:]]
    first = members[0]
    sent = await first.send(f"/start {payload}")
    consent = sent[-1]
    for words in (w["invites you"], w["shared"], w["private"]):
        assert words in consent.text
    assert labels(consent) == [w["join"], w["decline"]]
    sent = await first.press(w["decline"])
    assert w["declined"] in sent[-1].text
    assert (await seats(engine, team.id))[first.id] == (Role.MEMBER, MembershipStatus.DECLINED)
    await first.send(f"/start {payload}")
    sent = await first.press(w["join"])
    assert w["welcome"] in sent[0].text and w["onboarding"] in sent[-1].text
    for member in members[1:]:
        await onboard(member, language)
        await member.send(f"/start {payload}")
        sent = await member.press(w["join"])
        assert w["welcome"] in sent[0].text
    news = texts((await told(app, bot_api, manager))[0])
    for name in names[1:]:
        assert w["joined"].format(name=name) in news
    joined = await rows(engine, TeamMember, team_id=team.id)
    assert [(m.status, m.consented_at is not None) for m in joined] == [(MembershipStatus.MEMBER, True)] * 5
    assert [i.uses for i in await rows(engine, TeamInvite, team_id=team.id)] == [4]

    # The card: the manager sees everyone with their role and since when, and the open invite.
    sent = await manager.send("/team")
    card = sent[-1].text
    assert w["five"] in card and w["manager row"] in card and w["open invites"] in card
    assert all(name in card for name in names) and card.count(w["since"]) == 5
    # A member sees the names and who manages: no dates, no invites, no managing buttons.
    sent = await members[1].send("/team")
    card = sent[-1].text
    assert w["five"] in card and w["manager seen"] in card and all(name in card for name in names)
    assert w["since"] not in card and w["open invites"] not in card and "t.me" not in card
    assert labels(sent[-1]) == [w["leave"], w["my teams"]]

    # A co-manager: Qian helps manage now, and is told.
    await manager.press(w["members"], on=(await manager.send("/team"))[-1])
    await manager.press(f"{names[2]} · {'member' if language == 'en' else '成员'}")
    await manager.press(w["appoint"])
    assert w["appointed"] in texts((await told(app, bot_api, members[1]))[0])
    assert (await seats(engine, team.id))[members[1].id] == (Role.CO_MANAGER, MembershipStatus.MEMBER)
    sent = await members[1].send("/team")
    assert w["invite"] in labels(sent[-1]) and w["hand over"] not in labels(sent[-1])

    # Zhao leaves (asked first); the manager and the co-manager are told.
    await first.send("/team")
    sent = await first.press(w["leave"])
    assert (await seats(engine, team.id))[first.id][1] is MembershipStatus.MEMBER, "asked, not yet left"
    await first.press(w["yes leave"], on=sent[-1])
    to_manager, to_co_manager = await told(app, bot_api, manager, members[1])
    assert w["left"] in texts(to_manager) and w["left"] in texts(to_co_manager)
    assert (await seats(engine, team.id))[first.id] == (Role.MEMBER, MembershipStatus.LEFT)

    # The manager removes Li; Li is told.
    await manager.press(w["members"], on=(await manager.send("/team"))[-1])
    await manager.press(f"{names[4]} · {'member' if language == 'en' else '成员'}")
    await manager.press(w["remove"])
    await manager.press(w["yes remove"])
    assert w["removed"] in texts((await told(app, bot_api, members[3]))[0])
    assert (await seats(engine, team.id))[members[3].id] == (Role.MEMBER, MembershipStatus.REMOVED)

    # The manager of the team may not simply leave it.
    sent = await manager.press(w["leave"], on=(await manager.send("/team"))[-1])
    assert w["must hand over"] in sent[-1].text
    assert (await seats(engine, team.id))[manager.id] == (Role.MANAGER, MembershipStatus.MEMBER)

    # Hand over to Sun: Sun manages, Wang stays on as a co-manager; Sun is told.
    await manager.press(w["hand over"], on=(await manager.send("/team"))[-1])
    await manager.press(names[3])
    await manager.press(w["yes hand"])
    assert w["handed"] in texts((await told(app, bot_api, members[2]))[0])
    after = await seats(engine, team.id)
    assert after[members[2].id] == (Role.MANAGER, MembershipStatus.MEMBER)
    assert after[manager.id] == (Role.CO_MANAGER, MembershipStatus.MEMBER)

    # The new manager archives the team; the card offers Restore.
    sent = await members[2].press(w["archive"], on=(await members[2].send("/team"))[-1])
    assert w["archived"] in sent[0].text and w["restore"] in labels(sent[-1])
    [team] = await rows(engine, Team)
    assert team.status is TeamStatus.ARCHIVED
