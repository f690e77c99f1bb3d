"""CRM files: CSV and XLSX exports read into CrmRecords (pure: no Telegram, no SQL, no clock).

open_table (bytes -> Table | SheetChoice | FileProblem) -> recognise (Table -> Layout | OTHER_MODULE | None)
-> read_records (Table + Layout or ColumnMapping -> RecordsRead).
"""

from bot.core.crm.files.layouts import Field, Layout, LayoutKey, normalise_header, recognise
from bot.core.crm.files.mapping import ColumnMapping, header_signature
from bot.core.crm.files.opening import open_table
from bot.core.crm.files.problems import (
    FILE_PROBLEM_TEXTS,
    MAX_FILE_BYTES,
    ROW_LIMIT,
    SKIP_REASON_TEXTS,
    FileProblem,
    SkipReason,
)
from bot.core.crm.files.reading import RecordsRead, SkippedRow, read_records
from bot.core.crm.files.tables import SheetChoice, Table
from bot.core.crm.files.values import parse_amount, parse_day

__all__ = [
    "FILE_PROBLEM_TEXTS",
    "MAX_FILE_BYTES",
    "ROW_LIMIT",
    "SKIP_REASON_TEXTS",
    "ColumnMapping",
    "Field",
    "FileProblem",
    "Layout",
    "LayoutKey",
    "RecordsRead",
    "SheetChoice",
    "SkipReason",
    "SkippedRow",
    "Table",
    "header_signature",
    "normalise_header",
    "open_table",
    "parse_amount",
    "parse_day",
    "read_records",
    "recognise",
]
