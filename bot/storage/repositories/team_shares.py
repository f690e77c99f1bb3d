"""What members chose to show their team: wins and reflections, one row each (team_shares)."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.storage.team_models import TeamShare


class TeamShareRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    def add(self, share: TeamShare) -> None:
        self.session.add(share)

    async def of_source(self, team_id: int, kind: str, source_id: int) -> TeamShare | None:
        """The share of that reflection with that team, if it was shared already (each is shared once)."""
        statement = select(TeamShare).where(
            TeamShare.team_id == team_id, TeamShare.kind == kind, TeamShare.source_id == source_id
        )
        return await self.session.scalar(statement)
