"""The team's progress, rolled up from its members' results with the rules of a personal goal.

The team goal has its own plan (the team target over the team's working days): its expected-by-now, gap,
pace status, required pace and forecast come from bot.core.progress.measure over the team's daily totals,
so the thresholds (on track, at risk, off track) and the forecast's evidence rule are those of a personal
goal, defined once there. Each member's row measures their own part's plan (their calendar, their paused
days) the same way; a member without a part (0, or not split yet) has a row without a status.

Team achieved counts every result the caller passes (the caller decides whose: members, and former
members' results from while they belonged), from the team goal's start through the last day counted, and
never after the deadline; each member's `achieved` is counted over the same days, so the rows add up to
the team's total.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from bot.core.plan import Plan
from bot.core.progress import PaceStatus, Progress, Standing, measure, standing

_ZERO = Decimal(0)


@dataclass(frozen=True)
class MemberFigures:
    """One member's part (as the plan of their linked goal; None without a part) and results by day."""

    member_id: int
    plan: Plan | None
    actuals: Mapping[date, Decimal]
    paused: frozenset[date] = frozenset()


@dataclass(frozen=True)
class MemberRow:
    member_id: int
    part: Decimal  # 0 without a part
    achieved: Decimal  # over the team goal's days counted so far
    standing: Standing | None  # against their own part; None without a part

    @property
    def status(self) -> PaceStatus | None:
        return None if self.standing is None else self.standing.status

    @property
    def percent_of_part(self) -> Decimal | None:
        """Rounded down to 0.1, as a personal goal shows it."""
        return None if self.standing is None else self.standing.percent_done


@dataclass(frozen=True)
class TeamRollup:
    progress: Progress  # the team goal's, over the team's daily totals
    members: tuple[MemberRow, ...]

    @property
    def target(self) -> Decimal:
        return self.progress.target

    @property
    def achieved(self) -> Decimal:
        return self.progress.actual

    @property
    def remaining(self) -> Decimal:
        """What is left to reach the target (0 once reached)."""
        return max(_ZERO, self.progress.target - self.progress.actual)

    @property
    def parts_total(self) -> Decimal:
        return sum((row.part for row in self.members), _ZERO)

    def row_of(self, member_id: int) -> MemberRow | None:
        return next((row for row in self.members if row.member_id == member_id), None)


def window_total(actuals: Mapping[date, Decimal], first: date, last: date) -> Decimal:
    """The results from `first` through `last`, both included."""
    return sum((amount for day, amount in actuals.items() if first <= day <= last), _ZERO)


def window_target(plan: Plan, first: date, last: date) -> Decimal:
    """What the plan asks for from `first` through `last` (a week, for the digest)."""
    if last < first:
        return _ZERO
    return plan.cumulative(last) - plan.cumulative(first - timedelta(days=1))


def daily_totals(members: Iterable[MemberFigures], first: date, last: date) -> dict[date, Decimal]:
    """The members' results added up per day, from `first` through `last`."""
    totals: dict[date, Decimal] = {}
    for member in members:
        for day, amount in member.actuals.items():
            if first <= day <= last:
                totals[day] = totals.get(day, _ZERO) + amount
    return totals


def roll_up(
    team_plan: Plan,
    members: Sequence[MemberFigures],
    through: date,
    *,
    team_paused: frozenset[date] = frozenset(),
) -> TeamRollup:
    """The team goal's progress through `through` (the last day counted) and a row per member."""
    last = min(through, team_plan.deadline)
    totals = daily_totals(members, team_plan.start, last)
    rows = tuple(
        MemberRow(
            member_id=member.member_id,
            part=_ZERO if member.plan is None else member.plan.target,
            achieved=window_total(member.actuals, team_plan.start, last),
            standing=None
            if member.plan is None
            else standing(member.plan, member.actuals, through, paused=member.paused),
        )
        for member in members
    )
    return TeamRollup(progress=measure(team_plan, totals, through, paused=team_paused), members=rows)
