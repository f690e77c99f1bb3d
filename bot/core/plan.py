"""A goal's target spread over its working days, with roll-ups that add up exactly.

Amounts are whole multiples of a quantum (1 for counts and whole currency units, 0.01 for cents). The
split is one cumulative-rounding apportionment (`apportion`) of the quantum units over all working days,
each weighted by its working-day share (or its month's fixed share): nothing is lost or invented by
rounding, days sum to their week, weeks to their month, months to the target, and every day, week and
month is within one quantum of its exact share. Within a month day amounts differ by at most one
quantum; halves round up, so the same input always gives the same plan and an extra unit is asked for
early rather than at the deadline. Activity counts (deals, calls, ...) are spread the same way
(`Plan.spread`), so December's share of deals is December's share of revenue.

Weeks are ISO weeks (Monday first) cut at month boundaries, so every week belongs to exactly one month.
"""

from __future__ import annotations

import bisect
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from fractions import Fraction
from functools import cached_property
from itertools import accumulate, groupby
from typing import Literal

Month = tuple[int, int]
"""(year, month)."""

HUNDRED = Decimal(100)
SHARE_QUANTUM = Decimal("0.01")
_ZERO = Decimal(0)

ShareReason = Literal[
    "negative",
    "above_100",
    "sum_above_100",
    "sum_below_100",
    "no_other_month",
    "month_without_working_days",
    "unknown_month",
]


class ShareError(ValueError):
    """Month shares that cannot make a plan; `reason` says why, `month` which month when it is one."""

    def __init__(self, reason: ShareReason, message: str, month: Month | None = None) -> None:
        super().__init__(message)
        self.reason: ShareReason = reason
        self.month = month


def apportion(total: int, weights: Sequence[int | Fraction | Decimal]) -> list[int]:
    """Split the integer `total` in proportion to `weights`, exactly, by cumulative rounding.

    Part i gets round(total * C_i) - round(total * C_(i-1)), C_i being the share of the first i weights
    (halves round up). So the parts add up to `total`, every run of consecutive parts (a week, a month)
    is within one unit of its proportional share, a zero weight gets 0, a whole-number quota is kept
    exactly, and units are placed where they fall due rather than heaped on the first parts.
    """
    if total < 0:
        raise ValueError(f"cannot apportion a negative total ({total})")
    integers = _integer_weights(weights)
    if any(weight < 0 for weight in integers):
        raise ValueError("weights must not be negative")
    weight_sum = sum(integers)
    if weight_sum == 0:
        if total == 0:
            return [0] * len(integers)
        raise ValueError(f"cannot apportion {total} over weights that are all zero")
    parts: list[int] = []
    rounded_before = 0
    running = 0
    for weight in integers:
        running += weight
        # round-half-up of total * running / weight_sum, in integers: Fractions were the slowest part of /progress.
        rounded = (2 * total * running + weight_sum) // (2 * weight_sum)
        parts.append(rounded - rounded_before)
        rounded_before = rounded
    return parts


def _integer_weights(weights: Sequence[int | Fraction | Decimal]) -> list[int]:
    """The same proportions as whole numbers (scaled by the common denominator)."""
    if all(type(weight) is int for weight in weights):
        return [int(weight) for weight in weights]
    exact = [Fraction(weight) for weight in weights]
    denominator = math.lcm(*(weight.denominator for weight in exact)) if exact else 1
    return [int(weight * denominator) for weight in exact]


@dataclass(frozen=True)
class DayTarget:
    day: date
    amount: Decimal


@dataclass(frozen=True)
class WeekPlan:
    """The part of one ISO week inside one month (and inside the plan); `days` are its working days."""

    start: date
    end: date
    amount: Decimal
    days: tuple[DayTarget, ...]


@dataclass(frozen=True)
class MonthPlan:
    year: int
    month: int
    amount: Decimal
    weeks: tuple[WeekPlan, ...]


