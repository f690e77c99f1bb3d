"""The team's group chat (issue 13, items 5 and 6), through the in-process transport: the bot added with a
?startgroup= link and linked by the manager, privacy mode, /share and the day's wins relay (one message,
edited), the group's weekly digest and milestones exactly once, team rewards, the bot removed before the
digest, the move to a supergroup, and the per-group rate across two outbox senders.

Manager 3001 runs "East China KA" with members 3002 (Zhao) and 3003 (Qian); the clock starts on Friday
2026-11-27 10:00 in Shanghai. What each person and the group see is asserted with what the rows hold.
"""

from __future__ import annotations

import asyncio
import re
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import pytest
from sqlalchemy import update
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession

from bot.core.lifecycle.outbox import BOT_LEFT_GROUP, OutboxStatus
from bot.core.lifecycle.team_rewards import TeamRewardStatus
from bot.core.teams.lifecycles import MembershipStatus
from bot.devtools.fake_bot_api import FakeBotApi
from bot.scheduler.outbox import Outbox
from bot.scheduler.team_groups import TeamGroupJobs
from bot.services.container import Services
from bot.storage.group_models import GroupPost, GroupRelay, TeamReward
from bot.storage.message_models import InboxUpdate, OutboxMessage
from bot.storage.repositories.outbox import NewMessage, OutboxRepository
from bot.storage.team_models import Team, TeamMember, TeamShare
from bot.telegram.context import BotApplication
from tests.auxil.chat import Chat, labels, texts
from tests.auxil.clock import FakeClock
from tests.auxil.database import fetch, rows
from tests.auxil.groups import GroupChat, insert_logs, insert_team_goal, set_language
from tests.auxil.teams import insert_team

MANAGER, ZHAO, QIAN = 3001, 3002, 3003
LINK = re.compile(r"https://t\.me/QuotaCoachBot\?startgroup=(g_[A-Za-z0-9_-]{22})")
# Monday 2026-11-30 08:00 in Shanghai: an hour before the default meeting (Monday 09:00), the digest's time.
DIGEST_TIME = datetime(2026, 11, 30, 0, 0, tzinfo=UTC)


@pytest.fixture
def people(make_chat: Callable[..., Chat]) -> tuple[Chat, Chat, Chat]:
    return (make_chat(user_id=MANAGER, first_name="Wang"), make_chat(user_id=ZHAO, first_name="Zhao"),
            make_chat(user_id=QIAN, first_name="Qian"))  # fmt: skip


@pytest.fixture
async def team_id(engine: AsyncEngine, clock: FakeClock) -> int:
    return await insert_team(engine, MANAGER, [ZHAO, QIAN], clock())


@pytest.fixture
def group(app: BotApplication, bot_api: FakeBotApi) -> GroupChat:
    return GroupChat(app, bot_api)


def outbox(app: BotApplication) -> Outbox:
    return app.bot_data.outbox


async def team_row(engine: AsyncEngine, team_id: int) -> Team:
    team = await fetch(engine, Team, team_id)
    assert isinstance(team, Team)
    return team


async def link_payload(manager: Chat) -> str:
    sent = await manager.send("/teamgroup")
    found = LINK.search(texts(sent))
    assert found, texts(sent)
    return found.group(1)


async def linked(manager: Chat, group: GroupChat) -> list[str]:
    """The manager adds the bot with the link and the group is linked; what the group was told."""
    payload = await link_payload(manager)
    said = await group.add_bot(manager)
    said += await group.say(manager, f"/start@QuotaCoachBot {payload}")
    return [call.text for call in said]


async def test_the_manager_links_the_group_with_a_startgroup_link(
    engine: AsyncEngine, people: tuple[Chat, Chat, Chat], team_id: int, group: GroupChat
) -> None:
    manager, _zhao, _qian = people
    said = await linked(manager, group)
    assert "To link this group with a team, the team's manager sends /teamgroup" in said[0]
    assert said[1].startswith("Linked: this group now gets East China KA's weekly summary")
    assert (await team_row(engine, team_id)).group_chat_id == group.id
    # /team@bot in the group: the team's totals, nobody's own numbers.
    await insert_team_goal(engine, team_id, MANAGER, 20, datetime(2026, 11, 27, tzinfo=UTC))
    await insert_logs(
        engine, ZHAO, "new_customers", {date(2026, 11, 25): 3}, datetime(2026, 11, 27, tzinfo=UTC)
    )
    card = texts(await group.say(manager, "/team@QuotaCoachBot"))
    assert card == "East China KA\n🎯 New customers Q4: 3 of 20 new customers (15%)"


