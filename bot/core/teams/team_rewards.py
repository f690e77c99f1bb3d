"""Team short-term goals with a reward: their window, and what the team's results make of them.

The manager says "this week", "this month" or "by <a day>": this week runs Monday through Sunday, this
month from its first day to its last, and "by a day" from today through that day. Results count on the
days of the window; the reward is earned once the sum reaches the target, and an unearned one ends the
day after its window closes. Team goals' milestones (half way, the whole target) are celebrated once each.
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from enum import StrEnum

from bot.core.dates.calendar import week_start
from bot.core.lifecycle.team_rewards import TeamRewardStatus

MILESTONES = (50, 100)  # percent of a team goal's target


class RewardWindow(StrEnum):
    WEEK = "week"
    MONTH = "month"
    BY_DAY = "by_day"


@dataclass(frozen=True)
class Window:
    start: date
    end: date  # inclusive


def window_for(choice: RewardWindow, today: date, by: date | None = None) -> Window:
    """The days a reward counts, chosen on `today`; BY_DAY needs `by`, a day from today on."""
    if choice is RewardWindow.WEEK:
        monday = week_start(today)
        return Window(monday, monday + timedelta(days=6))
    if choice is RewardWindow.MONTH:
        last = calendar.monthrange(today.year, today.month)[1]
        return Window(today.replace(day=1), today.replace(day=last))
    if by is None or by < today:
        raise ValueError(f"a reward's day must be given and not before {today}: {by!r}")
    return Window(today, by)


def reward_outcome(done: Decimal, target: Decimal, today: date, end: date) -> TeamRewardStatus | None:
    """What an active reward becomes: earned (target reached), ended (window over), or None (still open)."""
    if done >= target:
        return TeamRewardStatus.EARNED
    return TeamRewardStatus.ENDED if today > end else None


def milestones_reached(achieved: Decimal, target: Decimal) -> list[int]:
    """The milestones (percent of target) that `achieved` has reached; none for a target of 0 or less."""
    if target <= 0:
        return []
    return [mark for mark in MILESTONES if achieved * 100 >= target * mark]
