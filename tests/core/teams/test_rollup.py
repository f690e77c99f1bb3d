"""The team roll-up: the team goal's progress and forecast from its members' results, rows by the same
thresholds as a personal goal, and team achieved equal to the members' results inside its window."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from bot.core.plan import Plan, decompose
from bot.core.progress import PaceStatus, measure, standing
from bot.core.teams.rollup import MemberFigures, daily_totals, roll_up, window_target, window_total
from bot.core.work_calendar import MONDAY_TO_FRIDAY, WorkCalendar

# 2026-03-02 (Monday) to 2026-03-27 (Friday): 20 working days.
START, DEADLINE = date(2026, 3, 2), date(2026, 3, 27)
PLAIN = WorkCalendar(None, MONDAY_TO_FRIDAY)


def _plan(
    target: int, calendar: WorkCalendar = PLAIN, start: date = START, deadline: date = DEADLINE
) -> Plan:
    return decompose(
        Decimal(target), calendar.working_days(start, deadline), start, deadline, quantum=Decimal(1)
    )


def _daily(amount: int, first: date, last: date) -> dict[date, Decimal]:
    return {day: Decimal(amount) for day in PLAIN.working_days(first, last)}


def test_a_team_of_three_after_two_weeks() -> None:
    # Team target 4,000 (200 a working day); parts 2,000 / 1,200 / 1,200 (10% over-assigned).
    through = date(2026, 3, 13)  # 10 working days gone
    anna = MemberFigures(1, _plan(2000), _daily(100, START, through))  # on plan
    bo = MemberFigures(2, _plan(1200), _daily(50, START, through))  # 500 of 600 expected: at risk (16.7%)
    cai = MemberFigures(3, _plan(1200), _daily(30, START, through))  # 300 of 600: off track
    newbie = MemberFigures(4, None, {date(2026, 3, 12): Decimal(40)})  # no part yet; results still count
    rollup = roll_up(_plan(4000), [anna, bo, cai, newbie], through)
    assert rollup.achieved == 1000 + 500 + 300 + 40
    assert rollup.target == 4000
    assert rollup.remaining == 4000 - 1840
    assert rollup.progress.expected == 2000
    # 8% short of the team's plan: on track, because the over-assigned parts cover part of the lag.
    assert rollup.progress.status is PaceStatus.ON_TRACK
    assert [row.status for row in rollup.members] == [
        PaceStatus.ON_TRACK,
        PaceStatus.AT_RISK,
        PaceStatus.OFF_TRACK,
        None,
    ]
    assert [row.percent_of_part for row in rollup.members] == [
        Decimal(50),
        Decimal("41.6"),
        Decimal(25),
        None,
    ]
    assert rollup.parts_total == 4400
    assert rollup.progress.forecast is not None  # ten working days with results: enough evidence
    newbie_row = rollup.row_of(4)
    assert newbie_row is not None and newbie_row.achieved == 40 and newbie_row.part == 0
    assert rollup.row_of(99) is None


def test_rows_use_the_personal_goal_rules() -> None:
    through = date(2026, 3, 13)
    plan, paused = _plan(1200), frozenset({date(2026, 3, 3)})
    figures = MemberFigures(1, plan, _daily(50, START, through), paused=paused)
    row = roll_up(_plan(4000), [figures], through).members[0]
    assert row.standing == standing(plan, figures.actuals, through, paused=paused)
    measured = measure(plan, figures.actuals, through, paused=paused)
    assert (row.standing.actual, row.standing.expected, row.standing.percent_done, row.standing.gap) == (
        measured.actual,
        measured.expected,
        measured.percent_done,
        measured.gap,
    )
    # Her paused day expects nothing (540 by now, not 600): 7.4% short is on track, not at risk.
    assert row.status is PaceStatus.ON_TRACK
    unpaused = roll_up(_plan(4000), [MemberFigures(1, plan, figures.actuals)], through).members[0]
    assert unpaused.status is PaceStatus.AT_RISK


def test_results_outside_the_team_window_do_not_count() -> None:
    early = {date(2026, 2, 27): Decimal(500), date(2026, 3, 2): Decimal(10), date(2026, 3, 30): Decimal(700)}
    rollup = roll_up(_plan(4000), [MemberFigures(1, _plan(1000), early)], date(2026, 4, 10))
    assert rollup.achieved == 10
    assert rollup.members[0].achieved == 10
    assert rollup.progress.status is PaceStatus.ENDED


def test_week_window_helpers() -> None:
    plan = _plan(4000)
    assert window_target(plan, date(2026, 3, 9), date(2026, 3, 15)) == 1000  # five working days of 200
    assert window_target(plan, date(2026, 3, 15), date(2026, 3, 9)) == 0
    actuals = _daily(10, START, DEADLINE)
    assert window_total(actuals, date(2026, 3, 9), date(2026, 3, 15)) == 50
    members = [MemberFigures(1, None, actuals), MemberFigures(2, None, actuals)]
    assert daily_totals(members, START, START) == {START: Decimal(20)}


days = st.dates(date(2026, 2, 1), date(2026, 4, 30))
member_results = st.dictionaries(days, st.decimals(0, 10**6, places=2), max_size=40)


@settings(max_examples=150, deadline=None)
@given(
    st.lists(st.tuples(st.one_of(st.none(), st.integers(1, 10**6)), member_results), min_size=1, max_size=8),
    days,
)
def test_team_achieved_is_the_sum_of_members_achieved_in_its_window(
    members: list[tuple[int | None, dict[date, Decimal]]], through: date
) -> None:
    figures = [
        MemberFigures(index, None if part is None else _plan(part), results)
        for index, (part, results) in enumerate(members)
    ]
    rollup = roll_up(_plan(10**6), figures, through)
    last = min(through, DEADLINE)
    expected = sum(
        (amount for _, results in members for day, amount in results.items() if START <= day <= last),
        Decimal(0),
    )
    assert rollup.achieved == expected == sum((row.achieved for row in rollup.members), Decimal(0))
    for row, (part, _) in zip(rollup.members, members, strict=True):
        assert (row.status is None) == (part is None)
