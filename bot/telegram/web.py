"""The bot's own web server (tornado, as PTB's webhook extra): Telegram's webhook, /healthz, /readyz and
/metrics (web15).

The webhook route checks Telegram's X-Telegram-Bot-Api-Secret-Token on every request (wrong or missing:
403, one log line, nothing stored) and answers 200 only once the update is committed to the durable
inbox, the same store polling fills; the inbox consumer, woken by each commit, then handles it. The
updates of POSTs that arrive together share one commit (bot/services/inbox_batches.py, webhook15).
Anything else is a 5xx, and Telegram delivers the update again later.
"""

from __future__ import annotations

import hmac
import json
import logging
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from prometheus_client import CONTENT_TYPE_LATEST
from telegram import Update
from tornado.httpserver import HTTPServer
from tornado.netutil import bind_sockets
from tornado.web import Application, RequestHandler

from bot.services.inbox_batches import InboxBatches
from bot.services.readiness import readiness
from bot.telegram.arrivals import arrival_of
from bot.telegram.context import BotApplication
from bot.telegram.inbox_worker import InboxWorker
from bot.telegram.observe import count_received

log = logging.getLogger(__name__)
SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"


@dataclass(frozen=True)
class WebhookRoute:
    """Where Telegram POSTs updates (the path of WEBHOOK_URL), the secret it must send, and the consumer
    to wake once an update is stored."""

    path: str
    secret: str
    worker: InboxWorker


class _Handler(RequestHandler):
    def initialize(
        self,
        bot_application: BotApplication,
        route: WebhookRoute | None = None,
        batches: InboxBatches | None = None,
    ) -> None:
        self.bot_app = bot_application
        self.route = route
        self.batches = batches

    def answer(self, status: int, body: dict[str, Any]) -> None:
        self.set_status(status)
        self.set_header("Content-Type", "application/json")
        self.finish(json.dumps(body, ensure_ascii=False))


class WebhookHandler(_Handler):
    async def post(self) -> None:
        route, batches = self.route, self.batches
        assert route is not None and batches is not None
        given = self.request.headers.get(SECRET_HEADER, "")
        if not hmac.compare_digest(given.encode(), route.secret.encode()):
            log.warning(
                "webhook: refused a request from %s: %s secret token",
                self.request.remote_ip, "wrong" if given else "missing",
            )  # fmt: skip
            self.answer(403, {"ok": False, "error": "forbidden"})
            return
        try:
            data = json.loads(self.request.body)
            if not isinstance(data, dict):
                raise TypeError("the body is not a JSON object")
            update = Update.de_json(data, self.bot_app.bot)
        except (ValueError, TypeError, KeyError, AttributeError) as error:
            # Not something Telegram sends: answered 400 (a retry would not make it an update).
            log.warning("webhook: not an update (%s: %s); refused", type(error).__name__, error)
            self.answer(400, {"ok": False, "error": "not an update"})
            return
        try:
            await batches.store(arrival_of(update))
        except Exception as error:  # drivers raise many types; Telegram delivers again after a non-200
            log.warning(
                "webhook: could not store update %s: %s: %s", update.update_id, type(error).__name__, error
            )
            self.answer(500, {"ok": False, "error": "not stored"})
            return
        count_received(self.bot_app.bot_data.metrics, [update])
        self.answer(200, {"ok": True})


class HealthHandler(_Handler):
    def get(self) -> None:
        self.answer(200, {"status": "alive"})


class ReadyHandler(_Handler):
    async def get(self) -> None:
        bot_data = self.bot_app.bot_data
        checks = await readiness(bot_data.services, bot_data.metrics.dispatcher_heartbeat)
        failing = [check.name for check in checks if not check.ok]
        body = {
            "ready": not failing,
            "failing": failing,
            "checks": {check.name: {"ok": check.ok, "detail": check.detail} for check in checks},
        }
        if failing:
            log.warning(
                "readyz: not ready: %s", "; ".join(f"{c.name}: {c.detail}" for c in checks if not c.ok)
            )
        self.answer(503 if failing else 200, body)


class MetricsHandler(_Handler):
    async def get(self) -> None:
        bot_data = self.bot_app.bot_data
        body = await bot_data.metrics.exposition(bot_data.services)
        self.set_header("Content-Type", CONTENT_TYPE_LATEST)
        self.finish(body)


def _log_request(handler: RequestHandler) -> None:
    """Scrapes and probes are DEBUG (Prometheus asks every few seconds); errors are WARNING."""
    status = handler.get_status()
    level = logging.WARNING if status >= 500 else logging.DEBUG
    request = handler.request
    log.log(
        level, "%s %s -> %s in %.1f ms", request.method, request.path, status, 1000 * request.request_time()
    )


def make_web_app(
    application: BotApplication, route: WebhookRoute | None, batches: InboxBatches | None = None
) -> Application:
    """/healthz, /readyz and /metrics, and with a route the webhook at its path, storing through `batches`."""
    if route is not None and batches is None:
        batches = inbox_batches(application, route)
    args: dict[str, Any] = {"bot_application": application, "route": route, "batches": batches}
    handlers: list[Any] = [
        ("/healthz", HealthHandler, args),
        ("/readyz", ReadyHandler, args),
        ("/metrics", MetricsHandler, args),
    ]
    if route is not None:
        handlers.append((route.path, WebhookHandler, args))
    return Application(handlers, log_function=_log_request)


def inbox_batches(application: BotApplication, route: WebhookRoute) -> InboxBatches:
    """The webhook's group commit; each commit wakes the route's consumer at once."""
    worker = route.worker
    return InboxBatches(application.bot_data.services, stored=lambda _arrivals: worker.wake())


def webhook_path(url: str) -> str:
    """The path Telegram POSTs to: WEBHOOK_URL's (behind a reverse proxy the same path is forwarded)."""
    return urlsplit(url).path or "/"


class WebServer:
    """The running server; `stop()` closes the listening sockets and the open connections, then waits
    for the webhook's commit under way."""

    def __init__(self, server: HTTPServer, port: int, batches: InboxBatches | None = None) -> None:
        self.server, self.port, self.batches = server, port, batches

    async def stop(self) -> None:
        self.server.stop()
        await self.server.close_all_connections()
        if self.batches is not None:
            await self.batches.close()
            batches = self.batches
            log.info("webhook: %d updates stored in %d commits", batches.stored_updates, batches.commits)


def start_web_server(
    application: BotApplication, listen: str, port: int, route: WebhookRoute | None
) -> WebServer:
    """Listen on listen:port (0: a free port) in the running loop. Raises OSError when it cannot bind."""
    batches = inbox_batches(application, route) if route is not None else None
    server = HTTPServer(make_web_app(application, route, batches), xheaders=True)
    sockets = bind_sockets(port, listen)
    server.add_sockets(sockets)
    return WebServer(server, sockets[0].getsockname()[1], batches)


class CannotListen(Exception):
    """The web server could not bind its address; the message names the setting and says why."""


def serve(
    application: BotApplication, listen: str, port: int, route: WebhookRoute | None, *, setting: str
) -> WebServer:
    """start_web_server, a failure to bind being one line that names `setting` (WEBHOOK_PORT, HEALTH_PORT)."""
    try:
        return start_web_server(application, listen, port, route)
    except OSError as error:
        raise CannotListen(f"{setting}: cannot listen on {listen}:{port}: {error.strerror}") from None
