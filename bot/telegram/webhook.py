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
import contextlib
import logging
from collections.abc import Awaitable, Callable
from datetime import timedelta

from telegram.error import InvalidToken, RetryAfter, TelegramError

from bot.settings import Settings
from bot.telegram.context import BotApplication
from bot.telegram.inbox_worker import InboxWorker, start_inbox
from bot.telegram.polling import TokenRejectedAtStartup, backoff, initialize_with_retries
from bot.telegram.web import WebhookRoute, WebServer, start_web_server, webhook_path

log = logging.getLogger(__name__)

# The updates the bot's handlers take (bot/app.py): Telegram sends nothing else to the webhook.
ALLOWED_UPDATES = ("message", "edited_message", "callback_query", "my_chat_member")


class CannotListen(Exception):
    """The web server could not bind WEBHOOK_LISTEN:WEBHOOK_PORT; the message says why."""


async def set_webhook(application: BotApplication, settings: Settings, stop: asyncio.Event) -> bool:
    """setWebhook until it answers; False when a stop came first. A refused token raises as at start-up."""
    assert settings.webhook_url is not None and settings.webhook_secret is not None
    attempt = 0
    while not stop.is_set():
        attempt += 1
        try:
            await application.bot.set_webhook(
                url=settings.webhook_url,
                secret_token=settings.webhook_secret.get_secret_value(),
                allowed_updates=list(ALLOWED_UPDATES),
                max_connections=settings.webhook_max_connections,
                drop_pending_updates=False,
            )
            return True
        except InvalidToken:
            raise TokenRejectedAtStartup("the Bot API refused TELEGRAM_BOT_TOKEN at setWebhook") from None
        except TelegramError as error:
            delay = backoff(attempt)
            if isinstance(error, RetryAfter):
                wait = error.retry_after
                delay = wait.total_seconds() if isinstance(wait, timedelta) else float(wait)
            log.warning(
                "setWebhook failed: %s: %s; retrying in %.0f s", type(error).__name__, error.message, delay
            )
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(stop.wait(), delay)
    return False


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
    try:
        if not await initialize_with_retries(application, where, stop):
            return
        await post_init(application)
        await application.start()
        worker = start_inbox(application)
        consuming = asyncio.create_task(worker.run(), name="inbox consumer")
        route = WebhookRoute(
            webhook_path(settings.webhook_url), settings.webhook_secret.get_secret_value(), worker
        )
        try:
            server = start_web_server(application, settings.webhook_listen, settings.webhook_port, route)
        except OSError as error:
            raise CannotListen(
                f"WEBHOOK_PORT: cannot listen on {settings.webhook_listen}:{settings.webhook_port}: {error.strerror}"
            ) from None
        log.info("listening on %s:%s for the webhook, /healthz, /readyz and /metrics",
                 settings.webhook_listen, server.port)  # fmt: skip
        if not await set_webhook(application, settings, stop):
            return
        log.info("receiving updates by webhook at %s", settings.webhook_url)
        await stop.wait()
    finally:
        if server is not None:
            await server.stop()  # no update is taken any more: Telegram keeps them for the next start
        if worker is not None:
            await worker.stop()
        if consuming is not None:
            await consuming
        if application.running:
            await application.stop()
        await application.shutdown()
        await application.bot.shutdown()
        await post_shutdown(application)
