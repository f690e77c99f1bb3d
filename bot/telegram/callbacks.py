"""Callback data of buttons. Never trusted: it is parsed strictly and checked against the database."""

from __future__ import annotations

import re

DIALOG_PREFIX = "d"
_DIALOG = re.compile(r"^d:(\d{1,9}):(.{1,50})$", re.DOTALL)


def dialog_callback(version: int, value: str) -> str:
    """Data for a button of a dialog prompt: the dialog version it was shown at and its value."""
    data = f"{DIALOG_PREFIX}:{version}:{value}"
    if len(data.encode()) > 64:
        raise ValueError(f"callback data over Telegram's 64 bytes: {data!r}")
    return data


def parse_dialog_callback(data: str | None) -> tuple[int, str] | None:
    match = _DIALOG.match(data or "")
    return (int(match.group(1)), match.group(2)) if match else None
