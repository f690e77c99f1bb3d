"""Teams: one row per team (its settings); who is in it is the members repository's."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.storage.team_models import Team


class TeamRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    def add(self, team: Team) -> None:
        self.session.add(team)

    async def get(self, team_id: int) -> Team | None:
        return await self.session.get(Team, team_id)

    async def by_group_chat(self, chat_id: int) -> Team | None:
        """The team whose group chat this is, if any."""
        return await self.session.scalar(select(Team).where(Team.group_chat_id == chat_id))