@dataclass(frozen=True)
class Plan:
    """Every calendar month from start to deadline, each cut into weeks holding the working days."""

    target: Decimal
    start: date
    deadline: date
    months: tuple[MonthPlan, ...]
    # The weight of each working day (in `days` order) the target was apportioned by; `spread` reuses it.
    weights: tuple[int | Fraction, ...] = ()

    def spread(self, total: int) -> Plan:
        """`total` whole units (deals, calls, ...) over the same days in the same proportions as the target."""
        days = [day_target.day for day_target in self.days]
        units_by_day = dict(zip(days, apportion(total, self.weights), strict=True))
        return Plan(
            target=Decimal(total),
            start=self.start,
            deadline=self.deadline,
            months=tuple(
                _month_plan((month.year, month.month), self.start, self.deadline, units_by_day, Decimal(1))
                for month in self.months
            ),
            weights=self.weights,
        )

    @cached_property
    def days(self) -> tuple[DayTarget, ...]:
        """Every working day of the plan with its amount, ascending."""
        return tuple(day for month in self.months for week in month.weeks for day in week.days)

    @cached_property
    def _amount_by_day(self) -> dict[date, Decimal]:
        return {day_target.day: day_target.amount for day_target in self.days}

    @cached_property
    def working_days(self) -> list[date]:
        """The plan's working days, ascending (read only: the list is shared)."""
        return [day_target.day for day_target in self.days]

    @cached_property
    def _running_totals(self) -> list[Decimal]:
        """_running_totals[i] = sum of the first i day amounts."""
        return list(accumulate((day_target.amount for day_target in self.days), initial=_ZERO))

    def for_day(self, day: date) -> Decimal:
        """The day's target; 0 for non-working days and days outside the plan."""
        return self._amount_by_day.get(day, _ZERO)

    def week_containing(self, day: date) -> WeekPlan | None:
        for month in self.months:
            for week in month.weeks:
                if week.start <= day <= week.end:
                    return week
        return None

    def month_containing(self, day: date) -> MonthPlan | None:
        """The day's month plan; None for days before the start or after the deadline."""
        if not self.start <= day <= self.deadline:
            return None
        return next(month for month in self.months if (month.year, month.month) == (day.year, day.month))

    def cumulative(self, through: date) -> Decimal:
        """Sum of the day targets of all days up to and including `through`."""
        return self._running_totals[bisect.bisect_right(self.working_days, through)]


def months_between(start: date, end: date) -> list[Month]:
    """Every (year, month) from start's to end's, both included."""
    months: list[Month] = []
    year, month = start.year, start.month
    while (year, month) <= (end.year, end.month):
        months.append((year, month))
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return months


def _check_month_shares(
    month_shares: Mapping[Month, Decimal], days_by_month: Mapping[Month, list[date]]
) -> None:
    for month, share in sorted(month_shares.items()):
        if month not in days_by_month:
            raise ShareError("unknown_month", f"{month} is not a month of the plan", month)
        if share < 0:
            raise ShareError("negative", f"the share of {month} is negative ({share})", month)
        if share > HUNDRED:
            raise ShareError("above_100", f"the share of {month} is above 100% ({share})", month)
        if share > 0 and not days_by_month[month]:
            raise ShareError(
                "month_without_working_days", f"{month} has no working days but a share of {share}%", month
            )
    total = sum(month_shares.values(), _ZERO)
    if total > HUNDRED:
        raise ShareError("sum_above_100", f"month shares sum to {total}%, above 100%")
    if total < HUNDRED:
        raise ShareError("sum_below_100", f"month shares sum to {total}%, below 100%")


def decompose(
    target: Decimal,
    working_days: Sequence[date],
    start: date,
    deadline: date,
    *,
    quantum: Decimal,
    month_shares: Mapping[Month, Decimal] | None = None,
) -> Plan:
    """Spread `target` over the working days between start and deadline (both included).

    Evenly per working day, or, with `month_shares` (percent per month, summing to 100; months left out
    get 0), by share per month and then evenly per working day inside each month; either way by one
    cumulative rounding over all the days. Working days outside start..deadline are ignored.
    """
    if start > deadline:
        raise ValueError(f"the start {start} is after the deadline {deadline}")
    if quantum <= 0:
        raise ValueError(f"the quantum must be positive, got {quantum}")
    if target <= 0:
        raise ValueError(f"the target must be positive, got {target}")
    units = Fraction(target) / Fraction(quantum)
    if units.denominator != 1:
        raise ValueError(f"the target {target} is not a whole number of {quantum}")
    days = sorted({day for day in working_days if start <= day <= deadline})
    if not days:
        raise ValueError(f"no working days between {start} and {deadline}")

    months = months_between(start, deadline)
    days_by_month: dict[Month, list[date]] = {month: [] for month in months}
    for day in days:
        days_by_month[(day.year, day.month)].append(day)

    weights: list[int | Fraction]
    if month_shares is None:
        weights = [1] * len(days)
    else:
        _check_month_shares(month_shares, days_by_month)
        # A day's weight is its month's share over the month's working days; a month without working days
        # has share 0 (checked above), so nothing is lost with it.
        weights = [
            Fraction(month_shares.get(month, _ZERO)) / len(days_by_month[month])
            for month in months
            for _day in days_by_month[month]
        ]
    day_units = apportion(units.numerator, weights)
    units_by_day = dict(zip(days, day_units, strict=True))
    return Plan(
        target=target,
        start=start,
        deadline=deadline,
        months=tuple(_month_plan(month, start, deadline, units_by_day, quantum) for month in months),
        weights=tuple(weights),
    )


