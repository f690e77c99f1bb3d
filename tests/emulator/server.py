"""The Bot API over HTTP: a thin tornado front end that hands every request to a FakeBotApi.

All behaviour (answers, queued updates, long polling, injected faults) lives in the model; this
module only turns HTTP requests into `api.call(method, params, files)` and the answer back into HTTP.
"""

from __future__ import annotations

import asyncio
import json
import logging
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from typing import Any

from tornado.httpserver import HTTPServer
from tornado.httputil import HTTPServerRequest
from tornado.netutil import bind_sockets
from tornado.web import Application, RequestHandler

from bot.devtools.fake_bot_api import JSON, FakeBotApi
from tests.emulator.webhook import WebhookDelivery

log = logging.getLogger("tests.emulator")

# Telegram reads these as free text: they stay exactly as sent, so a message reading "42" or "true"
# is not turned into a number or a boolean by the JSON decoding of form fields.
TEXT_FIELDS = frozenset(
    {
        "text",
        "caption",
        "callback_query_id",
        "title",
        "description",
        "short_description",
        "name",
        "file_id",
        "parse_mode",
    }
)


@dataclass
class Emulator:
    """A running emulator: its URLs, the model behind it, and the requests that reached it.

    `received` also holds requests the model has not answered yet (a slow fault), so a test can act
    at the moment a request arrived, e.g. kill the bot while its message is still on the way.
    getUpdates is left out of it: the bot polls all the time.
    """

    api: FakeBotApi
    token: str | None = None
    base_url: str = ""
    received: list[tuple[str, JSON]] = field(default_factory=list)
    in_flight: set[asyncio.Task[tuple[int, JSON]]] = field(default_factory=set)
    webhook: WebhookDelivery | None = None  # POSTs updates while the bot has a webhook set (web15)
    _arrived: asyncio.Condition = field(default_factory=asyncio.Condition, init=False, repr=False)

    @property
    def file_url(self) -> str:
        return file_url(self.base_url)

    async def receive(
        self, method: str, params: JSON, files: dict[str, bytes]
    ) -> asyncio.Task[tuple[int, JSON]]:
        """Note the request and start the model's answer to it."""
        if method != "getUpdates":
            async with self._arrived:
                self.received.append((method, params))
                self._arrived.notify_all()
        task: asyncio.Task[tuple[int, JSON]] = asyncio.ensure_future(self.api.call(method, params, files))
        self.in_flight.add(task)
        task.add_done_callback(self.in_flight.discard)
        return task

    async def wait_for_request(
        self,
        predicate: Callable[[str, JSON], bool],
        after: int = 0,
        timeout: float = 10.0,  # noqa: ASYNC109
    ) -> tuple[str, JSON]:
        """The first request from `received[after:]` with predicate(method, params), waiting for it."""

        def found() -> tuple[str, JSON] | None:
            return next((r for r in self.received[after:] if predicate(*r)), None)

        async with self._arrived:
            await asyncio.wait_for(self._arrived.wait_for(lambda: found() is not None), timeout)
        request = found()
        assert request is not None
        return request

    async def wait_for_requests(
        self,
        predicate: Callable[[str, JSON], bool],
        count: int,
        timeout: float = 10.0,  # noqa: ASYNC109
    ) -> None:
        """Wait until at least `count` requests in `received` satisfy predicate(method, params)."""

        def enough() -> bool:
            return sum(1 for request in self.received if predicate(*request)) >= count

        async with self._arrived:
            await asyncio.wait_for(self._arrived.wait_for(enough), timeout)


def error_body(status: int, description: str) -> JSON:
    return {"ok": False, "error_code": status, "description": description}


def decode_field(name: str, value: str) -> Any:
    """PTB JSON-encodes every form field except plain strings (reply_markup, chat_id, ...); undo that."""
    if name in TEXT_FIELDS:
        return value
    try:
        return json.loads(value)
    except ValueError:
        return value


