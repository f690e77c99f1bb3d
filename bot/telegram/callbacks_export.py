"""Callback data of /export's buttons (export14), in bot/telegram/callbacks.py's manner. Never trusted.

ex:own:0          the presser's own data
ex:team:<team id> a team's shared data; the id is checked against the database's integer range here,
                  and against the presser's seat in THAT team (a managing role) by the service
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from bot.telegram.callbacks import _ID, _PATTERNS, NO_ID, _groups, _id_part, _row_id
from bot.telegram.limits import checked_callback_data

EXPORT = "ex"
_PATTERNS[EXPORT] = re.compile(rf"ex:(own:{NO_ID}|team:{_ID})")


@dataclass(frozen=True, slots=True)
class ExportPress:
    team_id: int | None  # None: the presser's own data


def export_callback(team_id: int | None = None) -> str:
    """Data for "my data" (no team) or for the team `team_id`'s export."""
    if team_id is None:
        return checked_callback_data(f"{EXPORT}:own:{NO_ID}")
    return checked_callback_data(f"{EXPORT}:team:{_id_part(None, team_id)}")


def parse_export_callback(data: str | None) -> ExportPress | None:
    """The press, or None when forged (an id outside the database's range, anything else)."""
    groups = _groups(EXPORT, data)
    if groups is None:
        return None
    if groups[1] is None:
        return ExportPress(None)
    team_id = _row_id(groups[1])
    return ExportPress(team_id) if team_id is not None else None
