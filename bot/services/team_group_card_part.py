"""What the group chat adds to /team's card, for those who run the team: whether it is linked, and how."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from bot.core.teams.roles import Role, Seat
from bot.i18n import Translator
from bot.services.team_card_part import CardPart
from bot.storage.team_models import Team

_RUNS_THE_TEAM = frozenset({Role.MANAGER, Role.CO_MANAGER})


async def team_group_part(
    session: AsyncSession, team: Team, seat: Seat, _: Translator, now: datetime
) -> CardPart:
    """One line for the manager and co-managers; members see nothing of it."""
    if seat.role not in _RUNS_THE_TEAM or not seat.current:
        return CardPart()
    if team.group_chat_id is None:
        return CardPart([_("Team group chat: not linked yet. /teamgroup gives the link that adds me to it.")])
    return CardPart(
        [_("Team group chat: linked. I post the weekly digest, milestones and shared wins there.")]
    )