async def test_bad_expired_and_foreign_group_links_change_nothing(
    engine: AsyncEngine, clock: FakeClock, people: tuple[Chat, Chat, Chat], team_id: int, group: GroupChat
) -> None:
    manager, zhao, _qian = people
    payload = await link_payload(manager)
    await group.add_bot(manager)
    said = texts(await group.say(zhao, f"/start@QuotaCoachBot {payload}"))  # a member is not a manager
    assert said == "Only East China KA's manager or a co-manager can link this group with the team."
    said = texts(await group.say(manager, "/start@QuotaCoachBot g_" + "A" * 22))  # the shape, not a link
    assert said.startswith("That is not a link I gave.")
    said = texts(await group.say(manager, "/start@QuotaCoachBot hello"))
    assert said.startswith("That is not a link I gave.")
    said = texts(await group.say(manager, "/start@QuotaCoachBot"))
    assert said.startswith("To link this group with a team")
    clock.advance(hours=24, seconds=1)
    said = texts(await group.say(manager, f"/start@QuotaCoachBot {payload}"))
    assert said.startswith("That link has expired.")
    assert (await team_row(engine, team_id)).group_chat_id is None
    # A member has no group to link.
    assert texts(await zhao.send("/teamgroup")).startswith("Only a team's manager or co-manager")


async def test_privacy_mode_the_bot_sees_only_commands_for_it_and_replies_to_it(
    engine: AsyncEngine, bot_api: FakeBotApi, people: tuple[Chat, Chat, Chat], team_id: int, group: GroupChat
) -> None:
    manager, zhao, _qian = people
    await linked(manager, group)
    plain = bot_api.groups.message(group.id, zhao.user, "great week everyone")
    assert await group.feed(plain) == []
    assert bot_api.groups.withheld[-1] is plain
    assert await fetch(engine, InboxUpdate, plain["update_id"]) is None  # never reached the bot
    assert await group.say(zhao, "/team") == []  # a general command: Telegram may not pass it on
    assert await group.say(zhao, "/team@SomeOtherBot") == []
    bots_message = group.sent()[-1].result
    reply = bot_api.groups.message(group.id, zhao.user, "thanks", reply_to=bots_message)
    assert bot_api.groups.delivers(reply)
    assert texts(await group.say(zhao, "/team@QuotaCoachBot")).startswith("East China KA")


async def test_shared_wins_go_to_the_managers_and_into_one_relay_message_edited_as_they_arrive(
    engine: AsyncEngine, app: BotApplication, clock: FakeClock, people: tuple[Chat, Chat, Chat], team_id: int,
    group: GroupChat,
) -> None:  # fmt: skip
    manager, zhao, qian = people
    await linked(manager, group)
    before = len(group.sent())
    assert texts(await zhao.send("/share signed Acme, 3-year deal")) == (
        "Shared with East China KA: your managers will see it, and so will the team's group. 🎉"
    )
    assert texts(await qian.send("/share booked 3 demos")).startswith("Shared with East China KA")
    await outbox(app).tick()
    relay = group.sent()[before:]
    assert len(relay) == 1  # both wins arrived before it went out: one message holds them
    assert (
        relay[0].text
        == "🏆 Today's wins in East China KA:\n• Zhao: signed Acme, 3-year deal\n• Qian: booked 3 demos"
    )
    manager_heard = texts(manager.api.sent_to(manager.id))
    assert "🏆 Zhao shared a win with East China KA: signed Acme, 3-year deal" in manager_heard
    await zhao.send("/share second meeting with Beta")
    await outbox(app).tick()
    assert len(group.sent()) == before + 1 and len(group.edits()) == 1  # edited, not a new message
    message_id = relay[0].result["message_id"]
    assert group.reads(message_id).endswith("• Qian: booked 3 demos\n• Zhao: second meeting with Beta")
    shares = await rows(engine, TeamShare, team_id=team_id)
    assert [(s.kind, s.for_group, s.posted_at is not None) for s in shares] == [("win", True, True)] * 3
    clock.advance(days=1)  # a new day: a new relay message
    await qian.send("/share signed Gamma")
    await outbox(app).tick()
    assert len(group.sent()) == before + 2 and group.sent()[-1].text.endswith("• Qian: signed Gamma")
    assert len(await rows(engine, GroupRelay, team_id=team_id)) == 2


