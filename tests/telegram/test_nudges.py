"""Coaching nudges end to end in-process: triggered by reports, sent by the nudge dispatcher, capped and recorded."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime
from decimal import Decimal

from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession
from telegram.ext import Application

from bot.core.nudges import NudgeKind, Trigger
from bot.devtools.fake_bot_api import FakeBotApi
from bot.scheduler.nudge_dispatch import NudgeDispatcher
from bot.services.coaching import queue_nudges
from bot.storage.coaching_models import Reward
from bot.storage.models import Nudge, User
from bot.telegram.context import BotApplication
from tests.auxil.chat import Chat
from tests.auxil.clock import FakeClock
from tests.auxil.database import rows
from tests.auxil.goals import insert_entries, insert_goal, onboard

NOON_SHANGHAI = datetime(2026, 11, 27, 4, 0, tzinfo=UTC)


def nudger(app: BotApplication) -> NudgeDispatcher:
    found = app.bot_data.nudges
    assert isinstance(found, NudgeDispatcher)
    return found


async def nudges_of(engine: AsyncEngine, user_id: int) -> list[Nudge]:
    return await rows(engine, Nudge, user_id=user_id)


def coaching_texts(api: FakeBotApi, chat: Chat) -> list[str]:
    return [c.text for c in api.sent_to(chat.id) if c.text[:1] in "🎉🎯💪🥇🚀📈🔥✅📆👏🔄🧭🎁🏅⏳"]


async def deals_salesperson(make_chat: Callable[..., Chat], engine: AsyncEngine, clock: FakeClock,
                            language: str = "en") -> tuple[Chat, int]:  # fmt: skip
    chat = make_chat(language_code="en" if language == "en" else "zh-hans")
    await onboard(chat, language)
    goal_id = await insert_goal(
        engine, chat.id, clock(), start_date=date(2026, 11, 27), deadline=date(2027, 3, 31)
    )
    return chat, goal_id


async def set_reward(chat: Chat, amount: str, by: str, treat: str) -> None:
    """/reward for the user's only goal: if I reach `amount` by `by`, I treat myself to `treat`."""
    await chat.send("/reward")
    for answer in (amount, by, treat):
        await chat.send(answer)


async def test_a_fifty_percent_crossing_yields_exactly_one_milestone_nudge(
    app: Application,
    make_chat: Callable[..., Chat],
    engine: AsyncEngine,
    clock: FakeClock,
    bot_api: FakeBotApi,  # type: ignore[type-arg]
) -> None:
    chat, goal_id = await deals_salesperson(make_chat, engine, clock)  # 10 deals by 2027-03-31
    clock.set(NOON_SHANGHAI)
    await chat.send("/log 5 deals")
    await nudger(app).tick()
    await nudger(app).tick()
    texts = coaching_texts(bot_api, chat)
    milestone = [t for t in texts if "50%" in t]
    assert len(milestone) == 1 and "10 deals signed by 2027-03-31" in milestone[0]
    assert "5 deals signed" in milestone[0]
    [first, fifty] = sorted(await nudges_of(engine, chat.id), key=lambda n: n.kind)
    assert (first.kind, fifty.kind, fifty.key, fifty.status) == (
        "first_deal",
        "milestone",
        f"milestone:{goal_id}:50",
        "sent",
    )
    assert fifty.text_id and fifty.text_id.startswith("milestone.") and fifty.sent_at == NOON_SHANGHAI
    assert fifty.data["milestone"] == "50" and fifty.data["actual"] == "5"
    # A correction down and back up crosses 50% again: the same key, so no second celebration.
    await chat.send("/undo")
    await chat.send("/log 5 deals")
    await nudger(app).tick()
    assert len([t for t in coaching_texts(bot_api, chat) if "50%" in t]) == 1


async def test_a_trigger_firing_twice_in_the_same_minute_is_sent_once(
    app: Application,
    make_chat: Callable[..., Chat],
    engine: AsyncEngine,
    clock: FakeClock,
    bot_api: FakeBotApi,  # type: ignore[type-arg]
) -> None:
    chat, goal_id = await deals_salesperson(make_chat, engine, clock)
    clock.set(NOON_SHANGHAI)
    trigger = Trigger(
        NudgeKind.PACE_RECOVERED, f"pace_recovered:{goal_id}:2026-11-27", {"goal_id": str(goal_id)}
    )
    async with AsyncSession(engine) as session, session.begin():
        user = await session.get(User, chat.id)
        assert user is not None
        await queue_nudges(session, user, [trigger], clock())
        await queue_nudges(session, user, [trigger], clock())
    await nudger(app).tick()
    assert len(coaching_texts(bot_api, chat)) == 1
    assert len(await nudges_of(engine, chat.id)) == 1


