"""An XLSX workbook into a Table, read with python-calamine (measured 20x faster than openpyxl on a
50,000-row export: bench/bench_crm_read.py).

calamine loads a whole sheet at once and gives a formula cell's cached value, so before it reads a sheet a
streaming pass over the sheet's XML (zlib and bytes.count, no parsing) counts its rows, to refuse a sheet
over the row limit without loading it, and looks for formulas; a sheet with formulas has their text read
from its XML (a second streaming pass, ElementTree) and put in place of calamine's values: a formula is
never evaluated, nor is the value Excel last computed for it used.
"""

from __future__ import annotations

import io
import posixpath
import zipfile
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from xml.etree import ElementTree

import python_calamine

from bot.core.crm.files.problems import FileProblem
from bot.core.crm.files.tables import SheetChoice, Table, build_table

_MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_RELS = "{http://schemas.openxmlformats.org/package/2006/relationships}"
_DOC_RELS = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
_CHUNK = 1 << 20
# Element openings counted in a sheet's XML, with or without a namespace prefix ("<x:row ").
_ROW_TOKENS = (b"<row ", b"<row>", b":row ", b":row>")
_VALUE_TOKENS = (b"<v>", b"<is>", b":v>", b":is>")
_FORMULA_TOKENS = (b"<f>", b"<f ", b":f>", b":f ")
_CARRY = max(map(len, _ROW_TOKENS + _VALUE_TOKENS + _FORMULA_TOKENS)) - 1

Value = int | float | str | bool | time | date | datetime | timedelta


@dataclass(frozen=True, slots=True)
class SheetScan:
    """What a streaming look at a sheet's XML found (row counting stops past the cap)."""

    rows: int
    has_values: bool
    has_formulas: bool


def read_xlsx(data: bytes, *, sheet: str | None, row_limit: int) -> Table | SheetChoice | FileProblem:
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        if "xl/workbook.xml" not in archive.namelist():
            return FileProblem.UNSUPPORTED  # a zip, but no workbook: a .docx, a zip of CSVs
        parts = sheet_parts(archive)
        scans = {name: scan_sheet(archive, part, row_cap=row_limit + 1) for name, part in parts.items()}
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ElementTree.ParseError, KeyError, OSError, EOFError):
        return FileProblem.CORRUPT
    filled = tuple(name for name, scan in scans.items() if scan.has_values)
    if sheet is None:
        if not filled:
            return FileProblem.EMPTY
        if len(filled) > 1:
            return SheetChoice(filled)
        sheet = filled[0]
    elif sheet not in scans:
        return SheetChoice(filled or tuple(scans))
    scan = scans[sheet]
    if scan.rows > row_limit + 1:
        return FileProblem.TOO_MANY_ROWS
    try:
        formulas = read_formulas(archive, parts[sheet]) if scan.has_formulas else {}
        book = python_calamine.CalamineWorkbook.from_filelike(io.BytesIO(data))
        values = book.get_sheet_by_name(sheet)
        raw = [list(row) for row in values.iter_rows()]
        start = values.start
    except python_calamine.PasswordError:
        return FileProblem.PASSWORD
    except (python_calamine.CalamineError, ElementTree.ParseError, zipfile.BadZipFile, OSError, EOFError):
        return FileProblem.CORRUPT
    rows = _text_rows(raw, start, values.end, formulas)
    return build_table(sheet, rows, row_limit=row_limit)


def sheet_parts(archive: zipfile.ZipFile) -> dict[str, str]:
    """Worksheet name -> its XML part in the zip, in workbook order (chart sheets left out)."""
    workbook = ElementTree.fromstring(archive.read("xl/workbook.xml"))
    rels = ElementTree.fromstring(archive.read("xl/_rels/workbook.xml.rels"))
    targets = {rel.get("Id"): rel.get("Target", "") for rel in rels.iter(f"{_RELS}Relationship")}
    parts: dict[str, str] = {}
    for element in workbook.iter(f"{_MAIN}sheet"):
        target = targets.get(element.get(f"{_DOC_RELS}id"), "")
        if "worksheets/" not in target:
            continue
        part = (
            target.lstrip("/") if target.startswith("/") else posixpath.normpath(posixpath.join("xl", target))
        )
        parts[element.get("name", "")] = part
    return parts


