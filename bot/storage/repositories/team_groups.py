"""A team's group chat: the links that add the bot to it, which group is whose, the day's wins relay, and
the posts made once (claimed by their unique key)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime

from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from bot.core.teams.lifecycles import TeamStatus
from bot.storage.group_models import GroupPost, GroupRelay, TeamGroupLink
from bot.storage.team_models import Team, TeamShare


class TeamGroupRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    def add_link(self, link: TeamGroupLink) -> None:
        self.session.add(link)

    async def link(self, payload: str) -> TeamGroupLink | None:
        return await self.session.scalar(select(TeamGroupLink).where(TeamGroupLink.payload == payload))

    async def team(self, team_id: int) -> Team | None:
        return await self.session.get(Team, team_id)

    async def team_of_group(self, chat_id: int) -> Team | None:
        return await self.session.scalar(select(Team).where(Team.group_chat_id == chat_id))

    async def move_group(self, old_chat_id: int, new_chat_id: int, now: datetime) -> None:
        """The group became a supergroup: the team's group is the new id (unless that is known already)."""
        if old_chat_id == new_chat_id or await self.team_of_group(new_chat_id) is not None:
            return
        await self.session.execute(
            update(Team)
            .where(Team.group_chat_id == old_chat_id)
            .values(group_chat_id=new_chat_id, updated_at=now)
        )

    async def forget_group(self, chat_id: int, now: datetime) -> None:
        """The bot is no longer in the group: its team has no group until it is linked again."""
        await self.session.execute(
            update(Team).where(Team.group_chat_id == chat_id).values(group_chat_id=None, updated_at=now)
        )

    async def teams_with_group(self) -> Sequence[Team]:
        """Active teams whose group chat the bot is in."""
        statement = select(Team).where(Team.group_chat_id.is_not(None), Team.status == TeamStatus.ACTIVE)
        return (await self.session.scalars(statement.order_by(Team.id))).all()

    async def claim_post(self, team_id: int, key: str, now: datetime) -> bool:
        """Claim the team's once-only post `key`: True for the first claim (it commits with the caller's
        transaction), False when it was claimed before, here or by another process."""
        known = await self.session.scalar(
            select(GroupPost.id).where(GroupPost.team_id == team_id, GroupPost.key == key)
        )
        if known is not None:
            return False
        try:
            async with self.session.begin_nested():
                self.session.add(GroupPost(team_id=team_id, key=key, created_at=now))
        except IntegrityError:
            return False
        return True

    async def add_share(self, share: TeamShare) -> None:
        """Record what a member shared (its id is known after)."""
        self.session.add(share)
        await self.session.flush()

    async def latest_relay(self, team_id: int, day: date) -> GroupRelay | None:
        statement = (
            select(GroupRelay)
            .where(GroupRelay.team_id == team_id, GroupRelay.day == day)
            .order_by(GroupRelay.id.desc())
            .limit(1)
        )
        return await self.session.scalar(statement)

    def add_relay(self, relay: GroupRelay) -> None:
        self.session.add(relay)

    async def group_shares_since(self, team_id: int, first_id: int, since: datetime) -> Sequence[TeamShare]:
        """The team's shares for its group from share `first_id` on, made at `since` or later, oldest first."""
        statement = (
            select(TeamShare)
            .where(
                TeamShare.team_id == team_id,
                TeamShare.for_group.is_(True),
                TeamShare.id >= first_id,
                TeamShare.created_at >= since,
            )
            .order_by(TeamShare.id)
        )
        return (await self.session.scalars(statement)).all()

    async def group_wins_between(self, team_id: int, start: datetime, end: datetime) -> Sequence[TeamShare]:
        """Wins members chose to show the group, made in [start, end), oldest first."""
        statement = (
            select(TeamShare)
            .where(
                TeamShare.team_id == team_id,
                TeamShare.kind == "win",
                TeamShare.for_group.is_(True),
                TeamShare.created_at >= start,
                TeamShare.created_at < end,
            )
            .order_by(TeamShare.id)
        )
        return (await self.session.scalars(statement)).all()
