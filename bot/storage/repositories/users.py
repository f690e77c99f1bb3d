"""Users and their settings."""

from __future__ import annotations

from collections.abc import Collection
from datetime import datetime

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from bot.storage.models import User


class UserRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def get(self, user_id: int) -> User | None:
        return await self.session.get(User, user_id)

    async def by_ids(self, user_ids: Collection[int]) -> dict[int, User]:
        return {
            user.id: user for user in await self.session.scalars(select(User).where(User.id.in_(user_ids)))
        }

    def forget(self, user: User) -> None:
        """Detach `user` from the session, so it can be read after the transaction ends."""
        self.session.expunge(user)

    async def add(self, user: User) -> User:
        self.session.add(user)
        await self.session.flush()
        return user

    async def mark_blocked(self, user_id: int, now: datetime) -> bool:
        """Stop messaging a user who blocked the bot; True if a user was marked."""
        result = await self.session.execute(
            update(User)
            .where(User.id == user_id, User.is_active.is_(True))
            .values(is_active=False, blocked_at=now, updated_at=now)
        )
        return bool(getattr(result, "rowcount", 0))

    async def active_ids(self) -> list[int]:
        return list(await self.session.scalars(select(User.id).where(User.is_active.is_(True))))
