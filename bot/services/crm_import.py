"""What an import writes: CRM records land in crm_records, and the results they bring (entries for the
user's goals, activity logs) are derived from them, so a record counts once however often it arrives.

A record with an unchanged fingerprint changes nothing; a changed one replaces its results; one that left
"won" (or that the CRM deleted) has its results reversed; every change of results is audited in
entry_audit. Everything runs in the caller's transaction: an import lands whole or not at all.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal

from sqlalchemy.ext.asyncio import AsyncSession

from bot.core.crm.records import CrmRecord, CrmSystem

FILE = "file"
API = "api"
CRM = "crm"  # Entry.source / ActivityLog.source of an imported result


@dataclass(frozen=True, slots=True)
class Overlap:
    """A day and a measure where the user logged results by hand and the import brings results too."""

    day: date
    measure: str  # bot.core.report_items.Measure value: "revenue", "deals", "calls", "meetings", "visits"


@dataclass(frozen=True, slots=True)
class ImportPreview:
    """What an import would do, computed without writing anything."""

    rows: int  # records given
    won: int  # won deals and orders
    won_total: Decimal  # their amounts
    first_day: date | None
    last_day: date | None
    activities: Mapping[str, int]  # activity measure -> records counted ("calls": 12)
    new: int
    changed: int
    unchanged: int
    reversed: int  # records stored as results that this import takes back (left won)
    overlaps: tuple[Overlap, ...]
    # Measures among the overlaps the user has not chosen for yet (bot.services.crm_hand_choice): ask them.
    choices_needed: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class ImportOutcome:
    """What an import changed: records added, changed (results replaced), reversed, left as they were."""

    added: int
    changed: int
    reversed: int
    unchanged: int
    import_id: int
    replaced_hand: int = 0  # hand-logged results that stopped counting (the user chose the CRM)
    # Goal ids whose progress changed, for a caller that reports it.
    goal_ids: frozenset[int] = field(default_factory=frozenset)


async def preview_records(
    session: AsyncSession, *, user_id: int, records: Sequence[CrmRecord], now: datetime
) -> ImportPreview:
    """The preview's figures for importing `records` as `user_id`'s, against what is stored; writes nothing."""
    raise NotImplementedError


async def write_records(
    session: AsyncSession,
    *,
    user_id: int,
    records: Sequence[CrmRecord],
    imported_by: int,
    now: datetime,
    origin: str,
    source_name: str | None = None,
    system: CrmSystem | None = None,
    team_id: int | None = None,
) -> ImportOutcome:
    """Land `records` as `user_id`'s and derive their results, in the caller's transaction. `origin` is
    FILE or API; `source_name` the file's name or the connection; `system` defaults to the records' own."""
    raise NotImplementedError


async def remove_records(
    session: AsyncSession, *, user_id: int, system: CrmSystem, record_ids: Sequence[str], now: datetime
) -> int:
    """The CRM deleted these records: their results are reversed (audited), the rows stay marked removed.
    How many had results to reverse or were not yet removed."""
    raise NotImplementedError
