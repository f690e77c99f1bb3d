"""An export as files: an XLSX workbook (openpyxl, write-only: rows stream out, so a long history stays
small in memory) and the same sheets as CSV files in a zip (the standard library).

An `ExportBook` is plain data (JSON through a TypeAdapter): the turn that decides an export stores it in
the outbox as what makes the files, and the files are made when they are sent, off the event loop, as a
chart is drawn (bot/telegram/render.py): making a workbook takes far longer than reading the rows, and
inside the turn it would hold the database's write lock. Each cell is kept as canonical text and its
column says what it is, so it comes back from JSON as it went in; the files then hold real cells: dates
as date cells, amounts as numbers.

Text that a spreadsheet would run as a formula (OWASP's CSV injection: a leading =, +, -, @, tab or
carriage return) is neutralised: in the workbook it is a string cell with the quote prefix, never a
formula; in a CSV it gets a leading apostrophe. CSVs are UTF-8 with a byte-order mark, so Excel reads
Chinese correctly.
"""

from __future__ import annotations

import csv
import io
import zipfile
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from enum import StrEnum
from typing import Any

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

# What makes a spreadsheet read a cell as a formula (https://owasp.org/www-community/attacks/CSV_Injection).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
CSV_ENCODING = "utf-8-sig"  # UTF-8 with BOM: Excel reads it as UTF-8, not as the machine's code page
# Excel's rules for a sheet's name: at most 31 characters, none of these.
_SHEET_NAME_LENGTH = 31
_SHEET_NAME_FORBIDDEN = str.maketrans(dict.fromkeys("[]:*?/\\", " "))


class CellKind(StrEnum):
    TEXT = "text"
    NUMBER = "number"  # an amount or a count: Decimal text ("50000.00")
    DATE = "date"  # ISO ("2026-11-27")
    DATETIME = "datetime"  # ISO, in the reader's zone, without an offset (Excel has none)


_WIDTHS = {CellKind.TEXT: 32, CellKind.NUMBER: 14, CellKind.DATE: 12, CellKind.DATETIME: 18}


@dataclass(frozen=True, slots=True)
class Column:
    header: str  # already in the reader's language
    kind: CellKind = CellKind.TEXT


@dataclass(frozen=True, slots=True)
class Sheet:
    """One kind of data: a sheet of the workbook, a CSV file of the zip. Cells as `cell_text` makes them."""

    name: str  # the sheet's tab, in the reader's language
    file_stem: str  # the CSV's name in the zip, ASCII (goals -> goals.csv), so every unzip tool reads it
    description: str  # what it holds, for the About sheet
    columns: tuple[Column, ...]
    rows: list[tuple[str | None, ...]] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class AboutLine:
    label: str
    value: str | None
    kind: CellKind = CellKind.TEXT


@dataclass(frozen=True, slots=True)
class ExportBook:
    """Everything one export holds: the About sheet (who, when, what each sheet is) and the data sheets."""

    about_name: str
    about_headers: tuple[str, str]
    about: list[AboutLine]
    sheets: list[Sheet]

    @property
    def row_count(self) -> int:
        return sum(len(sheet.rows) for sheet in self.sheets)

    def size_estimate(self, bytes_per_cell: int) -> int:
        """About how big the bigger file gets, at most: every cell's UTF-8 text plus `bytes_per_cell` of
        markup (both files are compressed: they come out smaller)."""
        size = 0
        for sheet in self.sheets:
            for row in sheet.rows:
                size += sum(len(text.encode()) for text in row if text is not None) + bytes_per_cell * len(
                    row
                )
        return size


def cell_text(value: str | Decimal | int | date | datetime | None) -> str | None:
    """A value as the canonical text a cell is kept as (datetimes already in the reader's zone)."""
    if value is None or isinstance(value, str):
        return None if value is None else str(value)  # a StrEnum as its plain value
    if isinstance(value, datetime):
        return value.replace(tzinfo=None).isoformat(sep=" ", timespec="seconds")
    if isinstance(value, date):
        return value.isoformat()
    return str(value) if isinstance(value, int) else format(value, "f")  # 50000, never 5E+4


def typed_value(text: str | None, kind: CellKind) -> str | Decimal | date | datetime | None:
    """A kept cell as the value its column says it is."""
    if text is None or kind is CellKind.TEXT:
        return text
    if kind is CellKind.NUMBER:
        return Decimal(text)
    return date.fromisoformat(text) if kind is CellKind.DATE else datetime.fromisoformat(text)


