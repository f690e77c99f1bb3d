"""Running as a worker (BOT_ROLE=worker): the work of a bot process without receiving updates.

Telegram holds one long poll per token: a second process calling getUpdates terminates the first one's
call with 409 Conflict, so several polling processes fight over the updates instead of sharing them. A
worker therefore never calls getUpdates, setWebhook or deleteWebhook; it consumes the durable inbox that
the one receiving process (BOT_ROLE=all, polling or webhook) fills, and runs the jobs every process runs:
the dispatcher, the outbox and the CRM syncs. Each of those claims its work in PostgreSQL (the inbox's
lanes, SKIP LOCKED, leases), so any number of workers share it and a dead one's claims are taken over
once their lease lapses. The start-up (getMe retried, the same post_init) and the shutdown (one deadline
from the stop request) are polling's.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable

from bot.telegram.context import BotApplication
from bot.telegram.inbox_worker import InboxWorker, start_inbox
from bot.telegram.polling import initialize_with_retries
from bot.telegram.shutdown import RunStop, shut_down

log = logging.getLogger(__name__)

SQLITE_REFUSED = (
    "BOT_ROLE=worker: SQLite runs one process; a worker needs PostgreSQL (DATABASE_URL) shared with the "
    "process that receives the updates"
)


async def run_worker(
    application: BotApplication,
    *,
    where: str,
    stop: asyncio.Event,
    post_init: Callable[[BotApplication], Awaitable[None]],
    post_shutdown: Callable[[BotApplication], Awaitable[None]],
) -> None:
    """Start, consume the inbox (and run the jobs post_init scheduled) until `stop`, then shut down."""
    worker: InboxWorker | None = None
    consuming: asyncio.Task[None] | None = None
    stopping = RunStop(application, stop)  # the deadline runs from the stop request itself
    try:
        if not await initialize_with_retries(application, where, stop):
            return
        await post_init(application)
        await application.start()
        worker = stopping.worker = start_inbox(application)
        consuming = asyncio.create_task(worker.run(), name="inbox consumer")
        log.info("working as a worker: the inbox, the dispatcher and the outbox (no getUpdates)")
        await stop.wait()
    finally:
        stopping.run_over()
        await shut_down(application, worker, consuming, post_shutdown, stopping.deadline)
