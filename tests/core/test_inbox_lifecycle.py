"""The inbox's lifecycle: a stored update is handled once (done) or given up (failed), never again after."""

from __future__ import annotations

import pytest

from bot.core.lifecycle import MoveNotAllowed
from bot.core.lifecycle.inbox import CLAIMS_BEFORE_FAILED, GAVE_UP, HANDLED, INBOX, InboxStatus, after_claim

S = InboxStatus


def test_every_status_has_a_row_and_is_reached_from_pending() -> None:
    assert set(INBOX.moves) == set(S)
    assert INBOX.initial is S.PENDING
    assert INBOX.moves[S.PENDING] == {S.DONE, S.FAILED}


@pytest.mark.parametrize("final", [S.DONE, S.FAILED])
@pytest.mark.parametrize("new", list(S))
def test_done_and_failed_are_final(final: S, new: S) -> None:
    # A re-delivered update must find nothing to do: no status leads back to pending or elsewhere.
    assert not INBOX.allows(final, new)
    with pytest.raises(MoveNotAllowed):
        INBOX.move(final, new)


def test_the_moves_the_inbox_makes() -> None:
    assert (HANDLED, GAVE_UP) == (S.DONE, S.FAILED)
    assert INBOX.move("pending", S.DONE) is S.DONE  # rows hold the plain stored string


def test_an_update_is_given_up_after_the_claims_that_found_it_under_way() -> None:
    # Each claim counts one attempt for its lane's head; the process died under the first three.
    statuses = [after_claim(attempt) for attempt in range(1, CLAIMS_BEFORE_FAILED + 2)]
    assert statuses == [S.PENDING] * CLAIMS_BEFORE_FAILED + [S.FAILED]
    assert CLAIMS_BEFORE_FAILED == 3
