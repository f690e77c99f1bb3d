"""Running on Telegram by webhook (web15): Telegram POSTs each update to the bot's own web server.

The start-up matches polling's (getMe retried, a refused token one line, the same post_init), then the
inbox consumer and the web server start, and only then setWebhook (url, secret_token, allowed_updates,
max_connections, drop_pending_updates=False: what Telegram holds for us arrives once we listen). A stop
closes the server first (Telegram keeps what it could not deliver, and sends it to the next start), lets
the consumer finish, and shuts down as polling does. The webhook stays set across restarts; a process
started in polling mode deletes it first (bot/telegram/polling.py).
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable

from telegram.error import InvalidToken

from bot.settings import Settings
from bot.telegram.context import BotApplication
from bot.telegram.inbox_worker import InboxWorker, start_inbox
from bot.telegram.polling import (
    TokenRejectedAtStartup,
    call_until_answered,
    initialize_with_retries,
    shut_down,
)
from bot.telegram.shutdown import CLEANUP_SECONDS, RunStop, bounded
from bot.telegram.web import WebhookRoute, WebServer, serve, webhook_path

log = logging.getLogger(__name__)

# The updates the bot's handlers take (bot/app.py): Telegram sends nothing else to the webhook.
ALLOWED_UPDATES = ("message", "edited_message", "callback_query", "my_chat_member")


async def set_webhook(application: BotApplication, settings: Settings, stop: asyncio.Event) -> bool:
    """setWebhook until it answers; False when a stop came first. A refused token raises as at start-up."""
    assert settings.webhook_url is not None and settings.webhook_secret is not None
    url, secret = settings.webhook_url, settings.webhook_secret.get_secret_value()
    try:
        return await call_until_answered(
            lambda: application.bot.set_webhook(
                url=url,
                secret_token=secret,
                allowed_updates=list(ALLOWED_UPDATES),
                max_connections=settings.webhook_max_connections,
                drop_pending_updates=False,
            ),
            "setWebhook",
            stop,
            raised=(InvalidToken,),
        )
    except InvalidToken:
        raise TokenRejectedAtStartup("the Bot API refused TELEGRAM_BOT_TOKEN at setWebhook") from None


async def run_webhook(
    application: BotApplication,
    *,
    where: str,
    stop: asyncio.Event,
    post_init: Callable[[BotApplication], Awaitable[None]],
    post_shutdown: Callable[[BotApplication], Awaitable[None]],
) -> None:
    """Start, take updates by webhook into the inbox and consume it until `stop`, then shut down."""
    settings = application.bot_data.services.settings
    assert settings.webhook_url is not None and settings.webhook_secret is not None
    worker: InboxWorker | None = None
    consuming: asyncio.Task[None] | None = None
    server: WebServer | None = None
    stopping = RunStop(application, stop)  # the deadline runs from the stop request itself
    deadline = stopping.deadline
    try:
        if not await initialize_with_retries(application, where, stop):
            return
        await post_init(application)
        await application.start()
        worker = stopping.worker = start_inbox(application)
        consuming = asyncio.create_task(worker.run(), name="inbox consumer")
        route = WebhookRoute(
            webhook_path(settings.webhook_url), settings.webhook_secret.get_secret_value(), worker
        )
        server = serve(
            application, settings.webhook_listen, settings.webhook_port, route, setting="WEBHOOK_PORT"
        )
        log.info("listening on %s:%s for the webhook, /healthz, /readyz and /metrics",
                 settings.webhook_listen, server.port)  # fmt: skip
        if not await set_webhook(application, settings, stop):
            return
        log.info("receiving updates by webhook at %s", settings.webhook_url)
        await stop.wait()
    finally:
        stopping.run_over()
        deadline.arm()
        if server is not None:
            # No update is taken any more: Telegram keeps them for the next start (or another worker).
            await bounded(server.stop(), deadline.at_most(CLEANUP_SECONDS), "closing the web server")
        await shut_down(application, worker, consuming, post_shutdown, deadline)
