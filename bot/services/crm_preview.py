"""The preview of an import: its figures, computed against what is stored, without writing anything."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from sqlalchemy.ext.asyncio import AsyncSession

from bot.core.crm.records import ACTIVITY_MEASURES, CrmRecord, DealState
from bot.services.crm_hand_choice import hand_choices, hand_overlaps
from bot.services.crm_plan import latest_versions, plan_import, stored_rows
from bot.storage.repositories.crm_records import CrmRecordRepository


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


async def preview_records(
    session: AsyncSession, *, user_id: int, records: Sequence[CrmRecord], now: datetime
) -> ImportPreview:
    """The preview's figures for importing `records` as `user_id`'s, against what is stored; writes nothing.
    `now` is the moment the preview is for (kept for the contract; the figures do not depend on it)."""
    records = latest_versions(records)
    plan = plan_import(records, await stored_rows(CrmRecordRepository(session), user_id, records))
    won = [r for r in records if r.kind.is_outcome and r.state is DealState.WON]
    activities: dict[str, int] = {}
    for record in records:
        measure = ACTIVITY_MEASURES.get(record.kind)
        if measure is not None:
            activities[measure] = activities.get(measure, 0) + 1
    overlaps = tuple(
        Overlap(day, measure)
        for day, measure in await hand_overlaps(session, user_id=user_id, records=records)
    )
    chosen = await hand_choices(session, user_id)
    days = [record.day for record in records]
    return ImportPreview(
        rows=len(records),
        won=len(won),
        won_total=sum((r.amount or Decimal(0) for r in won), Decimal(0)),
        first_day=min(days, default=None),
        last_day=max(days, default=None),
        activities=activities,
        new=len(plan.new),
        changed=len(plan.replaced) - plan.reversed,
        unchanged=plan.unchanged,
        reversed=plan.reversed,
        overlaps=overlaps,
        choices_needed=tuple(sorted({o.measure for o in overlaps} - chosen.keys())),
    )
