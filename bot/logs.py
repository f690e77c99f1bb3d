"""Logging set-up; secrets such as the bot token never reach a log line.

Text (the default) or, with LOG_FORMAT=json, one JSON object a line: time, level, logger, message and,
inside an update's handling, its update_id, the user (a salted hash, never the id), the handler and,
on the line that ends the update, duration_ms (bot/telegram/observe.py sets those). A traceback is the
`exception` field of its line, whether a handler's error was logged or nothing caught it (the
interpreter's, a thread's and the event loop's hooks all log: `log_uncaught_exceptions`).
"""

from __future__ import annotations

import hashlib
import json
import logging
import sys
import threading
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from types import TracebackType
from typing import Any, Literal

# Hex digits kept of a user's hash: enough to tell users apart in a log, too few to be an id.
USER_HASH_LENGTH = 12


@dataclass(frozen=True, slots=True)
class UpdateFields:
    """What a log line says about the update being handled when it is written."""

    update_id: int | None = None
    user: str | None = None  # user_hash of the sender
    handler: str | None = None


NO_FIELDS = UpdateFields()
UPDATE_FIELDS: ContextVar[UpdateFields | None] = ContextVar("update_log_fields", default=None)
_user_salt = ""


def user_hash(user_id: int | None) -> str | None:
    """A stable stand-in for a user id in logs: sha256 of the id and LOG_USER_SALT, first 12 hex digits."""
    if user_id is None:
        return None
    return hashlib.sha256(f"{user_id}:{_user_salt}".encode()).hexdigest()[:USER_HASH_LENGTH]


@contextmanager
def update_fields(**changes: Any) -> Iterator[UpdateFields]:
    """Log lines written inside carry these fields (update_id, user, handler) besides the current ones."""
    fields = replace(UPDATE_FIELDS.get() or NO_FIELDS, **changes)
    token = UPDATE_FIELDS.set(fields)
    try:
        yield fields
    finally:
        UPDATE_FIELDS.reset(token)


class JsonFormatter(logging.Formatter):
    """One JSON object a line. Runs after RedactSecrets, so message and traceback are already clean."""

    def format(self, record: logging.LogRecord) -> str:
        fields = UPDATE_FIELDS.get() or NO_FIELDS
        line: dict[str, Any] = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
            "update_id": getattr(record, "update_id", fields.update_id),
            "user": getattr(record, "user", fields.user),
            "handler": getattr(record, "handler", fields.handler),
            "duration_ms": getattr(record, "duration_ms", None),
        }
        if record.exc_info and not record.exc_text:
            record.exc_text = self.formatException(record.exc_info)
        if record.exc_text:
            line["exception"] = record.exc_text  # the whole traceback, one field of the one line
        if record.stack_info:
            line["stack"] = self.formatStack(record.stack_info)
        return json.dumps(line, ensure_ascii=False, default=str)


class RedactSecrets(logging.Filter):
    """Replaces every secret in a record's final text (URLs of Bot API calls carry the token)."""

    def __init__(self, secrets: Iterable[str]) -> None:
        super().__init__()
        self.secrets = [secret for secret in secrets if secret]

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        for secret in self.secrets:
            message = message.replace(secret, "<redacted>")
            if record.exc_text:
                record.exc_text = record.exc_text.replace(secret, "<redacted>")
            if record.stack_info:
                record.stack_info = record.stack_info.replace(secret, "<redacted>")
        record.msg, record.args = message, None
        return True


UNCAUGHT = logging.getLogger("bot.uncaught")


def log_uncaught_exceptions() -> None:
    """Tracebacks that escape everything (the interpreter, a thread, an object's __del__) go through the
    log like every other line: one JSON object with LOG_FORMAT=json, the traceback its `exception` field,
    and the secrets redacted. The event loop's own handler logs through the `asyncio` logger already."""

    def excepthook(kind: type[BaseException], error: BaseException, trace: TracebackType | None) -> None:
        UNCAUGHT.critical(
            "uncaught exception: %s: %s", kind.__name__, error, exc_info=(kind, error, trace)
        )  # fmt: skip

    def thread_excepthook(args: threading.ExceptHookArgs) -> None:
        if args.exc_type is SystemExit or args.exc_value is None:
            return  # as the default hook: a thread that exits is not an error
        name = args.thread.name if args.thread is not None else "?"
        UNCAUGHT.error(
            "uncaught exception in thread %s: %s: %s", name, args.exc_type.__name__, args.exc_value,
            exc_info=(args.exc_type, args.exc_value, args.exc_traceback),
        )  # fmt: skip

    def unraisablehook(unraisable: Any) -> None:  # sys.UnraisableHookArgs
        kind, error = unraisable.exc_type, unraisable.exc_value
        where = unraisable.err_msg or "Exception ignored in"
        UNCAUGHT.error(
            "%s: %r", where, unraisable.object,
            exc_info=(kind, error, unraisable.exc_traceback) if error is not None else None,
        )  # fmt: skip

    sys.excepthook = excepthook
    threading.excepthook = thread_excepthook
    sys.unraisablehook = unraisablehook


_log_format: Literal["text", "json"] = "text"


def fatal_line(message: str) -> str:
    """The one line a failed start-up prints: as is, or under LOG_FORMAT=json one JSON object like the
    log's (a configuration error found before the settings were read is always plain text)."""
    if _log_format != "json":
        return message
    record = logging.LogRecord("bot", logging.CRITICAL, __file__, 0, message, None, None)
    return JsonFormatter().format(record)


def configure_logging(
    level: str,
    secrets: Iterable[str] = (),
    *,
    log_format: Literal["text", "json"] = "text",
    user_salt: str = "",
) -> None:
    global _user_salt, _log_format
    _user_salt, _log_format = user_salt, log_format
    secrets = list(secrets)
    log_uncaught_exceptions()
    handler = logging.StreamHandler(sys.stderr)
    if log_format == "json":
        handler.setFormatter(JsonFormatter())
    else:
        handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    handler.addFilter(RedactSecrets(secrets))
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level)
    # Python's warnings print to stderr themselves: as log lines they are redacted (and JSON under json).
    logging.captureWarnings(True)
    # httpx logs every request URL at INFO, token included; its own lines add nothing we need.
    logging.getLogger("httpx").setLevel(max(logging.WARNING, root.level))
    logging.getLogger("apscheduler").setLevel(max(logging.WARNING, root.level))
    # asyncio's "Using selector" DEBUG line would break the one-line promise of a failed startup.
    logging.getLogger("asyncio").setLevel(max(logging.INFO, root.level))
