"""Callback data of /crm's buttons (sync14), family "cr". Never trusted: see bot/telegram/callbacks.py.

cr:<action>:<connection id>   sync now, disconnect (asks), disconnect confirmed: a crm_connections id,
                              checked against the presser's own connections
cr:<connect>:0                connect Zoho CRM or Fxiaoke, or back to the card
cr:match:<connection id>      a team connection's held owners: match the first (teamsync14)
cr:mo:<held id>:<member id>   that owner is this member (a user id), or 0: not in the team; the held row,
                              its connection and the member are checked when pressed
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum

from bot.storage.types import INTEGER_IDS
from bot.telegram.limits import MAX_CALLBACK_DATA_BYTES, checked_callback_data

CRM = "cr"
NO_ID = "0"


class CrmButton(StrEnum):
    CARD = "card"  # back to the /crm card
    ZOHO = "zoho"  # connect Zoho CRM
    FXIAOKE = "fx"  # connect Fxiaoke
    SYNC = "sync"  # sync a connection now
    DISCONNECT = "off"  # asks for confirmation
    DISCONNECT_CONFIRMED = "off!"
    MATCH = "match"  # a team connection's owners not matched yet


WITHOUT_ID = frozenset({CrmButton.CARD, CrmButton.ZOHO, CrmButton.FXIAOKE})
_PATTERN = re.compile(
    rf"{CRM}:({'|'.join(re.escape(button.value) for button in CrmButton)}):(0|[1-9]\d{{0,18}})"
)


@dataclass(frozen=True, slots=True)
class CrmPress:
    button: CrmButton
    connection_id: int | None  # None for the buttons that name no connection


def crm_callback(button: CrmButton, connection_id: int | None = None) -> str:
    if button in WITHOUT_ID:
        if connection_id is not None:
            raise ValueError(f"the {button} button names no connection")
        return checked_callback_data(f"{CRM}:{button}:{NO_ID}")
    if connection_id not in INTEGER_IDS:
        raise ValueError(f"id outside the database's range: {connection_id!r}")
    return checked_callback_data(f"{CRM}:{button}:{connection_id}")


MATCH_OWNER = "mo"
_MATCH_PATTERN = re.compile(rf"{CRM}:{MATCH_OWNER}:([1-9]\d{{0,18}}):(0|[1-9]\d{{0,18}})")
USER_IDS = range(1, 2**63)  # Telegram's user ids are 64-bit


@dataclass(frozen=True, slots=True)
class CrmMatchPress:
    held_id: int  # a crm_held_records id: names the owner and the connection
    member_id: int | None  # None: the owner is not in the team


def match_callback(held_id: int, member_id: int | None) -> str:
    if held_id not in INTEGER_IDS or (member_id is not None and member_id not in USER_IDS):
        raise ValueError(f"id outside the database's range: {held_id!r}, {member_id!r}")
    return checked_callback_data(f"{CRM}:{MATCH_OWNER}:{held_id}:{member_id or 0}")


def parse_match_callback(data: str | None) -> CrmMatchPress | None:
    """The owner match pressed, or None for forged or malformed data."""
    if data is None or len(data.encode()) > MAX_CALLBACK_DATA_BYTES:
        return None
    match = _MATCH_PATTERN.fullmatch(data)
    if match is None:
        return None
    held_id, member_id = int(match.group(1)), int(match.group(2))
    if held_id not in INTEGER_IDS or (member_id and member_id not in USER_IDS):
        return None
    return CrmMatchPress(held_id, member_id or None)


def parse_crm_callback(data: str | None) -> CrmPress | None:
    """The press, or None for forged or malformed data (an id no row can have included)."""
    if data is None or len(data.encode()) > MAX_CALLBACK_DATA_BYTES:
        return None
    match = _PATTERN.fullmatch(data)
    if match is None:
        return None
    button, number = CrmButton(match.group(1)), int(match.group(2))
    if button in WITHOUT_ID:
        return CrmPress(button, None) if number == 0 else None
    return CrmPress(button, number) if number in INTEGER_IDS else None
