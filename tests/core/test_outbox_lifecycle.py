"""The outbox message's lifecycle: its table of moves and the rules read from it."""

from __future__ import annotations

import pytest

from bot.core.lifecycle import MoveNotAllowed
from bot.core.lifecycle.outbox import (
    FINISHED,
    OPEN,
    OUTBOX,
    OutboxStatus,
    retry_delay_seconds,
)

S = OutboxStatus


def test_every_status_has_a_row_and_is_reached_from_pending() -> None:
    statuses = set(OutboxStatus)
    assert set(OUTBOX.moves) == statuses and OUTBOX.initial is S.PENDING
    reached, frontier = {S.PENDING}, [S.PENDING]
    while frontier:
        for new in OUTBOX.moves[frontier.pop()]:
            if new not in reached:
                reached.add(new)
                frontier.append(new)
    assert reached == statuses


@pytest.mark.parametrize(
    ("current", "new", "allowed"),
    [
        (S.PENDING, S.SENDING, True),
        (S.PENDING, S.FAILED, True),  # the chat blocked the bot
        (S.PENDING, S.SENT, False),  # never sent without being marked under way first
        (S.SENDING, S.SENT, True),
        (S.SENDING, S.PENDING, True),  # a 429 or a 5xx: again later
        (S.SENDING, S.UNCONFIRMED, True),
        (S.SENDING, S.FAILED, True),
        (S.UNCONFIRMED, S.PENDING, False),  # may have arrived: never repeated
        (S.UNCONFIRMED, S.SENDING, False),
        (S.SENT, S.SENDING, False),
        (S.FAILED, S.PENDING, False),
    ],
)
def test_moves(current: S, new: S, allowed: bool) -> None:
    assert OUTBOX.allows(current, new) is allowed
    if not allowed:
        with pytest.raises(MoveNotAllowed):
            OUTBOX.move(current, new)


def test_open_and_finished_split_the_statuses() -> None:
    assert set(OutboxStatus) == OPEN | FINISHED and not OPEN & FINISHED
    assert all(not OUTBOX.moves[status] for status in FINISHED)


def test_retries_back_off() -> None:
    assert [retry_delay_seconds(n) for n in (1, 2, 3, 4)] == [1, 2, 4, 8]
