"""A team's CRM owner names and the members they are (crm_owner_links), as the manager confirmed them."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.storage.import_models import CrmOwnerLink


class CrmOwnerLinkRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def of_team(self, team_id: int) -> dict[str, CrmOwnerLink]:
        """The team's links by owner key."""
        statement = select(CrmOwnerLink).where(CrmOwnerLink.team_id == team_id)
        return {row.owner_key: row for row in await self.session.scalars(statement)}

    async def put(self, team_id: int, links: dict[str, tuple[str, int | None]], now: datetime) -> None:
        """Keep each owner key's (name, member id or None for ignored), replacing what was there."""
        stored = await self.of_team(team_id)
        for key, (name, member_id) in links.items():
            row = stored.get(key)
            if row is None:
                self.session.add(
                    CrmOwnerLink(
                        team_id=team_id, owner_key=key, owner_name=name, member_id=member_id, updated_at=now
                    )
                )
            elif (row.owner_name, row.member_id) != (name, member_id):
                row.owner_name, row.member_id, row.updated_at = name, member_id, now
        await self.session.flush()