async def test_share_asks_for_the_win_and_for_the_team_and_checks_both(
    engine: AsyncEngine, clock: FakeClock, make_chat: Callable[..., Chat], people: tuple[Chat, Chat, Chat],
    team_id: int,
) -> None:  # fmt: skip
    _manager, zhao, _qian = people
    other = await insert_team(engine, 3101, [ZHAO], clock(), name="South KA")
    stranger = await insert_team(engine, 3201, [], clock(), name="North KA")
    asked = await zhao.send("/share")
    assert asked[-1].text == "Which team?" and labels(asked[-1])[:2] == ["East China KA", "South KA"]
    version = asked[-1].buttons[0][0]["callback_data"].split(":")[1]
    forged = await zhao.press_data(f"d:{version}:{stranger}")  # a team they are not in
    assert "Please tap one of the teams." in texts(forged)
    await zhao.press("South KA")
    assert zhao.last_text().startswith("What's the win?")
    async with AsyncSession(engine) as session, session.begin():  # removed while typing it
        await session.execute(update(TeamMember).where(TeamMember.team_id == other, TeamMember.user_id == ZHAO)
                              .values(status=MembershipStatus.REMOVED))  # fmt: skip
    assert (
        texts(await zhao.send("closed the Delta deal"))
        == "You are not in that team any more, so nothing was shared."
    )
    assert await rows(engine, TeamShare) == []
    # One team left: no team question; the text is asked for.
    assert (await zhao.send("/share"))[-1].text.startswith("What's the win?")
    assert texts(await zhao.send("closed the Delta deal")).startswith(
        "Shared with East China KA: your managers will see it."
    )
    outsider = make_chat(user_id=3999)
    assert (
        texts(await outsider.send("/share a win"))
        == "You are not in a team yet: a team manager's invite link brings you in."
    )


async def test_the_weekly_digest_is_posted_once_with_team_totals_and_only_what_members_shared_for_the_group(
    engine: AsyncEngine, app: BotApplication, services: Services, clock: FakeClock,
    people: tuple[Chat, Chat, Chat], team_id: int, group: GroupChat,
) -> None:  # fmt: skip
    manager, zhao, _qian = people
    await linked(manager, group)
    now = clock()
    await insert_team_goal(engine, team_id, MANAGER, 20, now)
    await insert_logs(engine, ZHAO, "new_customers", {date(2026, 11, 24): 3}, now)
    await insert_logs(engine, QIAN, "new_customers", {date(2026, 11, 25): 2}, now)
    await zhao.send("/share signed Acme")
    await outbox(app).tick()
    async with AsyncSession(engine) as session, session.begin():  # shared with the managers only
        session.add(TeamShare(team_id=team_id, user_id=QIAN, kind="setback", text="lost Beta on price",
                              for_group=False, created_at=now))  # fmt: skip
    jobs = TeamGroupJobs(services)
    assert (await jobs.tick()).digests == 0  # Friday: no digest due
    clock.set(DIGEST_TIME)
    before = len(group.sent())
    assert (await jobs.tick()).digests == 1
    assert (await jobs.tick()).digests == 0
    await outbox(app).tick()
    posted = group.sent()[before:]
    assert [call.text for call in posted] == [
        "📊 East China KA, the week of November 23, 2026 to November 29, 2026\n\n"
        "🎯 New customers Q4: 5 of 20 new customers (25%)\n\n"
        "🏆 Wins shared this week:\n• Zhao: signed Acme"
    ]
    assert [post.key for post in await rows(engine, GroupPost, team_id=team_id)] == ["digest:2026-11-30"]
    # Another process (or a restart) finds the claim: nothing more.
    assert (await TeamGroupJobs(services).tick()).digests == 0


async def test_team_goal_milestones_are_celebrated_once_each(
    engine: AsyncEngine, app: BotApplication, services: Services, clock: FakeClock,
    people: tuple[Chat, Chat, Chat], team_id: int, group: GroupChat,
) -> None:  # fmt: skip
    manager, _zhao, _qian = people
    await linked(manager, group)
    now = clock()
    await insert_team_goal(engine, team_id, MANAGER, 10, now)
    await insert_logs(engine, ZHAO, "new_customers", {date(2026, 11, 26): 5}, now)
    jobs = TeamGroupJobs(services)
    assert (await jobs.tick()).milestones == 1
    assert (await jobs.tick()).milestones == 0
    await insert_logs(engine, QIAN, "new_customers", {date(2026, 11, 27): 5}, now)
    assert (await jobs.tick()).milestones == 1
    await outbox(app).tick()
    assert [call.text for call in group.sent()[-2:]] == [
        "🎉 East China KA is half way to “New customers Q4”: 5 of 10 new customers. Keep going!",
        "🏁 East China KA reached its goal “New customers Q4”: 10 of 10 new customers. Well done, everyone!",
    ]


