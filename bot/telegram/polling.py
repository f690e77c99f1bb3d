"""Running on Telegram with long polling: start-up retries, a watched token, the inbox, a clean stop.

PTB's `run_polling` gives up polling for good on a 401 (the process lives on, deaf), prints the token in
the start-up traceback, leaves SIGTERM to a closed loop, and its Updater confirms a fetched batch on its
next getUpdates call before the batch is handled, so a crash loses it. This module runs the pieces itself:
getMe is retried while the network is down (one line per attempt), a rejected token at start-up is a
`TokenRejectedAtStartup` for the caller to turn into its one line, each getUpdates batch is committed to
the inbox before the next call's offset confirms it (bot/telegram/inbox_worker.py consumes the inbox), a
401 on getUpdates is retried with backoff and, past `telegram_unauthorized_grace_seconds`, ends the run so
a supervisor restarts the bot, and a stop request always ends in the full shutdown.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, field
from datetime import timedelta
from enum import Enum
from functools import partial
from typing import TypeVar

from telegram import Update
from telegram._utils.defaultvalue import DEFAULT_NONE
from telegram._utils.types import ODVInput
from telegram.error import InvalidToken, NetworkError, RetryAfter, TelegramError, TimedOut
from telegram.request import BaseRequest, HTTPXRequest, RequestData

from bot.telegram.context import BotApplication
from bot.telegram.inbox_worker import InboxWorker, start_inbox, store_updates
from bot.telegram.shutdown import RunStop, ShutdownDeadline
from bot.telegram.shutdown import shut_down as shut_down  # where webhook.py and others have found it
from bot.telegram.wrapped_request import WrappedRequest

log = logging.getLogger(__name__)
T = TypeVar("T")

REJECTED = (401, 404)  # Telegram: 401 for a revoked or wrong token, 404 for a malformed one
MAX_BACKOFF_SECONDS = 15.0
# getUpdates gets its own connection, as PTB gives it by default; the long poll adds its timeout itself.
UPDATES_CONNECTIONS = 1
EMPTY_BATCH = b'{"ok": true, "result": []}'


class TokenRejectedAtStartup(Exception):
    """getMe was answered 401 or 404: the token (or the base URL) is wrong. The message holds no token."""


class Outcome(Enum):
    STOPPED = "stopped"  # a stop request (SIGTERM, SIGINT): exit 0
    TOKEN_REJECTED = "token rejected while polling"  # exit non-zero so a supervisor restarts the bot


def backoff(attempt: int) -> float:
    """Seconds to wait before retry number `attempt` (1, 2, ...): 1, 2, 4, ... up to 15."""
    return min(MAX_BACKOFF_SECONDS, 2.0 ** (attempt - 1))


@dataclass
class RejectionWatch:
    """How long getUpdates has been refused; calls `give_up` once that lasts past `grace` seconds."""

    grace: float
    give_up: Callable[[], None]
    stopping: Callable[[], bool] = lambda: False  # the run is shutting down: do not wait, do not retry
    clock: Callable[[], float] = time.monotonic
    since: float | None = None
    attempts: int = 0
    gave_up: bool = field(default=False, init=False)

    def rejected(self, code: int, description: str) -> float | None:
        """Note a refusal; the seconds to wait before the next try, or None once the grace is over."""
        now = self.clock()
        if self.since is None:
            self.since = now
        self.attempts += 1
        lasted = now - self.since
        if lasted >= self.grace:
            if not self.gave_up:
                self.gave_up = True
                log.error(
                    "getUpdates: the Bot API refused the token for %.0f s (%s %s); giving up",
                    lasted,
                    code,
                    description,
                )
                self.give_up()
            return None
        delay = min(backoff(self.attempts), max(0.1, self.grace - lasted))
        log.warning(
            "getUpdates: the Bot API refused the token (%s %s) for %.0f s; retrying in %.1f s, "
            "exiting if it lasts %.0f s",
            code, description, lasted, delay, self.grace,
        )  # fmt: skip
        return delay

    def accepted(self) -> None:
        if self.since is not None:
            log.info("getUpdates: the token is accepted again after %.0f s", self.clock() - self.since)
        self.since, self.attempts = None, 0


class WatchedUpdatesRequest(WrappedRequest):
    """The getUpdates transport: a 401/404 is waited out here (cancellable: a stop ends the wait at once),
    so the polling loop sees getUpdates either answer or, once the grace is over, return nothing."""

    def __init__(self, watch: RejectionWatch, inner: BaseRequest | None = None) -> None:
        super().__init__(inner or HTTPXRequest(connection_pool_size=UPDATES_CONNECTIONS))
        self.watch = watch

    async def do_request(
        self,
        url: str,
        method: str,
        request_data: RequestData | None = None,
        read_timeout: ODVInput[float] = DEFAULT_NONE,
        write_timeout: ODVInput[float] = DEFAULT_NONE,
        connect_timeout: ODVInput[float] = DEFAULT_NONE,
        pool_timeout: ODVInput[float] = DEFAULT_NONE,
    ) -> tuple[int, bytes]:
        while True:
            if self.watch.gave_up:
                # The run is ending (give_up stopped it): an empty batch, not an error to log next to the
                # one line that says why the bot exits.
                return 200, EMPTY_BATCH
            code, payload = await self.inner.do_request(
                url, method, request_data, read_timeout, write_timeout, connect_timeout, pool_timeout
            )
            if code not in REJECTED:
                if code == 200:
                    self.watch.accepted()
                return code, payload
            if self.watch.stopping():
                # The last poll at shutdown (it confirms the offset): a refusal changes nothing now.
                return 200, EMPTY_BATCH
            delay = self.watch.rejected(code, _description(payload))
            if delay is None:
                continue
            await asyncio.sleep(delay)


def _description(payload: bytes) -> str:
    """Telegram's short error text ("Unauthorized"), never the request (its URL holds the token)."""
    try:
        text = BaseRequest.parse_json_payload(payload).get("description", "")
    except TelegramError:
        return ""
    return str(text)[:80]