def scan_sheet(archive: zipfile.ZipFile, part: str, *, row_cap: int) -> SheetScan:
    """Count the sheet's rows (stopping past `row_cap`) and see whether it holds values and formulas."""
    rows = values = formulas = 0
    carry = b""
    with archive.open(part) as stream:
        while chunk := stream.read(_CHUNK):
            buffer = carry + chunk
            # An opening wholly inside the carried tail was counted with the previous chunk.
            rows += _count(buffer, _ROW_TOKENS) - _count(carry, _ROW_TOKENS)
            values += _count(buffer, _VALUE_TOKENS) - _count(carry, _VALUE_TOKENS)
            formulas += _count(buffer, _FORMULA_TOKENS) - _count(carry, _FORMULA_TOKENS)
            carry = buffer[-_CARRY:]
            if rows > row_cap:
                break
    return SheetScan(rows=rows, has_values=values > 0, has_formulas=formulas > 0)


def _count(buffer: bytes, tokens: Sequence[bytes]) -> int:
    return sum(buffer.count(token) for token in tokens)


def read_formulas(archive: zipfile.ZipFile, part: str) -> dict[tuple[int, int], str]:
    """(row, column) (0-based) -> "=" + the formula's text, for each formula cell of the sheet. A cell
    sharing another's formula (<f t="shared" si="0"/>) holds no text of its own: it is "=" alone."""
    formulas: dict[tuple[int, int], str] = {}
    with archive.open(part) as stream:
        for _event, element in ElementTree.iterparse(stream, events=("end",)):
            if element.tag.rsplit("}", 1)[-1] != "c":
                continue
            formula = next((child for child in element if child.tag.rsplit("}", 1)[-1] == "f"), None)
            reference = element.get("r")
            if formula is not None and reference:
                formulas[cell_position(reference)] = "=" + (formula.text or "")
            element.clear()
    return formulas


def cell_position(reference: str) -> tuple[int, int]:
    """ "B3" -> (2, 1)."""
    letters = reference.rstrip("0123456789")
    column = 0
    for letter in letters.upper():
        column = column * 26 + ord(letter) - ord("A") + 1
    return int(reference[len(letters) :]) - 1, column - 1


def _text_rows(
    raw: list[list[Value]],
    start: tuple[int, int] | None,
    end: tuple[int, int] | None,
    formulas: dict[tuple[int, int], str],
) -> Iterator[list[str]]:
    """calamine's rows as text, formulas in place. Its rows start at the sheet's first row (row 0, or the
    first used one) and its columns at the first used column: positions are counted from there."""
    first_column = start[1] if start else 0
    first_row = (end[0] + 1 - len(raw)) if end and raw else 0
    for index, row in enumerate(raw):
        cells = [cell_text(value) for value in row]
        if formulas:
            for column in range(len(cells)):
                formula = formulas.get((first_row + index, first_column + column))
                if formula is not None:
                    cells[column] = formula
        yield cells


def cell_text(value: Value | None) -> str:
    """A typed cell as text in the one form the parsers read: ISO dates, plain decimals."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, datetime):
        return (
            value.date().isoformat()
            if value.time() == time()
            else value.isoformat(sep=" ", timespec="seconds")
        )
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, time):
        return value.isoformat(timespec="seconds")
    if isinstance(value, timedelta):
        return str(value)
    if isinstance(value, float):
        if value.is_integer() and abs(value) < 1e15:
            return str(int(value))
        return format(Decimal(repr(value)), "f")
    return str(value)
