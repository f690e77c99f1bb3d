"""A coaching nudge's life: queued, then sent once or suppressed.

queued    -> pending | suppressed (every text used lately)
pending   -> sending | suppressed (over the cap, turned down, user inactive)
           | withdrawn (the result it celebrates was undone or corrected before it went out)
withdrawn -> pending (the result came back: the same occasion, celebrated once after all)
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
    WITHDRAWN = "withdrawn"  # its result was undone before it went out; the same trigger may bring it back


_S = NudgeStatus
NUDGES: Lifecycle[NudgeStatus] = Lifecycle(
    "nudge",
    initial=_S.PENDING,
    moves={
        _S.PENDING: frozenset({_S.SENDING, _S.SUPPRESSED, _S.WITHDRAWN}),
        _S.SENDING: frozenset({_S.SENT, _S.PENDING, _S.FAILED, _S.UNCONFIRMED}),
        _S.SENT: frozenset(),
        _S.SUPPRESSED: frozenset(),
        _S.FAILED: frozenset(),
        _S.UNCONFIRMED: frozenset(),
        _S.WITHDRAWN: frozenset({_S.PENDING}),
    },
)
NO_FRESH_TEXT = "every text used lately"
STOPPED_DURING_SEND = "the process stopped during the send"
RESULT_WITHDRAWN = "its result was undone or corrected"


def queued_status(text_id: str | None) -> tuple[NudgeStatus, str | None]:
    """A new nudge waits to be sent, unless no text is left that the user has not read lately."""
    return (NUDGES.initial, None) if text_id else (_S.SUPPRESSED, NO_FRESH_TEXT)
