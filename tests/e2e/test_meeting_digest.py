"""The managers' digest is sent exactly once across a SIGKILL and a restart of the real bot process.

The team and its week are seeded directly; the bot's clock (CLOCK_START) starts just after the digest
is due. The emulator holds the digest's send until the bot has been killed, then delivers it, as
Telegram delivers a message whose sender died on the way; the restarted bot must not send it again.
"""

from __future__ import annotations

import asyncio
from datetime import timedelta

import pytest
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.core.lifecycle.meetings import MeetingSendStatus
from bot.devtools.fake_bot_api import Fault
from bot.storage.meeting_models import TeamMeeting
from tests.auxil.database import rows
from tests.auxil.meetings import DIGEST_AT, MANAGER, MEETING_DAY, prepare_team, prepare_week
from tests.e2e.harness import WAIT, Harness
from tests.e2e.outbox_rows import none_open, outbox_rows

pytestmark = pytest.mark.e2e
DIGEST = "📋 East China KA: sales meeting"
FAST = {"DISPATCH_INTERVAL_SECONDS": "0.2"}


def digests(harness: Harness) -> list[str]:
    return [call.text for call in harness.api.sent_to(MANAGER) if call.text.startswith(DIGEST)]


async def test_sigkill_while_the_digest_is_on_its_way_sends_it_once(
    harness: Harness, engine: AsyncEngine
) -> None:
    team = await prepare_team(engine)
    await prepare_week(engine, team)
    start = DIGEST_AT + timedelta(seconds=5)
    release = asyncio.Event()
    hold = Fault(200, "held", method="sendMessage", chat_id=MANAGER, release=release)
    harness.api.faults.insert(0, hold)
    seen = len(harness.emulator.received)
    await harness.start(CLOCK_START=start.isoformat(), **FAST)
    method, params = await harness.emulator.wait_for_request(lambda _, p: p.get("chat_id") == MANAGER, seen)
    assert method == "sendMessage" and str(params["text"]).startswith(DIGEST)
    await harness.kill()
    held = [m for m in await rows(engine, TeamMeeting, team_id=team.team_id) if m.day == MEETING_DAY]
    assert [m.digest_status for m in held] == [MeetingSendStatus.SENT], "recorded with the outbox rows"
    # Telegram delivers the message whose sender died while it was on its way.
    harness.api.faults.remove(hold)
    release.set()
    await asyncio.wait(set(harness.emulator.in_flight), timeout=WAIT)
    assert len(digests(harness)) == 1

    # The restart comes later than the crash (past the dead process's send lease on PostgreSQL).
    bot = await harness.start(CLOCK_START=(start + timedelta(seconds=40)).isoformat(), **FAST)
    after = 0
    for _ in range(3):  # three whole passes of the restarted process's job
        line = await bot.wait_for_output(r"team meetings pass", after=after)
        after = bot.lines.index(line) + 1
    assert len(digests(harness)) == 1, "the digest that reached Telegram was not sent again"
    recorded = await outbox_rows(engine, MANAGER, none_open)
    assert [row.status for row in recorded] == ["unconfirmed"]
    meetings = await rows(engine, TeamMeeting, team_id=team.team_id)
    assert (meetings[0].day, meetings[0].digest_status) == (MEETING_DAY, MeetingSendStatus.SENT)
    assert len(meetings) == 2, "the next week's meeting is planned, once"


async def test_a_bot_started_after_the_digest_was_due_sends_it_once(
    harness: Harness, engine: AsyncEngine
) -> None:
    team = await prepare_team(engine)
    await prepare_week(engine, team)
    start = DIGEST_AT + timedelta(minutes=10)
    bot = await harness.start(CLOCK_START=start.isoformat(), **FAST)
    await bot.wait_for_calls(harness.api, lambda _: len(digests(harness)) == 1, "the digest")
    await harness.kill()
    bot = await harness.start(CLOCK_START=(start + timedelta(seconds=40)).isoformat(), **FAST)
    after = 0
    for _ in range(3):
        line = await bot.wait_for_output(r"team meetings pass", after=after)
        after = bot.lines.index(line) + 1
    assert len(digests(harness)) == 1
    assert "Zhao: 5 working days in a row" in digests(harness)[0]
