"""Callback data of ops15's buttons (/deleteme, /broadcast), family "ad". Never trusted: see callbacks.py.

    ad:erase:<minute>        /deleteme's "delete everything", stamped with the minute (Unix time // 60)
                             the confirmation was shown: an old one deletes nothing
    ad:keep:0                /deleteme's "keep my data"
    ad:all:<broadcast>       /broadcast: send to every user
    ad:team:<broadcast>:<team>  /broadcast: send to one team's current members
    ad:send:<broadcast>      /broadcast: confirmed, send it
    ad:drop:<broadcast>      /broadcast: cancelled
Each id is checked against the database's integer range here, and the broadcast against its admin on press.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum

from bot.storage.types import INTEGER_IDS
from bot.telegram.limits import MAX_CALLBACK_DATA_BYTES, checked_callback_data

ADMIN = "ad"


class AdminButton(StrEnum):
    ERASE = "erase"
    KEEP = "keep"
    ALL = "all"
    TEAM = "team"
    SEND = "send"
    DROP = "drop"


@dataclass(frozen=True, slots=True)
class AdminPress:
    button: AdminButton
    row_id: int  # the minute (ERASE), a broadcast's id, or 0 (KEEP)
    team_id: int | None = None  # TEAM only


_PATTERN = re.compile(
    rf"{ADMIN}:({'|'.join(map(re.escape, AdminButton))}):([0-9]{{1,19}})(?::([0-9]{{1,19}}))?"
)


def admin_callback(button: AdminButton, row_id: int = 0, team_id: int | None = None) -> str:
    if row_id not in INTEGER_IDS and not (button is AdminButton.KEEP and row_id == 0):
        raise ValueError(f"id outside the database's range: {row_id!r}")
    if (team_id is not None) != (button is AdminButton.TEAM) or (
        team_id is not None and team_id not in INTEGER_IDS
    ):
        raise ValueError(f"only the team button names a team: {button} {team_id!r}")
    tail = f":{team_id}" if team_id is not None else ""
    return checked_callback_data(f"{ADMIN}:{button}:{row_id}{tail}")


def parse_admin_callback(data: str | None) -> AdminPress | None:
    if data is None or len(data.encode()) > MAX_CALLBACK_DATA_BYTES:
        return None
    match = _PATTERN.fullmatch(data)
    if match is None:
        return None
    button, row_id = AdminButton(match[1]), int(match[2])
    team_id = int(match[3]) if match[3] is not None else None
    if (team_id is not None) != (button is AdminButton.TEAM):
        return None
    if button is AdminButton.KEEP:
        return AdminPress(button, 0) if row_id == 0 else None
    if row_id not in INTEGER_IDS or (team_id is not None and team_id not in INTEGER_IDS):
        return None
    return AdminPress(button, row_id, team_id)
