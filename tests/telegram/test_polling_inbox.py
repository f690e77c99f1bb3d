"""Polling into the inbox: a getUpdates batch is committed, in one transaction, before Telegram is told.

The in-process Bot API confirms an offset as Telegram does (every update below it, when getUpdates is
called with it), so what it still holds when a batch is being stored is what a crash would not lose.
"""

from __future__ import annotations

import asyncio
from collections.abc import Sequence

from sqlalchemy import event, select
from sqlalchemy.engine import Connection
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession
from telegram import Update

from bot.devtools.fake_bot_api import FakeBotApi
from bot.services.inbox import prune
from bot.storage.message_models import InboxUpdate
from bot.storage.models import InboxStatus
from bot.telegram.context import BotApplication
from bot.telegram.inbox_worker import InboxWorker, store_updates
from bot.telegram.polling import poll_updates
from tests.auxil.clock import FakeClock


async def test_each_batch_is_stored_in_one_commit_before_the_next_getupdates_confirms_it(
    app: BotApplication, bot_api: FakeBotApi, engine: AsyncEngine
) -> None:
    users = [bot_api.user(700_001 + n) for n in range(5)]
    for k in range(50):
        for user in users:
            await bot_api.push(bot_api.message_update(user, f"/log {k + 1} calls"))
    total, stored, stop = 250, 0, asyncio.Event()
    worker = InboxWorker(app, name="poller")
    transactions: list[int] = []
    sync_engine = app.bot_data.services.engine.sync_engine

    def began(_connection: Connection) -> None:
        transactions.append(1)

    async def store(batch: Sequence[Update]) -> None:
        nonlocal stored
        info = await app.bot.get_webhook_info()
        # Nothing of this batch, nor after it, is confirmed yet: a crash now loses nothing.
        assert info.pending_update_count == total - stored
        event.listen(sync_engine, "begin", began)
        try:
            await store_updates(app, worker, batch)
        finally:
            event.remove(sync_engine, "begin", began)
        stored += len(batch)
        if stored == total:
            stop.set()

    await asyncio.wait_for(poll_updates(app, store, stop), 30)

    batches = -(-total // 100)  # getUpdates hands out at most 100 at a time
    assert len(transactions) == batches, "not one commit per getUpdates batch"
    assert (await app.bot.get_webhook_info()).pending_update_count == 0, "the last batch was left unconfirmed"
    async with AsyncSession(engine) as session:
        rows = list(await session.scalars(select(InboxUpdate).order_by(InboxUpdate.update_id)))
    assert len(rows) == total and {row.status for row in rows} == {InboxStatus.PENDING}
    await worker.drain()
    assert len(bot_api.sent_to(users[0]["id"])) == 50


async def test_handled_updates_are_pruned_after_the_retention_and_pending_ones_kept(
    app: BotApplication, bot_api: FakeBotApi, engine: AsyncEngine, clock: FakeClock
) -> None:
    user = bot_api.user(700_101)
    old = Update.de_json(bot_api.message_update(user, "/help"), app.bot)
    await app.process_update(old)  # handled, recorded done now
    clock.advance(hours=app.bot_data.services.settings.inbox_retention_hours - 1)
    recent = Update.de_json(bot_api.message_update(user, "/help"), app.bot)
    await app.process_update(recent)
    waiting = Update.de_json(bot_api.message_update(user, "/help"), app.bot)
    await store_updates(app, InboxWorker(app), [waiting])  # stored, not handled yet
    clock.advance(hours=1, seconds=1)

    assert await prune(app.bot_data.services) == 1
    async with AsyncSession(engine) as session:
        kept = {row.update_id: row.status for row in await session.scalars(select(InboxUpdate))}
    assert kept == {recent.update_id: InboxStatus.DONE, waiting.update_id: InboxStatus.PENDING}
