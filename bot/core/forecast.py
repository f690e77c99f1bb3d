"""Where a goal is heading: a range, only once the results so far are enough to say.

The rule, on the working days of the user's calendar (paused days left out) up to the last day counted:
- **Enough evidence** is either at least `MIN_DAYS_WITH_RESULTS` (5) working days with a recorded result,
  or at least 10% of the goal's working days gone (never fewer than `MIN_ELAPSED_DAYS`, 3: 10% of a
  two-week goal is one day, exactly the extrapolation a forecast must not be) with at least one result.
  A result logged on a day off counts for the working day before it.
- **The range** projects two daily paces over the working days left: the plain average over every elapsed
  working day, and an exponentially weighted one (half-life `HALF_LIFE_WORKING_DAYS`, two working weeks)
  that follows recent weeks. Days without a result count as zero in both. The lower projection is the
  low end, the higher the high end, each rounded outward to three significant digits (whole units at
  least): a forecast is not precise to the yuan.

A big deal on day one therefore waits for more days, and then weighs less each week; a dry spell pulls the
weighted pace, and so the low end, down at once.
"""

from __future__ import annotations

import bisect
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_CEILING, ROUND_FLOOR, Decimal

MIN_DAYS_WITH_RESULTS = 5
MIN_ELAPSED_SHARE = 0.10
MIN_ELAPSED_DAYS = 3
HALF_LIFE_WORKING_DAYS = 10
SIGNIFICANT_DIGITS = 3
CENT = Decimal("0.01")
_ZERO = Decimal(0)
# A day's weight against the day after it; computed once (a fractional power is most of a pace's cost).
_DECAY = Decimal(2) ** (Decimal(-1) / HALF_LIFE_WORKING_DAYS)


@dataclass(frozen=True)
class Evidence:
    """What a forecast would rest on so far, and what it needs."""

    days_with_results: int  # elapsed working days with a recorded result
    elapsed_working_days: int
    goal_working_days: int

    @property
    def elapsed_needed(self) -> int:
        """Working days gone that are enough on their own: 10% of the goal's, at least 3 (at most all)."""
        share = math.ceil(self.goal_working_days * MIN_ELAPSED_SHARE)
        return min(self.goal_working_days, max(MIN_ELAPSED_DAYS, share))

    @property
    def enough(self) -> bool:
        # Time alone is not evidence: without a single result the forecast would just say 0.
        return self.days_with_results >= MIN_DAYS_WITH_RESULTS or (
            self.days_with_results > 0 and self.elapsed_working_days >= self.elapsed_needed
        )


@dataclass(frozen=True)
class ForecastRange:
    """The amount reached by the deadline, low to high (low <= high, both >= the amount done)."""

    low: Decimal
    high: Decimal
    working_days: int  # the elapsed working days the paces are measured over


def assess(
    working_days: Sequence[date],
    actuals: Mapping[date, Decimal],
    start: date,
    through: date,
    days_left: int,
) -> tuple[Evidence, ForecastRange | None]:
    """The evidence so far and, when it is enough, the forecast range.

    `working_days`: the goal's working days, ascending, paused ones left out; `actuals`: amount per day,
    counted from `start` through `through`; `days_left`: the working days still to come.
    """
    elapsed = working_days[: bisect.bisect_right(working_days, through)]
    results = _results_by_working_day(elapsed, actuals, start, through)
    evidence = Evidence(
        days_with_results=len(results),
        elapsed_working_days=len(elapsed),
        goal_working_days=len(working_days),
    )
    if not evidence.enough:
        return evidence, None
    amounts = [results.get(index, _ZERO) for index in range(len(elapsed))]
    return evidence, forecast_range(amounts, days_left)


def _results_by_working_day(
    elapsed: Sequence[date], actuals: Mapping[date, Decimal], start: date, through: date
) -> dict[int, Decimal]:
    """Amount per elapsed working day (by index) that has a result; a result on another day counts on the
    working day before it (or the first one, for days before it)."""
    results: dict[int, Decimal] = {}
    if not elapsed:
        return results
    for day, amount in actuals.items():
        if start <= day <= through:
            index = max(0, bisect.bisect_right(elapsed, day) - 1)
            results[index] = results.get(index, _ZERO) + amount
    return results


def weighted_pace(amounts: Sequence[Decimal]) -> Decimal:
    """Exponentially weighted mean of the daily amounts, the latest weighing most (half-life in days)."""
    if not amounts:
        return _ZERO
    # Each day back weighs _DECAY times the day after it: one multiplication a day, not a power.
    weight, weighted, weights = Decimal(1), _ZERO, _ZERO
    for amount in reversed(amounts):
        weighted += weight * amount
        weights += weight
        weight *= _DECAY
    return weighted / weights


def forecast_range(amounts: Sequence[Decimal], days_left: int) -> ForecastRange | None:
    """The range from the daily amounts of the elapsed working days; None when there are none."""
    if not amounts:
        return None
    done = sum(amounts, _ZERO)
    paces = (weighted_pace(amounts), done / len(amounts))
    # To the cent first: the weighted mean's last-digit noise must not round a steady 1,700,000 up a step.
    projections = sorted((done + max(pace, _ZERO) * days_left).quantize(CENT) for pace in paces)
    low, high = _round_outward(projections[0], projections[-1])
    return ForecastRange(low=max(low, done), high=max(high, done), working_days=len(amounts))


def _round_outward(low: Decimal, high: Decimal) -> tuple[Decimal, Decimal]:
    """Low down and high up to three significant digits of the high end, whole units at least."""
    if high <= 0:
        return low, high
    step = Decimal(10) ** max(0, high.adjusted() - (SIGNIFICANT_DIGITS - 1))
    return (
        (low / step).to_integral_value(rounding=ROUND_FLOOR) * step,
        (high / step).to_integral_value(rounding=ROUND_CEILING) * step,
    )
