"""Logging set-up; secrets such as the bot token never reach a log line.

Text (the default) or, with LOG_FORMAT=json, one JSON object a line: time, level, logger, message and,
inside an update's handling, its update_id, the user (a salted hash, never the id), the handler and,
on the line that ends the update, duration_ms (bot/telegram/observe.py sets those).
"""

from __future__ import annotations

import hashlib
import json
import logging
import sys
import threading
import traceback
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
            line["exception"] = record.exc_text
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
        record.msg, record.args = message, None
        return True


def redact(text: str, secrets: Iterable[str]) -> str:
    for secret in secrets:
        if secret:
            text = text.replace(secret, "<redacted>")
    return text


def redact_uncaught_exceptions(secrets: Iterable[str]) -> None:
    """Tracebacks that escape everything (the interpreter prints those itself) get the secrets hidden too."""
    hidden = [secret for secret in secrets if secret]

    def excepthook(kind: type[BaseException], error: BaseException, trace: TracebackType | None) -> None:
        sys.stderr.write(redact("".join(traceback.format_exception(kind, error, trace)), hidden))

    def thread_excepthook(args: threading.ExceptHookArgs) -> None:
        if args.exc_value is not None:
            excepthook(args.exc_type, args.exc_value, args.exc_traceback)

    sys.excepthook = excepthook
    threading.excepthook = thread_excepthook


def configure_logging(
    level: str,
    secrets: Iterable[str] = (),
    *,
    log_format: Literal["text", "json"] = "text",
    user_salt: str = "",
) -> None:
    global _user_salt
    _user_salt = user_salt
    secrets = list(secrets)
    redact_uncaught_exceptions(secrets)
    handler = logging.StreamHandler(sys.stderr)
    if log_format == "json":
        handler.setFormatter(JsonFormatter())
    else:
        handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    handler.addFilter(RedactSecrets(secrets))
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level)
    # httpx logs every request URL at INFO, token included; its own lines add nothing we need.
    logging.getLogger("httpx").setLevel(max(logging.WARNING, root.level))
    logging.getLogger("apscheduler").setLevel(max(logging.WARNING, root.level))
    # asyncio's "Using selector" DEBUG line would break the one-line promise of a failed startup.
    logging.getLogger("asyncio").setLevel(max(logging.INFO, root.level))
