"""A Table read into CrmRecords, through a recognised Layout or a ColumnMapping; bad rows skipped, counted."""

from __future__ import annotations

from dataclasses import dataclass
from zoneinfo import ZoneInfo

from bot.core.crm.files.layouts import Layout
from bot.core.crm.files.mapping import ColumnMapping
from bot.core.crm.files.problems import SkipReason
from bot.core.crm.files.tables import Table
from bot.core.crm.records import CrmRecord


@dataclass(frozen=True, slots=True)
class SkippedRow:
    row: int  # the spreadsheet's row number, header = 1
    reason: SkipReason


@dataclass(frozen=True, slots=True)
class RecordsRead:
    records: tuple[CrmRecord, ...]
    skipped: tuple[SkippedRow, ...]
    rows: int  # data rows read: len(records) + len(skipped)


def read_records(table: Table, reading: Layout | ColumnMapping, *, zone: ZoneInfo) -> RecordsRead:
    """One CrmRecord per data row of `table`, or a SkippedRow saying why not."""
    raise NotImplementedError