def is_formula_like(text: str) -> bool:
    return text.startswith(FORMULA_STARTS)


def neutralised(text: str) -> str:
    """`text` as a CSV cell no spreadsheet runs: a leading apostrophe before a formula's first character."""
    return "'" + text if is_formula_like(text) else text


def _clean(text: str) -> str:
    """Without the control characters XML (and so XLSX) cannot hold."""
    return str(ILLEGAL_CHARACTERS_RE.sub("", text))


def sheet_name(name: str, taken: set[str]) -> str:
    """`name` as Excel takes it (31 characters, no []:*?/\\), unique among `taken` (case-insensitively)."""
    base = name.translate(_SHEET_NAME_FORBIDDEN).strip()[:_SHEET_NAME_LENGTH] or "Sheet"
    candidate, number = base, 1
    while candidate.lower() in taken:
        number += 1
        suffix = f" ({number})"
        candidate = base[: _SHEET_NAME_LENGTH - len(suffix)] + suffix
    taken.add(candidate.lower())
    return candidate


# The workbook ------------------------------------------------------------------------------------


class _SheetWriter:
    """Rows into one write-only sheet. Plain values are written as they are (openpyxl gives dates their
    number format itself); only formula-like text needs a cell object of its own."""

    def __init__(
        self, workbook: Workbook, name: str, headers: Sequence[str], kinds: Sequence[CellKind]
    ) -> None:
        self.sheet = workbook.create_sheet(name)
        for index, kind in enumerate(kinds, start=1):
            self.sheet.column_dimensions[get_column_letter(index)].width = _WIDTHS[kind]
        self.sheet.freeze_panes = "A2"
        bold = Font(bold=True)
        cells = []
        for header in headers:
            cell = WriteOnlyCell(self.sheet, value=_clean(header))
            cell.data_type, cell.font = "s", bold
            cells.append(cell)
        self.sheet.append(cells)

    def cell(self, text: str | None, kind: CellKind) -> Any:
        if text is None or kind is not CellKind.TEXT:
            return typed_value(text, kind)
        text = _clean(text)
        if not is_formula_like(text):
            return text
        cell = WriteOnlyCell(self.sheet, value=text)
        cell.data_type = "s"  # openpyxl would store "=..." as a formula
        cell.quotePrefix = True  # and Excel keeps it text when the cell is edited
        return cell

    def append(self, row: Sequence[Any]) -> None:
        self.sheet.append(row)


def workbook_bytes(book: ExportBook) -> bytes:
    """The export as an XLSX workbook: the About sheet first, then one sheet per kind of data."""
    workbook = Workbook(write_only=True)
    taken: set[str] = set()
    about_kinds = (CellKind.TEXT, CellKind.TEXT)
    about = _SheetWriter(workbook, sheet_name(book.about_name, taken), book.about_headers, about_kinds)
    for line in book.about:
        about.append([about.cell(line.label, CellKind.TEXT), about.cell(line.value, line.kind)])
    for sheet in book.sheets:
        kinds = tuple(column.kind for column in sheet.columns)
        headers = [column.header for column in sheet.columns]
        writer = _SheetWriter(workbook, sheet_name(sheet.name, taken), headers, kinds)
        for row in sheet.rows:
            writer.append([writer.cell(text, kind) for text, kind in zip(row, kinds, strict=True)])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


# The CSV zip -------------------------------------------------------------------------------------


def _csv_cell(text: str | None, kind: CellKind) -> str:
    if text is None:
        return ""
    return neutralised(text) if kind is CellKind.TEXT else text


def _csv_bytes(headers: Sequence[str], rows: Iterator[list[str]]) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer)  # RFC 4180: quoted where needed, CRLF line ends
    writer.writerow([neutralised(header) for header in headers])
    writer.writerows(rows)
    return buffer.getvalue().encode(CSV_ENCODING)


def csv_zip_bytes(book: ExportBook) -> bytes:
    """The export as a zip of CSV files: about.csv, then one file per kind of data."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        about = (
            [_csv_cell(line.label, CellKind.TEXT), _csv_cell(line.value, line.kind)] for line in book.about
        )
        archive.writestr("about.csv", _csv_bytes(book.about_headers, about))
        for sheet in book.sheets:
            kinds = [column.kind for column in sheet.columns]
            rows = (
                [_csv_cell(text, kind) for text, kind in zip(row, kinds, strict=True)] for row in sheet.rows
            )
            archive.writestr(f"{sheet.file_stem}.csv", _csv_bytes([c.header for c in sheet.columns], rows))
    return buffer.getvalue()
