"""The webhook's group commit (webhook15): POSTs that arrive together share one inbox commit, each is
answered 200 only after that commit, and a commit that fails answers every POST of its batch with an
error (Telegram sends them again) and stores nothing; the retries store each update once. SQLite, or
PostgreSQL with TEST_DATABASE_URL."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Iterator
from contextlib import contextmanager
from typing import Any

import httpx
import pytest
from sqlalchemy import event, func, select
from sqlalchemy.engine import Connection
from sqlalchemy.ext.asyncio import AsyncEngine
from telegram import Update

from bot.devtools.fake_bot_api import FakeBotApi
from bot.services.inbox_batches import InboxBatches
from bot.storage.message_models import InboxUpdate
from bot.telegram.arrivals import arrival_of
from bot.telegram.context import BotApplication
from bot.telegram.inbox_worker import InboxWorker
from bot.telegram.web import SECRET_HEADER, WebhookRoute, WebServer, start_web_server

SECRET = "batch-secret_1"
PATH = "/hook"


@pytest.fixture
async def server(app: BotApplication) -> AsyncIterator[tuple[WebServer, InboxWorker]]:
    worker = InboxWorker(app, name="batch-test")
    running = start_web_server(app, "127.0.0.1", 0, WebhookRoute(PATH, SECRET, worker))
    try:
        yield running, worker
    finally:
        await running.stop()


async def stored(engine: AsyncEngine) -> dict[int, int]:
    """update_id -> how many rows hold it."""
    async with engine.connect() as connection:
        rows = await connection.execute(
            select(InboxUpdate.update_id, func.count()).group_by(InboxUpdate.update_id)
        )
        return {int(update_id): int(count) for update_id, count in rows}


@contextmanager
def counting_commits(engine: AsyncEngine) -> Iterator[list[int]]:
    commits: list[int] = []

    def committed(_connection: Connection) -> None:
        commits.append(1)

    event.listen(engine.sync_engine, "commit", committed)
    try:
        yield commits
    finally:
        event.remove(engine.sync_engine, "commit", committed)


@contextmanager
def inbox_inserts_fail(engine: AsyncEngine) -> Iterator[None]:
    """The database refuses every INSERT into inbox_updates while inside (as a full disk would)."""

    def refuse(_conn: Connection, _cursor: Any, statement: str, *_: Any) -> None:
        if statement.lstrip().upper().startswith("INSERT") and "inbox_updates" in statement:
            raise RuntimeError("disk full (injected)")

    event.listen(engine.sync_engine, "before_cursor_execute", refuse)
    try:
        yield
    finally:
        event.remove(engine.sync_engine, "before_cursor_execute", refuse)


def arrivals(app: BotApplication, bot_api: FakeBotApi, count: int, first_user: int) -> list[Any]:
    return [
        arrival_of(Update.de_json(bot_api.message_update(bot_api.user(first_user + n), "/start"), app.bot))
        for n in range(count)
    ]


async def test_arrivals_that_come_together_are_one_commit_and_each_waits_for_it(
    app: BotApplication, bot_api: FakeBotApi, engine: AsyncEngine
) -> None:
    batches = InboxBatches(app.bot_data.services)
    five = arrivals(app, bot_api, 5, 820_100)
    with counting_commits(engine) as commits:
        await asyncio.gather(*(batches.store(arrival) for arrival in five))
    assert len(commits) == 1 and batches.commits == 1
    assert await stored(engine) == {arrival.update_id: 1 for arrival in five}
    with counting_commits(engine) as commits:
        await batches.store(five[0])  # Telegram's retry of one already stored: 200 again, no second row
    assert len(commits) == 1 and await stored(engine) == {arrival.update_id: 1 for arrival in five}


async def test_a_failed_commit_fails_every_arrival_of_its_batch_and_the_retries_store_each_once(
    app: BotApplication, bot_api: FakeBotApi, engine: AsyncEngine
) -> None:
    woken: list[int] = []
    batches = InboxBatches(app.bot_data.services, stored=lambda batch: woken.append(len(batch)))
    three = arrivals(app, bot_api, 3, 820_200)
    with inbox_inserts_fail(engine):
        outcomes = await asyncio.gather(*(batches.store(a) for a in three), return_exceptions=True)
    assert [str(outcome) for outcome in outcomes] == ["disk full (injected)"] * 3
    assert await stored(engine) == {} and woken == [], "nothing stored, the consumer not woken"
    # Telegram sends all three again, the first one twice at once: each is stored once.
    await asyncio.gather(*(batches.store(a) for a in [three[0], *three]))
    assert await stored(engine) == {arrival.update_id: 1 for arrival in three}
    assert woken == [3], "one commit, the duplicate folded in"


async def test_concurrent_posts_share_commits_get_200_after_it_and_are_handled(
    server: tuple[WebServer, InboxWorker], bot_api: FakeBotApi, engine: AsyncEngine
) -> None:
    running, worker = server
    users = [bot_api.user(820_300 + n, language_code="en") for n in range(20)]
    hook = f"http://127.0.0.1:{running.port}{PATH}"
    async with httpx.AsyncClient() as client:
        with counting_commits(engine) as commits:
            answers = await asyncio.gather(
                *(
                    client.post(
                        hook, json=bot_api.message_update(user, "/start"), headers={SECRET_HEADER: SECRET}
                    )
                    for user in users
                )
            )
    assert [answer.status_code for answer in answers] == [200] * 20
    assert len(await stored(engine)) == 20
    assert len(commits) < 20, "POSTs under way together share a commit"
    await worker.drain()
    assert all("Which language shall I use?" in bot_api.last_sent_to(user["id"]).text for user in users)


async def test_when_the_commit_fails_every_post_of_it_is_500_a_wrong_secret_still_403(
    server: tuple[WebServer, InboxWorker], bot_api: FakeBotApi, engine: AsyncEngine
) -> None:
    running, _ = server
    users = [bot_api.user(820_400 + n, language_code="en") for n in range(6)]
    updates = [bot_api.message_update(user, "/start") for user in users]
    hook = f"http://127.0.0.1:{running.port}{PATH}"
    good = {SECRET_HEADER: SECRET}
    async with httpx.AsyncClient() as client:
        with inbox_inserts_fail(engine):
            refused = await client.post(hook, json=updates[0], headers={SECRET_HEADER: "guess"})
            failed = await asyncio.gather(*(client.post(hook, json=u, headers=good) for u in updates))
        assert refused.status_code == 403, "the secret is checked before anything is stored"
        assert [answer.status_code for answer in failed] == [500] * 6
        assert await stored(engine) == {}
        retried = await asyncio.gather(*(client.post(hook, json=u, headers=good) for u in updates + updates))
    assert [answer.status_code for answer in retried] == [200] * 12
    assert await stored(engine) == {int(u["update_id"]): 1 for u in updates}


async def test_closing_waits_for_the_commit_under_way(
    app: BotApplication, bot_api: FakeBotApi, engine: AsyncEngine
) -> None:
    batches = InboxBatches(app.bot_data.services)
    three = arrivals(app, bot_api, 3, 820_500)
    posts = [asyncio.create_task(batches.store(arrival)) for arrival in three]
    await asyncio.sleep(0)  # the three POSTs are waiting for their commit
    await batches.close()  # the server stopped: what was taken is committed before the engine goes
    assert await stored(engine) == {arrival.update_id: 1 for arrival in three}
    await asyncio.gather(*posts)
    await batches.close()  # nothing under way: returns at once
