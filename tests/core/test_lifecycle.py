"""The status lifecycles: the tables of moves and the functions that read them."""

from __future__ import annotations

from typing import Any, TypeAlias

import pytest

from bot.core.lifecycle import Lifecycle, MoveNotAllowed
from bot.core.lifecycle.goals import GOALS, GoalAction, GoalStatus, after_action, is_open
from bot.core.lifecycle.nudges import NUDGES, NudgeStatus, queued_status
from bot.core.lifecycle.prompts import (
    DUE_WHILE_DOWN,
    NO_ACTIVE_GOALS,
    NOT_WANTED,
    PROMPTS,
    OccurrenceStatus,
    excuses_streak,
    may_remind,
    recorded_status,
)
from bot.core.lifecycle.rewards import REWARDS, RewardStatus
from bot.core.schedule import Lateness, PromptKind

P: TypeAlias = OccurrenceStatus
N: TypeAlias = NudgeStatus
R: TypeAlias = RewardStatus
G: TypeAlias = GoalStatus
LIFECYCLES: list[Lifecycle[P] | Lifecycle[N] | Lifecycle[R] | Lifecycle[G]] = [
    PROMPTS,
    NUDGES,
    REWARDS,
    GOALS,
]


@pytest.mark.parametrize("lifecycle", LIFECYCLES, ids=lambda lifecycle: lifecycle.name)
def test_every_status_has_a_row_and_every_move_leads_to_a_known_status(
    lifecycle: Lifecycle[Any],
) -> None:
    statuses = set(type(lifecycle.initial).__members__.values())
    assert set(lifecycle.moves) == statuses
    assert all(follows <= statuses for follows in lifecycle.moves.values())


@pytest.mark.parametrize("lifecycle", LIFECYCLES, ids=lambda lifecycle: lifecycle.name)
def test_every_status_can_be_reached_from_the_start(
    lifecycle: Lifecycle[Any],
) -> None:
    # The statuses a row is created in besides the initial one (the claim's and the queue's choices).
    born: dict[str, set[Any]] = {PROMPTS.name: {P.SKIPPED, P.MISSED}, NUDGES.name: {N.SUPPRESSED}}
    created = born.get(lifecycle.name, set())
    reached, frontier = {lifecycle.initial, *created}, [lifecycle.initial, *created]
    while frontier:
        for new in lifecycle.moves[frontier.pop()]:
            if new not in reached:
                reached.add(new)
                frontier.append(new)
    assert reached == set(type(lifecycle.initial).__members__.values())


def test_a_move_returns_the_new_status_or_refuses() -> None:
    assert PROMPTS.move(P.CLAIMED, P.SENDING) is P.SENDING
    assert PROMPTS.move("claimed", P.SENDING) is P.SENDING  # rows may hold the plain stored string
    assert PROMPTS.next_or_none(P.SENT, P.SENDING) is None
    with pytest.raises(MoveNotAllowed, match="prompt occurrence: sent may not become sending"):
        PROMPTS.move(P.SENT, P.SENDING)
    assert not PROMPTS.allows("no such status", P.SENT)


@pytest.mark.parametrize(
    ("current", "new", "allowed"),
    [
        (P.CLAIMED, P.SENDING, True),
        (P.SENDING, P.SENT, True),
        (P.SENDING, P.CLAIMED, True),  # retry later
        (P.SENDING, P.FAILED, True),
        (P.SENDING, P.UNCONFIRMED, True),
        (P.SNOOZED, P.CLAIMED, True),  # the snooze ended: sent again
        (P.SENT, P.ANSWERED, True),
        (P.SENT, P.SKIPPED, True),
        (P.SENT, P.SNOOZED, True),
        (P.SENDING, P.ANSWERED, True),  # an early tap, before the send's outcome is written
        (P.ANSWERED, P.ANSWERED, True),  # answering again replaces the answers
        (P.SKIPPED, P.ANSWERED, True),  # the "answer" button still works after a skip
        (P.SENT, P.SENDING, False),  # never sent twice
        (P.UNCONFIRMED, P.SENDING, False),  # may have arrived: never repeated
        (P.FAILED, P.CLAIMED, False),
        (P.MISSED, P.SENDING, False),
        (P.SENT, P.SENT, False),
        (P.ANSWERED, P.SENT, False),  # an answer is not undone by a late send outcome
        (P.ANSWERED, P.SKIPPED, False),
        (P.ANSWERED, P.SNOOZED, False),
        (P.SKIPPED, P.SNOOZED, False),
        (P.SKIPPED, P.SKIPPED, False),
    ],
)
def test_prompt_moves(current: P, new: P, allowed: bool) -> None:
    assert PROMPTS.allows(current, new) is allowed