def parse_request(request: HTTPServerRequest) -> tuple[JSON, dict[str, bytes]]:
    """The parameters and uploaded files of a Bot API request, whatever its encoding.

    Raises ValueError for a body that cannot be read (answered with 400, as Telegram does).
    """
    params: JSON = {
        name: decode_field(name, values[-1].decode()) for name, values in request.query_arguments.items()
    }
    files: dict[str, bytes] = {}
    content_type = request.headers.get("Content-Type", "").partition(";")[0].strip().lower()
    if content_type == "application/json":
        if request.body.strip():
            body = json.loads(request.body)
            if not isinstance(body, dict):
                raise ValueError("the JSON body must be an object")
            params.update(body)
        return params, files
    # Tornado has already split urlencoded and multipart bodies into fields and files.
    for name, values in request.body_arguments.items():
        params[name] = decode_field(name, values[-1].decode())
    for name, parts in request.files.items():
        files[name] = parts[-1].body
    return params, files


class BotApiHandler(RequestHandler):
    """`/bot<token>/<method>`, GET or POST, answered by the model."""

    def initialize(self, emulator: Emulator) -> None:
        self.emulator = emulator
        self.poll: asyncio.Task[tuple[int, JSON]] | None = None

    async def get(self, token: str, method: str) -> None:
        await self.answer(token, method)

    async def post(self, token: str, method: str) -> None:
        await self.answer(token, method)

    async def answer(self, token: str, method: str) -> None:
        if self.emulator.token is not None and token != self.emulator.token:
            self.reply(401, error_body(401, "Unauthorized"))
            return
        try:
            params, files = parse_request(self.request)
        except ValueError as error:
            self.reply(400, error_body(400, f"Bad Request: {error}"))
            return
        task = await self.emulator.receive(method, params, files)
        if method == "getUpdates":
            self.poll = task
        # asyncio.wait, unlike await, does not raise when the call was cancelled by a closed connection.
        await asyncio.wait({task})
        if task.cancelled():
            self.reply(503, error_body(503, "Service Unavailable: the emulator is closing"))
            return
        failure = task.exception()
        if failure is not None:
            # Missing or malformed parameters make the model raise; Telegram answers those with 400.
            log.warning("%s failed in the model: %r", method, failure, exc_info=failure)
            self.reply(400, error_body(400, f"Bad Request: {type(failure).__name__}: {failure}"))
            return
        status, body = task.result()
        self.reply(status, body)

    def reply(self, status: int, body: JSON) -> None:
        if self.request.connection is None or self._finished:
            return
        self.set_status(status)
        self.set_header("Content-Type", "application/json")
        self.finish(json.dumps(body, ensure_ascii=False).encode())

    def on_connection_close(self) -> None:
        # A killed bot leaves its long poll behind; it must not keep waiting for updates nobody reads.
        # Other calls run to the end: a real server also delivers a message whose sender hung up.
        if self.poll is not None:
            self.poll.cancel()


class FileHandler(RequestHandler):
    """`/file/bot<token>/<file_path>`: the bytes of a file getFile described (Telegram's download URL)."""

    def initialize(self, emulator: Emulator) -> None:
        self.emulator = emulator

    def get(self, token: str, path: str) -> None:
        content = self.emulator.api.files.download(path)
        if (self.emulator.token is not None and token != self.emulator.token) or content is None:
            self.set_status(404)
            self.set_header("Content-Type", "application/json")
            self.finish(json.dumps(error_body(404, "Not Found")))
            return
        self.set_header("Content-Type", "application/octet-stream")
        self.finish(content)


class NotFoundHandler(RequestHandler):
    """Anything else: Telegram's 404 in JSON."""

    def prepare(self) -> None:
        self.set_status(404)
        self.set_header("Content-Type", "application/json")
        self.finish(json.dumps(error_body(404, "Not Found")))


