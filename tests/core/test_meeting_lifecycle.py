"""A team meeting's sends: planned -> sent | missed | skipped, and never anything after."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from bot.core.lifecycle import MoveNotAllowed
from bot.core.lifecycle.meetings import MEETING_SENDS, MeetingSendStatus, due_send_status

_S = MeetingSendStatus
DUE = datetime(2026, 11, 30, 0, 0, tzinfo=UTC)
GRACE = timedelta(hours=1)


def test_the_table_of_moves() -> None:
    assert MEETING_SENDS.initial is _S.PLANNED
    for done in (_S.SENT, _S.MISSED, _S.SKIPPED):
        assert MEETING_SENDS.move(_S.PLANNED, done) is done
        for other in _S:
            assert not MEETING_SENDS.allows(done, other), (
                "a send is done with once it is sent, missed or skipped"
            )
    with pytest.raises(MoveNotAllowed):
        MEETING_SENDS.move(_S.SENT, _S.PLANNED)


@pytest.mark.parametrize(
    ("late", "recipients", "status"),
    [
        (timedelta(0), 1, _S.SENT),
        (timedelta(minutes=59), 3, _S.SENT),
        (timedelta(hours=1), 3, _S.MISSED),  # the grace window is up: not sent late
        (timedelta(days=3), 0, _S.MISSED),  # missed whether or not anyone would have got it
        (timedelta(minutes=5), 0, _S.SKIPPED),
    ],
)
def test_a_due_send_by_lateness_and_recipients(late: timedelta, recipients: int, status: _S) -> None:
    assert due_send_status(DUE, DUE + late, GRACE, recipients=recipients) is status
