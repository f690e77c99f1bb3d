"""A review prompt occurrence's life, from the due schedule row to the user's answer.

due schedule -> claimed | skipped | missed          (recorded_status: the row is written)
claimed   -> sending                                (a send starts; committed before it leaves)
sending   -> sent | claimed (retry later) | failed | unconfirmed (may have arrived: never repeated)
sent      -> (one gentle reminder: `may_remind`; the status stays sent)
snoozed   -> claimed                                (the snooze ended: it is sent again)
any open  -> answered | skipped | snoozed           (the user's buttons, also on an old message)
answered  -> answered                               (answering again replaces the earlier answers)
skipped   -> answered                               (the prompt's "answer" button still works)

A goal-less user's daily review is recorded skipped ("no active goals"); beside it, at most once a
week, a set-a-goal prompt (kind GOAL_INVITE) is recorded claimed and sent like any prompt, exactly once.
"""

from __future__ import annotations

from enum import StrEnum

from bot.core.lifecycle import Lifecycle
from bot.core.schedule import Lateness, PromptKind


class OccurrenceStatus(StrEnum):
    CLAIMED = "claimed"  # recorded, waiting for its send (by `worker`, or by anyone once the lease ends)
    SENDING = "sending"  # the send is under way
    SENT = "sent"
    ANSWERED = "answered"
    SNOOZED = "snoozed"
    SKIPPED = "skipped"  # by the user ("skip today") or by the bot (no open goals, paused)
    MISSED = "missed"  # due while the bot was down for longer than the grace window
    FAILED = "failed"
    UNCONFIRMED = "unconfirmed"  # the process stopped during the send: never repeated


_S = OccurrenceStatus
# What the user's buttons may do from a status (the prompt's message may be old: a snoozed prompt
# sent again, or one whose send outcome is not written yet).
_BY_THE_USER = frozenset({_S.ANSWERED, _S.SKIPPED, _S.SNOOZED})

PROMPTS: Lifecycle[OccurrenceStatus] = Lifecycle(
    "prompt occurrence",
    initial=_S.CLAIMED,
    moves={
        _S.CLAIMED: frozenset({_S.SENDING, _S.SKIPPED}) | _BY_THE_USER,
        _S.SENDING: frozenset({_S.SENT, _S.CLAIMED, _S.FAILED, _S.UNCONFIRMED}) | _BY_THE_USER,
        _S.SENT: _BY_THE_USER,
        _S.SNOOZED: frozenset({_S.CLAIMED}) | _BY_THE_USER,
        _S.MISSED: _BY_THE_USER,
        _S.FAILED: _BY_THE_USER,
        _S.UNCONFIRMED: _BY_THE_USER,
        _S.ANSWERED: frozenset({_S.ANSWERED}),
        _S.SKIPPED: frozenset({_S.ANSWERED}),
    },
)

# Reasons written beside a status the bot chose (the user reads none of them; logs and tests do).
NOT_WANTED = "prompts paused or user inactive"
NO_ACTIVE_GOALS = "no active goals"
DUE_WHILE_DOWN = "due while the bot was down"
STOPPED_DURING_SEND = "the process stopped during the send"
SKIPPED_BY_USER = "skipped by the user"

# The set-a-goal prompt's kind: written beside a goal-less user's skipped daily review, its own row
# (unique per user and day like every occurrence) so that it is sent exactly once and never reminded.
GOAL_INVITE = "goal_invite"
GOAL_INVITE_EVERY_DAYS = 7  # at most one set-a-goal prompt in this many days
# What a prompt typed under is still waiting for: sent (reminded or not), snoozed, or maybe arrived.
AWAITING_ANSWER = frozenset({_S.SENT, _S.SNOOZED, _S.UNCONFIRMED})


def recorded_status(
    kind: str, wants_prompts: bool, has_active_goal: bool, lateness: Lateness
) -> tuple[OccurrenceStatus, str | None]:
    """What a due schedule's occurrence is recorded as, and why when it is not sent."""
    if not wants_prompts:
        return _S.SKIPPED, NOT_WANTED
    if kind == PromptKind.DAILY and not has_active_goal:
        return _S.SKIPPED, NO_ACTIVE_GOALS
    if lateness is Lateness.MISSED:
        return _S.MISSED, DUE_WHILE_DOWN
    return PROMPTS.initial, None


def goal_invite_status(
    kind: str, wants_prompts: bool, has_active_goal: bool, lateness: Lateness, invited_recently: bool
) -> OccurrenceStatus | None:
    """The status of a set-a-goal prompt recorded beside this due occurrence, or None for no prompt:
    only for a daily review skipped for want of a goal, on time, and none sent in the last week."""
    if kind != PromptKind.DAILY or not wants_prompts or has_active_goal:
        return None
    if lateness is Lateness.MISSED or invited_recently:
        return None
    return PROMPTS.initial


def may_remind(status: str, reminded: bool) -> bool:
    """One gentle reminder, only for a prompt that was sent and is still unanswered."""
    return status == _S.SENT and not reminded


def excuses_streak(status: str, reason: str | None) -> bool:
    """A daily prompt the bot skipped because no goal was active does not break a review streak."""
    return status == _S.SKIPPED and reason == NO_ACTIVE_GOALS
