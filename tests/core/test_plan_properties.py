"""Property tests of the plan: for any goal, revenue and every activity add up and are spread fairly.

Random goals of 1 day to 3 years from any weekday, on China's calendar (public holidays and make-up
working days from the `holidays` package), with random vacations and working weekdays. For revenue and
for each activity worked back from it (deals, meetings, visits, calls), the month, week and day targets
add up exactly to the whole, each period is within one unit of its share by working days (or by the
months' fixed shares), and no day outside the goal or off work gets anything.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from datetime import date, timedelta
from decimal import Decimal

from hypothesis import assume, given, settings
from hypothesis import strategies as st

from bot.core.activity import DEFAULT_FUNNEL_RATES, Funnel, work_back
from bot.core.calendar_adjustments import adjustments_for
from bot.core.plan import Month, Plan, decompose, rebalance_shares
from bot.core.work_calendar import MONDAY_TO_FRIDAY, WorkCalendar

SETTINGS = settings(max_examples=100, deadline=None)
FIRST_START, LAST_START = date(2025, 1, 1), date(2028, 6, 30)
MAX_DAYS = 3 * 365


@st.composite
def goal_windows(draw: st.DrawFn) -> tuple[date, date, WorkCalendar]:
    """A start (any weekday), a deadline 1 day to 3 years later and a CN calendar with vacations."""
    start = draw(st.dates(FIRST_START, LAST_START))
    deadline = start + timedelta(days=draw(st.integers(0, MAX_DAYS - 1)))
    weekdays = draw(
        st.one_of(
            st.just(MONDAY_TO_FRIDAY),
            st.frozensets(st.integers(1, 7), min_size=1).filter(bool),
        )
    )
    vacations: set[date] = set()
    for _ in range(draw(st.integers(0, 4))):
        first = start + timedelta(days=draw(st.integers(0, (deadline - start).days)))
        vacations.update(first + timedelta(days=n) for n in range(draw(st.integers(1, 20))))
    calendar = WorkCalendar("CN", weekdays, vacations=frozenset(vacations), adjustments=adjustments_for("CN"))
    return start, deadline, calendar


class Shares:
    """Each working day's exact share of the whole as weight / denominator, in integers (Fractions made
    these tests slow): 1/n by working days, or the month's fixed share over the month's working days."""

    def __init__(self, days: Sequence[date], month_shares: dict[Month, Decimal] | None) -> None:
        if month_shares is None:
            self.weights = dict.fromkeys(days, 1)
            self.denominator = len(days)
            return
        per_month: dict[Month, int] = {}
        for day in days:
            per_month[(day.year, day.month)] = per_month.get((day.year, day.month), 0) + 1
        # A share in hundredths of a percent over the month's n days: h / (10,000 n) = h (L / n) / (10,000 L).
        common = math.lcm(*per_month.values())
        self.denominator = 10_000 * common
        self.weights = {
            day: int(month_shares[(day.year, day.month)] * 100) * (common // per_month[(day.year, day.month)])
            for day in days
        }


def assert_fair(plan: Plan, units: int, quantum: Decimal, shares: Shares, working: set[date]) -> None:
    """Exact roll-ups; every month, week and day within one quantum of its exact share; nothing off work."""

    def within_one(amount: Decimal, period_days: Sequence[date]) -> None:
        exact = units * sum(shares.weights[day] for day in period_days)  # times the denominator
        assert abs(int(amount / quantum) * shares.denominator - exact) < shares.denominator, (amount, exact)

    assert sum(month.amount for month in plan.months) == plan.target == units * quantum
    for month in plan.months:
        assert sum(week.amount for week in month.weeks) == month.amount
        within_one(month.amount, [target.day for week in month.weeks for target in week.days])
        for week in month.weeks:
            assert sum(target.amount for target in week.days) == week.amount
            within_one(week.amount, [target.day for target in week.days])
            for target in week.days:
                within_one(target.amount, [target.day])
                assert target.amount >= 0
    assert {target.day for target in plan.days} == set(shares.weights) == working
    day = plan.start - timedelta(days=3)
    while day <= plan.deadline + timedelta(days=3):
        if day not in working:
            assert plan.for_day(day) == 0, day
        day += timedelta(days=1)


def working_set(start: date, deadline: date, calendar: WorkCalendar) -> set[date]:
    """The days on which the goal may ask for anything: inside start..deadline and a working day."""
    days = (start + timedelta(days=n) for n in range((deadline - start).days + 1))
    return {day for day in days if calendar.is_working_day(day)}


def assert_activities_fair(plan: Plan, shares: Shares, working: set[date], deal: Decimal) -> None:
    funnel = Funnel(deal, *DEFAULT_FUNNEL_RATES)
    needs = work_back(plan.target, funnel)
    for total in (needs.deals, needs.meetings, needs.visits, needs.calls):
        assert_fair(plan.spread(total), total, Decimal(1), shares, working)


@SETTINGS
@given(
    window=goal_windows(),
    target=st.integers(1, 50_000_000),
    cents=st.booleans(),
    deal=st.integers(1_000, 500_000),
)
def test_revenue_and_activities_add_up_and_follow_working_days(
    window: tuple[date, date, WorkCalendar], target: int, cents: bool, deal: int
) -> None:
    start, deadline, calendar = window
    days = calendar.working_days(start, deadline)
    assume(days)
    quantum = Decimal("0.01") if cents else Decimal(1)
    amount = Decimal(target) * quantum
    plan = decompose(amount, days, start, deadline, quantum=quantum)
    shares, working = Shares(days, None), working_set(start, deadline, calendar)
    assert_fair(plan, target, quantum, shares, working)
    assume(amount / Decimal(deal) <= 10_000)  # the wizard refuses more deals than that
    assert_activities_fair(plan, shares, working, Decimal(deal))


@SETTINGS
@given(window=goal_windows(), target=st.integers(1, 50_000_000), data=st.data())
def test_fixed_month_shares_are_followed_by_revenue_and_activities(
    window: tuple[date, date, WorkCalendar], target: int, data: st.DataObject
) -> None:
    start, deadline, calendar = window
    days = calendar.working_days(start, deadline)
    assume(days)
    per_month: dict[Month, int] = {}
    for day in days:
        per_month[(day.year, day.month)] = per_month.get((day.year, day.month), 0) + 1
    month = data.draw(st.sampled_from(sorted(per_month)))
    fixed = {month: Decimal(data.draw(st.integers(0, 10_000))) / 100}
    assume(len(per_month) > 1 or fixed[month] == 100)
    month_shares = rebalance_shares(per_month, fixed)
    plan = decompose(Decimal(target), days, start, deadline, quantum=Decimal(1), month_shares=month_shares)
    shares, working = Shares(days, month_shares), working_set(start, deadline, calendar)
    assert_fair(plan, target, Decimal(1), shares, working)
    assert_activities_fair(plan, shares, working, Decimal(50_000))