async def initialize_with_retries(application: BotApplication, where: str, stop: asyncio.Event) -> bool:
    """getMe (PTB's initialize) until it answers; False when a stop came first.

    Raises TokenRejectedAtStartup on 401/404: retrying a wrong token would only hide the mistake.
    """
    attempt = 0
    while not stop.is_set():
        attempt += 1
        try:
            await application.initialize()
            return True
        except InvalidToken:
            raise TokenRejectedAtStartup(
                f"the Bot API at {where} rejected TELEGRAM_BOT_TOKEN (401 Unauthorized or 404 Not Found): "
                "check the token from @BotFather and TELEGRAM_BASE_URL"
            ) from None
        except RetryAfter as error:
            wait = error.retry_after
            delay = wait.total_seconds() if isinstance(wait, timedelta) else float(wait)
            reason = f"flood control, retry after {delay} s"
        except NetworkError as error:  # TimedOut included
            delay, reason = backoff(attempt), error.message
        log.warning("cannot reach the Bot API at %s (attempt %d): %s; retrying in %s s",
                    where, attempt, reason, delay)  # fmt: skip
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(stop.wait(), delay)
    return False


# --- the getUpdates loop: a batch is stored before the next call confirms it ------------------------------

# Seconds Telegram holds a getUpdates call open when nothing is waiting (long polling).
POLL_TIMEOUT_SECONDS = 10
# How long the last getUpdates at a clean stop (it confirms what was stored) may take.
CONFIRM_SECONDS = 5.0


class Stopped(Exception):
    """The stop event was set while waiting."""


async def _until_stopped(awaitable: Awaitable[T], stop: asyncio.Event) -> T:
    """`awaitable`'s result, or Stopped (the awaitable cancelled) when `stop` is set first."""
    task = asyncio.ensure_future(awaitable)
    stopping = asyncio.ensure_future(stop.wait())
    try:
        await asyncio.wait({task, stopping}, return_when=asyncio.FIRST_COMPLETED)
    finally:
        stopping.cancel()
    if not task.done():
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError, Exception):
            await task
        raise Stopped
    return task.result()


async def _pause(stop: asyncio.Event, seconds: float) -> None:
    """Wait `seconds`, or until a stop request (which then ends the wait at once)."""
    with contextlib.suppress(TimeoutError):
        await asyncio.wait_for(stop.wait(), seconds)


def _retry_after_seconds(error: RetryAfter) -> float:
    wait = error.retry_after
    return wait.total_seconds() if isinstance(wait, timedelta) else float(wait)


async def call_until_answered(
    call: Callable[[], Awaitable[object]],
    method: str,
    stop: asyncio.Event,
    *,
    raised: tuple[type[Exception], ...] = (),
) -> bool:
    """A start-up Bot API call (deleteWebhook, setWebhook) until it answers; False when a stop came first.
    A failure is one line and a retry with backoff (Telegram's retry_after for a 429); `raised` are not
    retried but raised."""
    attempt = 0
    while not stop.is_set():
        attempt += 1
        try:
            await call()
            return True
        except Stopped:
            return False
        except raised:
            raise
        except TelegramError as error:
            delay = _retry_after_seconds(error) if isinstance(error, RetryAfter) else backoff(attempt)
            log.warning(
                "%s failed: %s: %s; retrying in %.0f s", method, type(error).__name__, error.message, delay
            )
            await _pause(stop, delay)
    return False


