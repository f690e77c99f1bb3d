"""The weekly digest's discussion points, computed from the team's own numbers: typed values, not text.

Detected, in this order of importance, each at most once:
1. the member furthest behind their pace (at risk or off track, by the personal-goal thresholds; the
   largest shortfall against what their plan expected by now, as a share of it);
2. the metric most behind across the team (at least the at-risk shortfall behind its expected figure);
3. the funnel stage whose conversion fell most against the period before (calls -> visits -> meetings ->
   deals; both periods need `MIN_STAGE_VOLUME` at the stage, and the fall `MIN_FALL_POINTS` points);
4. a deal lost for the same reason by at least two people (the reason most people share);
5. the longest run of working days with targets missed (at least `min_streak`; one per member).
When fewer than three come up, the week against its target and the member furthest ahead of pace fill
in (in that order); further members' missed runs then fill up to five. A team without data may get fewer.
"""

from __future__ import annotations

import bisect
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from itertools import pairwise

from bot.core.plan import Plan
from bot.core.progress import AT_RISK_SHORTFALL, PaceStatus
from bot.core.teams.rollup import MemberRow

_ZERO = Decimal(0)

FUNNEL_STAGES = ("calls", "visits", "meetings", "deals")
MIN_STAGE_VOLUME = 5
MIN_FALL_POINTS = Decimal(5)
MIN_POINTS, MAX_POINTS = 3, 5
DEFAULT_MIN_STREAK = 3
_PERCENT = Decimal("0.1")
_HUNDRED = Decimal(100)
_BEHIND = frozenset({PaceStatus.AT_RISK, PaceStatus.OFF_TRACK})


def _percent(value: Decimal) -> Decimal:
    return (value * _HUNDRED).quantize(_PERCENT, rounding=ROUND_HALF_UP)


@dataclass(frozen=True)
class MemberBehindPace:
    member_id: int
    shortfall_percent: Decimal  # how far under what their plan expected by now, in % of it
    gap: Decimal  # expected - achieved
    status: PaceStatus


@dataclass(frozen=True)
class MetricBehind:
    metric: str
    shortfall_percent: Decimal
    expected: Decimal
    achieved: Decimal


@dataclass(frozen=True)
class ConversionFell:
    from_stage: str
    to_stage: str
    before_percent: Decimal
    now_percent: Decimal

    @property
    def fall_points(self) -> Decimal:
        return self.before_percent - self.now_percent


@dataclass(frozen=True)
class SharedLossReason:
    reason: str
    member_ids: tuple[int, ...]  # ascending
    deals: int


@dataclass(frozen=True)
class MissedInARow:
    member_id: int
    working_days: int


@dataclass(frozen=True)
class WeekAgainstTarget:
    achieved: Decimal
    target: Decimal


@dataclass(frozen=True)
class AheadOfPace:
    member_id: int
    lead_percent: Decimal  # how far over what their plan expected by now, in % of it


DiscussionPoint = (
    MemberBehindPace
    | MetricBehind
    | ConversionFell
    | SharedLossReason
    | MissedInARow
    | WeekAgainstTarget
    | AheadOfPace
)


@dataclass(frozen=True)
class MetricStanding:
    """One metric across the team: what the plans expected by now and what was done."""

    metric: str
    expected: Decimal
    achieved: Decimal


@dataclass(frozen=True)
class LostDeal:
    member_id: int
    day: date
    reason: str | None  # a reason key (price, competitor, ...); None when not given


@dataclass(frozen=True)
class DigestFacts:
    """What the points are computed from; the caller picks the period (the week before the meeting)."""

    members: Sequence[MemberRow]
    metrics: Sequence[MetricStanding] = ()
    funnel_now: Mapping[str, int] | None = None
    funnel_before: Mapping[str, int] | None = None
    losses: Sequence[LostDeal] = ()
    missed_in_a_row: Mapping[int, int] | None = None  # member id -> working days (missed_days_in_a_row)
    week: WeekAgainstTarget | None = None


def missed_days_in_a_row(
    plan: Plan,
    actuals: Mapping[date, Decimal],
    through: date,
    *,
    paused: frozenset[date] = frozenset(),
) -> int:
    """Working days in a row, back from `through`, on which the day's target was not reached.

    The plan's days are the member's working days (it is built from their calendar), so the walk steps over
    weekends, holidays and vacations by going from plan day to plan day. A day whose target is 0 ends the run;
    paused days neither count nor end it.
    """
    run = 0
    days = plan.days
    for day_target in reversed(days[: bisect.bisect_right(plan.working_days, through)]):
        if day_target.day in paused:
            continue
        if day_target.amount <= 0 or actuals.get(day_target.day, _ZERO) >= day_target.amount:
            break
        run += 1
    return run


