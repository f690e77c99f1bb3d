"""A user with no goal: at the daily review time, at most once a week, a short prompt to set one."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy.ext.asyncio import AsyncEngine
from telegram.ext import Application

from bot.devtools.fake_bot_api import FakeBotApi
from bot.storage.models import PromptOccurrence
from tests.auxil.chat import Chat
from tests.auxil.clock import FakeClock
from tests.auxil.database import rows
from tests.auxil.goals import onboard
from tests.telegram.test_reviews import dispatcher

FRIDAY_18_SHANGHAI = datetime(2026, 11, 27, 10, 0, tzinfo=UTC)
INVITES = {
    "en": "🎯 It is your daily review time, but you have no open goal",
    "zh": "🎯 到每日回顾的时间了，不过你还没有进行中的目标",
}


@pytest.mark.parametrize("language", ["en", "zh"])
async def test_a_goal_less_user_is_invited_once_a_week(
    app: Application,  # type: ignore[type-arg]
    make_chat: Callable[..., Chat],
    engine: AsyncEngine,
    clock: FakeClock,
    bot_api: FakeBotApi,
    language: str,
) -> None:
    chat = make_chat(language_code="en" if language == "en" else "zh-hans")
    await onboard(chat, language)
    invites_by_day: dict[date, int] = {}
    for offset in range(
        8
    ):  # Friday 2026-11-27 through the next Friday, ticking every quarter hour 17:00-20:00
        start = FRIDAY_18_SHANGHAI + timedelta(days=offset, hours=-1)
        before = len(bot_api.sent_to(chat.id))
        for quarter in range(13):
            clock.set(start + timedelta(minutes=15 * quarter))
            await dispatcher(app).tick()
        sent = bot_api.sent_to(chat.id)[before:]
        invites_by_day[(start + timedelta(hours=8)).date()] = sum(INVITES[language] in c.text for c in sent)
        assert not [c for c in sent if c.text.startswith("📝")], "no daily review without a goal"
    assert sum(count for day, count in invites_by_day.items() if day < date(2026, 12, 4)) == 1
    assert invites_by_day[date(2026, 11, 27)] == 1
    assert invites_by_day[date(2026, 12, 4)] == 1, "a week later, the next one"
    invite = next(c for c in bot_api.sent_to(chat.id) if INVITES[language] in c.text)
    assert "/newgoal" in invite.text and "18:00" in invite.text
    invited = await rows(engine, PromptOccurrence, user_id=chat.id, kind="goal_invite")
    assert [(row.day, row.status) for row in invited] == [
        (date(2026, 11, 27), "sent"),
        (date(2026, 12, 4), "sent"),
    ]
    daily = await rows(engine, PromptOccurrence, user_id=chat.id, kind="daily")
    assert {(row.status, row.reason) for row in daily} == {("skipped", "no active goals")}
    assert len(daily) == 6  # the working days: Fri, Mon-Fri


async def test_typing_under_the_invite_is_not_a_review_answer(
    app: Application,  # type: ignore[type-arg]
    make_chat: Callable[..., Chat],
    clock: FakeClock,
) -> None:
    chat = make_chat()
    await onboard(chat)
    clock.set(FRIDAY_18_SHANGHAI)
    await dispatcher(app).tick()
    assert INVITES["en"] in chat.last_text()
    sent = await chat.send("ok thanks")
    assert "I am not waiting for an answer right now. To record results, type /log" in sent[-1].text
