"""The teams domain's status tables, seen here so the house rule (statuses change only through their
lifecycle; tests/test_structure.py) covers them like every other status."""

from bot.core.teams.lifecycles import (
    MEMBERSHIPS,
    PARTS,
    SPLITS,
    TEAMS,
    MembershipStatus,
    PartStatus,
    SplitStatus,
    TeamStatus,
)

__all__ = [
    "MEMBERSHIPS",
    "PARTS",
    "SPLITS",
    "TEAMS",
    "MembershipStatus",
    "PartStatus",
    "SplitStatus",
    "TeamStatus",
]