async def remove_webhook(application: BotApplication, stop: asyncio.Event) -> bool:
    """deleteWebhook until it answers (polling and a webhook exclude each other); False on a stop first."""
    return await call_until_answered(
        lambda: _until_stopped(application.bot.delete_webhook(), stop), "deleteWebhook", stop
    )


async def poll_updates(
    application: BotApplication,
    store: Callable[[Sequence[Update]], Awaitable[None]],
    stop: asyncio.Event,
    deadline: ShutdownDeadline | None = None,
) -> None:
    """getUpdates until `stop`; each batch is handed to `store` and only once that returned (it is durable)
    does the next call carry the offset past it, which is what confirms it to Telegram. A failure is one
    line and a retry with backoff (1, 2, 4, ... 15 s; Telegram's retry_after for a 429)."""
    bot = application.bot
    offset: int | None = None
    failures = 0
    while not stop.is_set():
        try:
            updates = await _until_stopped(
                bot.get_updates(
                    offset=offset, timeout=POLL_TIMEOUT_SECONDS, allowed_updates=Update.ALL_TYPES
                ),
                stop,
            )
        except Stopped:
            break
        except TimedOut:
            continue  # a long poll the network dropped: ask again at once, as PTB does
        except TelegramError as error:
            failures += 1
            delay = _retry_after_seconds(error) if isinstance(error, RetryAfter) else backoff(failures)
            log.warning(
                "getUpdates failed: %s: %s; retrying in %.0f s", type(error).__name__, error.message, delay
            )
            await _pause(stop, delay)
            continue
        failures = 0
        if not updates:
            continue
        if not await _store_until_done(store, updates, stop):
            return  # stopped before the batch was stored: Telegram sends it again to the next run
        offset = updates[-1].update_id + 1
    if offset is not None:
        # Confirm the last stored batch now rather than fetch it again (and skip it) after a restart:
        # the only getUpdates after a stop, within the shutdown's deadline.
        seconds = deadline.at_most(CONFIRM_SECONDS) if deadline is not None else CONFIRM_SECONDS
        with contextlib.suppress(TelegramError, TimeoutError):
            await asyncio.wait_for(bot.get_updates(offset=offset, timeout=0, limit=1), seconds)


async def _store_until_done(
    store: Callable[[Sequence[Update]], Awaitable[None]], updates: Sequence[Update], stop: asyncio.Event
) -> bool:
    """Store a batch, retrying while the database fails; False when a stop came first."""
    attempt = 0
    while True:
        try:
            await store(updates)
            return True
        except Exception as error:  # drivers raise many types; each means "not stored yet"
            attempt += 1
            if stop.is_set():
                return False
            delay = backoff(attempt)
            log.warning("could not store %d updates: %s: %s; retrying in %.0f s",
                        len(updates), type(error).__name__, error, delay)  # fmt: skip
            await _pause(stop, delay)


async def run_polling(
    application: BotApplication,
    *,
    where: str,
    stop: asyncio.Event,
    outcome: list[Outcome],
    post_init: Callable[[BotApplication], Awaitable[None]],
    post_shutdown: Callable[[BotApplication], Awaitable[None]],
) -> Outcome:
    """Start, poll into the inbox and consume it until `stop` is set, and shut everything down whatever
    happened in between.

    `outcome` is where a RejectionWatch's give_up records why it set `stop` (empty: a stop request).
    """
    worker: InboxWorker | None = None
    consuming: asyncio.Task[None] | None = None
    stopping = RunStop(application, stop)  # the deadline runs from the stop request itself
    try:
        if not await initialize_with_retries(application, where, stop):
            return Outcome.STOPPED
        await post_init(application)
        if not await remove_webhook(application, stop):
            return outcome[0] if outcome else Outcome.STOPPED
        await application.start()
        worker = stopping.worker = start_inbox(application)
        consuming = asyncio.create_task(worker.run(), name="inbox consumer")
        log.info("polling for updates")
        await poll_updates(application, partial(store_updates, application, worker), stop, stopping.deadline)
    finally:
        stopping.run_over()
        await shut_down(application, worker, consuming, post_shutdown, stopping.deadline)
    return outcome[0] if outcome else Outcome.STOPPED