class ControlHandler(RequestHandler):
    """`/_emulator/<action>` for a standalone emulator: push updates, read calls, inject faults."""

    def initialize(self, emulator: Emulator) -> None:
        self.emulator = emulator

    def get(self, action: str) -> None:
        if action != "calls":
            self.not_found()
            return
        since = int(self.get_query_argument("since", "0"))
        calls = [
            {"method": call.method, "params": call.params, "result": call.result}
            for call in self.emulator.api.calls[since:]
        ]
        self.write_json({"ok": True, "result": calls, "next": len(self.emulator.api.calls)})

    async def post(self, action: str) -> None:
        try:
            body = json.loads(self.request.body or b"{}")
        except ValueError:
            self.set_status(400)
            self.write_json(error_body(400, "Bad Request: the body must be JSON"))
            return
        if action == "updates":
            for update in body if isinstance(body, list) else [body]:
                await self.emulator.api.push(update)
            self.write_json({"ok": True, "result": True})
        elif action == "faults":
            status, description = int(body.pop("status")), str(body.pop("description"))
            fault = self.emulator.api.fail(status, description, **body)
            self.write_json({"ok": True, "result": vars(fault)})
        elif action == "clock":
            self.write_json({"ok": True, "result": self.emulator.api.clock.advance(float(body["advance"]))})
        elif action == "flood":
            self.write_json({"ok": True, "result": self.set_flood(body)})
        else:
            self.not_found()

    def set_flood(self, body: JSON) -> JSON:
        """{"storm": 35} (every message 429), {"calm": true}, {"limit": true} (Telegram's rates) or
        {"limit": {"per_chat_per_second": 1, ...}}, {"limit": false}."""
        flood = self.emulator.api.flood
        if "storm" in body:
            flood.storm(int(body["storm"]))
        if body.get("calm"):
            flood.calm()
        if "limit" in body:
            limit = body["limit"]
            if limit is False:
                flood.unlimit()
            else:
                flood.limit(**(limit if isinstance(limit, dict) else {}))
        return {name: value for name, value in vars(flood).items() if not name.startswith("_")}

    def not_found(self) -> None:
        self.set_status(404)
        self.write_json(error_body(404, "Not Found"))

    def write_json(self, body: JSON) -> None:
        self.set_header("Content-Type", "application/json")
        self.finish(json.dumps(body, ensure_ascii=False, default=str).encode())


def log_request(handler: RequestHandler) -> None:
    """One DEBUG line per request, with the token cut out of the path (the bot's own logs hide it too)."""
    request = handler.request
    path = request.path
    if path.startswith("/bot") and "/" in path[4:]:
        path = "/bot<token>/" + path[4:].split("/", 1)[1]
    log.debug(
        "%s %s -> %s in %.1f ms", request.method, path, handler.get_status(), 1000 * request.request_time()
    )


def make_app(emulator: Emulator) -> Application:
    return Application(
        [
            (r"/bot([^/]+)/([A-Za-z0-9_]+)/?", BotApiHandler, {"emulator": emulator}),
            (r"/file/bot([^/]+)/(.+)", FileHandler, {"emulator": emulator}),
            (r"/_emulator/([a-z]+)", ControlHandler, {"emulator": emulator}),
        ],
        default_handler_class=NotFoundHandler,
        log_function=log_request,
    )


def file_url(base_url: str) -> str:
    """The TELEGRAM_BASE_FILE_URL that goes with a base URL from serve_emulator."""
    return base_url.removesuffix("/bot") + "/file/bot"


@asynccontextmanager
async def serve_emulator(
    api: FakeBotApi, *, host: str = "127.0.0.1", port: int = 0, token: str | None = None
) -> AsyncIterator[str]:
    """Serve `api` on host:port (0: a free port) in the running loop; yields "http://host:port/bot".

    With `token`, requests for any other token get Telegram's 401 Unauthorized.
    """
    async with run_emulator(api, host=host, port=port, token=token) as emulator:
        yield emulator.base_url


@asynccontextmanager
async def run_emulator(
    api: FakeBotApi, *, host: str = "127.0.0.1", port: int = 0, token: str | None = None
) -> AsyncIterator[Emulator]:
    """As serve_emulator, but yields the Emulator itself (base_url, file_url, received requests)."""
    emulator = Emulator(api, token)
    emulator.webhook = WebhookDelivery(api)
    api.listeners.append(emulator.webhook.on_call)
    server = HTTPServer(make_app(emulator))
    sockets = bind_sockets(port, host)
    server.add_sockets(sockets)
    emulator.base_url = f"http://{host}:{sockets[0].getsockname()[1]}/bot"
    try:
        yield emulator
    finally:
        server.stop()
        api.listeners.remove(emulator.webhook.on_call)
        await emulator.webhook.close()
        for task in list(emulator.in_flight):
            task.cancel()
        await server.close_all_connections()