async def test_at_most_two_nudges_a_day_and_none_in_quiet_hours(
    app: Application,
    make_chat: Callable[..., Chat],
    engine: AsyncEngine,
    clock: FakeClock,
    bot_api: FakeBotApi,  # type: ignore[type-arg]
) -> None:
    chat, goal_id = await deals_salesperson(make_chat, engine, clock)
    clock.set(datetime(2026, 11, 27, 15, 0, tzinfo=UTC))  # 23:00 in Shanghai: quiet hours until 08:00
    triggers = [
        Trigger(NudgeKind.PACE_RECOVERED, f"pace_recovered:{goal_id}:2026-11-27", {"goal_id": str(goal_id)}),
        Trigger(NudgeKind.BEST_WEEK, f"best_week:{goal_id}:2026-W48", {"goal_id": str(goal_id), "total": "3",
                                                                        "previous_best": "2"}),
        Trigger(NudgeKind.STREAK, "streak:7:2026-11-27", {"streak": "7"}),
    ]  # fmt: skip
    async with AsyncSession(engine) as session, session.begin():
        user = await session.get(User, chat.id)
        assert user is not None
        await queue_nudges(session, user, triggers, clock())
    assert {n.due_at for n in await nudges_of(engine, chat.id)} == {datetime(2026, 11, 28, 0, 0, tzinfo=UTC)}
    await nudger(app).tick()
    assert coaching_texts(bot_api, chat) == []
    clock.set(datetime(2026, 11, 28, 0, 0, tzinfo=UTC))
    await nudger(app).tick()
    assert len(coaching_texts(bot_api, chat)) == 2
    statuses = sorted((n.status, n.reason or "") for n in await nudges_of(engine, chat.id))
    assert statuses == [("sent", ""), ("sent", ""), ("suppressed", "daily cap")]
    # Priority decides who gets today's two places: the comeback and the best week, not the streak.
    assert {n.kind for n in await nudges_of(engine, chat.id) if n.status == "sent"} == {
        "pace_recovered",
        "best_week",
    }


async def test_nudge_levels_from_settings(
    app: Application,
    make_chat: Callable[..., Chat],
    engine: AsyncEngine,
    clock: FakeClock,
    bot_api: FakeBotApi,  # type: ignore[type-arg]
) -> None:
    chat, _goal = await deals_salesperson(make_chat, engine, clock, "zh_CN")
    await chat.send("/settings")
    await chat.press("教练消息")
    sent = await chat.press("关闭")
    assert "教练消息：关闭。" in sent[0].text
    clock.set(NOON_SHANGHAI)
    await chat.send("/log 签单5个")
    await nudger(app).tick()
    assert coaching_texts(bot_api, chat) == []
    assert {n.reason for n in await nudges_of(engine, chat.id)} == {"turned down (off)"}


async def test_reward_earned_celebrates_with_the_users_own_words(
    app: Application,
    make_chat: Callable[..., Chat],
    engine: AsyncEngine,
    clock: FakeClock,
    bot_api: FakeBotApi,  # type: ignore[type-arg]
) -> None:
    chat, _goal_id = await deals_salesperson(make_chat, engine, clock)
    await set_reward(chat, "2", "end of next month", "A weekend in Hangzhou")
    clock.set(NOON_SHANGHAI)
    await chat.send("/log 2 deals")
    await nudger(app).tick()
    earned = [t for t in coaching_texts(bot_api, chat) if "Hangzhou" in t]
    assert len(earned) == 1 and "2 deals signed" in earned[0]
    [reward] = await rows(engine, Reward, user_id=chat.id)
    assert reward.status == "earned"


async def test_a_reward_whose_window_closed_is_offered_again_kindly(
    app: Application,
    make_chat: Callable[..., Chat],
    engine: AsyncEngine,
    clock: FakeClock,
    bot_api: FakeBotApi,  # type: ignore[type-arg]
) -> None:
    chat, _goal_id = await deals_salesperson(make_chat, engine, clock)
    await set_reward(chat, "5", "2026-12-04", "New running shoes")
    clock.set(datetime(2026, 12, 7, 4, 0, tzinfo=UTC))
    await chat.send("/log 1 deal")
    await nudger(app).tick()
    # The first deal and the off-track warning took today's two places; the reward's outcome waits.
    assert [t for t in coaching_texts(bot_api, chat) if t.startswith("⏳")] == []
    clock.set(datetime(2026, 12, 8, 1, 0, tzinfo=UTC))  # 09:00 the next morning in Shanghai
    await nudger(app).tick()
    ended = [t for t in coaching_texts(bot_api, chat) if t.startswith("⏳")]
    assert len(ended) == 1 and "/reward" in ended[0]


