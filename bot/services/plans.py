"""Plans and progress of a user's goals: the calendar, the breakdown, the actuals, the pace."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta
from decimal import Decimal
from functools import lru_cache
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy.ext.asyncio import AsyncSession

from bot.core.activity import DEFAULT_FUNNEL_RATES, ActivityNeeds, Funnel, work_back, work_back_from_deals
from bot.core.calendar_adjustments import adjustments_for
from bot.core.dates import local_date
from bot.core.goal_draft import GoalDraft
from bot.core.lifecycle.goals import GoalStatus
from bot.core.metrics import MetricKind
from bot.core.plan import Plan, decompose, rebalance_shares
from bot.core.progress import Progress, measure
from bot.core.work_calendar import NO_COUNTRY, WorkCalendar, country_for
from bot.services.goals import draft_of
from bot.services.turn import Turn
from bot.services.users import user_translator
from bot.storage.models import Goal, GoalPlan, User, Vacation
from bot.storage.repositories.plans import OpenGoals, PlanRepository
from bot.storage.repositories.vacations import VacationRepository

Month = tuple[int, int]


def quantum_of(target: Decimal) -> Decimal:
    """Plans count in whole units, or in cents when the target itself has cents."""
    return Decimal(1) if target == target.to_integral_value() else Decimal("0.01")


def local_today(user: User, now: datetime) -> date:
    return local_date(user.timezone, now)


def user_country(user: User, default_language: str) -> str | None:
    """The country whose holidays count: the user's choice, else guessed from time zone and language."""
    if user.country == NO_COUNTRY:
        return None
    language = user_translator(user, user.telegram_language, default_language).language
    return user.country or country_for(user.timezone, language)


def vacation_days(vacations: Sequence[Vacation]) -> frozenset[date]:
    days: set[date] = set()
    for vacation in vacations:
        day = vacation.start_date
        while day <= vacation.end_date:
            days.add(day)
            day += timedelta(days=1)
    return frozenset(days)


def calendar_of(user: User, vacations: Sequence[Vacation], default_language: str) -> WorkCalendar:
    """The user's working days: their country's holidays and make-up days, weekday pattern, vacations."""
    country = user_country(user, default_language)
    return WorkCalendar(
        country=country,
        weekdays=user.working_weekdays,
        vacations=vacation_days(vacations),
        adjustments=adjustments_for(country),
    )


async def user_calendar(session: AsyncSession, user: User, default_language: str) -> WorkCalendar:
    return calendar_of(user, await VacationRepository(session).of_user(user.id), default_language)


def add_vacation(session: AsyncSession, user: User, start: date, end: date, now: datetime) -> None:
    VacationRepository(session).add(Vacation(user_id=user.id, start_date=start, end_date=end, created_at=now))


async def upcoming_vacations(session: AsyncSession, user: User, today: date) -> list[Vacation]:
    """The user's vacations that have not ended before `today`, in date order."""
    return [v for v in await VacationRepository(session).of_user(user.id) if v.end_date >= today]


async def remove_vacation(session: AsyncSession, user: User, vacation_id: int) -> bool:
    """Remove one of the user's vacations; False when it is not theirs (or gone)."""
    repository = VacationRepository(session)
    vacation = await repository.owned(user.id, vacation_id)
    if vacation is None:
        return False
    await repository.remove(vacation)
    return True


def month_key(month: Month) -> str:
    return f"{month[0]:04d}-{month[1]:02d}"


def month_of(key: str) -> Month:
    """The month a `month_key` names: "2026-12" -> (2026, 12)."""
    return int(key[:4]), int(key[5:])


def working_days_per_month(days: Sequence[date]) -> dict[Month, int]:
    counts: dict[Month, int] = {}
    for day in days:
        counts[(day.year, day.month)] = counts.get((day.year, day.month), 0) + 1
    return counts


def build_plan(goal: Goal, calendar: WorkCalendar, row: GoalPlan) -> Plan:
    """The goal's month, week and day targets on the user's working days."""
    # Shares are stored as decimal text ("40"), so the whole key is hashable.
    shares = tuple(sorted(row.month_shares.items()))
    return _plan(str(goal.target_value), goal.start_date, goal.deadline, calendar, shares)


