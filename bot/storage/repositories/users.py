"""Users and their settings."""

from __future__ import annotations

from collections.abc import Collection
from datetime import datetime
from typing import cast

from sqlalchemy import Table, bindparam, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from bot.storage.models import User

# Built once: the statement of every update (building and keying it cost more than running it). A Core
# UPDATE ... RETURNING whose row the ORM loads as the User (from_statement), without the bookkeeping of
# an ORM-enabled UPDATE (synchronizing a session that holds no user yet).
_USERS = cast(Table, User.__table__)
_CLAIM_UPDATE = select(User).from_statement(
    update(_USERS)
    .where(
        _USERS.c.id == bindparam("user_id"),
        or_(_USERS.c.last_update_id.is_(None), _USERS.c.last_update_id < bindparam("update_id")),
    )
    .values(last_update_id=bindparam("update_id"))
    .returning(*_USERS.c)
)


class UserRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def get(self, user_id: int) -> User | None:
        return await self.session.get(User, user_id)

    async def claim_update(self, user_id: int, update_id: int) -> User | None:
        """Record `update_id` as the user's newest handled update and return the user, in one statement;
        None when there is no such user or the update is not newer than the last one handled."""
        params = {"user_id": user_id, "update_id": update_id}
        return (await self.session.scalars(_CLAIM_UPDATE, params)).one_or_none()

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