def _month_plan(
    month: Month, start: date, deadline: date, units_by_day: Mapping[date, int], quantum: Decimal
) -> MonthPlan:
    year, month_number = month
    first = max(start, date(year, month_number, 1))
    next_month_first = date(year + 1, 1, 1) if month_number == 12 else date(year, month_number + 1, 1)
    last = min(deadline, next_month_first - timedelta(days=1))
    calendar_days = [first + timedelta(days=offset) for offset in range((last - first).days + 1)]
    weeks: list[WeekPlan] = []
    month_units = 0
    for _, week_days in groupby(calendar_days, key=lambda day: day.isocalendar()[:2]):
        week_calendar_days = list(week_days)
        working = [day for day in week_calendar_days if day in units_by_day]
        week_units = sum(units_by_day[day] for day in working)
        month_units += week_units
        weeks.append(
            WeekPlan(
                start=week_calendar_days[0],
                end=week_calendar_days[-1],
                amount=quantum * week_units,
                days=tuple(DayTarget(day, quantum * units_by_day[day]) for day in working),
            )
        )
    return MonthPlan(year=year, month=month_number, amount=quantum * month_units, weeks=tuple(weeks))


def rebalance_shares(
    working_days_per_month: Mapping[Month, int], fixed: Mapping[Month, Decimal]
) -> dict[Month, Decimal]:
    """Percent per month, summing to exactly 100, in steps of 0.01.

    The `fixed` months keep their shares; the other months with working days share the rest in
    proportion to their working days; months without working days get 0.
    """
    months = sorted(working_days_per_month)
    if any(count < 0 for count in working_days_per_month.values()):
        raise ValueError("working-day counts must not be negative")
    for month, share in sorted(fixed.items()):
        if month not in working_days_per_month:
            raise ShareError("unknown_month", f"{month} is not a month of the plan", month)
        if share < 0:
            raise ShareError("negative", f"the share of {month} is negative ({share})", month)
        if share > HUNDRED:
            raise ShareError("above_100", f"the share of {month} is above 100% ({share})", month)
        if share > 0 and working_days_per_month[month] == 0:
            raise ShareError(
                "month_without_working_days", f"{month} has no working days but a share of {share}%", month
            )
    fixed_total = sum(fixed.values(), _ZERO)
    if fixed_total > HUNDRED:
        raise ShareError("sum_above_100", f"the fixed shares sum to {fixed_total}%, above 100%")
    rest = Fraction(HUNDRED - fixed_total)
    free_months = [month for month in months if month not in fixed and working_days_per_month[month] > 0]
    if rest > 0 and not free_months:
        raise ShareError(
            "no_other_month", f"the fixed shares sum to {fixed_total}% and no other month can take the rest"
        )
    free_days = sum(working_days_per_month[month] for month in free_months)
    weights: list[Fraction] = []
    for month in months:
        if month in fixed:
            weights.append(Fraction(fixed[month]))
        elif month in free_months:
            weights.append(rest * working_days_per_month[month] / free_days)
        else:
            weights.append(Fraction(0))
    # The weights sum to exactly 100, so apportioning 10,000 hundredths keeps 2-decimal fixed shares as is.
    hundredths = apportion(int(HUNDRED / SHARE_QUANTUM), weights)
    return {month: SHARE_QUANTUM * count for month, count in zip(months, hundredths, strict=True)}
