"""The bot's web server in process (web15): the webhook's secret and its 200 after the commit, /healthz,
/readyz on this run's database (SQLite, or PostgreSQL with TEST_DATABASE_URL) and /metrics."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from prometheus_client.parser import text_string_to_metric_families
from sqlalchemy import event, select
from sqlalchemy.engine import Connection
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.app import build_application
from bot.devtools.fake_bot_api import FakeBotApi
from bot.devtools.inprocess_request import InProcessRequest
from bot.services.container import build_services
from bot.settings import Settings
from bot.storage.database import create_engine
from bot.storage.health import head_revisions
from bot.storage.message_models import InboxUpdate
from bot.storage.migrate import upgrade
from bot.telegram.context import BotApplication
from bot.telegram.inbox_worker import InboxWorker
from bot.telegram.web import SECRET_HEADER, WebhookRoute, WebServer, start_web_server
from tests.auxil.clock import FakeClock

SECRET = "the-webhook-secret_1"
PATH = "/hook"


@pytest.fixture
async def server(app: BotApplication) -> AsyncIterator[tuple[WebServer, InboxWorker]]:
    worker = InboxWorker(app, name="web-test")
    running = start_web_server(app, "127.0.0.1", 0, WebhookRoute(PATH, SECRET, worker))
    try:
        yield running, worker
    finally:
        await running.stop()


def url(server: WebServer, path: str) -> str:
    return f"http://127.0.0.1:{server.port}{path}"


async def stored_updates(engine: AsyncEngine) -> list[int]:
    async with engine.connect() as connection:
        return list(
            (await connection.scalars(select(InboxUpdate.update_id).order_by(InboxUpdate.update_id))).all()
        )


def samples(text: str) -> dict[tuple[str, frozenset[tuple[str, str]]], float]:
    return {
        (sample.name, frozenset(sample.labels.items())): sample.value
        for family in text_string_to_metric_families(text)
        for sample in family.samples
    }


@pytest.mark.parametrize("headers", [{}, {SECRET_HEADER: "wrong"}, {SECRET_HEADER: SECRET + "x"}])
async def test_a_wrong_or_missing_secret_is_403_and_nothing_is_stored(
    server: tuple[WebServer, InboxWorker],
    bot_api: FakeBotApi,
    engine: AsyncEngine,
    headers: dict[str, str],
    caplog: pytest.LogCaptureFixture,
) -> None:
    running, _ = server
    update = bot_api.message_update(bot_api.user(810_001), "/start")
    with caplog.at_level(logging.WARNING, logger="bot.telegram.web"):
        async with httpx.AsyncClient() as client:
            answer = await client.post(url(running, PATH), json=update, headers=headers)
    assert answer.status_code == 403
    assert await stored_updates(engine) == []
    refusals = [r.getMessage() for r in caplog.records if "refused a request" in r.getMessage()]
    assert len(refusals) == 1 and ("missing" if not headers else "wrong") in refusals[0]
    assert SECRET not in caplog.text


async def test_200_comes_after_the_update_is_committed_and_the_consumer_handles_it(
    server: tuple[WebServer, InboxWorker], app: BotApplication, bot_api: FakeBotApi, engine: AsyncEngine
) -> None:
    running, worker = server
    user = bot_api.user(810_002, language_code="en")
    events: list[str] = []

    def committed(_connection: Connection) -> None:
        events.append("commit")

    sync_engine = app.bot_data.services.engine.sync_engine
    event.listen(sync_engine, "commit", committed)
    try:
        async with httpx.AsyncClient() as client:
            answer = await client.post(
                url(running, PATH),
                json=bot_api.message_update(user, "/start"),
                headers={SECRET_HEADER: SECRET},
            )
            events.append(f"answer {answer.status_code}")
    finally:
        event.remove(sync_engine, "commit", committed)
    assert events == ["commit", "answer 200"], "the 200 left before the update's commit"
    [update_id] = await stored_updates(engine)
    assert bot_api.sent_to(user["id"]) == [], "stored, not handled yet: the consumer handles it"
    await worker.drain()
    assert "Which language shall I use?" in bot_api.last_sent_to(user["id"]).text
    async with engine.connect() as connection:
        status = await connection.scalar(select(InboxUpdate.status).where(InboxUpdate.update_id == update_id))
    assert status == "done"


async def test_an_update_that_cannot_be_stored_is_500_so_that_telegram_sends_it_again(
    settings: Settings, bot_api: FakeBotApi, tmp_path: Path, clock: FakeClock
) -> None:
    # A database without the bot's tables: the commit fails as it would with the database away.
    empty = create_engine(f"sqlite+aiosqlite:///{tmp_path / 'empty.sqlite3'}")
    services = build_services(settings, clock, engine=empty)
    app = build_application(
        settings, request=InProcessRequest(bot_api), rate_limited=False, services=services
    )
    running = start_web_server(app, "127.0.0.1", 0, WebhookRoute(PATH, SECRET, InboxWorker(app)))
    try:
        async with httpx.AsyncClient() as client:
            update = bot_api.message_update(bot_api.user(810_003), "/start")
            answer = await client.post(url(running, PATH), json=update, headers={SECRET_HEADER: SECRET})
        assert answer.status_code == 500
    finally:
        await running.stop()
        await empty.dispose()


async def get(running: WebServer, path: str) -> httpx.Response:
    async with httpx.AsyncClient() as client:
        return await client.get(url(running, path))


async def test_healthz_and_readyz_on_this_runs_database(server: tuple[WebServer, InboxWorker]) -> None:
    running, _ = server
    alive = await get(running, "/healthz")
    assert (alive.status_code, alive.json()) == (200, {"status": "alive"})
    ready = await get(running, "/readyz")
    assert ready.status_code == 200, ready.text
    body = ready.json()
    assert body["ready"] is True and body["failing"] == []
    assert set(body["checks"]) == {"database", "migrations", "dispatcher", "inbox_lag"}


async def test_readyz_names_a_stale_dispatcher_and_an_inbox_lagging_behind(
    server: tuple[WebServer, InboxWorker], app: BotApplication, bot_api: FakeBotApi, clock: FakeClock
) -> None:
    running, _ = server
    async with httpx.AsyncClient() as client:
        update = bot_api.message_update(bot_api.user(810_004), "/start")
        assert (
            await client.post(url(running, PATH), json=update, headers={SECRET_HEADER: SECRET})
        ).is_success
    assert (await get(running, "/readyz")).status_code == 200, "a fresh update is no lag"
    clock.advance(seconds=app.bot_data.services.settings.ready_inbox_lag_seconds + 1)
    app.bot_data.metrics.dispatcher_heartbeat.last -= 3600  # its last tick an hour ago
    ready = await get(running, "/readyz")
    assert ready.status_code == 503
    body: dict[str, Any] = ready.json()
    assert body["failing"] == ["dispatcher", "inbox_lag"]
    assert "oldest unhandled update 61 s old, 1 waiting" in body["checks"]["inbox_lag"]["detail"]


async def test_readyz_on_sqlite_behind_the_migrations_names_them(
    settings: Settings, bot_api: FakeBotApi, tmp_path: Path, clock: FakeClock
) -> None:
    old = create_engine(f"sqlite+aiosqlite:///{tmp_path / 'old.sqlite3'}")
    await upgrade(old, "0013")
    services = build_services(settings, clock, engine=old)
    app = build_application(
        settings, request=InProcessRequest(bot_api), rate_limited=False, services=services
    )
    running = start_web_server(app, "127.0.0.1", 0, None)
    try:
        ready = await get(running, "/readyz")
        assert ready.status_code == 503
        checks = ready.json()["checks"]
        assert checks["database"]["ok"] is True
        (head,) = head_revisions()  # the newest migration file; the database stays at 0013
        assert checks["migrations"] == {"ok": False, "detail": f"database at 0013, code at {head}"}
        await upgrade(old)
        assert (await get(running, "/readyz")).status_code == 200
        assert (await get(running, PATH)).status_code == 404, "no webhook route without webhook mode"
    finally:
        await running.stop()
        await old.dispose()


async def test_metrics_count_updates_handlers_and_telegram_errors(
    server: tuple[WebServer, InboxWorker], app: BotApplication, bot_api: FakeBotApi, engine: AsyncEngine
) -> None:
    running, worker = server
    before = samples((await get(running, "/metrics")).text)
    assert ("quota_coach_updates_received_total", frozenset({("type", "message")})) not in before
    assert (
        before[("quota_coach_inbox_depth", frozenset())] == 0
        and before[("quota_coach_database_up", frozenset())] == 1
    )
    assert ("quota_coach_crm_syncs_total", frozenset()) not in before  # defined, no outcome counted yet
    user = bot_api.user(810_005, language_code="en")
    bot_api.fail(500, "Internal Server Error", method="sendMessage", chat_id=user["id"])
    async with httpx.AsyncClient() as client:
        for text in ("/start", "/help"):
            update = bot_api.message_update(user, text)
            assert (
                await client.post(url(running, PATH), json=update, headers={SECRET_HEADER: SECRET})
            ).is_success
    waiting = samples((await get(running, "/metrics")).text)
    assert waiting[("quota_coach_updates_received_total", frozenset({("type", "message")}))] == 2
    assert waiting[("quota_coach_inbox_depth", frozenset())] == 2
    await worker.drain()
    await app.bot_data.outbox.tick()
    after = samples((await get(running, "/metrics")).text)
    assert after[("quota_coach_inbox_depth", frozenset())] == 0
    assert (
        after[("quota_coach_updates_handled_total", frozenset({("type", "message"), ("outcome", "done")}))]
        == 2
    )
    assert (
        after[("quota_coach_handler_duration_seconds_count", frozenset({("handler", "profile.start")}))] == 1
    )
    assert (
        after[("quota_coach_handler_duration_seconds_count", frozenset({("handler", "dialog.show_help")}))]
        == 1
    )
    assert after[("quota_coach_telegram_api_errors_total", frozenset({("code", "500")}))] == 1
    assert after[("quota_coach_outbox_depth", frozenset())] >= 1, (
        "the reply that met the 500 waits for its retry"
    )
    app.bot_data.metrics.crm_syncs.labels(outcome="ok").inc()
    assert (
        samples((await get(running, "/metrics")).text)[
            ("quota_coach_crm_syncs_total", frozenset({("outcome", "ok")}))
        ]
        == 1
    )


@pytest.mark.parametrize("body", [b"not json", b"[]", b"null", b'{"no": "update_id"}'])
async def test_a_body_that_is_no_update_is_400_and_nothing_is_stored(
    server: tuple[WebServer, InboxWorker], engine: AsyncEngine, body: bytes
) -> None:
    running, _ = server
    async with httpx.AsyncClient() as client:
        answer = await client.post(url(running, PATH), content=body, headers={SECRET_HEADER: SECRET})
    assert answer.status_code == 400
    assert await stored_updates(engine) == []
