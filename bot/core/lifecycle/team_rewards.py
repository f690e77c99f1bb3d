"""A team reward's life ("if the team signs 10 new customers this month, team dinner"): open until the
team's results reach its target within its window, or its window closes unearned (closed quietly).

active -> earned | ended
"""

from __future__ import annotations

from enum import StrEnum

from bot.core.lifecycle import Lifecycle


class TeamRewardStatus(StrEnum):
    ACTIVE = "active"
    EARNED = "earned"
    ENDED = "ended"


TEAM_REWARDS: Lifecycle[TeamRewardStatus] = Lifecycle(
    "team reward",
    initial=TeamRewardStatus.ACTIVE,
    moves={
        TeamRewardStatus.ACTIVE: frozenset({TeamRewardStatus.EARNED, TeamRewardStatus.ENDED}),
        TeamRewardStatus.EARNED: frozenset(),
        TeamRewardStatus.ENDED: frozenset(),
    },
)
