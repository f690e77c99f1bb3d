"""Team invites: the join links' payloads, their terms, and taking one use of an invite exactly once."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from bot.storage.team_models import TeamInvite


class TeamInviteRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def add(self, invite: TeamInvite) -> TeamInvite:
        """Keep the invite; flushed, so its id is known."""
        self.session.add(invite)
        await self.session.flush()
        return invite

    async def by_payload(self, payload: str) -> TeamInvite | None:
        return await self.session.scalar(select(TeamInvite).where(TeamInvite.payload == payload))

    async def of_team(self, team_id: int, invite_id: int) -> TeamInvite | None:
        """The invite if it belongs to the team (a forged id from another team is None)."""
        invite = await self.session.get(TeamInvite, invite_id)
        return invite if invite is not None and invite.team_id == team_id else None

    async def open_of(self, team_id: int, now: datetime) -> Sequence[TeamInvite]:
        """The team's invites that still admit someone at `now`: not revoked, not expired, uses left."""
        statement = (
            select(TeamInvite)
            .where(
                TeamInvite.team_id == team_id,
                TeamInvite.revoked_at.is_(None),
                TeamInvite.expires_at > now,
                or_(TeamInvite.max_uses.is_(None), TeamInvite.uses < TeamInvite.max_uses),
            )
            .order_by(TeamInvite.id)
        )
        return (await self.session.scalars(statement)).all()

    async def take_use(self, invite_id: int, now: datetime) -> bool:
        """Count one person joining through the invite, if it still admits: one conditional UPDATE, so two
        people racing for its last use cannot both have it (the loser's UPDATE matches no row)."""
        statement = (
            update(TeamInvite)
            .where(
                TeamInvite.id == invite_id,
                TeamInvite.revoked_at.is_(None),
                TeamInvite.expires_at > now,
                or_(TeamInvite.max_uses.is_(None), TeamInvite.uses < TeamInvite.max_uses),
            )
            .values(uses=TeamInvite.uses + 1)
            .execution_options(synchronize_session=False)
        )
        result = await self.session.execute(statement)
        taken = int(getattr(result, "rowcount", 0) or 0) == 1
        if taken:
            invite = await self.session.get(TeamInvite, invite_id)
            if invite is not None:
                await self.session.refresh(invite, ["uses"])
        return taken

    async def revoke(self, invite: TeamInvite, now: datetime) -> bool:
        """Revoke the invite; False when it already was."""
        if invite.revoked_at is not None:
            return False
        invite.revoked_at = now
        return True
