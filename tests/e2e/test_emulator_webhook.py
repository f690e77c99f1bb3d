"""The emulator's webhook delivery against a small test server (web15): POSTs with the secret, retries
with backoff on non-200 (getWebhookInfo tells the last error and what is pending), stops on deleteWebhook,
and getUpdates refused with 409 while a webhook is set, as Telegram does."""

from __future__ import annotations

import json
import socket
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from typing import Any

import httpx
import pytest
from tornado.httpserver import HTTPServer
from tornado.netutil import bind_sockets
from tornado.web import Application, RequestHandler

from bot.devtools.fake_bot_api import FakeBotApi
from tests.emulator import Emulator, run_emulator

SECRET = "hook-secret"


@dataclass
class Receiver:
    """A webhook that answers each POST with the next status of `statuses` (then 200)."""

    statuses: list[int] = field(default_factory=list)
    posts: list[tuple[int, str | None]] = field(default_factory=list)  # (update_id, secret header)
    url: str = ""


class HookHandler(RequestHandler):
    def initialize(self, receiver: Receiver) -> None:
        self.receiver = receiver

    def post(self) -> None:
        update = json.loads(self.request.body)
        self.receiver.posts.append(
            (update["update_id"], self.request.headers.get("X-Telegram-Bot-Api-Secret-Token"))
        )
        self.set_status(self.receiver.statuses.pop(0) if self.receiver.statuses else 200)
        self.finish()


@pytest.fixture
async def receiver() -> AsyncIterator[Receiver]:
    found = Receiver()
    server = HTTPServer(Application([("/hook", HookHandler, {"receiver": found})]))
    sockets = bind_sockets(0, "127.0.0.1")
    server.add_sockets(sockets)
    found.url = f"http://127.0.0.1:{sockets[0].getsockname()[1]}/hook"
    try:
        yield found
    finally:
        server.stop()
        await server.close_all_connections()


@pytest.fixture
async def emulator(bot_api: FakeBotApi) -> AsyncIterator[Emulator]:
    async with run_emulator(bot_api) as running:
        yield running


async def call(emulator: Emulator, method: str, **params: Any) -> httpx.Response:
    async with httpx.AsyncClient() as client:
        return await client.post(f"{emulator.base_url}123:abc/{method}", json=params)


async def test_updates_are_posted_with_the_secret_and_retried_after_a_500(
    emulator: Emulator, receiver: Receiver, bot_api: FakeBotApi
) -> None:
    receiver.statuses = [500, 500]
    assert (await call(emulator, "setWebhook", url=receiver.url, secret_token=SECRET)).json()[
        "result"
    ] is True
    user = bot_api.user(820_001)
    await bot_api.push(bot_api.message_update(user, "first"))
    delivery = emulator.webhook
    assert delivery is not None
    attempts = await delivery.wait_for_attempts(3)
    assert [a.status for a in attempts] == [500, 500, 200]
    info = (await call(emulator, "getWebhookInfo")).json()["result"]
    assert info["url"] == receiver.url and info["pending_update_count"] == 0
    # Telegram keeps the last error after the update went through.
    assert info["last_error_message"] == "Wrong response from the webhook: 500 Internal Server Error"
    assert receiver.posts == [(1, SECRET)] * 3, "the same update, each time with the secret"
    assert bot_api.updates.pending == [], "the 200 confirmed it"
    await bot_api.push(bot_api.message_update(user, "second"))
    await delivery.wait_for_attempts(4)
    assert receiver.posts[-1] == (2, SECRET)
    assert (await call(emulator, "getWebhookInfo")).json()["result"]["pending_update_count"] == 0


async def test_get_updates_is_refused_while_a_webhook_is_set_and_delete_webhook_stops_the_posts(
    emulator: Emulator, receiver: Receiver, bot_api: FakeBotApi
) -> None:
    await call(emulator, "setWebhook", url=receiver.url, secret_token=SECRET)
    refused = await call(emulator, "getUpdates", timeout=0)
    assert refused.status_code == 409
    assert refused.json()["description"] == (
        "Conflict: can't use getUpdates method while webhook is active; use deleteWebhook to delete the webhook first"
    )
    assert (await call(emulator, "deleteWebhook")).json()["result"] is True
    await bot_api.push(bot_api.message_update(bot_api.user(820_002), "after"))
    polled = (await call(emulator, "getUpdates", timeout=0)).json()
    assert [update["message"]["text"] for update in polled["result"]] == ["after"]
    assert receiver.posts == [], "nothing is POSTed once the webhook is deleted"
    assert (await call(emulator, "getWebhookInfo")).json()["result"]["url"] == ""


async def test_an_unreachable_webhook_is_retried_and_reported(
    emulator: Emulator, bot_api: FakeBotApi
) -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    await call(emulator, "setWebhook", url=f"http://127.0.0.1:{port}/hook")
    await bot_api.push(bot_api.message_update(bot_api.user(820_003), "hello"))
    delivery = emulator.webhook
    assert delivery is not None
    attempts = await delivery.wait_for_attempts(2)
    assert [a.status for a in attempts[:2]] == [None, None]
    info = (await call(emulator, "getWebhookInfo")).json()["result"]
    assert info["last_error_message"] == "Connection refused" and info["pending_update_count"] == 1