async def test_a_team_reward_is_set_tracked_from_members_results_and_celebrated_once(
    engine: AsyncEngine, app: BotApplication, services: Services, clock: FakeClock,
    people: tuple[Chat, Chat, Chat], team_id: int, group: GroupChat,
) -> None:  # fmt: skip
    manager, zhao, qian = people
    await linked(manager, group)
    assert (await manager.send("/teamreward"))[-1].text == "What does the team count for this reward?"
    await manager.press("new customers")
    assert manager.last_text() == "How many (or how much) together? e.g. 10"
    assert "A number above zero" in texts(await manager.send("-3"))
    await manager.send("10")
    await manager.press("This month")
    said = texts(await manager.send("team dinner"))
    assert said == ("Deal: if East China KA reaches 10 new customers from November 1, 2026 to November 30, 2026, "
                    "the reward is “team dinner”.\nI'll celebrate in the team's group and tell every member when it's earned.")  # fmt: skip
    [reward] = await rows(engine, TeamReward, team_id=team_id)
    assert (reward.metric, reward.target, reward.start_date, reward.deadline, reward.status) == (
        "new_customers",
        Decimal(10),
        date(2026, 11, 1),
        date(2026, 11, 30),
        TeamRewardStatus.ACTIVE,
    )
    await outbox(app).tick()
    assert group.sent()[-1].text == (
        "🎯 New team challenge for East China KA: 10 new customers by November 30, 2026, and the reward is “team dinner”."
    )
    now = clock()
    await insert_logs(engine, ZHAO, "new_customers", {date(2026, 11, 20): 6}, now)
    await insert_logs(engine, QIAN, "new_customers", {date(2026, 10, 31): 9}, now)  # before the window
    jobs = TeamGroupJobs(services)
    await jobs.tick()
    assert (await rows(engine, TeamReward))[0].status is TeamRewardStatus.ACTIVE
    await insert_logs(engine, QIAN, "new_customers", {date(2026, 11, 27): 4}, now)
    await jobs.tick()
    await jobs.tick()
    await outbox(app).tick()
    earned = "🎁 East China KA did it: 10 new customers (the target was 10 new customers). The reward is on: “team dinner”! 🎉"
    assert group.sent()[-1].text == earned and [c.text for c in group.sent()].count(earned) == 1
    for person in (manager, zhao, qian):
        assert [c.text for c in person.api.sent_to(person.id)].count(earned) == 1
    assert (await rows(engine, TeamReward))[0].status is TeamRewardStatus.EARNED


async def test_an_unearned_team_reward_ends_quietly_and_removed_members_do_not_count(
    engine: AsyncEngine, app: BotApplication, services: Services, bot_api: FakeBotApi, clock: FakeClock,
    people: tuple[Chat, Chat, Chat], team_id: int,
) -> None:  # fmt: skip
    manager, _zhao, _qian = people
    await manager.send("/teamreward")
    await manager.press("new customers")
    await manager.send("5")
    await manager.press("By a date…")
    await manager.send("2026-11-29")
    said = texts(await manager.send("karaoke night"))
    assert "from November 27, 2026 to November 29, 2026" in said and "/teamgroup" in said
    now = clock()
    await insert_logs(engine, ZHAO, "new_customers", {date(2026, 11, 27): 2}, now)
    await insert_logs(engine, QIAN, "new_customers", {date(2026, 11, 27): 3}, now)
    async with AsyncSession(engine) as session, session.begin():
        await session.execute(
            update(TeamMember).where(TeamMember.user_id == QIAN).values(status=MembershipStatus.REMOVED)
        )
    jobs = TeamGroupJobs(services)
    await jobs.tick()
    assert (await rows(engine, TeamReward))[
        0
    ].status is TeamRewardStatus.ACTIVE  # 2 of 5: Qian's 3 no longer count
    clock.set(datetime(2026, 11, 29, 16, 0, tzinfo=UTC))  # Monday 00:00 in Shanghai: the window is over
    calls = len(bot_api.calls)
    await jobs.tick()
    await outbox(app).tick()
    assert (await rows(engine, TeamReward))[0].status is TeamRewardStatus.ENDED
    assert [c for c in bot_api.calls[calls:] if c.method == "sendMessage"] == []


