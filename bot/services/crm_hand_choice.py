"""The hand-vs-CRM choice: where a user's hand-logged results and imported ones share a day and a measure,
they choose once per measure whether the CRM replaces hand logging for it. Stored per user and measure."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlalchemy.ext.asyncio import AsyncSession


class HandChoice(StrEnum):
    CRM = "crm"  # the CRM replaces hand logging: hand-logged results of the measure on overlapping days stop counting
    BOTH = "both"  # keep both


async def hand_choices(session: AsyncSession, user_id: int) -> dict[str, HandChoice]:
    """The user's choices so far, per measure."""
    raise NotImplementedError


async def set_hand_choice(
    session: AsyncSession, *, user_id: int, measure: str, choice: HandChoice, now: datetime
) -> None:
    """Store (or change) the user's choice for `measure`; the next import applies it."""
    raise NotImplementedError