async def test_off_track_for_five_working_days_suggests_a_change(
    app: Application,
    make_chat: Callable[..., Chat],
    engine: AsyncEngine,
    clock: FakeClock,
    bot_api: FakeBotApi,  # type: ignore[type-arg]
) -> None:
    chat, goal_id = await deals_salesperson(make_chat, engine, clock)
    goal_id = await insert_goal(engine, chat.id, clock(), metric="revenue", kind="currency", unit="CNY",
                                target_value=Decimal(1_200_000), start_date=date(2026, 11, 27),
                                deadline=date(2027, 3, 31))  # fmt: skip
    await insert_entries(engine, chat.id, goal_id, {date(2026, 11, 27): Decimal(100)}, clock())
    clock.set(datetime(2026, 12, 4, 4, 0, tzinfo=UTC))  # Friday a week later: 5 working days far behind
    await chat.send("/log 2000 revenue")
    await nudger(app).tick()
    # The revenue goal has been far behind its path for five working days: one warning. The deals goal is
    # not: its 10 deals are spread over four months, so no deal was due yet in its first days (before the
    # plan put them all at the start, and it was "off track" too).
    off_track = [t for t in coaching_texts(bot_api, chat) if t.startswith("🧭")]
    assert len(off_track) == 1 and all("/change" in t and "5 working days" in t for t in off_track)
    assert any("CN¥1,200,000 revenue by 2027-03-31" in t for t in off_track)


async def test_the_off_track_nudge_opens_the_adjustment_dialog(
    app: Application,
    make_chat: Callable[..., Chat],
    engine: AsyncEngine,
    clock: FakeClock,
    bot_api: FakeBotApi,  # type: ignore[type-arg]
) -> None:
    chat = make_chat(language_code="zh-hans")
    await onboard(chat, "zh_CN")
    goal_id = await insert_goal(engine, chat.id, clock(), metric="revenue", kind="currency", unit="CNY",
                                target_value=Decimal(1_200_000), start_date=date(2026, 11, 27),
                                deadline=date(2027, 3, 31))  # fmt: skip
    await insert_entries(engine, chat.id, goal_id, {date(2026, 11, 27): Decimal(100)}, clock())
    clock.set(datetime(2026, 12, 4, 4, 0, tzinfo=UTC))
    await chat.send("/log 共2000元")
    await nudger(app).tick()
    warning = next(c for c in bot_api.sent_to(chat.id) if c.text.startswith("🧭"))
    sent = await chat.press("🧭 现在调整策略", on=warning)
    assert "发生了什么变化？" in sent[-1].text
    await chat.press("⚔️ 竞争")
    await chat.press("目标不变，调整打法")
    sent = await chat.send("先给老客户做免费培训,再谈续约")
    assert "策略调整已保存" in sent[-1].text
    intruder = make_chat()
    await onboard(intruder)
    sent = await intruder.press_data(f"c:change:{goal_id}", on=intruder.api.last_sent_to(intruder.id))
    assert "That goal is not one of yours" in sent[-1].text


async def test_a_fifty_percent_crossing_inside_a_review_answer_yields_one_nudge(
    app: Application,
    make_chat: Callable[..., Chat],
    engine: AsyncEngine,
    clock: FakeClock,
    bot_api: FakeBotApi,  # type: ignore[type-arg]
) -> None:
    chat, goal_id = await deals_salesperson(make_chat, engine, clock)
    await chat.send("/log 4 deals")  # 40%: no milestone yet beyond 25%
    clock.set(datetime(2026, 11, 27, 10, 0, tzinfo=UTC))  # 18:00 in Shanghai: the daily review
    assert app.bot_data.dispatcher is not None
    await app.bot_data.dispatcher.tick()
    prompt = next(c for c in reversed(bot_api.sent_to(chat.id)) if c.text.startswith("📝 Daily review"))
    await chat.press("✍️ Answer now", on=prompt)
    await chat.send("1 deal")
    await chat.press("✔ Correct")
    for _ in range(3):
        await chat.press("Skip")
    await nudger(app).tick()
    await nudger(app).tick()
    fifty = [n for n in await nudges_of(engine, chat.id) if n.key == f"milestone:{goal_id}:50"]
    assert len(fifty) == 1 and fifty[0].status == "sent"
    assert len([t for t in coaching_texts(bot_api, chat) if "50%" in t]) == 1
