"""Nudge rules: milestones, first deal, best week, pace, streaks, caps, text rotation, quiet hours."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest

from bot.core.nudge_pacing import (
    DAILY_CAP,
    NO_REPEAT_DAYS,
    NudgeLevel,
    choose_text,
    kind_allowed,
    may_send,
    send_at,
    text_seed,
    used_within,
)
from bot.core.nudges import (
    MILESTONES,
    STREAK_MILESTONES,
    DayMark,
    NudgeKind,
    Trigger,
    best_week_trigger,
    first_deal_trigger,
    milestone_triggers,
    off_track_trigger,
    pace_recovered_trigger,
    recheck,
    review_streak,
    streak_trigger,
)
from bot.core.progress import PaceStatus
from bot.core.schedule import QuietHours
from tests.auxil.quiet_hours import NO_QUIET_HOURS

SHANGHAI = ZoneInfo("Asia/Shanghai")
NIGHT = QuietHours(time(22), time(8))
TARGET = Decimal(1000)
D = Decimal

# Monday 2026-11-23 .. Sunday 2026-11-29 is ISO week 2026-W48.
MON = date(2026, 11, 23)
FRI = date(2026, 11, 27)

ON, RISK, OFF = PaceStatus.ON_TRACK, PaceStatus.AT_RISK, PaceStatus.OFF_TRACK
A, M, X = DayMark.ANSWERED, DayMark.MISSED, DayMark.EXCUSED


def _json_safe(trigger: Trigger) -> None:
    assert all(isinstance(value, str) for value in trigger.data.values())
    assert json.loads(json.dumps(trigger.data)) == trigger.data


def _days_back(newest: date, marks: str) -> list[tuple[date, DayMark]]:
    """Marks written oldest first ("AAMXA"), the last one on `newest`, one a calendar day."""
    by_letter = {"A": A, "M": M, "X": X}
    start = newest - timedelta(days=len(marks) - 1)
    return [(start + timedelta(days=offset), by_letter[letter]) for offset, letter in enumerate(marks)]


def _working_days(last: date, count: int) -> list[date]:
    """`count` Monday-to-Friday days ending on `last`, oldest first."""
    days: list[date] = []
    day = last
    while len(days) < count:
        if day.isoweekday() <= 5:
            days.append(day)
        day -= timedelta(days=1)
    return days[::-1]


def utc(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=UTC)


def local(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=SHANGHAI)


# --- Trigger ---------------------------------------------------------------------------------------------


def test_trigger_kind_given_as_text_becomes_the_enum() -> None:
    # As a database row has it.
    trigger = Trigger("streak", "streak:3:2026-11-27", {})  # type: ignore[arg-type]
    assert trigger.kind is NudgeKind.STREAK


def test_trigger_refuses_an_unknown_kind() -> None:
    with pytest.raises(ValueError):
        Trigger("confetti", "confetti:1", {})  # type: ignore[arg-type]


# --- milestones ------------------------------------------------------------------------------------------


def test_crossing_50_percent_yields_exactly_one_milestone() -> None:
    triggers = milestone_triggers(12, TARGET, D(400), D(520))
    assert triggers == [
        Trigger(
            NudgeKind.MILESTONE,
            "milestone:12:50",
            {"goal_id": "12", "milestone": "50", "percent": "52.0", "actual": "520", "target": "1000"},
        )
    ]
    _json_safe(triggers[0])


@pytest.mark.parametrize(
    ("before", "after", "milestone"),
    [
        (D(200), D(800), 75),  # 20% -> 80% crosses 25, 50 and 75: one celebration, the highest
        (D(0), D(1000), 100),
        (D(0), D(5000), 100),  # far past the target
        (D(240), D(260), 25),
        (D(249), D(250), 25),  # landing exactly on the milestone counts
        (D("749.99"), D(750), 75),
        (D(999), D(1000), 100),
        (D(-50), D(300), 25),  # from below zero (a refund) still crosses 25
        (D(0), D(510), 50),
    ],
)
def test_milestone_crossings_yield_only_the_highest(before: Decimal, after: Decimal, milestone: int) -> None:
    triggers = milestone_triggers(12, TARGET, before, after)
    assert len(triggers) == 1
    assert triggers[0].key == f"milestone:12:{milestone}"
    assert triggers[0].data["milestone"] == str(milestone)


@pytest.mark.parametrize(
    ("before", "after", "why"),
    [
        (D(600), D(400), "a correction down across 50%"),
        (D(800), D(200), "a correction down across several"),
        (D(500), D(500), "no change"),
        (D(250), D(260), "already at 25%: landing on it was the crossing"),
        (D(260), D(490), "between milestones"),
        (D(0), D("249.99"), "just short of 25%"),
        (D(1000), D(1500), "past 100% already"),
        (D(0), D(0), "nothing yet"),
    ],
)
def test_no_milestone(before: Decimal, after: Decimal, why: str) -> None:
    assert milestone_triggers(12, TARGET, before, after) == [], why


def test_milestone_after_a_correction_has_the_same_key_so_it_is_not_celebrated_twice() -> None:
    first = milestone_triggers(12, TARGET, D(400), D(550))
    assert milestone_triggers(12, TARGET, D(550), D(450)) == []
    again = milestone_triggers(12, TARGET, D(450), D(560))
    assert first[0].key == again[0].key


def test_milestone_percent_is_rounded_down_like_progress() -> None:
    (trigger,) = milestone_triggers(3, D(3), D(0), D(2))
    assert trigger.data["milestone"] == "50"
    assert trigger.data["percent"] == "66.6"


def test_milestone_amounts_never_show_an_exponent() -> None:
    (trigger,) = milestone_triggers(1, D("1E+3"), D(0), D("1E+3"))
    assert trigger.data["target"] == trigger.data["actual"] == "1000"


def test_every_milestone_is_reachable_one_step_at_a_time() -> None:
    keys = [
        trigger.key
        for actual in range(0, 1001, 10)
        for trigger in milestone_triggers(7, TARGET, D(actual), D(actual + 10))
    ]
    assert keys == [f"milestone:7:{milestone}" for milestone in MILESTONES]


@pytest.mark.parametrize("target", [D(0), D(-100)])
def test_milestone_refuses_a_target_that_is_not_positive(target: Decimal) -> None:
    with pytest.raises(ValueError):
        milestone_triggers(12, target, D(0), D(10))


# --- first deal ------------------------------------------------------------------------------------------


def test_first_deal() -> None:
    trigger = first_deal_trigger(12, D(0), D("88.50"))
    assert trigger == Trigger(NudgeKind.FIRST_DEAL, "first_deal:12", {"goal_id": "12", "amount": "88.50"})
    _json_safe(trigger)


@pytest.mark.parametrize(
    ("before", "after", "why"),
    [
        (D(100), D(200), "not the first: there was a result already"),
        (D("0.01"), D(5), "not the first, however small the earlier result"),
        (D(0), D(0), "a zero entry is no deal"),
        (D(0), D(-10), "a refund is no deal"),
        (D(100), D(0), "a correction to zero"),
    ],
)
def test_no_first_deal(before: Decimal, after: Decimal, why: str) -> None:
    assert first_deal_trigger(12, before, after) is None, why


def test_first_deal_corrected_away_and_entered_again_has_the_same_key() -> None:
    first = first_deal_trigger(12, D(0), D(100))
    again = first_deal_trigger(12, D(0), D(120))
    assert first is not None and again is not None
    assert first.key == again.key


# --- best week -------------------------------------------------------------------------------------------


def test_best_week() -> None:
    totals = [("2026-W45", D(300)), ("2026-W46", D(500)), ("2026-W47", D(200)), ("2026-W48", D(501))]
    trigger = best_week_trigger(12, totals)
    assert trigger == Trigger(
        NudgeKind.BEST_WEEK,
        "best_week:12:2026-W48",
        {"goal_id": "12", "week": "2026-W48", "total": "501", "previous_best": "500"},
    )
    assert trigger is not None
    _json_safe(trigger)


@pytest.mark.parametrize(
    ("totals", "why"),
    [
        ([], "nothing at all"),
        ([("2026-W48", D(500))], "the first week has no history"),
        ([("2026-W47", D(100)), ("2026-W48", D(500))], "one earlier week is not enough history"),
        (
            [("2026-W45", D(0)), ("2026-W46", D(0)), ("2026-W47", D(100)), ("2026-W48", D(500))],
            "weeks without results are no history",
        ),
        ([("2026-W46", D(300)), ("2026-W47", D(500)), ("2026-W48", D(500))], "a tie does not beat"),
        ([("2026-W46", D(300)), ("2026-W47", D(500)), ("2026-W48", D(400))], "not the best"),
        ([("2026-W46", D(300)), ("2026-W47", D(500)), ("2026-W48", D(0))], "an empty current week"),
    ],
)
def test_no_best_week(totals: list[tuple[str, Decimal]], why: str) -> None:
    assert best_week_trigger(12, totals) is None, why


def test_best_week_with_exactly_two_earlier_weeks_with_results() -> None:
    totals = [("2026-W45", D(0)), ("2026-W46", D(100)), ("2026-W47", D(200)), ("2026-W48", D(201))]
    trigger = best_week_trigger(12, totals)
    assert trigger is not None
    assert trigger.key == "best_week:12:2026-W48"


def test_best_week_fires_once_a_week_however_often_it_grows() -> None:
    history = [("2026-W46", D(300)), ("2026-W47", D(500))]
    keys = {
        trigger.key
        for total in (D(600), D(700), D(900))
        if (trigger := best_week_trigger(12, [*history, ("2026-W48", total)])) is not None
    }
    assert keys == {"best_week:12:2026-W48"}


# --- pace recovered --------------------------------------------------------------------------------------


@pytest.mark.parametrize("before", [RISK, OFF])
def test_pace_recovered(before: PaceStatus) -> None:
    trigger = pace_recovered_trigger(12, before, ON, FRI)
    assert trigger == Trigger(
        NudgeKind.PACE_RECOVERED,
        "pace_recovered:12:2026-11-27",
        {"goal_id": "12", "previous_status": str(before), "day": "2026-11-27"},
    )


@pytest.mark.parametrize("before", list(PaceStatus))
@pytest.mark.parametrize("after", list(PaceStatus))
def test_pace_recovered_only_from_behind_to_on_track(before: PaceStatus, after: PaceStatus) -> None:
    recovered = before in (RISK, OFF) and after is ON
    assert (pace_recovered_trigger(12, before, after, FRI) is not None) is recovered


def test_pace_statuses_given_as_text() -> None:
    assert pace_recovered_trigger(12, "off_track", "on_track", FRI) is not None  # type: ignore[arg-type]


# --- off track -------------------------------------------------------------------------------------------


def test_off_track_after_exactly_5_working_days() -> None:
    days = _working_days(FRI, 6)  # Friday 2026-11-20, then Monday 23 .. Friday 27
    statuses = [(days[0], RISK), *((day, OFF) for day in days[1:])]
    trigger = off_track_trigger(12, statuses, FRI)
    assert trigger == Trigger(
        NudgeKind.OFF_TRACK,
        "off_track:12:2026-11-27",
        {"goal_id": "12", "working_days": "5", "since": "2026-11-23", "day": "2026-11-27"},
    )
    _json_safe(trigger)


def test_off_track_not_after_4_working_days() -> None:
    days = _working_days(date(2026, 11, 26), 5)
    statuses = [(days[0], ON), *((day, OFF) for day in days[1:])]
    assert off_track_trigger(12, statuses, date(2026, 11, 26)) is None


@pytest.mark.parametrize(
    ("pattern", "fires"),
    [
        ("OOOOO", True),
        ("OOOO", False),
        ("", False),
        ("OOOORO", False),  # an at-risk day ends the run
        ("OOOONO", False),  # so does an on-track day
        ("ROOOOO", True),
        ("OOOOON", False),  # back on track today
        ("OOOOOR", False),
        ("OOOOOOOOOO", True),
    ],
)
def test_off_track_patterns(pattern: str, fires: bool) -> None:
    letter = {"O": OFF, "R": RISK, "N": ON}
    days = _working_days(FRI, len(pattern))
    statuses = [(day, letter[mark]) for day, mark in zip(days, pattern, strict=True)]
    assert (off_track_trigger(12, statuses, FRI) is not None) is fires


def test_off_track_run_that_goes_on_keeps_its_key() -> None:
    """Day 5, 6 and 7 of one run are one occasion; an evaluation skipped on day 5 is caught on day 6."""
    days = _working_days(date(2026, 12, 1), 7)  # Monday 11-23 .. Tuesday 12-01
    keys = {
        trigger.key
        for count in (5, 6, 7)
        if (trigger := off_track_trigger(12, [(day, OFF) for day in days[:count]], days[count - 1]))
    }
    assert keys == {"off_track:12:2026-11-27"}


def test_off_track_a_new_run_is_a_new_occasion() -> None:
    days = _working_days(date(2026, 12, 11), 15)
    marks = [OFF] * 5 + [ON] * 5 + [OFF] * 5
    first = off_track_trigger(12, list(zip(days[:5], marks[:5], strict=True)), days[4])
    second = off_track_trigger(12, list(zip(days, marks, strict=True)), days[-1])
    assert first is not None and second is not None
    assert first.key != second.key
    assert second.key == f"off_track:12:{days[-1].isoformat()}"


def test_off_track_needed_is_configurable() -> None:
    days = _working_days(FRI, 3)
    statuses = [(day, OFF) for day in days]
    assert off_track_trigger(12, statuses, FRI, needed=3) is not None
    assert off_track_trigger(12, statuses, FRI, needed=4) is None


def test_off_track_accepts_statuses_older_than_the_day() -> None:
    assert off_track_trigger(12, [(MON, OFF)], FRI, needed=1) is not None


@pytest.mark.parametrize(
    ("statuses", "day", "needed"),
    [
        ([(MON, OFF)], FRI, 0),
        ([(FRI, OFF), (MON, OFF)], FRI, 1),  # newest first
        ([(MON, OFF), (MON, OFF)], FRI, 1),  # the same day twice
        ([(MON, OFF), (FRI, OFF)], date(2026, 11, 26), 1),  # a status after the day evaluated
    ],
)
def test_off_track_refuses_bad_input(statuses: list[tuple[date, PaceStatus]], day: date, needed: int) -> None:
    with pytest.raises(ValueError):
        off_track_trigger(12, statuses, day, needed=needed)


# --- review streaks --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("marks", "streak", "why"),
    [
        ("", 0, "no history"),
        ("A", 1, "one answer"),
        ("AAAAA", 5, "five in a row"),
        ("AAAAAAA", 7, "a full week"),
        ("M", 0, "a missed day alone is frozen but counts nothing"),
        ("AAMAA", 4, "a missed day with the week's freeze keeps the streak"),
        ("AMAMA", 2, "two missed days in one week break it at the older one"),
        ("AAXXA", 3, "excused days neither count nor break"),
        ("XXXXX", 0, "a week of vacation is no streak"),
        ("AXMXA", 2, "excused around a freeze"),
        ("MMAA", 2, "the second miss of the week ends it"),
        ("AAMM", 0, "two misses on the newest days end it at once"),
    ],
)
def test_review_streak_within_one_week(marks: str, streak: int, why: str) -> None:
    # Ending on Sunday 2026-11-29: up to seven days stay inside ISO week 2026-W48.
    assert review_streak(_days_back(date(2026, 11, 29), marks)) == streak, why


def test_a_missed_day_with_a_freeze_keeps_the_streak() -> None:
    days = [(MON, A), (MON + timedelta(1), A), (MON + timedelta(2), M), (MON + timedelta(3), A), (FRI, A)]
    assert review_streak(days) == 4


def test_two_missed_days_in_one_week_break_the_streak() -> None:
    days = [(MON, A), (MON + timedelta(1), M), (MON + timedelta(2), A), (MON + timedelta(3), M), (FRI, A)]
    assert review_streak(days) == 2


def test_one_freeze_per_iso_week_so_misses_in_two_weeks_are_both_forgiven() -> None:
    # Wednesday 2026-11-18 (W47) and Wednesday 2026-11-25 (W48) missed, everything else answered.
    marks = "AAMAAAAAAMAA"  # Monday 2026-11-16 .. Friday 2026-11-27
    assert review_streak(_days_back(FRI, marks)) == 10


def test_misses_on_sunday_and_monday_fall_in_different_iso_weeks() -> None:
    # Sunday 2026-11-22 is W47, Monday 2026-11-23 is W48: each week spends its own freeze.
    assert review_streak(_days_back(date(2026, 11, 24), "AAMMA")) == 3


def test_iso_weeks_across_the_new_year() -> None:
    # 2026-12-28 .. 2027-01-03 is ISO week 2026-W53: a miss on 12-29 and one on 01-02 are the same week.
    days = _days_back(date(2027, 1, 3), "AMAAAMA")
    assert review_streak(days) == 4


def test_vacation_week_does_not_break_the_streak() -> None:
    marks = "AAAAA" + "XX" + "XXXXXXX" + "AAA"
    assert review_streak(_days_back(date(2026, 12, 9), marks)) == 8


def test_review_streak_accepts_any_order_and_marks_as_text() -> None:
    days = _days_back(FRI, "AAMAA")
    shuffled = [(day, str(mark)) for day, mark in reversed(days)]
    assert review_streak(shuffled) == 4  # type: ignore[arg-type]


def test_review_streak_refuses_a_day_marked_twice() -> None:
    with pytest.raises(ValueError):
        review_streak([(FRI, A), (FRI, M)])


def test_absent_days_are_stepped_over() -> None:
    assert review_streak([(MON, A), (FRI, A)]) == 2


# --- streak milestones -----------------------------------------------------------------------------------


@pytest.mark.parametrize("streak", STREAK_MILESTONES)
def test_streak_milestone(streak: int) -> None:
    trigger = streak_trigger(streak, FRI)
    assert trigger == Trigger(
        NudgeKind.STREAK, f"streak:{streak}:2026-11-27", {"streak": str(streak), "day": "2026-11-27"}
    )


@pytest.mark.parametrize("streak", [0, 1, 2, 4, 6, 8, 13, 15, 29, 31, 99, 101, 365, -3])
def test_no_streak_milestone(streak: int) -> None:
    assert streak_trigger(streak, FRI) is None


def test_streak_rebuilt_after_a_break_is_a_new_occasion() -> None:
    first, again = streak_trigger(3, MON), streak_trigger(3, FRI)
    assert first is not None and again is not None
    assert first.key != again.key


# --- caps and levels -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("level", "sent_today", "allowed"),
    [
        (NudgeLevel.NORMAL, 0, True),
        (NudgeLevel.NORMAL, 1, True),
        (NudgeLevel.NORMAL, 2, False),  # two a day at most
        (NudgeLevel.NORMAL, 3, False),
        (NudgeLevel.FEWER, 0, True),
        (NudgeLevel.FEWER, 1, False),
        (NudgeLevel.OFF, 0, False),
        (NudgeLevel.OFF, 5, False),
    ],
)
def test_may_send(level: NudgeLevel, sent_today: int, allowed: bool) -> None:
    assert may_send(level, sent_today) is allowed


def test_daily_caps() -> None:
    assert DAILY_CAP == {NudgeLevel.NORMAL: 2, NudgeLevel.FEWER: 1, NudgeLevel.OFF: 0}


def test_may_send_refuses_a_negative_count() -> None:
    with pytest.raises(ValueError):
        may_send(NudgeLevel.NORMAL, -1)


def test_levels_given_as_text() -> None:
    assert may_send("fewer", 0) is True  # type: ignore[arg-type]
    assert kind_allowed("fewer", "streak") is False  # type: ignore[arg-type]
    with pytest.raises(ValueError):
        may_send("loud", 0)  # type: ignore[arg-type]


_AT_FEWER = {NudgeKind.MILESTONE, NudgeKind.REWARD_EARNED, NudgeKind.REWARD_ENDED, NudgeKind.OFF_TRACK}


@pytest.mark.parametrize("kind", list(NudgeKind))
@pytest.mark.parametrize("level", list(NudgeLevel))
def test_kind_allowed(level: NudgeLevel, kind: NudgeKind) -> None:
    expected = {NudgeLevel.NORMAL: True, NudgeLevel.FEWER: kind in _AT_FEWER, NudgeLevel.OFF: False}[level]
    assert kind_allowed(level, kind) is expected


# --- text rotation ---------------------------------------------------------------------------------------

TEXTS = [f"milestone.{index}" for index in range(6)]


def test_choose_text_never_returns_a_text_used_recently() -> None:
    for seed in range(500):
        for used_count in range(len(TEXTS)):
            used = set(TEXTS[:used_count])
            chosen = choose_text(TEXTS, used, seed)
            assert chosen in TEXTS
            assert chosen not in used


def test_choose_text_returns_the_only_fresh_text() -> None:
    assert choose_text(TEXTS, set(TEXTS) - {"milestone.4"}, 123) == "milestone.4"


@pytest.mark.parametrize(
    ("candidates", "used"),
    [
        (TEXTS, set(TEXTS)),
        ([], set()),
        (["a"], {"a", "b"}),
    ],
)
def test_choose_text_none_rather_than_a_repeat(candidates: list[str], used: set[str]) -> None:
    assert choose_text(candidates, used, 7) is None


def test_choose_text_is_deterministic_per_seed() -> None:
    for seed in range(200):
        assert choose_text(TEXTS, {"milestone.0"}, seed) == choose_text(TEXTS, {"milestone.0"}, seed)


def test_choose_text_does_not_depend_on_the_candidates_order() -> None:
    for seed in range(200):
        assert choose_text(TEXTS, set(), seed) == choose_text(TEXTS[::-1], set(), seed)


def test_choose_text_keeps_its_pick_when_another_text_becomes_used() -> None:
    """A retry after some other nudge used a text still sends what the first attempt picked."""
    for seed in range(200):
        picked = choose_text(TEXTS, set(), seed)
        others_used = {text for text in TEXTS[:3] if text != picked}
        assert choose_text(TEXTS, others_used, seed) == picked


def test_choose_text_spreads_over_the_candidates() -> None:
    picks = [choose_text(TEXTS, set(), seed) for seed in range(600)]
    counts = {text: picks.count(text) for text in TEXTS}
    assert all(count > 50 for count in counts.values()), counts


def test_seed_and_pick_are_pinned_so_they_agree_across_processes() -> None:
    # blake2b, not the salted builtin hash(): pinned values hold in every process and after a restart.
    seed = text_seed("milestone:12:50")
    assert seed == 5956721945209416498
    assert choose_text(TEXTS, set(), seed) == "milestone.5"
    assert text_seed("milestone:12:75") != seed


NOW = utc(2026, 11, 27, 10)


@pytest.mark.parametrize(
    ("sent_at", "recent"),
    [
        (NOW, True),
        (NOW - timedelta(days=1), True),
        (NOW - timedelta(days=NO_REPEAT_DAYS) + timedelta(seconds=1), True),
        (NOW - timedelta(days=NO_REPEAT_DAYS), False),  # exactly 14 days ago: may be used again
        (NOW - timedelta(days=30), False),
    ],
)
def test_used_within_the_last_14_days(sent_at: datetime, recent: bool) -> None:
    assert (used_within([("milestone.1", sent_at)], NOW) == {"milestone.1"}) is recent


def test_a_text_used_13_days_ago_is_not_chosen_one_used_15_days_ago_may_be() -> None:
    history = [("milestone.0", NOW - timedelta(days=13)), ("milestone.1", NOW - timedelta(days=15))]
    used = used_within(history, NOW)
    assert used == {"milestone.0"}
    for seed in range(100):
        assert choose_text(["milestone.0", "milestone.1"], used, seed) == "milestone.1"


def test_used_within_compares_instants_in_any_zone() -> None:
    sent_in_shanghai = (NOW - timedelta(days=13)).astimezone(SHANGHAI)
    assert used_within([("a", sent_in_shanghai)], NOW.astimezone(SHANGHAI)) == {"a"}


def test_used_within_refuses_a_naive_now() -> None:
    with pytest.raises(ValueError):
        used_within([], datetime(2026, 11, 27, 10))


# --- quiet hours -----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("now", "expected", "why"),
    [
        (local(2026, 11, 27, 15), local(2026, 11, 27, 15), "afternoon: now"),
        (local(2026, 11, 27, 21, 59), local(2026, 11, 27, 21, 59), "just before the quiet hours"),
        (local(2026, 11, 27, 22), local(2026, 11, 28, 8), "at their start: next morning"),
        (local(2026, 11, 27, 23, 30), local(2026, 11, 28, 8), "late evening: next morning"),
        (local(2026, 11, 28, 0, 10), local(2026, 11, 28, 8), "after midnight: this morning"),
        (local(2026, 11, 28, 7, 59), local(2026, 11, 28, 8), "just before the end"),
        (local(2026, 11, 28, 8), local(2026, 11, 28, 8), "at their end: now"),
    ],
)
def test_send_at_in_shanghai(now: datetime, expected: datetime, why: str) -> None:
    assert send_at(now, NIGHT, SHANGHAI) == expected, why


def test_send_at_answers_in_utc_for_a_utc_now() -> None:
    # 15:00 UTC is 23:00 in Shanghai: pushed to 08:00 Shanghai, which is 00:00 UTC.
    sent = send_at(utc(2026, 11, 27, 15), NIGHT, SHANGHAI)
    assert sent == utc(2026, 11, 28, 0)
    assert sent.tzinfo is UTC


def test_send_at_without_quiet_hours_is_now() -> None:
    assert send_at(local(2026, 11, 27, 23), NO_QUIET_HOURS, SHANGHAI) == local(2026, 11, 27, 23)


def test_send_at_refuses_a_naive_now() -> None:
    with pytest.raises(ValueError):
        send_at(datetime(2026, 11, 27, 23), NIGHT, SHANGHAI)


# --- recheck: a result nudge against the results as they are at send time ------------------------------

_MILESTONE = {"goal_id": "1", "milestone": "25", "percent": "30.0", "actual": "3", "target": "10"}


def test_a_milestone_still_crossed_says_the_current_percent() -> None:
    checked = recheck(NudgeKind.MILESTONE, _MILESTONE, {date(2026, 11, 27): Decimal("2.5")})
    assert checked == {**_MILESTONE, "percent": "25.0", "actual": "2.5"}


def test_a_milestone_no_longer_crossed_is_withdrawn() -> None:
    assert recheck(NudgeKind.MILESTONE, _MILESTONE, {date(2026, 11, 27): Decimal(2)}) is None
    assert recheck(NudgeKind.MILESTONE, _MILESTONE, {}) is None


def test_a_first_result_undone_is_withdrawn_and_a_smaller_one_shows_what_is_left() -> None:
    data = {"goal_id": "1", "amount": "3"}
    assert recheck(NudgeKind.FIRST_DEAL, data, {}) is None
    assert recheck(NudgeKind.FIRST_DEAL, data, {date(2026, 11, 27): Decimal(1)}) == {
        "goal_id": "1",
        "amount": "1",
    }
    assert recheck(NudgeKind.FIRST_DEAL, data, {date(2026, 11, 27): Decimal(5)}) == data


def test_a_best_week_must_still_beat_the_earlier_weeks() -> None:
    data = {"goal_id": "1", "week": "2026-W48", "total": "5", "previous_best": "3"}
    earlier = {date(2026, 11, 10): Decimal(2), date(2026, 11, 17): Decimal(3)}
    assert recheck(NudgeKind.BEST_WEEK, data, {**earlier, date(2026, 11, 27): Decimal(4)}) == {
        **data,
        "total": "4",
    }
    assert recheck(NudgeKind.BEST_WEEK, data, {**earlier, date(2026, 11, 27): Decimal(3)}) is None


def test_a_comeback_is_withdrawn_once_the_total_fell_below_what_made_it() -> None:
    data = {"goal_id": "1", "previous_status": "at_risk", "day": "2026-11-27", "actual": "4"}
    assert recheck(NudgeKind.PACE_RECOVERED, data, {date(2026, 11, 27): Decimal(4)}) == data
    assert recheck(NudgeKind.PACE_RECOVERED, data, {date(2026, 11, 27): Decimal(3)}) is None


def test_nudges_about_no_result_and_data_without_figures_are_kept_as_they_are() -> None:
    assert recheck(NudgeKind.STREAK, {"streak": "7"}, {}) == {"streak": "7"}
    assert recheck(NudgeKind.PACE_RECOVERED, {"goal_id": "1"}, {}) == {"goal_id": "1"}