@lru_cache(maxsize=1024)
def _plan(
    target_text: str,
    start: date,
    deadline: date,
    calendar: WorkCalendar,
    month_shares: tuple[tuple[str, Any], ...],
) -> Plan:
    """A pure function of its arguments, which are all values (the target as text keeps its exponent), so
    the plan can be shared: each /log computes the same goal's plan twice, and a goal's plan only changes
    when one of these does. Nothing read from the database is trusted here beyond the values passed in."""
    target = Decimal(target_text)
    days = calendar.working_days(start, deadline)
    shares = None
    fixed = {month_of(key): Decimal(value) for key, value in month_shares}
    if fixed:
        per_month = working_days_per_month(days)
        # Months the calendar no longer lists (a changed deadline) drop out rather than break the plan.
        shares = rebalance_shares(
            per_month, {month: share for month, share in fixed.items() if month in per_month}
        )
    return decompose(target, days, start, deadline, quantum=quantum_of(target), month_shares=shares)


def paused_days(changes: Sequence[Any], timezone: str, until: date) -> frozenset[date]:
    """Local days a goal spent paused, from its status audit (paused -> active), through `until`."""
    zone = ZoneInfo(timezone)
    days: set[date] = set()
    paused_from: date | None = None
    for change in changes:
        day = change.at.astimezone(zone).date()
        if change.new_value == GoalStatus.PAUSED:
            paused_from = day
        elif paused_from is not None:
            days.update(paused_from + timedelta(days=n) for n in range((day - paused_from).days))
            paused_from = None
    if paused_from is not None:
        days.update(paused_from + timedelta(days=n) for n in range((until - paused_from).days + 1))
    return frozenset(days)


def funnel_of(row: GoalPlan, goal: Goal) -> Funnel | None:
    """The sales funnel used to work activities back from a revenue or deals goal.

    The average deal is the user's own figure (the wizard's or "Deal size & rates"), never guessed from
    the target: without it a revenue goal's funnel has no deal size and no deal count.
    """
    if goal.metric not in ("revenue", "deals"):
        return None
    return Funnel(
        average_deal=row.average_deal,
        win_rate=row.win_rate or DEFAULT_FUNNEL_RATES.win_rate,
        meeting_rate=row.meeting_rate or DEFAULT_FUNNEL_RATES.meeting_rate,
        visit_rate=row.visit_rate or DEFAULT_FUNNEL_RATES.visit_rate,
    )


def activity_needs(goal: Goal, funnel: Funnel | None) -> ActivityNeeds | None:
    """Deals, meetings, visits and calls the goal takes; None without a funnel or a known deal size."""
    if funnel is None:
        return None
    if goal.metric == "deals":
        return work_back_from_deals(int(goal.target_value), funnel)
    if funnel.average_deal is None:
        return None
    return work_back(goal.target_value, funnel)


async def set_average_deal(session: AsyncSession, goal_id: int, average_deal: Decimal, now: datetime) -> None:
    """Store the user's average deal size where the funnel reads it (the goal's plan row)."""
    row = await PlanRepository(session).plan_row(goal_id, now)
    row.average_deal, row.updated_at = average_deal, now


@dataclass(frozen=True)
class GoalOutlook:
    """Everything the plan and progress cards show about one goal."""

    goal: Goal
    draft: GoalDraft
    row: GoalPlan
    plan: Plan
    progress: Progress
    actuals: dict[date, Decimal]
    today: date
    through: date
    funnel: Funnel | None
    needs: ActivityNeeds | None

    @property
    def is_currency(self) -> bool:
        return self.draft.metric_kind is MetricKind.CURRENCY

    @property
    def deal_size_missing(self) -> bool:
        """A revenue goal whose deals cannot be counted until the user gives their average deal size."""
        return self.funnel is not None and self.funnel.average_deal is None and self.goal.metric != "deals"


