"""How a goal is going: done so far against the plan, the pace needed from here, and where it is heading.

`through` is the last day counted (the caller passes today once the day's review is in, else
yesterday). Days after the deadline never count: a goal ends on its deadline. Paused days are taken out
of the plan: nothing is expected on them, they are not part of the run-rate and are not days left to
work, but a result logged on one still counts. The forecast and when there is enough evidence for one:
bot.core.forecast.
"""

from __future__ import annotations

import bisect
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_CEILING, ROUND_FLOOR, Decimal
from enum import StrEnum

from bot.core.forecast import Evidence, ForecastRange, assess
from bot.core.plan import Plan

# Shortfall against what the plan expected by now, as a fraction of it.
AT_RISK_SHORTFALL = Decimal("0.10")
OFF_TRACK_SHORTFALL = Decimal("0.25")

PERCENT_QUANTUM = Decimal("0.1")
RATE_QUANTUM = Decimal("0.01")
_ZERO = Decimal(0)


class PaceStatus(StrEnum):
    NOT_STARTED = "not_started"
    ON_TRACK = "on_track"
    AT_RISK = "at_risk"
    OFF_TRACK = "off_track"
    ACHIEVED = "achieved"
    ENDED = "ended"  # deadline passed, target missed


@dataclass(frozen=True)
class Progress:
    target: Decimal
    actual: Decimal
    expected: Decimal
    gap: Decimal  # expected - actual: positive means behind plan
    status: PaceStatus
    percent_done: Decimal  # rounded down to 0.1, so 99.96% never shows as 100%
    required_per_day: Decimal | None  # rounded up to 0.01; None when achieved or no working day is left
    forecast: ForecastRange | None  # None until `evidence` is enough (then "too early to forecast")
    evidence: Evidence
    working_days_left: int  # after `through`, up to the deadline, paused days excluded
    calendar_days_left: int  # after `through`, up to the deadline
    elapsed_working_days: int  # from the start through `through`, paused days excluded


def _status(plan: Plan, actual: Decimal, expected: Decimal, through: date) -> PaceStatus:
    if through < plan.start:
        return PaceStatus.NOT_STARTED
    if actual >= plan.target:
        return PaceStatus.ACHIEVED
    if through >= plan.deadline:
        return PaceStatus.ENDED
    if expected <= 0:
        return PaceStatus.ON_TRACK
    shortfall = (expected - actual) / expected
    if shortfall >= OFF_TRACK_SHORTFALL:
        return PaceStatus.OFF_TRACK
    if shortfall >= AT_RISK_SHORTFALL:
        return PaceStatus.AT_RISK
    return PaceStatus.ON_TRACK


def _done_and_expected(
    plan: Plan, actuals: Mapping[date, Decimal], counted_through: date, paused: frozenset[date]
) -> tuple[Decimal, Decimal]:
    actual = sum(
        (amount for day, amount in actuals.items() if plan.start <= day <= counted_through),
        _ZERO,
    )
    paused_amount = sum(
        (plan.for_day(day) for day in paused if plan.start <= day <= counted_through),
        _ZERO,
    )
    return actual, plan.cumulative(counted_through) - paused_amount


def pace_status(
    plan: Plan, actuals: Mapping[date, Decimal], through: date, *, paused: frozenset[date] = frozenset()
) -> PaceStatus:
    """`measure(...).status` without the rest (the forecast is most of measure's work)."""
    return standing(plan, actuals, through, paused=paused).status


@dataclass(frozen=True)
class Standing:
    """Where a plan stands through a day: `measure`'s figures of that day, without its look ahead."""

    target: Decimal
    actual: Decimal
    expected: Decimal
    status: PaceStatus
    percent_done: Decimal  # as Progress.percent_done

    @property
    def gap(self) -> Decimal:
        """expected - actual: positive means behind plan."""
        return self.expected - self.actual


def standing(
    plan: Plan, actuals: Mapping[date, Decimal], through: date, *, paused: frozenset[date] = frozenset()
) -> Standing:
    """The target, done, expected-by-now, status and percent of `measure`, computed alike (a team's member
    rows need no forecast, and the forecast is most of measure's work)."""
    actual, expected = _done_and_expected(plan, actuals, min(through, plan.deadline), paused)
    return Standing(
        target=plan.target,
        actual=actual,
        expected=expected,
        status=_status(plan, actual, expected, through),
        percent_done=_percent_done(actual, plan.target),
    )


def _percent_done(actual: Decimal, target: Decimal) -> Decimal:
    return (actual * 100 / target).quantize(PERCENT_QUANTUM, rounding=ROUND_FLOOR)


def measure(
    plan: Plan, actuals: Mapping[date, Decimal], through: date, *, paused: frozenset[date] = frozenset()
) -> Progress:
    """Progress of `plan` counting `actuals` (amount per day) up to and including `through`."""
    counted_through = min(through, plan.deadline)
    actual, expected = _done_and_expected(plan, actuals, counted_through, paused)
    working_days = (
        plan.working_days if not paused else [day for day in plan.working_days if day not in paused]
    )
    days_left = len(working_days) - bisect.bisect_right(working_days, through)
    evidence, forecast = assess(working_days, actuals, plan.start, counted_through, days_left)
    elapsed = evidence.elapsed_working_days

    remaining = plan.target - actual
    required_per_day = None
    if remaining > 0 and days_left > 0:
        required_per_day = (remaining / days_left).quantize(RATE_QUANTUM, rounding=ROUND_CEILING)

    return Progress(
        target=plan.target,
        actual=actual,
        expected=expected,
        gap=expected - actual,
        status=_status(plan, actual, expected, through),
        percent_done=_percent_done(actual, plan.target),
        required_per_day=required_per_day,
        forecast=forecast,
        evidence=evidence,
        working_days_left=days_left,
        calendar_days_left=max(0, (plan.deadline - through).days),
        elapsed_working_days=elapsed,
    )
