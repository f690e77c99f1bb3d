"""Vacations: days a user is away, which no plan counts as working days."""

from __future__ import annotations

from collections.abc import Collection, Sequence

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.storage.models import Vacation


class VacationRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def of_user(self, user_id: int) -> Sequence[Vacation]:
        statement = select(Vacation).where(Vacation.user_id == user_id).order_by(Vacation.start_date)
        return (await self.session.scalars(statement)).all()

    async def of_users(self, user_ids: Collection[int]) -> dict[int, list[Vacation]]:
        """The vacations of several users in one query, each user's in date order."""
        vacations: dict[int, list[Vacation]] = {user_id: [] for user_id in user_ids}
        if vacations:
            statement = (
                select(Vacation).where(Vacation.user_id.in_(list(vacations))).order_by(Vacation.start_date)
            )
            for vacation in await self.session.scalars(statement):
                vacations[vacation.user_id].append(vacation)
        return vacations

    def add(self, vacation: Vacation) -> None:
        self.session.add(vacation)

    async def owned(self, user_id: int, vacation_id: int) -> Vacation | None:
        vacation = await self.session.get(Vacation, vacation_id)
        return vacation if vacation is not None and vacation.user_id == user_id else None

    async def remove(self, vacation: Vacation) -> None:
        await self.session.delete(vacation)
