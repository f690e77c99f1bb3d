"""Helpers of the webhook-mode end-to-end tests (web15): a bot process whose updates come by POST."""

from __future__ import annotations

import socket

import httpx

from bot.devtools.fake_bot_api import SentCall
from tests.e2e.harness import Harness

SECRET = "s3cret_Token-for-e2e"
HOOK_PATH = "/telegram/hook"


def free_port() -> int:
    """A port nobody listens on now (the bot binds it a moment later)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def webhook_env(port: int, **more: str) -> dict[str, str]:
    return {
        "WEBHOOK_URL": f"http://127.0.0.1:{port}{HOOK_PATH}",
        "WEBHOOK_SECRET": SECRET,
        "WEBHOOK_LISTEN": "127.0.0.1",
        "WEBHOOK_PORT": str(port),
        "WEBHOOK_MAX_CONNECTIONS": "10",
        **more,
    }


async def start_by_webhook(harness: Harness, **more: str) -> int:
    """Start the bot in webhook mode; the port its web server listens on."""
    port = free_port()
    await harness.start(ready="setWebhook", **webhook_env(port, **more))
    return port


def set_webhook_call(harness: Harness) -> SentCall:
    return [call for call in harness.api.calls if call.method == "setWebhook"][-1]


async def get(port: int, path: str) -> httpx.Response:
    async with httpx.AsyncClient(timeout=10) as client:
        return await client.get(f"http://127.0.0.1:{port}{path}")
