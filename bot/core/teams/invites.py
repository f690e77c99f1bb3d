"""Team invites: the deep-link payload (https://t.me/<bot>?start=<payload>) and whether an invite still admits.

A payload is `PREFIX` and a token of `TOKEN_BYTES` random bytes in URL-safe base64 without padding:
27 characters of A-Za-z0-9_-, well inside Telegram's 64, and 128 bits that cannot be guessed. The random
source is an argument (`secrets.token_bytes` in production, a seeded generator in tests); nothing here
reads the clock. An invite admits until it expires (7 days by default), is revoked or runs out of uses;
each refusal is a typed reason. Someone removed from the team is not let back in by an invite made before
the removal: the manager sends a new one if they want them back.
"""

from __future__ import annotations

import base64
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

from bot.core.teams.lifecycles import MembershipStatus, TeamStatus

PREFIX = "t_"
TOKEN_BYTES = 16
MAX_PAYLOAD = 64  # Telegram's limit for a /start parameter
DEFAULT_LIFETIME = timedelta(days=7)
MAX_LIFETIME = timedelta(days=30)
MIN_LIFETIME = timedelta(hours=1)
MAX_USES = 500
_PAYLOAD = re.compile(rf"{re.escape(PREFIX)}[A-Za-z0-9_-]{{22}}")

RandomBytes = Callable[[int], bytes]


def new_payload(random_bytes: RandomBytes) -> str:
    """A fresh invite payload from `random_bytes` (give it `secrets.token_bytes`)."""
    raw = random_bytes(TOKEN_BYTES)
    if len(raw) != TOKEN_BYTES:
        raise ValueError(f"the random source gave {len(raw)} bytes, not {TOKEN_BYTES}")
    return PREFIX + base64.urlsafe_b64encode(raw).decode("ascii").rstrip("=")


def is_invite_payload(text: str) -> bool:
    """Whether a /start parameter has the shape of a team invite (the caller then looks it up)."""
    return _PAYLOAD.fullmatch(text) is not None


class TermsProblem(StrEnum):
    LIFETIME_TOO_SHORT = "lifetime_too_short"
    LIFETIME_TOO_LONG = "lifetime_too_long"
    USES_NOT_POSITIVE = "uses_not_positive"
    TOO_MANY_USES = "too_many_uses"


@dataclass(frozen=True)
class InviteTerms:
    """What the manager chose: when the invite was made, when it expires, how many may use it (None: any)."""

    created_at: datetime
    expires_at: datetime
    max_uses: int | None


def new_terms(
    now: datetime, *, lifetime: timedelta = DEFAULT_LIFETIME, max_uses: int | None = None
) -> InviteTerms | TermsProblem:
    """The terms of an invite made at `now`, or why the manager's choice cannot be used."""
    if now.tzinfo is None:
        raise ValueError(f"now must be an aware datetime, got {now!r}")
    if lifetime < MIN_LIFETIME:
        return TermsProblem.LIFETIME_TOO_SHORT
    if lifetime > MAX_LIFETIME:
        return TermsProblem.LIFETIME_TOO_LONG
    if max_uses is not None and max_uses < 1:
        return TermsProblem.USES_NOT_POSITIVE
    if max_uses is not None and max_uses > MAX_USES:
        return TermsProblem.TOO_MANY_USES
    return InviteTerms(created_at=now, expires_at=now + lifetime, max_uses=max_uses)


@dataclass(frozen=True)
class Invite:
    terms: InviteTerms
    uses: int = 0  # people who joined through it
    revoked_at: datetime | None = None

    @property
    def uses_left(self) -> int | None:
        return None if self.terms.max_uses is None else max(0, self.terms.max_uses - self.uses)


class InviteRefusal(StrEnum):
    TEAM_ARCHIVED = "team_archived"
    REVOKED = "revoked"
    EXPIRED = "expired"
    USED_UP = "used_up"
    ALREADY_MEMBER = "already_member"
    REMOVED_AFTER_INVITE = "removed_after_invite"


def invite_refusal(invite: Invite, team: TeamStatus, now: datetime) -> InviteRefusal | None:
    """Why the invite admits nobody at `now`, or None when it still does (checked in this order)."""
    if team is not TeamStatus.ACTIVE:
        return InviteRefusal.TEAM_ARCHIVED
    if invite.revoked_at is not None and invite.revoked_at <= now:
        return InviteRefusal.REVOKED
    if now >= invite.terms.expires_at:
        return InviteRefusal.EXPIRED
    if invite.uses_left == 0:
        return InviteRefusal.USED_UP
    return None


def admission_refusal(
    invite: Invite,
    team: TeamStatus,
    now: datetime,
    membership: MembershipStatus | None = None,
    removed_at: datetime | None = None,
) -> InviteRefusal | None:
    """Why this person cannot join through the invite: the invite's own reasons, then theirs.

    `membership` is their membership of the team if they have one, `removed_at` when they were removed.
    """
    refusal = invite_refusal(invite, team, now)
    if refusal is not None:
        return refusal
    if membership is MembershipStatus.MEMBER:
        return InviteRefusal.ALREADY_MEMBER
    if membership is MembershipStatus.REMOVED and (
        removed_at is None or removed_at >= invite.terms.created_at
    ):
        return InviteRefusal.REMOVED_AFTER_INVITE
    return None
