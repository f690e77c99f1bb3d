"""The real bot process in webhook mode with LOG_FORMAT=json (web15): a wrong or missing secret is refused
with 403 and stores nothing; every line of the log is one JSON object, and no line holds a secret."""

from __future__ import annotations

import asyncio
import hashlib
import json
import socket

import httpx
import pytest
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.storage.message_models import InboxUpdate
from tests.e2e.harness import STARTUP_WAIT, TOKEN, BotProcess, Harness
from tests.e2e.webhook_mode import HOOK_PATH, SECRET, start_by_webhook, webhook_env

pytestmark = pytest.mark.e2e
SALT = "pepper-for-the-logs"


async def inbox_rows(engine: AsyncEngine) -> int:
    async with engine.connect() as connection:
        return int(await connection.scalar(select(func.count()).select_from(InboxUpdate)) or 0)


async def test_wrong_secrets_are_refused_and_the_json_log_holds_no_secret(
    harness: Harness, engine: AsyncEngine
) -> None:
    port = await start_by_webhook(harness, LOG_FORMAT="json", LOG_LEVEL="DEBUG", LOG_USER_SALT=SALT)
    bot = harness.bot
    assert bot is not None
    chat = harness.chat(424_242_950, language_code="en")
    hook = f"http://127.0.0.1:{port}{HOOK_PATH}"
    forged = harness.api.message_update(chat.user, "/start")
    async with httpx.AsyncClient() as client:
        for headers in ({}, {"X-Telegram-Bot-Api-Secret-Token": "guess"}):
            refused = await client.post(hook, json=forged, headers=headers)
            assert refused.status_code == 403
    assert await inbox_rows(engine) == 0, "a refused update is not stored"
    assert chat.sent() == []

    await chat.send("/start", expect="Which language shall I use?")
    assert await inbox_rows(engine) == 1
    assert await bot.terminate() == 0, bot.tail()

    lines = [json.loads(line) for line in bot.stderr if line.strip()]  # each line parses on its own
    assert lines and all(
        {"time", "level", "logger", "message", "update_id", "user", "handler", "duration_ms"} <= set(line)
        for line in lines
    )
    refusals = [line for line in lines if "webhook: refused a request" in line["message"]]
    assert [line["message"].rsplit(": ", 1)[1] for line in refusals] == [
        "missing secret token",
        "wrong secret token",
    ]
    assert all(line["level"] == "WARNING" for line in refusals)
    assert [line for line in lines if line["handler"] == "profile.start"], (
        "the /start handler's lines name it"
    )
    expected_user = hashlib.sha256(f"{chat.id}:{SALT}".encode()).hexdigest()[:12]
    handled = [line for line in lines if line["duration_ms"] is not None]
    assert len(handled) == 1
    assert handled[0]["user"] == expected_user and handled[0]["handler"] == "profile.start"
    assert isinstance(handled[0]["update_id"], int) and handled[0]["duration_ms"] > 0
    output = bot.output
    assert str(chat.id) not in "".join(json.dumps(line["user"]) for line in lines)
    for secret in (TOKEN, TOKEN.partition(":")[2], SECRET):
        assert secret not in output, "a secret reached the log"
    assert any("<redacted>" in line["message"] for line in lines), "the Bot API URLs are logged, redacted"


@pytest.mark.parametrize("log_format", ["text", "json"])
async def test_a_webhook_port_in_use_is_one_line_and_exit_2(harness: Harness, log_format: str) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = int(taken.getsockname()[1])
        bot = BotProcess({**harness.env, **webhook_env(port), "LOG_FORMAT": log_format})
        await bot.start()
        harness.started.append(bot)
        assert bot.process is not None
        code = await asyncio.wait_for(bot.process.wait(), STARTUP_WAIT)
        await bot.kill()  # reaps it and collects the output
    assert code == 2, bot.tail()
    expected = f"quota-coach: WEBHOOK_PORT: cannot listen on 127.0.0.1:{port}: "
    if log_format == "json":  # webhook15: the one line is JSON too, like every line before it
        lines = [json.loads(line) for line in bot.stderr if line.strip()]
        [line] = [line for line in lines if line["message"].startswith("quota-coach:")]
        assert line["message"].startswith(expected) and line["level"] == "CRITICAL"
    else:
        [text] = [line for line in bot.stderr if line.startswith("quota-coach:")]
        assert text.startswith(expected)
    assert not any(call.method == "setWebhook" for call in harness.api.calls), "no webhook without a server"
