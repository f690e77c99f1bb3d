"""A team meeting's two scheduled sends: the members' pre-meeting prompt and the managers' digest.

Each send of a `team_meetings` row has its own status, moved by the team-meeting job
(bot/scheduler/team_meetings.py) in the same transaction that records its messages in the outbox:

    planned -> sent      the messages are in the outbox (which sends each at most once)
    planned -> missed    due longer ago than the grace window (the bot was down): never sent late
    planned -> skipped   nobody to send it to (no current member, an archived team)
    planned -> failed    building it raised (a bug, logged): recorded so that one team's fault never
                         stops the other teams' meetings, nor is retried on every tick

A planned meeting whose time the manager changes is moved to the new slot and stays planned.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from enum import StrEnum

from bot.core.lifecycle import Lifecycle


class MeetingSendStatus(StrEnum):
    PLANNED = "planned"
    SENT = "sent"
    MISSED = "missed"
    SKIPPED = "skipped"
    FAILED = "failed"


_S = MeetingSendStatus
MEETING_SENDS: Lifecycle[MeetingSendStatus] = Lifecycle(
    "meeting send",
    initial=_S.PLANNED,
    moves={
        _S.PLANNED: frozenset({_S.SENT, _S.MISSED, _S.SKIPPED, _S.FAILED}),
        _S.SENT: frozenset(),
        _S.MISSED: frozenset(),
        _S.SKIPPED: frozenset(),
        _S.FAILED: frozenset(),
    },
)


def due_send_status(
    due_at: datetime, now: datetime, grace: timedelta, *, recipients: int
) -> MeetingSendStatus:
    """What a planned send due at `due_at` becomes when the job reaches it at `now` (`due_at <= now`)."""
    if now - due_at >= grace:
        return MEETING_SENDS.move(_S.PLANNED, _S.MISSED)
    if recipients == 0:
        return MEETING_SENDS.move(_S.PLANNED, _S.SKIPPED)
    return MEETING_SENDS.move(_S.PLANNED, _S.SENT)