@pytest.mark.parametrize(
    ("kind", "wanted", "active_goal", "lateness", "expected"),
    [
        (PromptKind.DAILY, True, True, Lateness.ON_TIME, (P.CLAIMED, None)),
        (PromptKind.DAILY, True, True, Lateness.CATCH_UP, (P.CLAIMED, None)),
        (PromptKind.DAILY, True, True, Lateness.MISSED, (P.MISSED, DUE_WHILE_DOWN)),
        (PromptKind.DAILY, True, False, Lateness.ON_TIME, (P.SKIPPED, NO_ACTIVE_GOALS)),
        (PromptKind.WEEKLY, True, False, Lateness.ON_TIME, (P.CLAIMED, None)),  # the week is still reviewed
        (PromptKind.DAILY, False, True, Lateness.MISSED, (P.SKIPPED, NOT_WANTED)),
    ],
)
def test_recorded_status(
    kind: PromptKind, wanted: bool, active_goal: bool, lateness: Lateness, expected: tuple[P, str | None]
) -> None:
    assert recorded_status(kind, wanted, active_goal, lateness) == expected


def test_one_reminder_for_a_sent_prompt_only() -> None:
    assert may_remind(P.SENT, reminded=False)
    assert not may_remind(P.SENT, reminded=True)
    assert not any(may_remind(status, reminded=False) for status in P if status is not P.SENT)


def test_only_a_day_without_goals_excuses_a_streak() -> None:
    assert excuses_streak(P.SKIPPED, NO_ACTIVE_GOALS)
    assert not excuses_streak(P.SKIPPED, "skipped by the user")
    assert not excuses_streak(P.MISSED, NO_ACTIVE_GOALS)


@pytest.mark.parametrize(
    ("current", "new", "allowed"),
    [
        (N.PENDING, N.SENDING, True),
        (N.PENDING, N.SUPPRESSED, True),
        (N.SENDING, N.SENT, True),
        (N.SENDING, N.PENDING, True),  # retry in a minute
        (N.SENDING, N.UNCONFIRMED, True),
        (N.SENDING, N.FAILED, True),
        (N.PENDING, N.SENT, False),  # marked sending (and committed) first
        (N.SENT, N.SENDING, False),
        (N.UNCONFIRMED, N.PENDING, False),
        (N.SUPPRESSED, N.PENDING, False),
        (N.PENDING, N.WITHDRAWN, True),  # its result was undone before it went out
        (N.WITHDRAWN, N.PENDING, True),  # the same occasion reached again
        (N.WITHDRAWN, N.SENDING, False),  # back to pending first, then the send rules apply
        (N.SENT, N.WITHDRAWN, False),  # what went out stays sent
        (N.SENDING, N.WITHDRAWN, False),
    ],
)
def test_nudge_moves(current: N, new: N, allowed: bool) -> None:
    assert NUDGES.allows(current, new) is allowed


def test_a_nudge_without_a_fresh_text_is_queued_suppressed() -> None:
    assert queued_status("streak_7_a") == (N.PENDING, None)
    assert queued_status(None) == (N.SUPPRESSED, "every text used lately")


def test_reward_moves() -> None:
    assert REWARDS.initial is R.ACTIVE
    assert REWARDS.move(R.ACTIVE, R.EARNED) is R.EARNED
    assert REWARDS.move("active", R.ENDED) is R.ENDED
    assert not any(REWARDS.allows(R.ENDED, new) for new in R)
    # An earned reward only reopens, when the result that earned it was undone before it was celebrated.
    assert [new for new in R if REWARDS.allows(R.EARNED, new)] == [R.ACTIVE]


@pytest.mark.parametrize(
    ("current", "action", "expected"),
    [
        (G.ACTIVE, GoalAction.PAUSE, G.PAUSED),
        (G.PAUSED, GoalAction.PAUSE, None),
        (G.PAUSED, GoalAction.RESUME, G.ACTIVE),
        (G.ACTIVE, GoalAction.RESUME, None),
        (G.ACTIVE, GoalAction.ACHIEVED, G.ACHIEVED),
        (G.PAUSED, GoalAction.ABANDON, G.ABANDONED),
        (G.ACHIEVED, GoalAction.ABANDON, None),
        (G.ACHIEVED, GoalAction.DELETE, G.DELETED),
        (G.ABANDONED, GoalAction.DELETE, G.DELETED),
        (G.ACHIEVED, GoalAction.RESUME, None),
        (G.DELETED, GoalAction.DELETE, None),
        (G.DELETED, GoalAction.RESUME, None),
    ],
)
def test_goal_card_actions(current: G, action: GoalAction, expected: G | None) -> None:
    assert after_action(current, action) == expected


def test_open_goals_are_active_or_paused() -> None:
    assert [status for status in G if is_open(status)] == [G.ACTIVE, G.PAUSED]
    assert G.OPEN == ("active", "paused")
    assert GOALS.initial is G.ACTIVE


def test_statuses_are_the_strings_stored_before_the_enums() -> None:
    # No migration: the rows keep the strings they held.
    assert {s.value for s in P} == {"claimed", "sending", "sent", "answered", "snoozed", "skipped", "missed",
                                    "failed", "unconfirmed"}  # fmt: skip
    # "withdrawn" is new (issue 11) and fits the same VARCHAR(16): no migration either.
    assert {s.value for s in N} == {"pending", "sending", "sent", "suppressed", "failed", "unconfirmed",
                                    "withdrawn"}  # fmt: skip
    assert {s.value for s in R} == {"active", "earned", "ended"}
    assert {s.value for s in G} == {"active", "paused", "achieved", "abandoned", "deleted"}
