"""The digest's discussion points: each detector, their order, three to five of them, typed values."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from bot.core.calendar_adjustments import adjustments_for
from bot.core.plan import Plan, decompose
from bot.core.progress import PaceStatus
from bot.core.teams.discussion import (
    AheadOfPace,
    ConversionFell,
    DigestFacts,
    LostDeal,
    MemberBehindPace,
    MetricBehind,
    MetricStanding,
    MissedInARow,
    SharedLossReason,
    WeekAgainstTarget,
    conversion_fell_most,
    discussion_points,
    furthest_behind,
    metric_most_behind,
    missed_days_in_a_row,
    shared_loss_reason,
)
from bot.core.teams.rollup import MemberFigures, MemberRow, roll_up
from bot.core.work_calendar import MONDAY_TO_FRIDAY, WorkCalendar

START, DEADLINE = date(2026, 3, 2), date(2026, 3, 27)
THROUGH = date(2026, 3, 13)  # ten working days gone
PLAIN = WorkCalendar(None, MONDAY_TO_FRIDAY)
D = Decimal


def _plan(
    target: int, calendar: WorkCalendar = PLAIN, start: date = START, deadline: date = DEADLINE
) -> Plan:
    return decompose(D(target), calendar.working_days(start, deadline), start, deadline, quantum=D(1))


def _rows(daily: dict[int, int]) -> tuple[MemberRow, ...]:
    """Members with a 2,000 part (100 a working day) who each did `daily[id]` a day."""
    figures = [
        MemberFigures(member, _plan(2000), {day: D(amount) for day in PLAIN.working_days(START, THROUGH)})
        for member, amount in daily.items()
    ]
    return roll_up(_plan(2000 * len(daily)), figures, THROUGH).members


def test_the_member_furthest_behind_their_pace() -> None:
    rows = _rows({1: 100, 2: 85, 3: 60, 4: 70})
    assert furthest_behind(rows) == MemberBehindPace(3, D(40), D(400), PaceStatus.OFF_TRACK)
    assert furthest_behind(_rows({1: 100, 2: 95})) is None  # 5% behind is on track: nothing to discuss


def test_the_metric_most_behind() -> None:
    metrics = [
        MetricStanding("revenue", D(100_000), D(95_000)),  # 5%: fine
        MetricStanding("visits", D(80), D(60)),  # 25%
        MetricStanding("calls", D(400), D(330)),  # 17.5%
        MetricStanding("deals", D(0), D(0)),  # nothing expected yet
    ]
    assert metric_most_behind(metrics) == MetricBehind("visits", D(25), D(80), D(60))
    assert metric_most_behind(metrics[:1]) is None


def test_the_funnel_stage_whose_conversion_fell_most() -> None:
    before = {"calls": 200, "visits": 40, "meetings": 20, "deals": 5}
    now = {"calls": 200, "visits": 38, "meetings": 10, "deals": 3}
    # calls->visits 20% -> 19%; visits->meetings 50% -> 26.3%; meetings->deals 25% -> 30%.
    assert conversion_fell_most(now, before) == ConversionFell("visits", "meetings", D(50), D("26.3"))
    assert conversion_fell_most(before, before) is None
    # Too few visits to tell (3 < 5): 1 of 3 against 2 of 4 is noise, not a fall.
    assert conversion_fell_most({"visits": 3, "meetings": 1}, {"visits": 4, "meetings": 2}) is None


def test_a_deal_lost_for_the_same_reason_by_two_people() -> None:
    losses = [
        LostDeal(1, date(2026, 3, 10), "price"),
        LostDeal(1, date(2026, 3, 11), "price"),
        LostDeal(2, date(2026, 3, 11), "competitor"),
        LostDeal(3, date(2026, 3, 12), " Competitor "),
        LostDeal(4, date(2026, 3, 12), "price"),
        LostDeal(4, date(2026, 3, 12), None),
    ]
    # Both reasons were two people's; price lost more deals.
    assert shared_loss_reason(losses) == SharedLossReason("price", (1, 4), 3)
    assert shared_loss_reason(losses[:3]) is None  # price twice, but by the same person


def test_missed_targets_in_a_row_on_working_days() -> None:
    calendar = WorkCalendar("CN", MONDAY_TO_FRIDAY, adjustments=adjustments_for("CN"))
    # Around China's 2026 Qingming holiday (Apr 4-6, Monday 6 off): the run goes over the weekend and the holiday.
    start, deadline = date(2026, 3, 30), date(2026, 4, 30)
    plan = _plan(1000, calendar, start, deadline)
    days = calendar.working_days(start, deadline)
    assert date(2026, 4, 6) not in days
    hit = {day: plan.for_day(day) for day in days}
    missed = dict(hit) | {date(2026, 4, 2): D(0), date(2026, 4, 3): D(1), date(2026, 4, 7): D(0)}
    assert missed_days_in_a_row(plan, missed, date(2026, 4, 7)) == 3
    assert missed_days_in_a_row(plan, hit, date(2026, 4, 7)) == 0
    assert missed_days_in_a_row(plan, missed, date(2026, 4, 6)) == 2  # the holiday is no working day
    paused = frozenset({date(2026, 4, 3)})
    assert missed_days_in_a_row(plan, missed, date(2026, 4, 7), paused=paused) == 2
    assert missed_days_in_a_row(plan, {}, date(2026, 4, 1)) == 3  # back to the plan's start
    assert missed_days_in_a_row(plan, {}, date(2026, 3, 20)) == 0  # before it


def test_five_points_in_order_of_importance() -> None:
    facts = DigestFacts(
        members=_rows({1: 100, 2: 60, 3: 120}),
        metrics=[MetricStanding("visits", D(80), D(60))],
        funnel_now={"visits": 38, "meetings": 10},
        funnel_before={"visits": 40, "meetings": 20},
        losses=[LostDeal(1, THROUGH, "price"), LostDeal(2, THROUGH, "price")],
        missed_in_a_row={2: 4, 1: 3, 3: 0},
        week=WeekAgainstTarget(D(1400), D(1500)),
    )
    points = discussion_points(facts)
    assert [type(point) for point in points] == [
        MemberBehindPace,
        MetricBehind,
        ConversionFell,
        SharedLossReason,
        MissedInARow,
    ]
    assert points[-1] == MissedInARow(2, 4)  # the longest run


def test_at_least_three_points_when_the_data_holds_them() -> None:
    quiet_week = DigestFacts(
        members=_rows({1: 100, 2: 130}),
        missed_in_a_row={1: 3, 3: 5},
        week=WeekAgainstTarget(D(1150), D(1000)),
    )
    assert discussion_points(quiet_week) == (
        MissedInARow(3, 5),
        WeekAgainstTarget(D(1150), D(1000)),
        AheadOfPace(2, D(30)),
        MissedInARow(1, 3),  # the other runs come after the fillers
    )
    assert discussion_points(quiet_week, min_streak=6) == (
        WeekAgainstTarget(D(1150), D(1000)),
        AheadOfPace(2, D(30)),
    )
    many_misses = DigestFacts(members=(), missed_in_a_row={member: 3 + member for member in range(1, 9)})
    points = discussion_points(many_misses)
    assert points == tuple(MissedInARow(member, 3 + member) for member in (8, 7, 6, 5, 4))
    assert discussion_points(DigestFacts(members=())) == ()  # a team without data


def _missed_by_calendar_walk(
    plan: Plan, actuals: dict[date, Decimal], calendar: WorkCalendar, through: date, paused: frozenset[date]
) -> int:
    """The run counted the plain way: every calendar day back from `through`, working days only."""
    run, day = 0, min(through, plan.deadline)
    while day >= plan.start:
        if calendar.is_working_day(day) and day not in paused:
            target = plan.for_day(day)
            if target <= 0 or actuals.get(day, D(0)) >= target:
                break
            run += 1
        day -= timedelta(days=1)
    return run


@settings(max_examples=150, deadline=None)
@given(
    target=st.integers(1, 400),
    vacation=st.sets(st.integers(0, 90), max_size=15),
    paused_offsets=st.sets(st.integers(0, 90), max_size=10),
    hits=st.dictionaries(st.integers(0, 90), st.integers(0, 30), max_size=60),
    through_offset=st.integers(-10, 100),
)
def test_the_missed_run_walks_the_plans_days_as_the_calendar_would(
    target: int,
    vacation: set[int],
    paused_offsets: set[int],
    hits: dict[int, int],
    through_offset: int,
) -> None:
    # A plan built from the member's calendar (holidays and a vacation in it): walking its days from plan day
    # to plan day counts the same run as walking every calendar day and asking the calendar.
    start, deadline = date(2026, 3, 16), date(2026, 6, 14)
    calendar = WorkCalendar(
        "CN",
        MONDAY_TO_FRIDAY,
        vacations=frozenset(start + timedelta(days=offset) for offset in vacation),
        adjustments=adjustments_for("CN"),
    )
    plan = _plan(target, calendar, start, deadline)
    actuals = {start + timedelta(days=offset): D(amount) for offset, amount in hits.items()}
    paused = frozenset(start + timedelta(days=offset) for offset in paused_offsets)
    through = start + timedelta(days=through_offset)
    assert missed_days_in_a_row(plan, actuals, through, paused=paused) == _missed_by_calendar_walk(
        plan, actuals, calendar, through, paused
    )
