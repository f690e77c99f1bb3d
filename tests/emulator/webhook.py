"""Delivering updates by webhook, as Telegram does once the bot called setWebhook (web15).

Each pending update is POSTed as JSON to the webhook's url with X-Telegram-Bot-Api-Secret-Token; a 2xx
confirms it (it leaves the queue), anything else (or no answer) keeps it and is retried with backoff, the
error shown by getWebhookInfo's last_error_message. Up to max_connections updates are under way at once.
deleteWebhook stops the delivery; what was not confirmed is then there for getUpdates.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from dataclasses import dataclass, field
from http import HTTPStatus

import httpx

from bot.devtools.fake_bot_api import FakeBotApi, SentCall

log = logging.getLogger("tests.emulator.webhook")
SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"
# Telegram waits longer between attempts; the emulator's backoff is scaled down for tests (0.1 s, 0.2 s,
# ... up to 2 s), the shape the same: a failing webhook is not hammered.
FIRST_RETRY_SECONDS = 0.1
MAX_RETRY_SECONDS = 2.0
POST_TIMEOUT_SECONDS = 10.0


@dataclass(frozen=True)
class Attempt:
    """One POST: the update, and the status that answered it (None: no answer)."""

    update_id: int
    status: int | None

    @property
    def delivered(self) -> bool:
        return self.status is not None and 200 <= self.status < 300


@dataclass
class WebhookDelivery:
    """Follows the model's setWebhook and deleteWebhook calls (a listener) and POSTs while one is set."""

    api: FakeBotApi
    first_retry: float = FIRST_RETRY_SECONDS
    max_retry: float = MAX_RETRY_SECONDS
    attempts: list[Attempt] = field(default_factory=list)
    _task: asyncio.Task[None] | None = field(default=None, init=False)
    _attempted: asyncio.Condition = field(default_factory=asyncio.Condition, init=False)

    def on_call(self, call: SentCall) -> None:
        if call.method == "setWebhook":
            self._stop_task()
            if self.api.webhook.active:
                self._task = asyncio.ensure_future(self._deliver())
        elif call.method == "deleteWebhook":
            self._stop_task()

    def _stop_task(self) -> None:
        if self._task is not None:
            self._task.cancel()
            self._task = None

    async def close(self) -> None:
        task, self._task = self._task, None
        if task is not None:
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task

    async def wait_for_attempts(self, count: int, timeout: float = 10.0) -> list[Attempt]:  # noqa: ASYNC109
        async with self._attempted:
            await asyncio.wait_for(self._attempted.wait_for(lambda: len(self.attempts) >= count), timeout)
        return list(self.attempts)

    async def _deliver(self) -> None:
        webhook = self.api.webhook
        failures = 0
        async with httpx.AsyncClient(timeout=POST_TIMEOUT_SECONDS) as client:
            while True:
                batch = await self.api.updates.next_batch(webhook.max_connections)
                answers = await asyncio.gather(*(self._post(client, update) for update in batch))
                delivered = {
                    int(update["update_id"]) for update, ok in zip(batch, answers, strict=True) if ok
                }
                self.api.updates.remove(delivered)
                if len(delivered) == len(batch):
                    failures = 0
                    continue
                failures += 1
                await asyncio.sleep(min(self.max_retry, self.first_retry * 2 ** (failures - 1)))

    async def _post(self, client: httpx.AsyncClient, update: dict[str, object]) -> bool:
        webhook = self.api.webhook
        headers = {SECRET_HEADER: webhook.secret_token} if webhook.secret_token else {}
        update_id = int(str(update["update_id"]))
        try:
            response = await client.post(webhook.url, json=update, headers=headers)
        except httpx.HTTPError as error:
            await self._note(Attempt(update_id, None))
            webhook.failed(int(self.api.clock()), _connection_error(error))
            return False
        await self._note(Attempt(update_id, response.status_code))
        if 200 <= response.status_code < 300:
            return True
        phrase = (
            HTTPStatus(response.status_code).phrase
            if response.status_code in HTTPStatus._value2member_map_
            else ""
        )
        webhook.failed(
            int(self.api.clock()), f"Wrong response from the webhook: {response.status_code} {phrase}".strip()
        )
        return False

    async def _note(self, attempt: Attempt) -> None:
        async with self._attempted:
            self.attempts.append(attempt)
            self._attempted.notify_all()


def _status_line(status: int) -> str:
    try:
        return f"{status} {HTTPStatus(status).phrase}"
    except ValueError:
        return str(status)


def _connection_error(error: httpx.HTTPError) -> str:
    if isinstance(error, httpx.ConnectError):
        return "Connection refused"
    if isinstance(error, httpx.TimeoutException):
        return "Read timeout expired"
    return f"Connection error: {type(error).__name__}"
