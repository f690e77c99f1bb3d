"""What an import would do to each record against what is stored: new, changed, reversed or unchanged.
The preview shows it, the write carries it out."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from bot.core.crm.records import CrmRecord
from bot.services.crm_results import counted_now
from bot.storage.crm_models import CrmRecordRow
from bot.storage.repositories.crm_records import CrmRecordRepository


def latest_versions(records: Sequence[CrmRecord]) -> list[CrmRecord]:
    """One record per (system, record id): the last one given (a file or a sync page may repeat one)."""
    latest: dict[tuple[str, str], CrmRecord] = {}
    for record in records:
        latest.pop((record.system, record.record_id), None)
        latest[(record.system, record.record_id)] = record
    return list(latest.values())


async def stored_rows(
    repository: CrmRecordRepository, user_id: int, records: Sequence[CrmRecord]
) -> dict[tuple[str, str], CrmRecordRow]:
    """The user's stored rows of `records`, by (system, record id)."""
    by_system: dict[str, list[str]] = {}
    for record in records:
        by_system.setdefault(record.system, []).append(record.record_id)
    found: dict[tuple[str, str], CrmRecordRow] = {}
    for system, record_ids in by_system.items():
        rows = await repository.of_ids(user_id, system, record_ids)
        found.update(((system, record_id), row) for record_id, row in rows.items())
    return found


@dataclass
class ImportPlan:
    """What an import does to each record, before anything is written."""

    new: list[CrmRecord] = field(default_factory=list)
    # Changed or reversed: (the stored row, the new version, whether it takes the row's results back).
    replaced: list[tuple[CrmRecordRow, CrmRecord, bool]] = field(default_factory=list)
    unchanged: int = 0

    @property
    def reversed(self) -> int:
        return sum(reversal for _, _, reversal in self.replaced)


def plan_import(records: Sequence[CrmRecord], stored: Mapping[tuple[str, str], CrmRecordRow]) -> ImportPlan:
    plan = ImportPlan()
    for record in records:
        row = stored.get((record.system, record.record_id))
        if row is None:
            plan.new.append(record)
        elif row.removed_at is None and row.fingerprint == record.fingerprint:
            plan.unchanged += 1
        else:
            plan.replaced.append((row, record, is_reversal(row, record)))
    return plan


def is_reversal(row: CrmRecordRow, record: CrmRecord) -> bool:
    """Whether the new version takes the stored row's results back (a deal that left "won")."""
    return counted_now(row) and not record.counts
