from __future__ import annotations

from datetime import time

import pytest

from bot.core.times_of_day import parse_time_of_day, parse_time_range, parse_weekly_slot, parse_working_days


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("18:00", time(18)),
        ("6pm", time(18)),
        ("6:30 p.m.", time(18, 30)),
        ("18点", time(18)),
        ("下午6点半", time(18, 30)),
        ("晚上十点", time(22)),
        ("上午9点15分", time(9, 15)),
        ("18h30", time(18, 30)),
        ("18：30", time(18, 30)),
        ("12am", time(0)),
        ("12pm", time(12)),
        ("0:00", time(0)),
        ("7", time(7)),
        ("17.30", time(17, 30)),
        ("九点一刻", time(9, 15)),
    ],
)
def test_times_of_day(text: str, expected: time) -> None:
    assert parse_time_of_day(text) == expected


@pytest.mark.parametrize("text", ["25:99", "24:00", "13pm", "abc", "", "🚀", "99", "x" * 5000, "18:60"])
def test_not_times(text: str) -> None:
    assert parse_time_of_day(text) is None


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Friday 17:00", (5, time(17))),
        ("fri 5pm", (5, time(17))),
        ("周五 下午5点", (5, time(17))),
        ("星期六 10:00", (6, time(10))),
        ("Monday 9am", (1, time(9))),
        ("周日 20:00", (7, time(20))),
    ],
)
def test_weekly_slots(text: str, expected: tuple[int, time]) -> None:
    assert parse_weekly_slot(text) == expected


@pytest.mark.parametrize("text", ["周五", "Blursday 17:00", "17:00", ""])
def test_not_weekly_slots(text: str) -> None:
    assert parse_weekly_slot(text) is None


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("1-5", {1, 2, 3, 4, 5}),
        ("Mon-Fri", {1, 2, 3, 4, 5}),
        ("周一至周五", {1, 2, 3, 4, 5}),
        ("周一到周六", {1, 2, 3, 4, 5, 6}),
        ("1,2,3,4,5,6", {1, 2, 3, 4, 5, 6}),
        ("mon, wed, fri", {1, 3, 5}),
    ],
)
def test_working_days(text: str, expected: set[int]) -> None:
    assert parse_working_days(text) == frozenset(expected)


@pytest.mark.parametrize("text", ["5-1", "", "every day", "8-9"])
def test_not_working_days(text: str) -> None:
    assert parse_working_days(text) is None


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("22:00-08:00", (time(22), time(8))),
        ("晚上10点到早上8点", (time(22), time(8))),
        ("21:30 to 7:00", (time(21, 30), time(7))),
    ],
)
def test_time_ranges(text: str, expected: tuple[time, time]) -> None:
    assert parse_time_range(text) == expected


@pytest.mark.parametrize("text", ["22:00-22:00", "22:00", "late-early"])
def test_not_time_ranges(text: str) -> None:
    assert parse_time_range(text) is None
