"""The team buttons' callback data: every button round-trips, and forged data parses to nothing."""

from __future__ import annotations

import pytest

from bot.telegram.callbacks import TEAMLESS, TeamButton, TeamPress, parse_team_callback, team_callback
from bot.telegram.limits import MAX_CALLBACK_DATA_BYTES


@pytest.mark.parametrize("button", list(TeamButton))
def test_every_team_button_round_trips_within_64_bytes(button: TeamButton) -> None:
    team_id = None if button in TEAMLESS else 2**31 - 1
    ref = None if button in TEAMLESS else 2**31 - 1
    data = team_callback(button, team_id, ref)
    assert len(data.encode()) <= MAX_CALLBACK_DATA_BYTES
    expected = TeamPress(button, team_id, ref) if button not in {TeamButton.INVITE_1, TeamButton.INVITE_7, TeamButton.INVITE_30} else None  # fmt: skip
    assert parse_team_callback(data) == expected  # an invite's uses above 500 are forged


@pytest.mark.parametrize(
    "data",
    [None, "", "t:", "t:open", "t:open:1", "t:open:1:2:3", "t:open:0:0", "t:list:1:0", "t:new:5:0",
     "t:open:2147483648:0", "t:open:1:2147483648", "t:open:-1:0", "t:open:01:0", "t:open:1:00",
     "t:OPEN:1:0", "t:open:1:0 ", "t:i7:1:501", "g:open:1", "t:open:1:" + "9" * 60],
)  # fmt: skip
def test_forged_team_data_is_refused(data: str | None) -> None:
    assert parse_team_callback(data) is None


def test_refs_and_uses() -> None:
    assert parse_team_callback("t:i7:12:0") == TeamPress(
        TeamButton.INVITE_7, 12, None
    )  # any number of people
    assert parse_team_callback("t:i30:12:20") == TeamPress(TeamButton.INVITE_30, 12, 20)
    assert parse_team_callback("t:list:0:0") == TeamPress(TeamButton.LIST, None, None)
    with pytest.raises(ValueError, match="range"):
        team_callback(TeamButton.OPEN, 0)
