"""What an update's handling tells the logs and the metrics (web15).

`observe_update` wraps one update's trip through the Application (the inbox consumer calls it): its log
lines carry update_id, the user's hash and the handler; at the end one line says how long it took, and
the metrics count it by type and outcome and time it by handler. `name_handlers` lets each handler say
its name (its callback's), which PTB keeps to itself.
"""

from __future__ import annotations

import logging
import time
from collections.abc import AsyncIterator, Callable, Coroutine, Sequence
from contextlib import asynccontextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any

from telegram import Update

from bot.logs import update_fields, user_hash
from bot.services.metrics import Metrics
from bot.telegram.context import BotApplication, BotContext

log = logging.getLogger(__name__)
NO_HANDLER = "none"


def update_type(update: Update) -> str:
    """The update's kind as Telegram names it (message, callback_query, ...): its one field that is set."""
    for kind in Update.ALL_TYPES:
        if getattr(update, kind, None) is not None:
            return str(kind)
    return "unknown"


@dataclass(slots=True)
class Observation:
    handler: str | None = None


CURRENT_OBSERVATION: ContextVar[Observation | None] = ContextVar("current_observation", default=None)


Callback = Callable[[Any, BotContext], Coroutine[Any, Any, Any]]


def _named(name: str, callback: Callback) -> Callback:
    async def handle(update: Any, context: BotContext) -> Any:
        observation = CURRENT_OBSERVATION.get()
        if observation is not None:
            observation.handler = name
        with update_fields(handler=name):
            return await callback(update, context)

    handle.__qualname__ = handle.__name__ = name
    return handle


def name_handlers(application: BotApplication) -> None:
    """Every registered handler's callback reports its name while it runs (call after registering)."""
    for group in application.handlers.values():
        for handler in group:
            callback = handler.callback
            name = f"{callback.__module__.rsplit('.', 1)[-1]}.{callback.__name__}"
            handler.callback = _named(name, callback)


@asynccontextmanager
async def observe_update(metrics: Metrics, update: Update, failed: Callable[[], bool]) -> AsyncIterator[None]:
    """Around Application.process_update of one stored update; `failed` tells, after, whether it failed."""
    user = update.effective_user
    kind = update_type(update)
    observation = Observation()
    token = CURRENT_OBSERVATION.set(observation)
    started = time.perf_counter()
    try:
        with update_fields(update_id=update.update_id, user=user_hash(user.id if user else None)):
            yield
            seconds = time.perf_counter() - started
            handler = observation.handler or NO_HANDLER
            outcome = "failed" if failed() else "done"
            metrics.updates_handled.labels(type=kind, outcome=outcome).inc()
            metrics.handler_duration.labels(handler=handler).observe(seconds)
            log.info(
                "update %s (%s) %s by %s in %.1f ms",
                update.update_id, kind, outcome, handler, 1000 * seconds,
                extra={"handler": handler, "duration_ms": round(1000 * seconds, 1)},
            )  # fmt: skip
    finally:
        CURRENT_OBSERVATION.reset(token)


def count_received(metrics: Metrics, updates: Sequence[Update]) -> None:
    for update in updates:
        metrics.updates_received.labels(type=update_type(update)).inc()
