"""An outbox message's life: recorded with the turn that decided it, sent after that turn's commit, at most once.

(recorded) -> pending                 (in the same transaction as the turn's effects)
pending    -> sending                 (a send starts: committed before the request leaves)
           -> failed                  (the chat blocked the bot: what still waits for it ends unsent)
sending    -> sent
           -> pending                 (again later: after retry_after on a 429, after a backoff on a 5xx)
           -> failed                  (blocked, refused by Telegram, or out of retries)
           -> unconfirmed             (a timeout, or the process stopped during the send: it may have
                                       arrived, so it is never repeated)

A chat's messages go out in the order they were recorded: the oldest open one (pending or sending) is
the only one that may start, so a message waiting out a 429 holds back the ones behind it.
"""

from __future__ import annotations

from enum import StrEnum

from bot.core.lifecycle import Lifecycle


class OutboxStatus(StrEnum):
    PENDING = "pending"  # waiting for its send (now, or at next_attempt_at)
    SENDING = "sending"  # the request is under way
    SENT = "sent"
    FAILED = "failed"
    UNCONFIRMED = "unconfirmed"  # the send's fate is unknown: never repeated


_S = OutboxStatus
OUTBOX: Lifecycle[OutboxStatus] = Lifecycle(
    "outbox message",
    initial=_S.PENDING,
    moves={
        _S.PENDING: frozenset({_S.SENDING, _S.FAILED}),
        _S.SENDING: frozenset({_S.SENT, _S.PENDING, _S.FAILED, _S.UNCONFIRMED}),
        _S.SENT: frozenset(),
        _S.FAILED: frozenset(),
        _S.UNCONFIRMED: frozenset(),
    },
)
# The chat's messages still to go out, in order; the first of them is the only one that may start.
OPEN = frozenset({_S.PENDING, _S.SENDING})
# Nothing more happens to these: kept for the retention period, then pruned.
FINISHED = frozenset({_S.SENT, _S.FAILED, _S.UNCONFIRMED})

STOPPED_DURING_SEND = "the process stopped during the send"
CHAT_BLOCKED = "the chat blocked the bot"
BOT_LEFT_GROUP = "the bot is no longer in the group"
CHAT_MIGRATED = "the group became a supergroup"  # the row was sent again to the new id (once)
MAX_ATTEMPTS = 5  # sends that failed for a 5xx or the network; a 429 is Telegram's wait, not a failure


def retry_delay_seconds(attempts: int) -> float:
    """The wait before the next try after `attempts` failed ones: 1, 2, 4, 8 s."""
    return float(2 ** max(attempts - 1, 0))
