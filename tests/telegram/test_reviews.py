"""Scheduled reviews through the real dispatcher and handlers, with the clock moved by hand."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from datetime import UTC, date, datetime, time
from decimal import Decimal

import pytest
from sqlalchemy.ext.asyncio import AsyncEngine
from telegram.ext import Application

from bot.devtools.fake_bot_api import FakeBotApi
from bot.scheduler.dispatcher import Dispatcher, DispatcherConfig
from bot.storage.models import (
    ActivityLog,
    Entry,
    EntryAudit,
    PromptOccurrence,
    PromptSchedule,
    ReviewAnswer,
    User,
)
from bot.telegram.context import BotApplication
from tests.auxil.chat import Chat, labels, texts
from tests.auxil.clock import FakeClock
from tests.auxil.database import fetch, rows
from tests.auxil.goals import insert_goal, onboard

FRIDAY_18_SHANGHAI = datetime(2026, 11, 27, 10, 0, tzinfo=UTC)


def dispatcher(app: BotApplication) -> Dispatcher:
    found = app.bot_data.dispatcher
    assert isinstance(found, Dispatcher)
    return found


async def salesperson(make_chat: Callable[..., Chat], engine: AsyncEngine, clock: FakeClock, language: str = "en",
                      **goal: object) -> Chat:  # fmt: skip
    chat = make_chat(language_code="en" if language == "en" else "zh-hans")
    await onboard(chat, language)
    await insert_goal(engine, chat.id, clock(), metric="revenue", kind="currency", unit="CNY",
                      target_value=Decimal(1_200_000), start_date=date(2026, 11, 27), deadline=date(2027, 3, 31),
                      **goal)  # fmt: skip
    return chat


def prompts_to(api: FakeBotApi, chat: Chat, marker: str) -> list[str]:
    return [call.text for call in api.sent_to(chat.id) if marker in call.text]


async def test_daily_review_fast_path_in_english(
    app: Application,
    make_chat: Callable[..., Chat],
    engine: AsyncEngine,
    clock: FakeClock,
    bot_api: FakeBotApi,  # type: ignore[type-arg]
) -> None:
    chat = await salesperson(make_chat, engine, clock)
    clock.set(FRIDAY_18_SHANGHAI)
    await dispatcher(app).tick()
    prompt = chat.last_with_buttons()
    assert "📝 Daily review for November 27, 2026" in prompt.text
    assert labels(prompt) == ["✍️ Answer now", "⏰ 30 min", "⏰ 2 h", "🌅 Tomorrow morning", "⏭ Skip today"]

    sent = await chat.press("✍️ Answer now", on=prompt)
    assert "what did you get done?" in sent[-1].text
    sent = await chat.send("3 visits, 12 calls, 1 deal 50k")
    assert "Got it: revenue CN¥50,000, deals 1, client visits 3, calls 12. Correct?" in sent[-1].text
    await chat.press("✔ Correct")
    await chat.send("Closed the Hangzhou hospital deal")
    await chat.press("Skip")
    sent = await chat.send("Call back the two leads before 10:00")
    reply = sent[-1].text
    assert "Thanks, your review for November 27, 2026 is saved." in reply
    assert "CN¥1,200,000 revenue by 2027-03-31: CN¥50,000 of CN¥" in reply
    assert "Next working day needs CN¥" in reply

    [entry] = await rows(engine, Entry, user_id=chat.id)
    assert (entry.day, entry.amount, entry.source) == (date(2026, 11, 27), Decimal(50000), "review")
    activities = {a.measure: a.amount for a in await rows(engine, ActivityLog, user_id=chat.id)}
    assert activities == {"visits": 3, "calls": 12, "deals": 1, "revenue": 50000}
    [answer] = await rows(engine, ReviewAnswer, user_id=chat.id)
    assert answer.answers == {"went_well": "Closed the Hangzhou hospital deal", "problem": None,
                              "improve": "Call back the two leads before 10:00"}  # fmt: skip
    [occurrence] = await rows(engine, PromptOccurrence, user_id=chat.id, kind="daily")
    assert occurrence.status == "answered"


async def test_daily_review_fast_path_in_chinese_answered_twice_updates(
    app: Application,
    make_chat: Callable[..., Chat],
    engine: AsyncEngine,
    clock: FakeClock,  # type: ignore[type-arg]
) -> None:
    chat = await salesperson(make_chat, engine, clock, "zh_CN")
    clock.set(FRIDAY_18_SHANGHAI)
    await dispatcher(app).tick()
    prompt = chat.last_with_buttons()
    assert "📝 2026年11月27日的每日回顾" in prompt.text
    for report in ("拜访3次 电话12个 签单1个 共5万", "拜访4次 签单1个 共6万"):
        await chat.press("✍️ 现在回答", on=prompt)
        sent = await chat.send(report)
        assert "收到：" in sent[-1].text and "对吗？" in sent[-1].text
        await chat.press("✔ 正确")
        for _ in range(3):
            await chat.press("跳过")
    assert "你已经回答过了；新的回答会替换之前的。" in texts(chat.api.sent_to(chat.id))
    [entry] = await rows(engine, Entry, user_id=chat.id)
    assert entry.amount == Decimal(60000), "the second answer replaces the first, never doubles"
    assert {a.measure: a.amount for a in await rows(engine, ActivityLog, user_id=chat.id)} == {
        "visits": 4, "deals": 1, "revenue": 60000}  # fmt: skip
    audit = await rows(engine, EntryAudit, user_id=chat.id)
    assert [a.action for a in audit] == ["add", "replace"]


async def test_an_answer_after_midnight_counts_for_the_day_asked(
    app: Application,
    make_chat: Callable[..., Chat],
    engine: AsyncEngine,
    clock: FakeClock,  # type: ignore[type-arg]
) -> None:
    chat = await salesperson(make_chat, engine, clock)
    clock.set(FRIDAY_18_SHANGHAI)
    await dispatcher(app).tick()
    prompt = chat.last_with_buttons()
    clock.set(datetime(2026, 11, 27, 16, 30, tzinfo=UTC))  # 00:30 Saturday in Shanghai
    await chat.press("✍️ Answer now", on=prompt)
    await chat.send("2 calls")
    await chat.press("✔ Correct")
    for _ in range(3):
        await chat.press("Skip")
    [activity] = await rows(engine, ActivityLog, user_id=chat.id)
    assert activity.day == date(2026, 11, 27)


async def test_snooze_after_the_review_was_answered_changes_nothing(
    app: Application,
    make_chat: Callable[..., Chat],
    engine: AsyncEngine,
    clock: FakeClock,  # type: ignore[type-arg]
) -> None:
    chat = await salesperson(make_chat, engine, clock)
    clock.set(FRIDAY_18_SHANGHAI)
    await dispatcher(app).tick()
    prompt = chat.last_with_buttons()
    await chat.press("✍️ Answer now", on=prompt)
    await chat.press("Nothing to report")
    for _ in range(3):
        await chat.press("Skip")
    sent = await chat.press("⏰ 2 h", on=prompt)
    assert "This review is already answered; nothing to snooze or skip." in sent[-1].text
    [occurrence] = await rows(engine, PromptOccurrence, user_id=chat.id, kind="daily")
    assert (occurrence.status, occurrence.wake_at) == ("answered", None)


async def test_snooze_brings_the_prompt_back_once(
    app: Application,
    make_chat: Callable[..., Chat],
    engine: AsyncEngine,
    clock: FakeClock,
    bot_api: FakeBotApi,  # type: ignore[type-arg]
) -> None:
    chat = await salesperson(make_chat, engine, clock)
    clock.set(FRIDAY_18_SHANGHAI)
    await dispatcher(app).tick()
    sent = await chat.press("⏰ 30 min", on=chat.last_with_buttons())
    assert "I'll ask again at 18:30." in sent[-1].text
    clock.advance(minutes=29)
    await dispatcher(app).tick()
    assert len(prompts_to(bot_api, chat, "📝 Daily review")) == 1
    clock.advance(minutes=2)
    await dispatcher(app).tick()
    await dispatcher(app).tick()
    assert len(prompts_to(bot_api, chat, "📝 Daily review")) == 2


async def test_no_prompt_for_a_user_without_goals(
    app: Application,
    make_chat: Callable[..., Chat],
    engine: AsyncEngine,
    clock: FakeClock,
    bot_api: FakeBotApi,  # type: ignore[type-arg]
) -> None:
    chat = make_chat()
    await onboard(chat)
    clock.set(FRIDAY_18_SHANGHAI)
    before = len(bot_api.sent_to(chat.id))
    report = await dispatcher(app).tick()
    assert not [c for c in bot_api.sent_to(chat.id)[before:] if c.text.startswith("📝 Daily review")]
    [occurrence] = await rows(engine, PromptOccurrence, user_id=chat.id, kind="daily")
    assert (occurrence.status, occurrence.reason) == ("skipped", "no active goals")
    assert report.skipped >= 1


@pytest.mark.parametrize(
    ("typed", "reply"),
    [("-3 visits", "cannot be negative"), ("1000000000000 visits", "far more than one day can hold"),
     ("lots of calls", "I could not find numbers I know"), ("2.5 visits", "whole numbers")],
)  # fmt: skip
async def test_bad_numbers_in_a_review_are_explained(
    app: Application,
    make_chat: Callable[..., Chat],
    engine: AsyncEngine,
    clock: FakeClock,
    typed: str,
    reply: str,  # type: ignore[type-arg]
) -> None:
    chat = await salesperson(make_chat, engine, clock)
    clock.set(FRIDAY_18_SHANGHAI)
    await dispatcher(app).tick()
    await chat.press("✍️ Answer now", on=chat.last_with_buttons())
    sent = await chat.send(typed)
    assert reply in sent[0].text
    assert await rows(engine, ActivityLog, user_id=chat.id) == []


async def test_ticks_send_each_prompt_once_and_downtime_is_caught_up_or_missed(
    app: Application,
    make_chat: Callable[..., Chat],
    engine: AsyncEngine,
    clock: FakeClock,
    bot_api: FakeBotApi,  # type: ignore[type-arg]
) -> None:
    chat = await salesperson(make_chat, engine, clock)
    clock.set(datetime(2026, 11, 27, 11, 30, tzinfo=UTC))  # down 17:00-19:30 around the 18:00 review
    await dispatcher(app).tick()
    await dispatcher(app).tick()
    assert len(prompts_to(bot_api, chat, "📝 Daily review for November 27")) == 1
    # Down from Monday 17:00 until 23:00: the 18:00 review is five hours late, beyond the 3 h grace.
    clock.set(datetime(2026, 11, 30, 15, 0, tzinfo=UTC))
    await dispatcher(app).tick()
    assert prompts_to(bot_api, chat, "📝 Daily review for November 30") == []
    statuses = {o.day: o.status for o in await rows(engine, PromptOccurrence, user_id=chat.id, kind="daily")}
    assert statuses == {date(2026, 11, 27): "sent", date(2026, 11, 30): "missed"}


async def test_new_york_review_stays_at_six_pm_across_daylight_saving(
    app: Application,
    make_chat: Callable[..., Chat],
    engine: AsyncEngine,
    clock: FakeClock,  # type: ignore[type-arg]
) -> None:
    chat = make_chat()
    clock.set(datetime(2026, 10, 29, 12, 0, tzinfo=UTC))
    await chat.send("/start")
    await chat.press("English")
    await chat.send("America/New_York")
    await chat.press("✔ Keep them")
    await insert_goal(engine, chat.id, clock(), start_date=date(2026, 10, 29), deadline=date(2027, 6, 30))
    due = [s.next_due_at for s in await rows(engine, PromptSchedule, user_id=chat.id, kind="daily")]
    assert due == [datetime(2026, 10, 29, 22, 0, tzinfo=UTC)]
    sent_at = []
    for day in (date(2026, 10, 29), date(2026, 10, 30), date(2026, 11, 2), date(2026, 11, 3)):
        [schedule] = await rows(engine, PromptSchedule, user_id=chat.id, kind="daily")
        assert schedule.next_day == day
        sent_at.append(schedule.next_due_at)
        clock.set(schedule.next_due_at)
        await dispatcher(app).tick()
    assert sent_at == [datetime(2026, 10, 29, 22, 0, tzinfo=UTC), datetime(2026, 10, 30, 22, 0, tzinfo=UTC),
                       datetime(2026, 11, 2, 23, 0, tzinfo=UTC), datetime(2026, 11, 3, 23, 0, tzinfo=UTC)]  # fmt: skip


async def test_moving_from_shanghai_to_berlin_midweek_makes_no_duplicate_and_no_gap(
    app: Application,
    make_chat: Callable[..., Chat],
    engine: AsyncEngine,
    clock: FakeClock,
    bot_api: FakeBotApi,  # type: ignore[type-arg]
) -> None:
    chat = make_chat()
    clock.set(datetime(2026, 11, 30, 2, 0, tzinfo=UTC))  # Monday
    await onboard(chat)
    await insert_goal(engine, chat.id, clock(), start_date=date(2026, 11, 30), deadline=date(2027, 6, 30))
    clock.set(datetime(2026, 12, 2, 10, 0, tzinfo=UTC))  # Wednesday 18:00 in Shanghai
    await dispatcher(app).tick()
    await chat.send("/settings")
    await chat.press("Time zone")
    await chat.send("Berlin")  # 11:00 in Berlin on that Wednesday: its 18:00 is still ahead
    [schedule] = await rows(engine, PromptSchedule, user_id=chat.id, kind="daily")
    assert (schedule.next_day, schedule.next_due_at) == (
        date(2026, 12, 3),
        datetime(2026, 12, 3, 17, 0, tzinfo=UTC),
    )
    clock.set(datetime(2026, 12, 2, 17, 0, tzinfo=UTC))
    await dispatcher(app).tick()
    clock.set(datetime(2026, 12, 3, 17, 0, tzinfo=UTC))
    await dispatcher(app).tick()
    served = {o.day: o.status for o in await rows(engine, PromptOccurrence, user_id=chat.id, kind="daily")}
    # Monday and Tuesday fell in the test's jump of the clock (more than 3 h late: missed, never sent).
    assert served == {
        date(2026, 11, 30): "missed",
        date(2026, 12, 1): "missed",
        date(2026, 12, 2): "sent",
        date(2026, 12, 3): "sent",
    }
    assert len(prompts_to(bot_api, chat, "📝 Daily review for December 2")) == 1


async def test_a_blocked_user_is_marked_and_skipped_afterwards(
    app: Application,
    make_chat: Callable[..., Chat],
    engine: AsyncEngine,
    clock: FakeClock,
    bot_api: FakeBotApi,  # type: ignore[type-arg]
) -> None:
    chat = await salesperson(make_chat, engine, clock)
    bot_api.fail(
        403, "Forbidden: bot was blocked by the user", method="sendMessage", chat_id=chat.id, count=99
    )
    clock.set(FRIDAY_18_SHANGHAI)
    await dispatcher(app).tick()
    user = await fetch(engine, User, chat.id)
    assert isinstance(user, User) and not user.is_active
    # The weekly evaluation and the daily review were both due and may be in flight together: each 403 is
    # recorded as such; nothing is retried into the block.
    occurrences = await rows(engine, PromptOccurrence, user_id=chat.id)
    failed = [o.reason for o in occurrences if o.status == "failed"]
    assert failed and set(failed) == {"blocked: Forbidden: bot was blocked by the user"}
    assert {o.status for o in occurrences} <= {"failed", "skipped"}
    prompts = ("📝 Daily review", "📊 Weekly evaluation")
    assert not [c for c in bot_api.sent_to(chat.id) if c.text.startswith(prompts)]
    assert all(not s.active for s in await rows(engine, PromptSchedule, user_id=chat.id))
    clock.set(datetime(2026, 11, 30, 10, 0, tzinfo=UTC))
    await dispatcher(app).tick()
    assert len(await rows(engine, PromptOccurrence, user_id=chat.id)) == len(occurrences)


async def test_one_gentle_reminder_two_hours_later(
    app: Application,
    make_chat: Callable[..., Chat],
    engine: AsyncEngine,
    clock: FakeClock,
    bot_api: FakeBotApi,  # type: ignore[type-arg]
) -> None:
    chat = await salesperson(make_chat, engine, clock)
    clock.set(FRIDAY_18_SHANGHAI)
    await dispatcher(app).tick()
    clock.advance(hours=1, minutes=59)
    await dispatcher(app).tick()
    assert prompts_to(bot_api, chat, "A gentle nudge") == []
    clock.advance(minutes=2)
    await dispatcher(app).tick()
    clock.advance(hours=1)
    await dispatcher(app).tick()
    # The weekly evaluation (Friday 17:00) went out in the same tick and gets its own nudge.
    assert prompts_to(bot_api, chat, "A gentle nudge: your daily review") == [
        "A gentle nudge: your daily review for November 27, 2026 is still open. One minute is enough."]  # fmt: skip


async def test_pause_and_resume(
    app: Application,
    make_chat: Callable[..., Chat],
    engine: AsyncEngine,
    clock: FakeClock,
    bot_api: FakeBotApi,  # type: ignore[type-arg]
) -> None:
    chat = await salesperson(make_chat, engine, clock)
    sent = await chat.send("/pause")
    assert "Reviews paused" in sent[-1].text
    clock.set(FRIDAY_18_SHANGHAI)
    await dispatcher(app).tick()
    assert prompts_to(bot_api, chat, "📝 Daily review") == []
    sent = await chat.send("/resume")
    assert "Welcome back!" in sent[-1].text
    [schedule] = await rows(engine, PromptSchedule, user_id=chat.id, kind="daily")
    assert schedule.next_day == date(2026, 11, 30), "resuming does not resend what was due while paused"


async def test_log_undo_and_past_days(
    app: Application,
    make_chat: Callable[..., Chat],
    engine: AsyncEngine,
    clock: FakeClock,  # type: ignore[type-arg]
) -> None:
    chat = await salesperson(make_chat, engine, clock, "zh_CN")
    sent = await chat.send("/log 签单2个 8万")
    assert "已记录（2026年11月27日）" in sent[-1].text and "24 小时内可用 /undo 撤销" in sent[-1].text
    sent = await chat.send("/log 11月20日 拜访5次")
    assert "已记录（2026年11月20日）" in sent[-1].text
    sent = await chat.send("/log 明天 电话3个")
    assert "那一天还没到" in sent[-1].text
    [entry] = await rows(engine, Entry, user_id=chat.id)
    assert (entry.day, entry.amount) == (date(2026, 11, 27), Decimal(80000))
    sent = await chat.send("/undo")
    assert "已撤销你2026年11月20日的最近一次 /log" in sent[-1].text
    sent = await chat.send("/undo")
    assert "已撤销你2026年11月27日的最近一次 /log" in sent[-1].text
    sent = await chat.send("/undo")
    assert "没有可撤销的" in sent[-1].text
    assert await rows(engine, Entry, user_id=chat.id) == []
    assert [a.action for a in await rows(engine, EntryAudit, user_id=chat.id)] == [
        "add",
        "add",
        "undo",
        "undo",
    ]


async def test_weekly_evaluation_and_monthly_summary(
    app: Application,
    make_chat: Callable[..., Chat],
    engine: AsyncEngine,
    clock: FakeClock,  # type: ignore[type-arg]
) -> None:
    chat = await salesperson(make_chat, engine, clock)
    await chat.send("/log 3 deals 30k")
    clock.set(datetime(2026, 11, 27, 9, 0, tzinfo=UTC))  # Friday 17:00: weekly evaluation
    await dispatcher(app).tick()
    prompt = next(c for c in reversed(chat.api.sent_to(chat.id)) if "📊 Weekly evaluation" in c.text)
    sent = await chat.press("✍️ Answer now", on=prompt)
    # The goal started on Friday, so this week's target is Friday's share alone (1,200,000 / 89, rounded).
    assert (
        "Your week:\n✅ CN¥1,200,000 revenue by 2027-03-31: CN¥30,000 of CN¥13,483 this week" in sent[-1].text
    )
    await chat.press("4")
    sent = await chat.send("Visit the three clinics on Monday morning")
    assert "Your rating: 4/5. Daily reviews answered in a row: 0." in sent[-1].text
    weekly = await rows(engine, ReviewAnswer, user_id=chat.id, kind="weekly")
    assert weekly[0].answers == {"rating": 4, "change": "Visit the three clinics on Monday morning"}

    clock.set(datetime(2026, 11, 30, 9, 0, tzinfo=UTC))  # Monday 30 November 17:00: last working day
    await dispatcher(app).tick()
    prompt = next(c for c in reversed(chat.api.sent_to(chat.id)) if "📅 Monthly summary" in c.text)
    sent = await chat.press("✍️ Answer now", on=prompt)
    assert "Your month:" in sent[-1].text
    sent = await chat.send("Lost the clinic deal on price; bundle training next time")
    assert (
        "Next month's targets:" in sent[-1].text
        and "CN¥1,200,000 revenue by 2027-03-31: CN¥" in sent[-1].text
    )
    sent = await chat.press("✔ Confirm")
    assert "Next month's targets confirmed." in sent[-1].text
    [monthly] = await rows(engine, ReviewAnswer, user_id=chat.id, kind="monthly")
    assert monthly.answers["lessons"].startswith("Lost the clinic deal")


async def test_prompt_buttons_refuse_another_users_occurrence(
    app: Application,
    make_chat: Callable[..., Chat],
    engine: AsyncEngine,
    clock: FakeClock,  # type: ignore[type-arg]
) -> None:
    owner = await salesperson(make_chat, engine, clock)
    intruder = make_chat()
    await onboard(intruder)
    clock.set(FRIDAY_18_SHANGHAI)
    await dispatcher(app).tick()
    [occurrence] = await rows(engine, PromptOccurrence, user_id=owner.id, kind="daily")
    sent = await intruder.press_data(f"r:skip:{occurrence.id}", on=intruder.api.last_sent_to(intruder.id))
    assert "no longer does anything" in sent[-1].text
    [occurrence] = await rows(engine, PromptOccurrence, user_id=owner.id, kind="daily")
    assert occurrence.status == "sent"


async def test_quiet_hours_move_a_late_review(
    app: Application,
    make_chat: Callable[..., Chat],
    engine: AsyncEngine,
    clock: FakeClock,  # type: ignore[type-arg]
) -> None:
    chat = make_chat()
    await onboard(chat)
    await chat.send("/settings")
    await chat.press("Daily review")
    await chat.send("23:00")
    [schedule] = await rows(engine, PromptSchedule, user_id=chat.id, kind="daily")
    # 23:00 falls in the default quiet hours (22:00-08:00): the prompt waits until 08:00 the next morning.
    assert schedule.next_day == date(2026, 11, 27)
    assert schedule.next_due_at == datetime(2026, 11, 28, 0, 0, tzinfo=UTC)
    assert (
        time(8, 0) == schedule.next_due_at.astimezone(__import__("zoneinfo").ZoneInfo("Asia/Shanghai")).time()
    )


async def test_a_send_that_crashes_cancels_the_ticks_other_sends(
    app: Application,
    make_chat: Callable[..., Chat],
    engine: AsyncEngine,
    clock: FakeClock,  # type: ignore[type-arg]
) -> None:
    chats = [await salesperson(make_chat, engine, clock) for _ in range(3)]
    clock.set(FRIDAY_18_SHANGHAI)  # a Friday: each has a daily review and a weekly evaluation due
    started: list[tuple[int, str]] = []
    cancelled: list[tuple[int, str]] = []
    others_in_flight = asyncio.Event()

    async def sender(occurrence: PromptOccurrence, user: User, reminder: bool) -> int:
        started.append((user.id, occurrence.kind))
        if len(started) == 1:
            await others_in_flight.wait()
            raise RuntimeError("the transport broke")
        if len(started) == 3:
            others_in_flight.set()
        try:
            await asyncio.Event().wait()  # a send that has not come back yet
        except asyncio.CancelledError:
            cancelled.append((user.id, occurrence.kind))
            raise
        raise AssertionError("unreachable")

    crashing = Dispatcher(dispatcher(app).services, sender, DispatcherConfig(concurrency=3))
    with pytest.raises(ExceptionGroup) as raised:
        await crashing.tick()
    assert raised.group_contains(RuntimeError, match="the transport broke")
    assert len(started) == 3 and sorted(cancelled) == sorted(started[1:]), "no send outlives the failed tick"
    statuses = {(o.user_id, o.kind): o.status for o in await rows(engine, PromptOccurrence)}
    assert len(statuses) == 6
    assert {key for key, status in statuses.items() if status == "sending"} == set(started)

    # The next process: the three that may have reached Telegram are never sent again, the rest go out.
    await dispatcher(app).recover()
    await dispatcher(app).tick()
    statuses = {(o.user_id, o.kind): o.status for o in await rows(engine, PromptOccurrence)}
    assert statuses == {key: "unconfirmed" if key in started else "sent" for key in statuses}
    sent = [(chat.id, kind) for chat in chats for kind, marker in (("daily", "📝"), ("weekly", "📊"))
            if prompts_to(chat.api, chat, marker)]  # fmt: skip
    assert sorted(sent) == sorted(key for key in statuses if key not in started)


@pytest.mark.parametrize("language", ["en", "zh_CN"])
async def test_a_review_day_outside_a_goals_dates_says_so_and_counts_nothing_there(
    app: Application,
    make_chat: Callable[..., Chat],
    engine: AsyncEngine,
    clock: FakeClock,
    bot_api: FakeBotApi,  # type: ignore[type-arg]
    language: str,
) -> None:
    # With nothing to report, the summary says the day is outside the later goal's dates; a report for such
    # a day is asked about before anything is stored (tests/telegram/test_review_out_of_window.py).
    chat = await salesperson(make_chat, engine, clock, language)
    await insert_goal(engine, chat.id, clock(), metric="revenue", kind="currency", unit="CNY",
                      target_value=Decimal(500_000), start_date=date(2026, 12, 7),
                      deadline=date(2027, 3, 31), description="Sell the spring bundle")  # fmt: skip
    clock.set(FRIDAY_18_SHANGHAI)
    await dispatcher(app).tick()
    answer_now, nothing, skip = (
        ("✍️ Answer now", "Nothing to report", "Skip")
        if language == "en"
        else ("✍️ 现在回答", "今天没有可记录的", "跳过")
    )
    await chat.press(answer_now, on=chat.last_with_buttons())
    await chat.press(nothing)
    for _question in range(3):
        sent = await chat.press(skip)
    reply = sent[-1].text
    assert (
        "is outside its dates (December 7, 2026 – March 31, 2027), so nothing that day counts for it."
        if language == "en"
        else "不在这个目标的日期内（2026年12月7日 – 2027年3月31日），那天的成绩不计入它。"
    ) in reply
    assert await rows(engine, Entry, user_id=chat.id) == []
