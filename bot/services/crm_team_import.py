"""A manager's team export: records split by CRM owner, matched to the team's members by the mapping the
manager confirmed (kept in crm_owner_links), each member's written as theirs and each member told once."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal

from sqlalchemy.ext.asyncio import AsyncSession

from bot.core.crm.records import CrmRecord
from bot.services.crm_import import FILE, ImportOutcome


def owner_key(name: str) -> str:
    """An owner name as it is matched: case- and space-insensitive ("Li  Wei" is "liwei")."""
    return "".join(name.split()).casefold()


@dataclass(frozen=True, slots=True)
class MemberImport:
    """One member's share of a team import."""

    member_id: int
    outcome: ImportOutcome
    won: int  # won deals and orders among their records
    won_total: Decimal


@dataclass(frozen=True, slots=True)
class TeamImportOutcome:
    members: tuple[MemberImport, ...]
    ignored: int  # records whose owner the manager chose to ignore, or that no mapping names
    unmapped_owners: tuple[str, ...]  # owner names the mapping does not name (their records are not written)
    # Members the mapping names who have no consenting seat in the team now: nothing written for them.
    refused_members: tuple[int, ...] = field(default=())


async def propose_owner_mapping(
    session: AsyncSession, *, team_id: int, owners: Sequence[str]
) -> dict[str, int | None]:
    """For the manager's dialog: each owner name -> a member id (the link confirmed before, else the member
    whose name matches case- and space-insensitively), or None (no match, or ignored before)."""
    raise NotImplementedError


async def write_team_records(
    session: AsyncSession,
    *,
    team_id: int,
    manager_id: int,
    records: Sequence[CrmRecord],
    owner_members: Mapping[str, int | None],
    now: datetime,
    origin: str = FILE,
    source_name: str | None = None,
    default_language: str = "en",
) -> TeamImportOutcome:
    """Split `records` by owner with `owner_members` (owner name -> member id, None to ignore; kept for next
    time), write each consenting member's as theirs (imported by the manager) and tell each member once,
    through the outbox, in the caller's transaction."""
    raise NotImplementedError
