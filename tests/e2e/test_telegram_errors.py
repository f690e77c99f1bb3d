"""Telegram's errors as the real bot meets them over HTTP: a user who blocked it, flood limits, outages."""

from __future__ import annotations

import time

import pytest
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.storage.models import User
from tests.auxil.database import fetch
from tests.e2e.harness import Harness
from tests.e2e.outbox_rows import none_open, outbox_rows

pytestmark = pytest.mark.e2e


async def test_a_user_who_blocked_the_bot_is_marked_and_others_are_still_served(
    harness: Harness, engine: AsyncEngine
) -> None:
    blocker = harness.chat(424_242_101, first_name="Blocker")
    other = harness.chat(424_242_102, first_name="Other")
    blocked = harness.api.fail(
        403, "Forbidden: bot was blocked by the user", method="sendMessage", chat_id=blocker.id, count=100
    )
    bot = await harness.start()

    await harness.api.push(harness.api.message_update(blocker.user, "/start"))
    # The error handler logs once it has stored the block: an event to wait for, not a guess of time.
    await bot.wait_for_output(rf"user {blocker.id} blocked the bot")
    await other.send("/start", expect="Which language shall I use?")

    assert bot.returncode is None, "the bot stopped after a 403"
    assert blocked.count == 99, "the bot kept messaging a user who had blocked it"
    assert blocker.sent() == []
    user = await fetch(engine, User, blocker.id)
    assert isinstance(user, User)
    assert user.is_active is False
    assert user.blocked_at is not None
    served = await fetch(engine, User, other.id)
    assert isinstance(served, User) and served.is_active is True and served.blocked_at is None


async def test_a_429_is_waited_out_and_the_message_still_arrives(harness: Harness) -> None:
    chat = harness.chat(424_242_201)
    flood = harness.api.fail(
        429, "Too Many Requests: retry after 1", method="sendMessage", chat_id=chat.id, retry_after=1
    )
    await harness.start()

    started = time.monotonic()
    sent = await chat.send("/start", expect="Which language shall I use?")
    waited = time.monotonic() - started

    assert flood.count == 0, "the 429 was never answered"
    assert waited >= 1.0, f"the bot retried after {waited:.2f}s, before Telegram's retry_after of 1 s"
    assert len(sent) == 2, "the greeting was lost or sent twice"
    assert "Hello, Li!" in sent[0].text, "the retried greeting came after the next message"


async def test_a_server_error_on_a_reply_is_retried_in_order_and_the_bot_carries_on(
    harness: Harness, engine: AsyncEngine
) -> None:
    chat = harness.chat(424_242_301)
    outage = harness.api.fail(500, "Internal Server Error", method="sendMessage", chat_id=chat.id)
    await harness.start()

    # The greeting meets the 500: it stays recorded and goes again after a backoff, before the question.
    sent = await chat.send("/start", expect="Which language shall I use?")
    assert outage.count == 0
    assert len(sent) == 2 and "Hello, Li!" in sent[0].text, "the greeting was lost, doubled or overtaken"
    assert "Sorry" not in "".join(call.text for call in sent), "nothing failed that the user must hear of"
    recorded = await outbox_rows(engine, chat.id, none_open)
    assert [(m.status, m.attempts) for m in recorded] == [("sent", 2), ("sent", 1)]
    await chat.send("/help", expect="/cancel — Leave the current question")
