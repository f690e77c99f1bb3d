from __future__ import annotations

from datetime import date, time

import pytest

from bot.core.plan_inputs import (
    ActivityTarget,
    BlocksError,
    BlocksProblem,
    TimeBlock,
    VacationProblem,
    parse_activity_target,
    parse_time_blocks,
    parse_vacation,
)

TODAY = date(2026, 11, 27)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("20 visits a week", ActivityTarget("visits", 20, "week")),
        ("每周拜访20次", ActivityTarget("visits", 20, "week")),
        ("5 client trainings a month", ActivityTarget("trainings", 5, "month")),
        ("1 industry event a week", ActivityTarget("events", 1, "week")),
        ("每月客户培训五次", ActivityTarget("trainings", 5, "month")),
        ("daily 30 calls", ActivityTarget("calls", 30, "day")),
        ("每天打电话三十个", ActivityTarget("calls", 30, "day")),
        ("10 new customers per month", ActivityTarget("new_customers", 10, "month")),
    ],
)
def test_activity_targets(text: str, expected: ActivityTarget) -> None:
    assert parse_activity_target(text) == expected


@pytest.mark.parametrize(
    "text", ["visits", "20 a week", "every week visit", "100000 visits a day", "0 calls a day", "🚀"]
)
def test_not_activity_targets(text: str) -> None:
    assert parse_activity_target(text) is None


def test_time_blocks_sorted() -> None:
    assert parse_time_blocks("13:00-15:00 calls\n9:00-11:00 client visits") == [
        TimeBlock(time(9), time(11), "client visits"),
        TimeBlock(time(13), time(15), "calls"),
    ]


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("9:00-11:00 visits\n10:00-12:00 calls", BlocksProblem.OVERLAP),
        ("11:00-9:00 x", BlocksProblem.END_BEFORE_START),
        ("visits all day", BlocksProblem.UNREADABLE_LINE),
        ("25:00-26:00 x", BlocksProblem.UNREADABLE_LINE),
        ("\n".join(f"{h}:00-{h}:30 x" for h in range(6, 20)), BlocksProblem.TOO_MANY),
        ("9:00-10:00 " + "x" * 41, BlocksProblem.LABEL_TOO_LONG),
    ],
)
def test_bad_time_blocks(text: str, problem: BlocksProblem) -> None:
    result = parse_time_blocks(text)
    assert isinstance(result, BlocksError) and result.problem is problem


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2026-12-24 to 2026-12-28", (date(2026, 12, 24), date(2026, 12, 28))),
        ("12月24日到28日", (date(2026, 12, 24), date(2026, 12, 28))),
        ("下周一到下周三", (date(2026, 11, 30), date(2026, 12, 2))),
        ("明天", (date(2026, 11, 28), date(2026, 11, 28))),
        ("today", (TODAY, TODAY)),
        ("Dec 24 - Dec 28", (date(2026, 12, 24), date(2026, 12, 28))),
    ],
)
def test_vacations(text: str, expected: tuple[date, date]) -> None:
    assert parse_vacation(text, today=TODAY, lang="zh_CN") == expected


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("2026-12-28 to 2026-12-24", VacationProblem.REVERSED),
        ("12月28日到12月24日", VacationProblem.REVERSED),
        ("2026-11-01 to 2026-11-03", VacationProblem.PAST),
        ("yesterday", VacationProblem.PAST),
        ("2026-12-01 to 2027-03-01", VacationProblem.TOO_LONG),
        ("banana", VacationProblem.UNREADABLE),
        ("", VacationProblem.UNREADABLE),
    ],
)
def test_bad_vacations(text: str, problem: VacationProblem) -> None:
    assert parse_vacation(text, today=TODAY, lang="en") is problem