async def test_the_bot_removed_before_the_digest_posts_nothing_there_and_retries_nothing(
    engine: AsyncEngine, app: BotApplication, services: Services, bot_api: FakeBotApi, clock: FakeClock,
    people: tuple[Chat, Chat, Chat], team_id: int, group: GroupChat,
) -> None:  # fmt: skip
    manager, zhao, _qian = people
    await linked(manager, group)
    await insert_team_goal(engine, team_id, MANAGER, 20, clock())
    await zhao.send("/share signed Acme")  # its relay is queued for the group
    assert await group.remove_bot(manager) == []
    assert (await team_row(engine, team_id)).group_chat_id is None
    queued = [
        row for row in await rows(engine, OutboxMessage, chat_id=group.id) if row.reason == BOT_LEFT_GROUP
    ]
    assert [row.status for row in queued] == [OutboxStatus.FAILED]
    clock.set(DIGEST_TIME)
    calls = len(bot_api.calls)
    assert (await TeamGroupJobs(services).tick()).digests == 0
    await outbox(app).tick()
    clock.advance(minutes=5)
    await outbox(app).tick()
    assert [c for c in bot_api.calls[calls:] if c.chat_id == group.id] == []
    assert [r for r in bot_api.refused if r.chat_id == group.id] == []
    # Added back without a link: it says how to link the group.
    assert texts(await group.add_bot(manager)).startswith("Hello! I'm Quota Coach")


async def test_a_group_that_became_a_supergroup_gets_its_posts_at_the_new_id(
    engine: AsyncEngine, app: BotApplication, bot_api: FakeBotApi, people: tuple[Chat, Chat, Chat], team_id: int,
    group: GroupChat,
) -> None:  # fmt: skip
    manager, zhao, qian = people
    await linked(manager, group)
    supergroup = await group.migrate(manager, -100_200_300_400)
    assert (await team_row(engine, team_id)).group_chat_id == supergroup.id
    await zhao.send("/share signed Acme")
    await outbox(app).tick()
    assert supergroup.sent()[-1].text.endswith("• Zhao: signed Acme")
    # Moved without the bot seeing the service messages: the send is refused with the new id, and follows it.
    newer = -100_200_300_500
    bot_api.groups.migrate(supergroup.id, manager.user, newer)
    await qian.send("/share booked 3 demos")
    await outbox(app).tick()
    await outbox(app).tick()
    assert bot_api.sent_to(newer)[-1].text.endswith("• Qian: booked 3 demos")
    assert (await team_row(engine, team_id)).group_chat_id == newer
    [row] = await rows(engine, OutboxMessage, chat_id=newer)  # the same row, retargeted once
    assert row.status is OutboxStatus.SENT and row.attempts == 1


async def test_at_most_20_messages_a_minute_reach_one_group_across_two_outbox_senders(
    engine: AsyncEngine, app: BotApplication, services: Services, bot_api: FakeBotApi, clock: FakeClock,
    people: tuple[Chat, Chat, Chat], team_id: int, group: GroupChat,
) -> None:  # fmt: skip
    manager, _zhao, _qian = people
    await linked(manager, group)
    clock.advance(minutes=2)
    bot_api.clock.advance(120)
    bot_api.flood.limit(per_chat_per_second=None, per_second=None)  # Telegram's 20 a minute per group
    async with services.sessionmaker.begin() as session:
        await OutboxRepository(session).add(group.id, [NewMessage(f"post {n}") for n in range(25)], clock())
    sending = app.bot_data.sending
    second = Outbox(services, sending.outbox_message, sending.gate)
    await asyncio.gather(outbox(app).tick(), second.tick())
    posts = lambda: [c.text for c in group.sent() if c.text.startswith("post ")]  # noqa: E731
    assert posts() == [f"post {n}" for n in range(20)]
    held = [
        r for r in await rows(engine, OutboxMessage, chat_id=group.id) if r.status is OutboxStatus.PENDING
    ]
    assert len(held) == 5 and held[0].next_attempt_at == clock() + timedelta(minutes=1)
    clock.advance(seconds=30)
    bot_api.clock.advance(30)
    await asyncio.gather(outbox(app).tick(), second.tick())
    assert len(posts()) == 20
    clock.advance(seconds=31)
    bot_api.clock.advance(31)
    await asyncio.gather(outbox(app).tick(), second.tick())
    assert posts() == [f"post {n}" for n in range(25)]
    assert bot_api.flood.refused == 0


