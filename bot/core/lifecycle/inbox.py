"""An incoming update's life in the inbox: stored before Telegram is told, then handled exactly once.

(getUpdates batch) -> pending     stored, one commit per batch, before the next offset confirms it
pending -> done                   its handler's transaction committed with this move in it, or nothing
                                  handles it (no user, not a private chat): the consumer moves it after
pending -> failed                 its handler raised (the error handler has told the user), or it was
                                  under way at the head of its lane when the process died
                                  CLAIMS_BEFORE_FAILED times: it would take the bot down at every restart
(absent) -> done                  an update fed to the application without the inbox (the local shell,
                                  handler tests) is recorded handled by its turn
done, failed                      final: a re-delivered update stops at once; pruned after the retention
"""

from __future__ import annotations

from enum import StrEnum

from bot.core.lifecycle import Lifecycle


class InboxStatus(StrEnum):
    PENDING = "pending"
    DONE = "done"
    FAILED = "failed"


_S = InboxStatus
INBOX: Lifecycle[InboxStatus] = Lifecycle(
    "inbox update",
    initial=_S.PENDING,
    moves={
        _S.PENDING: frozenset({_S.DONE, _S.FAILED}),
        _S.DONE: frozenset(),
        _S.FAILED: frozenset(),
    },
)

# The moves the inbox makes, looked up once: statements are built with them at import time.
HANDLED = INBOX.move(INBOX.initial, _S.DONE)
GAVE_UP = INBOX.move(INBOX.initial, _S.FAILED)

# A claim counts an attempt for the update at the head of each lane it takes. Three claims in a row that
# found the same update still pending mean the process died under it each time (a handler that raises
# is marked failed at once, so it never gets here): the third is the last, and the update is then failed.
CLAIMS_BEFORE_FAILED = 3
DIED_UNDER_IT = "under way each time the process died"


def after_claim(attempts: int) -> InboxStatus:
    """An update's status once a claim has counted its `attempts`-th attempt (1, 2, ...)."""
    return GAVE_UP if attempts > CLAIMS_BEFORE_FAILED else INBOX.initial
