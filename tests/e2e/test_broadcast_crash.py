"""/broadcast to 500 users by the real bot process, SIGKILLed in the middle of sending: after the restart
each user has it once at most, the only ones without it are the sends the kill caught under way (recorded
unconfirmed, never repeated), and the admin gets one report that adds up."""

from __future__ import annotations

from collections import Counter
from datetime import datetime, timedelta

import pytest
from sqlalchemy import insert, select
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.core.lifecycle.broadcasts import BroadcastStatus
from bot.core.lifecycle.outbox import OutboxStatus
from bot.devtools.fake_bot_api import JSON
from bot.scheduler.outbox import OutboxConfig
from bot.storage.broadcast_models import Broadcast, BroadcastDelivery
from bot.storage.message_models import OutboxMessage
from bot.storage.models import User
from tests.e2e.harness import Harness
from tests.e2e.test_fanout import FAST, latency, until

pytestmark = pytest.mark.e2e

ADMIN, FIRST_USER, USERS = 777_000_001, 777_100_001, 500
TEXT = "📣 Year-end: the new price list is live. Ask your manager for the PDF."


def is_broadcast(method: str, params: JSON) -> bool:
    return method == "sendMessage" and params.get("text") == TEXT


async def seed(engine: AsyncEngine, start: datetime) -> list[int]:
    chats = list(range(FIRST_USER, FIRST_USER + USERS))
    rows = [
        {"id": user_id, "first_name": f"Seller {user_id}", "timezone": "Asia/Shanghai", "language": "en",
         "created_at": start, "updated_at": start, "onboarded_at": start}
        for user_id in chats
    ]  # fmt: skip
    async with engine.begin() as connection:
        await connection.execute(insert(User), rows)
    return chats


async def test_a_sigkill_in_the_middle_of_a_broadcast_to_500_users_sends_each_once(
    harness: Harness, engine: AsyncEngine
) -> None:
    start = datetime.fromisoformat(harness.env["CLOCK_START"])
    chats = await seed(engine, start)
    latency(harness.api, 0.01)
    settings = {**FAST, "ADMIN_IDS": str(ADMIN)}
    bot = await harness.start(**settings)
    admin = harness.chat(ADMIN)
    await admin.send(f"/broadcast {TEXT}", expect="Who should get this message?")
    await admin.press(f"Everyone ({USERS + 1})", expect="It goes to 501 users.")
    await admin.press("✔ Send", expect="I'll report here when it's done.")
    await until(
        [bot], harness.emulator.wait_for_requests(is_broadcast, 150, timeout=60), "150 of the broadcast"
    )
    await harness.kill()
    received = sum(1 for request in harness.emulator.received if is_broadcast(*request))
    assert received < USERS, "killed in the middle"

    # On PostgreSQL a dead process's sends are taken back after their lease: the restart is that much later.
    later = start + OutboxConfig().lease + timedelta(minutes=1)
    bot = await harness.start(**settings, CLOCK_START=later.isoformat())
    report = "📣 Broadcast finished:"
    await bot.wait_for_calls(harness.api, lambda _: report in admin.sent()[-1].text, "the report", timeout=60)

    requests = Counter(
        params["chat_id"] for method, params in harness.emulator.received if is_broadcast(method, params)
    )
    delivered = Counter(call.chat_id for call in harness.api.calls if is_broadcast(call.method, call.params))
    assert max(requests.values()) == 1, "no user was sent it twice"
    async with engine.connect() as connection:
        outbox = dict(
            (
                await connection.execute(
                    select(OutboxMessage.chat_id, OutboxMessage.status).where(OutboxMessage.text == TEXT)
                )
            ).all()
        )
        (status,) = (await connection.execute(select(Broadcast.status))).scalars().all()
        deliveries = (await connection.execute(select(BroadcastDelivery.user_id))).scalars().all()
    recipients = {ADMIN, *chats}
    assert sorted(deliveries) == sorted(recipients), "one delivery row per user"
    assert set(outbox) == recipients
    missing = recipients - set(delivered)
    assert all(outbox[chat] is OutboxStatus.UNCONFIRMED for chat in missing), "only sends the kill caught"
    assert len(missing) <= OutboxConfig().concurrency
    sent = sum(1 for value in outbox.values() if value is OutboxStatus.SENT)
    unsure = sum(1 for value in outbox.values() if value is OutboxStatus.UNCONFIRMED)
    assert sent + unsure == len(recipients) and unsure <= OutboxConfig().concurrency
    assert status is BroadcastStatus.REPORTED
    reports = [call.text for call in admin.sent() if report in call.text]
    expected = f"📣 Broadcast finished: {sent} sent, 0 failed, 0 blocked the bot."
    if unsure:
        expected += f"\n{unsure} {'was' if unsure == 1 else 'were'} being sent when the bot stopped: "
        expected += (
            "it may have arrived, and was not sent again."
            if unsure == 1
            else "they may have arrived, and were not sent again."
        )
    assert reports == [expected], "one report"