async def test_the_group_hears_the_managers_language_zh(
    engine: AsyncEngine, app: BotApplication, services: Services, clock: FakeClock,
    people: tuple[Chat, Chat, Chat], team_id: int, group: GroupChat,
) -> None:  # fmt: skip
    manager, zhao, _qian = people
    await set_language(engine, MANAGER, "zh_CN")
    await set_language(engine, ZHAO, "zh_CN")
    said = texts(await manager.send("/teamgroup"))
    assert "打开这个链接" in said
    payload = LINK.search(said)
    assert payload
    await group.add_bot(manager)
    assert texts(await group.say(manager, f"/start@QuotaCoachBot {payload.group(1)}")).startswith("已关联")
    assert texts(await zhao.send("/share 签下了 Acme 三年合同")).startswith("已分享给 East China KA")
    await outbox(app).tick()
    assert group.sent()[-1].text == "🏆 East China KA 今天的喜报：\n• Zhao：签下了 Acme 三年合同"
    assert (await manager.send("/teamreward"))[-1].text == "这个团队奖励按什么来算？"
    await manager.press("新客户")
    await manager.send("10个")
    await manager.press("本月")
    said = texts(await manager.send("团队聚餐"))
    assert said.startswith("一言为定：East China KA 在 ") and "达到 新客户 10，奖励就是“团队聚餐”。" in said
    now = clock()
    await insert_logs(engine, ZHAO, "new_customers", {date(2026, 11, 27): 10}, now)
    await TeamGroupJobs(services).tick()
    await outbox(app).tick()
    assert group.sent()[-1].text.startswith("🎁 East China KA 做到了")
    assert zhao.last_text().startswith("🎁 East China KA 做到了")


async def test_a_send_refused_because_the_bot_was_kicked_unlinks_the_group_and_is_not_retried(
    engine: AsyncEngine, app: BotApplication, bot_api: FakeBotApi, clock: FakeClock,
    people: tuple[Chat, Chat, Chat], team_id: int, group: GroupChat,
) -> None:  # fmt: skip
    manager, zhao, qian = people
    await linked(manager, group)
    bot_api.groups.remove_bot(group.id, manager.user)  # the my_chat_member update never reaches the bot
    await zhao.send("/share signed Acme")
    await outbox(app).tick()
    refused = [r for r in bot_api.refused if r.chat_id == group.id]
    assert [r.result["description"] for r in refused] == ["Forbidden: bot was kicked from the group chat"]
    assert (await team_row(engine, team_id)).group_chat_id is None
    clock.advance(minutes=5)
    await qian.send("/share booked 3 demos")  # no group any more: managers only
    await outbox(app).tick()
    assert len([r for r in bot_api.refused if r.chat_id == group.id]) == 1


async def test_teamgroup_with_several_teams_asks_which_and_refuses_a_forged_team(
    engine: AsyncEngine, clock: FakeClock, people: tuple[Chat, Chat, Chat], team_id: int
) -> None:
    manager, _zhao, _qian = people
    second = await insert_team(engine, MANAGER, [], clock(), name="West KA")
    foreign = await insert_team(engine, 3301, [MANAGER], clock(), name="Central KA")  # a plain member there
    asked = await manager.send("/teamgroup")
    assert asked[-1].text == "Which team?" and labels(asked[-1])[:2] == ["East China KA", "West KA"]
    version = asked[-1].buttons[0][0]["callback_data"].split(":")[1]
    assert "Please tap one of the teams." in texts(await manager.press_data(f"d:{version}:{foreign}"))
    said = texts(await manager.press("West KA"))
    assert "pick West KA's group" in said and LINK.search(said)
    assert second != team_id


async def test_the_emulators_getupdates_withholds_what_privacy_mode_hides(bot_api: FakeBotApi) -> None:
    """The HTTP emulator's front (push, then getUpdates) applies the same rule as the in-process one."""
    user = bot_api.user(5)
    plain = bot_api.groups.message(-100_1, user, "hello all")
    command = bot_api.groups.message(-100_1, user, "/team@QuotaCoachBot")
    for sent_in_group in (plain, command):
        await bot_api.push(sent_in_group)
    status, body = await bot_api.call("getUpdates", {"timeout": 0})
    assert status == 200 and [u["update_id"] for u in body["result"]] == [command["update_id"]]