@dataclass(frozen=True)
class PlanInputs:
    """Everything the plans and progress of a user's goals are computed from, loaded once."""

    user: User
    goals: Sequence[Goal]
    calendar: WorkCalendar
    rows: dict[int, GoalPlan]
    actuals: dict[int, dict[date, Decimal]]
    changes: dict[int, list[Any]]
    # Whether any of the goals has an active reward (False only when known: the rewards need no reading).
    active_rewards: bool = True

    def with_actuals(self, actuals: dict[int, dict[date, Decimal]]) -> PlanInputs:
        return replace(self, actuals=actuals)


async def load_inputs(
    session: AsyncSession, user: User, goals: Sequence[Goal], calendar: WorkCalendar, now: datetime
) -> PlanInputs:
    """One query per kind of row for all the goals: plan settings, recorded results, status changes."""
    repository = PlanRepository(session)
    goal_ids = [goal.id for goal in goals]
    rows = await repository.plan_rows(goal_ids, now)
    actuals = await repository.daily_actuals(goal_ids)
    changes = await repository.status_changes(goal_ids)
    return PlanInputs(user, goals, calendar, rows, actuals, changes)


def build_outlooks(inputs: PlanInputs, now: datetime) -> list[GoalOutlook]:
    """Plans and progress from loaded inputs: pure computation, no database."""
    user = inputs.user
    today = local_today(user, now)
    views = []
    for goal in inputs.goals:
        row, actuals = inputs.rows[goal.id], inputs.actuals[goal.id]
        plan = build_plan(goal, inputs.calendar, row)
        # Today counts once the user has reported for it; until then the pace is judged through yesterday.
        through = today if today in actuals else today - timedelta(days=1)
        paused = paused_days(inputs.changes[goal.id], user.timezone, today)
        progress = measure(plan, actuals, through, paused=paused)
        funnel = funnel_of(row, goal)
        views.append(GoalOutlook(goal, draft_of(goal), row, plan, progress, actuals, today, through, funnel,
                                 activity_needs(goal, funnel)))  # fmt: skip
    return views


async def outlooks(
    session: AsyncSession, user: User, goals: Sequence[Goal], calendar: WorkCalendar, now: datetime
) -> list[GoalOutlook]:
    """Plans and progress of several goals, with one query per kind of row rather than per goal."""
    return build_outlooks(await load_inputs(session, user, goals, calendar, now), now)


async def open_goal_inputs(
    session: AsyncSession, user: User, now: datetime, default_language: str, found: OpenGoals | None = None
) -> PlanInputs:
    """`load_inputs` for the open goals: the goals, plan rows and which other rows exist in one query, then
    only the rows there are (the results always; status changes and vacations, which most goals lack).
    `found`: that first query's answer when the caller has read it already in this transaction."""
    repository = PlanRepository(session)
    if found is None:
        found = await repository.open_goals_with_plans(user.id)
    goal_ids = [goal.id for goal in found.goals]
    # Without goals the calendar is not used; it is still the full one for any caller that looks.
    vacations = (
        await VacationRepository(session).of_user(user.id) if found.has_vacations or not goal_ids else ()
    )
    rows = await repository.complete_rows(goal_ids, found.rows, now)
    actuals = await repository.daily_actuals(goal_ids)
    changes = await repository.status_changes(found.with_status_changes) if found.with_status_changes else {}
    return PlanInputs(
        user,
        found.goals,
        calendar_of(user, vacations, default_language),
        rows,
        actuals,
        {goal_id: changes.get(goal_id, []) for goal_id in goal_ids},
        active_rewards=bool(found.with_active_rewards),
    )


async def open_goal_outlooks(turn: Turn) -> list[GoalOutlook]:
    """Plans and progress of all the user's open goals."""
    inputs = await open_goal_inputs(turn.session, turn.user, turn.now, turn.default_language)
    return build_outlooks(inputs, turn.now)


async def goal_outlook(turn: Turn, goal: Goal) -> GoalOutlook:
    """Plan and progress of one goal, reading only that goal's rows."""
    calendar = await user_calendar(turn.session, turn.user, turn.default_language)
    [view] = await outlooks(turn.session, turn.user, [goal], calendar, turn.now)
    return view
