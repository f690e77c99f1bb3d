"""One feature's part of /team's card: the lines and the button rows it adds, by the viewer's seat."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from bot.core.dialog import Button
from bot.core.teams.roles import Seat
from bot.i18n import Translator
from bot.storage.team_models import Team

ButtonRow = tuple[Button, ...]


@dataclass
class CardPart:
    """What one feature adds to the card: lines under the team's own, button rows above the role's."""

    lines: list[str] = field(default_factory=list)
    rows: list[ButtonRow] = field(default_factory=list)


CardSection = Callable[[AsyncSession, Team, Seat, Translator, datetime], Awaitable[CardPart]]
