"""The link that adds the bot to a team's group: https://t.me/<bot>?startgroup=<payload>.

Telegram opens the group picker and, once the bot is in the chosen group, sends "/start@<bot> <payload>"
there. The payload has the shape of an invite's (bot.core.teams.invites: 22 characters of URL-safe base64,
128 random bits) with its own prefix, so neither is mistaken for the other. A link names one team and
admits until it expires (a day: long enough to find the group, short enough that a forwarded link goes
stale); who may use it (the team's manager or a co-manager) is checked when it is used.
"""

from __future__ import annotations

import base64
import re
from datetime import datetime, timedelta
from enum import StrEnum

from bot.core.teams.invites import TOKEN_BYTES, RandomBytes
from bot.core.teams.lifecycles import TeamStatus

PREFIX = "g_"
LIFETIME = timedelta(days=1)
_PAYLOAD = re.compile(rf"{re.escape(PREFIX)}[A-Za-z0-9_-]{{22}}")


def new_group_payload(random_bytes: RandomBytes) -> str:
    """A fresh group-link payload from `random_bytes` (give it `secrets.token_bytes`)."""
    raw = random_bytes(TOKEN_BYTES)
    if len(raw) != TOKEN_BYTES:
        raise ValueError(f"the random source gave {len(raw)} bytes, not {TOKEN_BYTES}")
    return PREFIX + base64.urlsafe_b64encode(raw).decode("ascii").rstrip("=")


def is_group_payload(text: str) -> bool:
    """Whether a /start parameter has the shape of a group link (the caller then looks it up)."""
    return _PAYLOAD.fullmatch(text) is not None


class LinkRefusal(StrEnum):
    UNKNOWN = "unknown"  # no such link (or not a link's shape at all)
    EXPIRED = "expired"
    TEAM_ARCHIVED = "team_archived"


def link_refusal(expires_at: datetime | None, team: TeamStatus | None, now: datetime) -> LinkRefusal | None:
    """Why a link (None: not found) admits no group at `now`, or None when it still does."""
    if expires_at is None or team is None:
        return LinkRefusal.UNKNOWN
    if now >= expires_at:
        return LinkRefusal.EXPIRED
    return LinkRefusal.TEAM_ARCHIVED if team is not TeamStatus.ACTIVE else None
