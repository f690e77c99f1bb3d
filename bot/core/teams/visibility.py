"""Who sees what of a member: what joining a team consents to, and what stays the member's own.

Joining consents to the team's managers (the manager and the co-managers) seeing the member's goals,
results, review ratings and streak. Free-text reflections (setbacks, lessons, notes) stay private: each one
reaches the managers only when the member shares that one. Other members see the team's totals and their
own row, never a colleague's row (the leaderboard, which members join on purpose, shows percentages only).
"""

from __future__ import annotations

from enum import StrEnum

from bot.core.teams.roles import Role, Seat, TeamAction, may


class Shared(StrEnum):
    """What joining a team lets its managers see; the consent screen lists exactly these."""

    GOALS = "goals"
    RESULTS = "results"
    REVIEW_RATINGS = "review_ratings"
    STREAK = "streak"


class Private(StrEnum):
    """What a member writes in their own words: seen by managers only item by item, when shared."""

    SETBACKS = "setbacks"
    LESSONS = "lessons"
    NOTES = "notes"


CONSENTED: frozenset[Shared] = frozenset(Shared)
MANAGING_ROLES = frozenset({Role.MANAGER, Role.CO_MANAGER})


def sees_member_row(viewer: Seat, member_id: int) -> bool:
    """Whether `viewer` may see the member's row (goals, results, ratings, streak): managers, or oneself."""
    if not viewer.current:
        return False
    return viewer.member_id == member_id or may(viewer, TeamAction.SEE_ALL_ROWS)


def sees_reflection(viewer: Seat, author_id: int, *, shared: bool) -> bool:
    """Whether `viewer` may read a reflection by `author_id`: its author always, the managers once shared."""
    if viewer.member_id == author_id:
        return True
    return shared and viewer.current and viewer.role in MANAGING_ROLES
