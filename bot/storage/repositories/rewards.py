"""Rewards: "if I reach X by Y, I treat myself to Z", and whether it was earned."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.core.lifecycle.rewards import REWARDS, RewardStatus
from bot.storage.coaching_models import Reward


class RewardRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    def add(self, reward: Reward) -> None:
        self.session.add(reward)

    async def active_of(self, user_id: int) -> Sequence[Reward]:
        statement = select(Reward).where(Reward.user_id == user_id, Reward.status == RewardStatus.ACTIVE)
        return (await self.session.scalars(statement)).all()

    @staticmethod
    def settle(reward: Reward, outcome: RewardStatus, now: datetime) -> None:
        """The reward was earned, or its window closed unearned (MoveNotAllowed if it was settled)."""
        reward.status, reward.updated_at = REWARDS.move(reward.status, outcome), now

    async def reopen(self, reward_id: int, now: datetime) -> None:
        """An earned reward becomes active again: the result that earned it was undone before it was celebrated."""
        reward = await self.session.get(Reward, reward_id)
        if reward is not None and REWARDS.allows(reward.status, RewardStatus.ACTIVE):
            reward.status, reward.updated_at = REWARDS.move(reward.status, RewardStatus.ACTIVE), now