def _shortfall(row: MemberRow) -> Decimal | None:
    progress = row.standing
    if progress is None or progress.expected <= 0:
        return None
    return (progress.expected - progress.actual) / progress.expected


def furthest_behind(members: Sequence[MemberRow]) -> MemberBehindPace | None:
    candidates = [
        (shortfall, row)
        for row in members
        if row.standing is not None and row.status in _BEHIND and (shortfall := _shortfall(row)) is not None
    ]
    if not candidates:
        return None
    shortfall, row = min(candidates, key=lambda pair: (-pair[0], pair[1].member_id))
    assert row.standing is not None and row.status is not None  # filtered above; this tells mypy
    return MemberBehindPace(row.member_id, _percent(shortfall), row.standing.gap, row.status)


def furthest_ahead(members: Sequence[MemberRow]) -> AheadOfPace | None:
    candidates = [
        (-shortfall, row.member_id)
        for row in members
        if (shortfall := _shortfall(row)) is not None and shortfall < 0
    ]
    if not candidates:
        return None
    lead, member = min(candidates, key=lambda pair: (-pair[0], pair[1]))
    return AheadOfPace(member, _percent(lead))


def metric_most_behind(metrics: Sequence[MetricStanding]) -> MetricBehind | None:
    candidates = [
        ((metric.expected - metric.achieved) / metric.expected, metric)
        for metric in metrics
        if metric.expected > 0
    ]
    behind = [(share, metric) for share, metric in candidates if share >= AT_RISK_SHORTFALL]
    if not behind:
        return None
    share, metric = min(behind, key=lambda pair: (-pair[0], pair[1].metric))
    return MetricBehind(metric.metric, _percent(share), metric.expected, metric.achieved)


def conversion_fell_most(
    now: Mapping[str, int], before: Mapping[str, int], stages: Sequence[str] = FUNNEL_STAGES
) -> ConversionFell | None:
    """The adjacent pair of stages whose conversion fell most, in percentage points."""
    falls: list[ConversionFell] = []
    for upper, lower in pairwise(stages):
        if min(now.get(upper, 0), before.get(upper, 0)) < MIN_STAGE_VOLUME:
            continue
        before_rate = _percent(Decimal(before.get(lower, 0)) / before[upper])
        now_rate = _percent(Decimal(now.get(lower, 0)) / now[upper])
        fell = ConversionFell(upper, lower, before_rate, now_rate)
        if fell.fall_points >= MIN_FALL_POINTS:
            falls.append(fell)
    # The biggest fall; at equal falls the stage nearer the deal, where a lost point costs most.
    return max(falls, key=lambda fell: (fell.fall_points, stages.index(fell.from_stage)), default=None)


def shared_loss_reason(losses: Sequence[LostDeal]) -> SharedLossReason | None:
    """The reason the most people lost a deal for, if at least two did (then more deals, then the key)."""
    people: dict[str, set[int]] = {}
    deals: dict[str, int] = {}
    for loss in losses:
        if loss.reason is None or not loss.reason.strip():
            continue
        key = loss.reason.strip().casefold()
        people.setdefault(key, set()).add(loss.member_id)
        deals[key] = deals.get(key, 0) + 1
    shared = [key for key, members in people.items() if len(members) >= 2]
    if not shared:
        return None
    key = min(shared, key=lambda reason: (-len(people[reason]), -deals[reason], reason))
    return SharedLossReason(key, tuple(sorted(people[key])), deals[key])


def missed_runs(missed: Mapping[int, int], min_streak: int) -> list[MissedInARow]:
    """Members with a run of at least `min_streak` missed working days, longest first."""
    runs = [MissedInARow(member, days) for member, days in missed.items() if days >= min_streak]
    return sorted(runs, key=lambda run: (-run.working_days, run.member_id))


def discussion_points(
    facts: DigestFacts, *, min_streak: int = DEFAULT_MIN_STREAK
) -> tuple[DiscussionPoint, ...]:
    """Three to five points for the meeting (fewer only when the data holds fewer), most important first."""
    runs = missed_runs(facts.missed_in_a_row or {}, min_streak)
    funnel = None
    if facts.funnel_now is not None and facts.funnel_before is not None:
        funnel = conversion_fell_most(facts.funnel_now, facts.funnel_before)
    detected: list[DiscussionPoint | None] = [
        furthest_behind(facts.members),
        metric_most_behind(facts.metrics),
        funnel,
        shared_loss_reason(facts.losses),
        runs[0] if runs else None,
    ]
    points: list[DiscussionPoint] = [point for point in detected if point is not None]
    fillers: list[DiscussionPoint | None] = [facts.week, furthest_ahead(facts.members)]
    for filler in fillers:
        if len(points) < MIN_POINTS and filler is not None:
            points.append(filler)
    for run in runs[1:]:
        if len(points) < MAX_POINTS:
            points.append(run)
    return tuple(points[:MAX_POINTS])
