"""A coaching nudge's life: queued, then sent once or suppressed.

queued    -> pending | suppressed (every text used lately)
pending   -> sending | suppressed (over the cap, turned down, user inactive)
sending   -> sent | pending (retry later) | failed | unconfirmed (may have arrived: never repeated)
"""

from __future__ import annotations

from enum import StrEnum

from bot.core.lifecycle import Lifecycle


class NudgeStatus(StrEnum):
    PENDING = "pending"
    SENDING = "sending"
    SENT = "sent"
    SUPPRESSED = "suppressed"  # over the daily cap, turned down by the user, or no fresh text left
    FAILED = "failed"
    UNCONFIRMED = "unconfirmed"


_S = NudgeStatus
NUDGES: Lifecycle[NudgeStatus] = Lifecycle(
    "nudge",
    initial=_S.PENDING,
    moves={
        _S.PENDING: frozenset({_S.SENDING, _S.SUPPRESSED}),
        _S.SENDING: frozenset({_S.SENT, _S.PENDING, _S.FAILED, _S.UNCONFIRMED}),
        _S.SENT: frozenset(),
        _S.SUPPRESSED: frozenset(),
        _S.FAILED: frozenset(),
        _S.UNCONFIRMED: frozenset(),
    },
)
NO_FRESH_TEXT = "every text used lately"
STOPPED_DURING_SEND = "the process stopped during the send"


def queued_status(text_id: str | None) -> tuple[NudgeStatus, str | None]:
    """A new nudge waits to be sent, unless no text is left that the user has not read lately."""
    return (NUDGES.initial, None) if text_id else (_S.SUPPRESSED, NO_FRESH_TEXT)
