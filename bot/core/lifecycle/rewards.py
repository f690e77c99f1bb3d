"""A self-chosen reward's life: active until it is earned or its window closes unearned.

active -> earned | ended
earned -> active (the result that earned it was undone before the celebration went out)
"""

from __future__ import annotations

from enum import StrEnum

from bot.core.lifecycle import Lifecycle


class RewardStatus(StrEnum):
    ACTIVE = "active"
    EARNED = "earned"
    ENDED = "ended"


REWARDS: Lifecycle[RewardStatus] = Lifecycle(
    "reward",
    initial=RewardStatus.ACTIVE,
    moves={
        RewardStatus.ACTIVE: frozenset({RewardStatus.EARNED, RewardStatus.ENDED}),
        RewardStatus.EARNED: frozenset({RewardStatus.ACTIVE}),
        RewardStatus.ENDED: frozenset(),
    },
)
