"""How many nudges, which text, when: the daily caps by coaching level, no repeated text, quiet hours."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Sequence
from datetime import UTC, datetime, timedelta
from enum import StrEnum
from zoneinfo import ZoneInfo

from bot.core.nudges import NudgeKind
from bot.core.schedule import QuietHours, apply_quiet_hours


class NudgeLevel(StrEnum):
    NORMAL = "normal"
    FEWER = "fewer"
    OFF = "off"


# Nudges a user may get per local day; scheduled review prompts are not nudges and do not count.
DAILY_CAP: dict[NudgeLevel, int] = {NudgeLevel.NORMAL: 2, NudgeLevel.FEWER: 1, NudgeLevel.OFF: 0}

# At FEWER only what the user would miss: their own money (rewards), big wins, and a goal in trouble.
_FEWER_KINDS = frozenset(
    {NudgeKind.MILESTONE, NudgeKind.REWARD_EARNED, NudgeKind.REWARD_ENDED, NudgeKind.OFF_TRACK}
)


def may_send(level: NudgeLevel, sent_today: int) -> bool:
    """Whether one more nudge fits under the daily cap, `sent_today` having gone out this local day."""
    if sent_today < 0:
        raise ValueError(f"sent_today must not be negative, got {sent_today}")
    return sent_today < DAILY_CAP[NudgeLevel(level)]


def kind_allowed(level: NudgeLevel, kind: NudgeKind) -> bool:
    """Whether nudges of `kind` go out at `level`: all at NORMAL, a few at FEWER, none at OFF."""
    level = NudgeLevel(level)
    kind = NudgeKind(kind)
    if level is NudgeLevel.NORMAL:
        return True
    if level is NudgeLevel.FEWER:
        return kind in _FEWER_KINDS
    return False


NO_REPEAT_DAYS = 14


def text_seed(key: str) -> int:
    """A seed for choose_text from a trigger key, the same in every process.

    The builtin hash() of a str changes from one process to the next (PYTHONHASHSEED), so a retry after
    a restart would pick another text.
    """
    return int.from_bytes(hashlib.blake2b(key.encode(), digest_size=8).digest(), "big")


def used_within(sent: Iterable[tuple[str, datetime]], now: datetime, days: int = NO_REPEAT_DAYS) -> set[str]:
    """Text ids among `sent` (text id, aware send instant) sent less than `days` days before `now`."""
    if now.tzinfo is None or now.utcoffset() is None:
        raise ValueError(f"now must be an aware datetime, got {now!r}")
    since = now.astimezone(UTC) - timedelta(days=days)
    return {text_id for text_id, at in sent if at > since}


def _rank(seed: int, candidate: str) -> bytes:
    return hashlib.blake2b(f"{seed}\x00{candidate}".encode(), digest_size=8).digest()


def choose_text(candidates: Sequence[str], used_recently: set[str], seed: int) -> str | None:
    """One of `candidates` not in `used_recently`, the same for the same seed; None if all were used.

    Each candidate is ranked by a hash of (seed, candidate) and the best fresh one wins (rendezvous
    hashing): the choice does not depend on the candidates' order, and stays the same when another
    text becomes used in between, so a retry sends what the first attempt would have.
    """
    fresh = {candidate for candidate in candidates if candidate not in used_recently}
    if not fresh:
        return None
    # Ties between equal hashes are practically impossible; the id breaks them so the answer is total.
    return max(fresh, key=lambda candidate: (_rank(seed, candidate), candidate))


def send_at(now: datetime, quiet: QuietHours, zone: ZoneInfo) -> datetime:
    """When a nudge triggered at `now` goes out (UTC): now, or the end of the quiet hours it falls in."""
    return apply_quiet_hours(now, quiet, zone)
