"""The real bot process in webhook mode: the emulator POSTs every update; onboarding to a daily review."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

import httpx
import pytest
from prometheus_client.parser import text_string_to_metric_families
from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.storage.message_models import InboxUpdate
from bot.storage.models import ActivityLog, Entry, PromptOccurrence, PromptSchedule, ReviewAnswer, User
from bot.telegram.webhook import ALLOWED_UPDATES
from tests.auxil.database import fetch, rows
from tests.auxil.goals import goals_of
from tests.e2e.harness import TOKEN, Harness
from tests.e2e.webhook_mode import HOOK_PATH, SECRET, get, set_webhook_call, start_by_webhook

pytestmark = pytest.mark.e2e


def samples(text: str) -> dict[tuple[str, tuple[tuple[str, str], ...]], float]:
    """Every sample of a /metrics page, parsed by prometheus-client's own parser."""
    found = {}
    for family in text_string_to_metric_families(text):
        for sample in family.samples:
            found[(sample.name, tuple(sorted(sample.labels.items())))] = sample.value
    return found


async def test_onboarding_goal_and_daily_review_by_webhook(harness: Harness, engine: AsyncEngine) -> None:
    port = await start_by_webhook(harness, DISPATCH_INTERVAL_SECONDS="0.5")
    hook = set_webhook_call(harness).params
    assert hook["url"] == f"http://127.0.0.1:{port}{HOOK_PATH}" and hook["secret_token"] == SECRET
    assert hook["allowed_updates"] == list(ALLOWED_UPDATES) and hook["max_connections"] == 10
    assert hook["drop_pending_updates"] is False
    # While the webhook is set, getUpdates is refused, as Telegram does.
    async with httpx.AsyncClient() as client:
        refused = await client.get(f"{harness.emulator.base_url}{TOKEN}/getUpdates")
    assert (
        refused.status_code == 409 and "can't use getUpdates method while webhook is active" in refused.text
    )

    chat = harness.chat(424_242_901, language_code="en", first_name="Mei")
    await chat.send("/start", expect="Which language shall I use?")
    await chat.press("English", expect="Which time zone are you in?")
    await chat.send("Asia/Shanghai", expect="Keep these times?")
    await chat.press("✔ Keep them", expect="All set, Mei!")
    await chat.send("/newgoal", expect="S — Specific")
    await chat.press("💰 Revenue", expect="In one line")
    await chat.send("Sell the ERP upgrade to hospital clients in East China", expect="M — Measurable")
    await chat.send("500k", expect="T — Time-bound")
    await chat.send("end of Q1 2027", expect="A — Achievable")
    await chat.send("400k", expect="average deal size")
    await chat.send("50k", expect="How sure are you")
    await chat.press("8", expect="R — Relevant")
    await chat.send("Company target: +30% revenue this year", expect="Your goal:")
    await chat.press("💾 Save", expect="Saved!")

    # Today's 18:00 review, made due now: the dispatcher of the webhook process sends it.
    async with engine.begin() as connection:
        await connection.execute(
            update(PromptSchedule)
            .where(PromptSchedule.user_id == chat.id, PromptSchedule.kind == "daily")
            .values(next_due_at=datetime.fromisoformat(harness.env["CLOCK_START"]))
        )
    bot = harness.bot
    assert bot is not None
    await bot.wait_for_calls(
        harness.api,
        lambda _: any("📝 Daily review for November 27, 2026" in call.text for call in chat.sent()),
        "the daily review prompt",
    )
    await chat.press("✍️ Answer now", expect="what did you get done?")
    await chat.send("3 visits, 12 calls, 1 deal 50k", expect="Correct?")
    await chat.press("✔ Correct", expect="went well")
    await chat.send("Closed the Hangzhou hospital deal", expect="problem")
    await chat.press("Skip", expect="better tomorrow?")
    await chat.send("Call back the two leads before 10:00", expect="is saved")

    user = await fetch(engine, User, chat.id)
    assert isinstance(user, User) and user.onboarded_at is not None and user.timezone == "Asia/Shanghai"
    [goal] = await goals_of(engine, chat.id)
    assert (goal.target_value, goal.deadline) == (Decimal(500000), date(2027, 3, 31))
    [entry] = await rows(engine, Entry, user_id=chat.id)
    assert (entry.day, entry.amount, entry.source) == (date(2026, 11, 27), Decimal(50000), "review")
    activities = {a.measure: a.amount for a in await rows(engine, ActivityLog, user_id=chat.id)}
    assert activities == {"visits": 3, "calls": 12, "deals": 1, "revenue": 50000}
    [answer] = await rows(engine, ReviewAnswer, user_id=chat.id)
    assert answer.answers["went_well"] == "Closed the Hangzhou hospital deal"
    [occurrence] = await rows(engine, PromptOccurrence, user_id=chat.id, kind="daily")
    assert occurrence.status == "answered"
    async with engine.connect() as connection:
        stored = (
            await connection.execute(select(InboxUpdate.status).where(InboxUpdate.user_id == chat.id))
        ).all()
    assert len(stored) == 20 and {row.status for row in stored} == {"done"}, "every POSTed update is handled"
    delivery = harness.emulator.webhook
    assert delivery is not None and {attempt.status for attempt in delivery.attempts} == {200}

    # The same server answers the probes and the scrape; the counters saw the journey.
    assert (await get(port, "/healthz")).status_code == 200
    ready = await get(port, "/readyz")
    assert ready.status_code == 200, ready.text
    assert ready.json()["failing"] == []
    metrics = samples((await get(port, "/metrics")).text)
    assert metrics[("quota_coach_updates_received_total", (("type", "message"),))] == 12
    assert metrics[("quota_coach_updates_received_total", (("type", "callback_query"),))] == 8
    assert metrics[("quota_coach_updates_handled_total", (("outcome", "done"), ("type", "message")))] == 12
    assert metrics[("quota_coach_prompts_total", (("outcome", "sent"),))] >= 1
    assert metrics[("quota_coach_inbox_depth", ())] == 0 and metrics[("quota_coach_database_up", ())] == 1
    assert (
        metrics[("quota_coach_handler_duration_seconds_count", (("handler", "dialog.text_or_other"),))] >= 5
    )
    info = await harness.api.call("getWebhookInfo", {})
    assert info[1]["result"]["pending_update_count"] == 0
    assert await bot.terminate() == 0, bot.tail()
