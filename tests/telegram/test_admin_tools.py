"""/admin and /broadcast for ADMIN_IDS, in English and Chinese, through real updates: what the admin and
the users see, what the database holds; anyone else gets the unknown-command reply."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from decimal import Decimal

import pytest
from sqlalchemy import update
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession

from bot.core.lifecycle.broadcasts import BroadcastStatus
from bot.core.lifecycle.outbox import OutboxStatus
from bot.devtools.fake_bot_api import FakeBotApi
from bot.services.broadcasts import report_finished
from bot.services.container import Services
from bot.settings import Settings
from bot.storage.broadcast_models import Broadcast, BroadcastDelivery
from bot.storage.message_models import InboxUpdate, OutboxMessage
from bot.storage.models import InboxStatus, OccurrenceStatus, PromptOccurrence, User
from bot.telegram.context import BotApplication
from tests.auxil.chat import Chat, labels, texts
from tests.auxil.clock import FakeClock
from tests.auxil.database import rows
from tests.auxil.goals import insert_entries, insert_goal
from tests.auxil.teams import insert_team

ADMIN = 424_242
MANAGER, MEMBERS, LONER, BLOCKED = 500_001, (500_002, 500_003), 500_010, 500_011

WORDS = {
    "en": {
        "unknown": "I don't know the command {command}. /help lists the ones I know.",
        "users": "Users: 6 in all, 6 active in the last 7 days, 1 blocked the bot, 1 with open goals.",
        "prompts": "Review prompts for today: 1 sent, 1 failed.",
        "inbox": "Inbox: 1 waiting, the oldest for 5 minutes.",
        "errors": "Last errors:",
        "who": "Who should get this message?",
        "everyone": "Everyone (5)",
        "solo": "Team Solo (1)",
        "team": "Team East China KA (3)",
        "preview": "Preview:",
        "goes": "It goes to 3 users.",
        "goes all": "It goes to 5 users.",
        "skipped": "1 who blocked the bot is skipped.",
        "send": "✔ Send",
        "sending": "Sending to 3 users at Telegram's pace. I'll report here when it's done.",
        "again": "That broadcast is sent or cancelled already. /broadcast starts a new one.",
        "report": "📣 Broadcast finished: 3 sent, 0 failed, 0 blocked the bot.",
        "report all": "📣 Broadcast finished: 5 sent, 0 failed, 1 blocked the bot.",
        "ask": "What should the message say? Type it as it should arrive.",
        "cancel": "✖ Cancel",
        "cancelled": "Cancelled: nothing was sent.",
    },
    "zh": {
        "unknown": "我不认识命令 {command}。发送 /help 查看可用命令。",
        "users": "用户：共 6 位，最近 7 天活跃 6 位，屏蔽了机器人 1 位，有进行中目标 1 位。",
        "prompts": "今天的回顾提醒：已发送 1 条，失败 1 条。",
        "inbox": "收件箱：1 条待处理，最早的已等待 5 分钟。",
        "errors": "最近的错误：",
        "who": "这条消息发给谁？",
        "everyone": "所有用户（5）",
        "solo": "团队 Solo（1）",
        "team": "团队 East China KA（3）",
        "preview": "预览：",
        "goes": "将发送给 3 位用户。",
        "goes all": "将发送给 5 位用户。",
        "skipped": "屏蔽了机器人的 1 位用户将被跳过。",
        "send": "✔ 发送",
        "sending": "正在按 Telegram 的速率发送给 3 位用户，完成后我会在这里汇报。",
        "again": "这条群发已经发送或取消了。发送 /broadcast 可以新建一条。",
        "report": "📣 群发完成：已发送 3 条，失败 0 条，0 位用户屏蔽了机器人。",
        "report all": "📣 群发完成：已发送 5 条，失败 0 条，1 位用户屏蔽了机器人。",
        "ask": "消息内容是什么？请按收到时的样子输入。",
        "cancel": "✖ 取消",
        "cancelled": "已取消：什么都没有发送。",
    },
}
LANGUAGE_CODES = {"en": "en", "zh": "zh-hans"}


@pytest.fixture
def settings(settings: Settings) -> Settings:
    return settings.model_copy(update={"admin_ids": frozenset({ADMIN})})


async def people(engine: AsyncEngine, clock: FakeClock) -> None:
    """A team of three (one with a goal and results), one user on their own, one who blocked the bot."""
    now = clock()
    await insert_team(engine, MANAGER, MEMBERS, now)
    await insert_team(engine, LONER, (), now, name="Solo")
    async with AsyncSession(engine) as session, session.begin():
        session.add(User(id=BLOCKED, first_name="Gone", timezone="Asia/Shanghai", is_active=False,
                         blocked_at=now, created_at=now, updated_at=now))  # fmt: skip
        await session.execute(update(User).values(last_seen_at=now))
    goal = await insert_goal(engine, MEMBERS[0], now)
    await insert_entries(engine, MEMBERS[0], goal, {now.date(): Decimal(5)}, now)


async def admin_chat(make_chat: Callable[..., Chat], language: str) -> Chat:
    admin = make_chat(language_code=LANGUAGE_CODES[language], user_id=ADMIN, first_name="Admin")
    await admin.send("/help")  # met: the admin's own row exists before the figures are read
    return admin


@pytest.mark.parametrize("language", ["en", "zh"])
async def test_admin_sees_the_figures_and_others_get_the_unknown_command_reply(
    make_chat: Callable[..., Chat], engine: AsyncEngine, clock: FakeClock, language: str
) -> None:
    w = WORDS[language]
    await people(engine, clock)
    admin = await admin_chat(make_chat, language)
    async with AsyncSession(engine) as session, session.begin():
        session.add(InboxUpdate(update_id=9_000_001, lane_id=LONER, user_id=LONER, chat_id=LONER, payload={},
                                status=InboxStatus.PENDING, attempts=0, received_at=clock()))  # fmt: skip
        session.add(InboxUpdate(update_id=9_000_000, lane_id=LONER, user_id=LONER, chat_id=LONER, payload={},
                                status=InboxStatus.FAILED, attempts=1, received_at=clock() - timedelta(minutes=9),
                                handled_at=clock() - timedelta(minutes=8), reason="ValueError: bad row"))  # fmt: skip
        today = clock().date()  # 10:00 in Shanghai: the same local day
        for user_id, day, status in [(MEMBERS[0], today, OccurrenceStatus.SENT), (MEMBERS[1], today, OccurrenceStatus.FAILED),
                                     (LONER, today - timedelta(days=1), OccurrenceStatus.SENT)]:  # fmt: skip
            session.add(PromptOccurrence(user_id=user_id, kind="daily", day=day, due_at=clock(), status=status,
                                         created_at=clock(), updated_at=clock()))  # fmt: skip
    clock.advance(minutes=5)
    report = texts(await admin.send("/admin"))
    assert w["users"] in report
    assert w["prompts"] in report
    assert w["inbox"] in report
    assert w["errors"] in report and "update 9000000: ValueError: bad row" in report

    member = make_chat(language_code=LANGUAGE_CODES[language], user_id=500_099)
    for command in ("/admin", "/broadcast hello", "/foo"):
        assert texts(await member.send(command)) == w["unknown"].format(command=command.split()[0])


@pytest.mark.parametrize("language", ["en", "zh"])
async def test_broadcast_to_a_team_after_a_preview_once_per_member_then_the_report(
    make_chat: Callable[..., Chat],
    engine: AsyncEngine,
    clock: FakeClock,
    app: BotApplication,
    services: Services,
    bot_api: FakeBotApi,
    language: str,
) -> None:
    w = WORDS[language]
    await people(engine, clock)
    admin = await admin_chat(make_chat, language)
    text = "Q4 push: the new price list is live.\nAsk your manager for the PDF."
    choice = (await admin.send(f"/broadcast {text}"))[-1]
    assert choice.text == w["who"]
    assert labels(choice) == [w["everyone"], w["team"], w["solo"], w["cancel"]], "the largest team first"
    preview = (await admin.press(w["team"]))[-1]
    assert preview.text.splitlines() == [w["preview"], "", *text.splitlines(), "", w["goes"]]
    assert texts(await admin.press(w["send"], on=preview)) == w["sending"]
    assert texts(await admin.press(w["send"], on=preview)) == w["again"], "a second press queues nothing"

    assert await app.bot_data.outbox.tick() == 3
    for user_id in (MANAGER, *MEMBERS):
        assert [call.text for call in bot_api.sent_to(user_id)] == [text]
    assert bot_api.sent_to(LONER) == [] and bot_api.sent_to(BLOCKED) == []
    assert await report_finished(services) == 1
    assert await report_finished(services) == 0, "reported once"
    await app.bot_data.outbox.tick()
    assert admin.last_text() == w["report"]

    (broadcast,) = await rows(engine, Broadcast)
    assert (broadcast.status, broadcast.admin_id, broadcast.skipped_blocked) == (
        BroadcastStatus.REPORTED,
        ADMIN,
        0,
    )
    deliveries = await rows(engine, BroadcastDelivery)
    assert sorted(d.user_id for d in deliveries) == sorted((MANAGER, *MEMBERS))
    sent = await rows(engine, OutboxMessage, text=text)
    assert sorted(row.chat_id for row in sent) == sorted((MANAGER, *MEMBERS))
    assert {row.status for row in sent} == {OutboxStatus.SENT}


@pytest.mark.parametrize("language", ["en", "zh"])
async def test_broadcast_alone_asks_for_the_text_and_everyone_skips_who_blocked_the_bot(
    make_chat: Callable[..., Chat],
    engine: AsyncEngine,
    clock: FakeClock,
    app: BotApplication,
    services: Services,
    bot_api: FakeBotApi,
    language: str,
) -> None:
    w = WORDS[language]
    await people(engine, clock)
    admin = await admin_chat(make_chat, language)
    assert (await admin.send("/broadcast"))[-1].text.startswith(w["ask"])
    assert (await admin.send("Year-end party on Friday 🎉"))[-1].text == w["who"]
    preview = (await admin.press(w["everyone"]))[-1]
    assert preview.text.splitlines()[-2:] == [w["goes all"], w["skipped"]], "the admin is a user too"
    await admin.press(w["send"], on=preview)
    await app.bot_data.outbox.tick()
    got = [user for user in (ADMIN, MANAGER, *MEMBERS, LONER, BLOCKED)
           if "Year-end party on Friday 🎉" in [call.text for call in bot_api.sent_to(user)]]  # fmt: skip
    assert got == [ADMIN, MANAGER, *MEMBERS, LONER]
    await report_finished(services)
    await app.bot_data.outbox.tick()
    assert admin.last_text() == w["report all"]


async def test_a_cancelled_broadcast_sends_nothing(
    make_chat: Callable[..., Chat],
    engine: AsyncEngine,
    clock: FakeClock,
    app: BotApplication,
    bot_api: FakeBotApi,
) -> None:
    w = WORDS["en"]
    await people(engine, clock)
    admin = await admin_chat(make_chat, "en")
    await admin.send("/broadcast Never mind")
    preview = (await admin.press(w["everyone"]))[-1]
    assert texts(await admin.press(w["cancel"], on=preview)) == w["cancelled"]
    assert texts(await admin.press(w["send"], on=preview)) == w["again"]
    await app.bot_data.outbox.tick()
    assert all("Never mind" not in call.text for user in (MANAGER, LONER) for call in bot_api.sent_to(user))
    (broadcast,) = await rows(engine, Broadcast)
    assert broadcast.status is BroadcastStatus.DROPPED
    assert await rows(engine, BroadcastDelivery) == []
