"""When the coach speaks up unprompted: celebrations, streaks, pace warnings, and the limits on them.

Everything here is pure: the caller passes the numbers, the day and the clock. A rule returns a
`Trigger` whose `key` is unique per user for that occasion; the caller stores sent keys and never sends
a key twice, so evaluating a rule again (a retry, a second answer on the same day, a correction and a
re-entry) is always safe. The limits (`may_send`, `kind_allowed`, `choose_text`, `send_at`) decide
whether and when a triggered nudge actually goes out.

Decisions worth knowing:

* One answer crossing several milestones (20% -> 80%) yields only the highest one (75%): one
  celebration per answer, not three in a row. The skipped ones never come later, since the actual is
  already past them.
* A goal off track yields one nudge per uninterrupted off-track run, keyed by the day the run reached
  `needed` working days, not one a day for as long as it lasts.
* A review streak counts answered days only; excused days and a week's one forgiven missed day (a
  "freeze") are stepped over without counting.
* A nudge about a goal's results is checked again just before it goes out (`recheck`): a result undone
  or corrected in between changes what it says, or withdraws it when its occasion no longer holds, so
  the coach never congratulates on a result that is gone.
* `choose_text` never repeats a text used in the last NO_REPEAT_DAYS days: with every candidate used
  recently it returns None and the nudge is dropped.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_FLOOR, Decimal
from enum import StrEnum
from itertools import pairwise

from bot.core.progress import PERCENT_QUANTUM, PaceStatus

_ZERO = Decimal(0)
_HUNDRED = Decimal(100)


class NudgeKind(StrEnum):
    MILESTONE = "milestone"
    FIRST_DEAL = "first_deal"
    BEST_WEEK = "best_week"
    STREAK = "streak"
    PACE_RECOVERED = "pace_recovered"
    OFF_TRACK = "off_track"
    REWARD_EARNED = "reward_earned"
    REWARD_ENDED = "reward_ended"


@dataclass(frozen=True)
class Trigger:
    """An occasion for a nudge: its kind, its per-user dedupe key, and the values the message shows."""

    kind: NudgeKind
    key: str  # the same key never yields a second nudge for the same user
    data: dict[str, str]  # strings only, so it stores as JSON as is

    def __post_init__(self) -> None:
        # Rows from the database carry the kind as a plain string.
        object.__setattr__(self, "kind", NudgeKind(self.kind))


def _amount(value: Decimal) -> str:
    """A Decimal as plain digits: str() would give "1E+3" for a value entered in exponent form."""
    return format(value, "f")


# --- goal results --------------------------------------------------------------------------------------

MILESTONES = (25, 50, 75, 100)


def milestone_triggers(goal_id: int, target: Decimal, before: Decimal, after: Decimal) -> list[Trigger]:
    """The highest milestone crossed going from actual `before` to `after`, as a list of at most one.

    Crossing m means before < m% of target <= after. Only the highest is returned so one answer never
    produces several celebrations. None when the actual did not go up (a correction downwards).
    ValueError if the target is not positive.
    """
    if target <= 0:
        raise ValueError(f"target must be positive, got {target}")
    if after <= before:
        return []
    # Compare before * 100 with m * target instead of dividing: exact, no rounding at the boundary.
    crossed = [m for m in MILESTONES if before * _HUNDRED < m * target <= after * _HUNDRED]
    if not crossed:
        return []
    milestone = crossed[-1]
    percent = (after * _HUNDRED / target).quantize(PERCENT_QUANTUM, rounding=ROUND_FLOOR)
    return [
        Trigger(
            NudgeKind.MILESTONE,
            f"milestone:{goal_id}:{milestone}",
            {
                "goal_id": str(goal_id),
                "milestone": str(milestone),
                "percent": _amount(percent),
                "actual": _amount(after),
                "target": _amount(target),
            },
        )
    ]


def first_deal_trigger(goal_id: int, before: Decimal, after: Decimal) -> Trigger | None:
    """The goal's first result above zero: `before` is exactly 0 and `after` above it.

    A deal corrected back to 0 and entered again yields the same key, so it is celebrated once.
    """
    if before != 0 or after <= 0:
        return None
    return Trigger(
        NudgeKind.FIRST_DEAL,
        f"first_deal:{goal_id}",
        {"goal_id": str(goal_id), "amount": _amount(after)},
    )


# Fewer earlier weeks with results and "best week ever" means little: the first good week always wins.
BEST_WEEK_MIN_HISTORY = 2


def best_week_trigger(goal_id: int, weekly_totals: Sequence[tuple[str, Decimal]]) -> Trigger | None:
    """The current week (the last of `weekly_totals`, oldest first) strictly beating every earlier week.

    Needs at least BEST_WEEK_MIN_HISTORY earlier weeks with a total above zero. Labels are ISO weeks
    ("2026-W48"); the key carries the week, so it fires at most once a week, when the week first
    takes the lead.
    """
    if not weekly_totals:
        return None
    *earlier, (week, total) = weekly_totals
    if sum(1 for _, amount in earlier if amount > 0) < BEST_WEEK_MIN_HISTORY:
        return None
    previous_best = max(amount for _, amount in earlier)
    if total <= previous_best:
        return None
    return Trigger(
        NudgeKind.BEST_WEEK,
        f"best_week:{goal_id}:{week}",
        {
            "goal_id": str(goal_id),
            "week": week,
            "total": _amount(total),
            "previous_best": _amount(previous_best),
        },
    )


_BEHIND = frozenset({PaceStatus.AT_RISK, PaceStatus.OFF_TRACK})


def pace_recovered_trigger(
    goal_id: int, before: PaceStatus, after: PaceStatus, day: date, actual: Decimal | None = None
) -> Trigger | None:
    """Back on track: the status went from AT_RISK or OFF_TRACK to ON_TRACK on `day`.

    Reaching ACHIEVED instead is the 100% milestone's celebration, not this one. `actual`, the goal's
    result that brought it back, lets `recheck` withdraw the nudge if that result is undone.
    """
    if PaceStatus(before) not in _BEHIND or PaceStatus(after) is not PaceStatus.ON_TRACK:
        return None
    data = {"goal_id": str(goal_id), "previous_status": str(PaceStatus(before)), "day": day.isoformat()}
    if actual is not None:
        data["actual"] = _amount(actual)
    return Trigger(NudgeKind.PACE_RECOVERED, f"pace_recovered:{goal_id}:{day.isoformat()}", data)


OFF_TRACK_DAYS = 5


def off_track_trigger(
    goal_id: int, statuses: Sequence[tuple[date, PaceStatus]], day: date, needed: int = OFF_TRACK_DAYS
) -> Trigger | None:
    """OFF_TRACK on each of the last `needed` working days (`statuses`: one per working day, oldest first).

    The key carries the day the current off-track run reached `needed` days, not `day`: a run that goes
    on stays one nudge instead of one a day, yet an evaluation skipped on that very day still catches it
    later. A new run after any other status is a new occasion. ValueError if `needed` < 1, if the days
    are not strictly ascending, or if one is after `day` (a status of the future is a caller bug).
    """
    if needed < 1:
        raise ValueError(f"needed must be at least 1, got {needed}")
    days = [status_day for status_day, _ in statuses]
    if any(earlier >= later for earlier, later in pairwise(days)):
        raise ValueError("statuses must be one per day, oldest first")
    if days and days[-1] > day:
        raise ValueError(f"a status for {days[-1]} is after the day evaluated, {day}")
    run = 0
    for _, status in reversed(statuses):
        if PaceStatus(status) is not PaceStatus.OFF_TRACK:
            break
        run += 1
    if run < needed:
        return None
    since = days[-run]
    reached = days[-run + needed - 1]
    return Trigger(
        NudgeKind.OFF_TRACK,
        f"off_track:{goal_id}:{reached.isoformat()}",
        {
            "goal_id": str(goal_id),
            "working_days": str(run),
            "since": since.isoformat(),
            "day": day.isoformat(),
        },
    )


# --- checked again before sending ----------------------------------------------------------------------

# The kinds that celebrate a goal's results: what they say depends on results that may be undone.
# The figures each kind's check reads from the nudge's data.
_CHECKED_BY: dict[NudgeKind, frozenset[str]] = {
    NudgeKind.MILESTONE: frozenset({"milestone", "target"}),
    NudgeKind.FIRST_DEAL: frozenset(),
    NudgeKind.BEST_WEEK: frozenset({"week"}),
    NudgeKind.PACE_RECOVERED: frozenset({"actual"}),
    NudgeKind.REWARD_EARNED: frozenset({"target", "start", "deadline"}),
}
RESULT_KINDS = frozenset(_CHECKED_BY)


def _week_label(day: date) -> str:
    year, week, _weekday = day.isocalendar()
    return f"{year}-W{week:02d}"


def recheck(
    kind: NudgeKind, data: Mapping[str, str], actuals: Mapping[date, Decimal]
) -> dict[str, str] | None:
    """A result nudge's data recomputed from the goal's results as they are now, or None to withdraw it.

    `actuals` are the goal's daily results inside its window. A milestone still crossed says the current
    percent; a first result still above zero stays; a best week must still beat the best earlier week;
    a comeback (whose pace this cannot judge) is withdrawn once the goal's total fell below the total
    that made it; an earned reward must still be reached inside its own window. Kinds that celebrate no result, and data without the figures to check, come back unchanged.
    """
    kind = NudgeKind(kind)
    if kind not in RESULT_KINDS or not _CHECKED_BY[kind] <= data.keys():
        return dict(data)
    total = sum(actuals.values(), _ZERO)
    checked = dict(data)
    if kind is NudgeKind.MILESTONE:
        target = Decimal(data["target"])
        if total * _HUNDRED < int(data["milestone"]) * target:
            return None
        percent = (total * _HUNDRED / target).quantize(PERCENT_QUANTUM, rounding=ROUND_FLOOR)
        checked.update(percent=_amount(percent), actual=_amount(total))
    elif kind is NudgeKind.FIRST_DEAL:
        if total <= 0:
            return None
        checked["amount"] = _amount(min(total, Decimal(data.get("amount", total))))
    elif kind is NudgeKind.BEST_WEEK:
        week = data["week"]
        totals: dict[str, Decimal] = {}
        for day, amount in actuals.items():
            totals[_week_label(day)] = totals.get(_week_label(day), _ZERO) + amount
        earlier = [amount for label, amount in totals.items() if label < week and amount > 0]
        now = totals.get(week, _ZERO)
        if len(earlier) < BEST_WEEK_MIN_HISTORY or now <= max(earlier):
            return None
        checked.update(total=_amount(now), previous_best=_amount(max(earlier)))
    elif kind is NudgeKind.REWARD_EARNED:
        start, deadline = date.fromisoformat(data["start"]), date.fromisoformat(data["deadline"])
        done = sum((amount for day, amount in actuals.items() if start <= day <= deadline), _ZERO)
        if done < Decimal(data["target"]):
            return None
        checked["actual"] = _amount(done)
    elif total < Decimal(data["actual"]):
        return None
    return checked


# --- review streaks ------------------------------------------------------------------------------------


class DayMark(StrEnum):
    ANSWERED = "answered"
    MISSED = "missed"
    EXCUSED = "excused"  # skipped with a reason, vacation, or no prompt that day


def review_streak(days: Sequence[tuple[date, DayMark]]) -> int:
    """Answered daily reviews in a row, counting back from the newest day in `days` (any order).

    EXCUSED days neither count nor break. The first MISSED day of an ISO week is forgiven (a freeze: it
    does not count but does not break); a second one in the same ISO week ends the streak there. Dates
    absent from `days` are stepped over like EXCUSED ones, so the caller marks a day MISSED only once it
    is over unanswered (today, still open, is left out or EXCUSED). ValueError on a repeated date.
    """
    by_day = {day: DayMark(mark) for day, mark in days}
    if len(by_day) != len(days):
        raise ValueError("each day may be marked only once")
    streak = 0
    frozen_weeks: set[tuple[int, int]] = set()
    for day in sorted(by_day, reverse=True):
        mark = by_day[day]
        if mark is DayMark.ANSWERED:
            streak += 1
        elif mark is DayMark.MISSED:
            iso = day.isocalendar()
            week = (iso.year, iso.week)
            if week in frozen_weeks:
                break
            frozen_weeks.add(week)
    return streak


STREAK_MILESTONES = (3, 7, 14, 30, 60, 100)


def streak_trigger(streak: int, day: date) -> Trigger | None:
    """A streak that is exactly one of STREAK_MILESTONES on `day`.

    Call it on the day a review is answered: the streak keeps its length over excused and frozen days,
    and those days' keys would differ. The day in the key lets a streak rebuilt after a break be
    celebrated again.
    """
    if streak not in STREAK_MILESTONES:
        return None
    return Trigger(
        NudgeKind.STREAK,
        f"streak:{streak}:{day.isoformat()}",
        {"streak": str(streak), "day": day.isoformat()},
    )
