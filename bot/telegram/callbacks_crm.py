"""Callback data of /crm's buttons (sync14), family "cr". Never trusted: see bot/telegram/callbacks.py.

cr:<action>:<connection id>   sync now, disconnect (asks), disconnect confirmed: a crm_connections id,
                              checked against the presser's own connections
cr:<connect>:0                connect Zoho CRM or Fxiaoke, or back to the card
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
