"""A broadcast's life: an admin's draft, queued once (one outbox row per user, in one transaction), reported once.

draft   -> queued     (the admin confirmed: every recipient's row is recorded with this move, or none is)
        -> dropped    (the admin cancelled)
queued  -> reported   (every row has finished: the admin is told how many were sent, failed, blocked)
"""

from __future__ import annotations

from enum import StrEnum

from bot.core.lifecycle import Lifecycle


class BroadcastStatus(StrEnum):
    DRAFT = "draft"
    QUEUED = "queued"
    DROPPED = "dropped"
    REPORTED = "reported"


_S = BroadcastStatus
BROADCASTS: Lifecycle[BroadcastStatus] = Lifecycle(
    "broadcast",
    initial=_S.DRAFT,
    moves={
        _S.DRAFT: frozenset({_S.QUEUED, _S.DROPPED}),
        _S.QUEUED: frozenset({_S.REPORTED}),
        _S.DROPPED: frozenset(),
        _S.REPORTED: frozenset(),
    },
)
QUEUE = BROADCASTS.move(_S.DRAFT, _S.QUEUED)
DROP = BROADCASTS.move(_S.DRAFT, _S.DROPPED)
REPORT = BROADCASTS.move(_S.QUEUED, _S.REPORTED)
