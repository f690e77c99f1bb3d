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
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from xml.etree import ElementTree

import python_calamine

from bot.core.crm.files.problems import FileProblem
from bot.core.crm.files.tables import SheetChoice, Table, build_table

_CHUNK = 1 << 20
# Element openings looked for in a sheet's XML, with or without a namespace prefix ("<x:row "). Rows are
# counted (an upper bound: "<row" also opens a <rowBreaks>); values and formulas only looked for until found.
_ROW_TOKENS = (b"<row", b":row ")
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
        workbook_part = _workbook_part(archive)
        if workbook_part is None:
            return FileProblem.UNSUPPORTED  # a zip, but no workbook: a .docx, a zip of CSVs
        parts = sheet_parts(archive, workbook_part)
        scans = {name: scan_sheet(archive, part.path, row_cap=row_limit + 1) for name, part in parts.items()}
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ElementTree.ParseError, KeyError, OSError, EOFError):
        return FileProblem.CORRUPT
    # Hidden sheets (lists behind drop-downs, say) are offered only when no visible sheet has data.
    filled = tuple(name for name, scan in scans.items() if scan.has_values and not parts[name].hidden)
    filled = filled or tuple(name for name, scan in scans.items() if scan.has_values)
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
        formulas = read_formulas(archive, parts[sheet].path) if scan.has_formulas else {}
        with python_calamine.CalamineWorkbook.from_filelike(io.BytesIO(data)) as book:
            values = book.get_sheet_by_name(sheet)
            first_column = values.start[1] if values.start else 0
            # Rows are turned into text one by one as the table is built: the sheet is never held twice.
            return build_table(
                sheet, _text_rows(values.iter_rows(), first_column, formulas), row_limit=row_limit
            )
    except python_calamine.PasswordError:
        return FileProblem.PASSWORD
    except Exception:  # whatever a damaged workbook makes calamine raise, it is damaged
        return FileProblem.CORRUPT


@dataclass(frozen=True, slots=True)
class SheetPart:
    path: str  # the sheet's XML in the zip
    hidden: bool


def _local(tag: str) -> str:
    """An element's or attribute's name without its namespace: Strict OOXML uses other namespaces."""
    return tag.rsplit("}", 1)[-1]


def _workbook_part(archive: zipfile.ZipFile) -> str | None:
    """The workbook's XML part: where the package's relationships say (xl/workbook.xml nearly always)."""
    names = set(archive.namelist())
    if "_rels/.rels" in names:
        for rel in ElementTree.fromstring(archive.read("_rels/.rels")):
            target = rel.get("Target", "").lstrip("/")
            if rel.get("Type", "").endswith("/officeDocument") and target in names:
                return target
    return "xl/workbook.xml" if "xl/workbook.xml" in names else None


def sheet_parts(archive: zipfile.ZipFile, workbook_part: str = "xl/workbook.xml") -> dict[str, SheetPart]:
    """Worksheet name -> its XML part in the zip, in workbook order (chart sheets left out)."""
    folder = posixpath.dirname(workbook_part)
    workbook = ElementTree.fromstring(archive.read(workbook_part))
    rels_part = posixpath.join(folder, "_rels", posixpath.basename(workbook_part) + ".rels")
    rels = ElementTree.fromstring(archive.read(rels_part))
    targets = {rel.get("Id"): rel.get("Target", "") for rel in rels if _local(rel.tag) == "Relationship"}
    parts: dict[str, SheetPart] = {}
    for element in workbook.iter():
        if _local(element.tag) != "sheet":
            continue
        rel_id = next((value for key, value in element.attrib.items() if _local(key) == "id"), None)
        target = targets.get(rel_id, "")
        if "worksheets/" not in target:
            continue
        path = (
            target.lstrip("/")
            if target.startswith("/")
            else posixpath.normpath(posixpath.join(folder, target))
        )
        parts[element.get("name", "")] = SheetPart(path, element.get("state", "visible") != "visible")
    return parts


def scan_sheet(archive: zipfile.ZipFile, part: str, *, row_cap: int) -> SheetScan:
    """Count the sheet's rows (stopping past `row_cap`) and see whether it holds values and formulas."""
    rows = 0
    has_values = has_formulas = False
    carry = b""
    with archive.open(part) as stream:
        while chunk := stream.read(_CHUNK):
            buffer = carry + chunk
            # An opening wholly inside the carried tail was counted with the previous chunk.
            rows += _count(buffer, _ROW_TOKENS) - _count(carry, _ROW_TOKENS)
            has_values = has_values or any(token in buffer for token in _VALUE_TOKENS)
            has_formulas = has_formulas or any(token in buffer for token in _FORMULA_TOKENS)
            carry = buffer[-_CARRY:]
            if rows > row_cap:
                break
    return SheetScan(rows=rows, has_values=has_values, has_formulas=has_formulas)


def _count(buffer: bytes, tokens: Sequence[bytes]) -> int:
    return sum(buffer.count(token) for token in tokens)


def read_formulas(archive: zipfile.ZipFile, part: str) -> dict[tuple[int, int], str]:
    """(row, column) (0-based) -> "=" + the formula's text, for each formula cell of the sheet. A cell
    sharing another's formula (<f t="shared" si="0"/>) holds no text of its own: it is "=" alone."""
    formulas: dict[tuple[int, int], str] = {}
    with archive.open(part) as stream:
        for _event, element in ElementTree.iterparse(stream, events=("end",)):
            if _local(element.tag) != "c":
                continue
            formula = next((child for child in element if _local(child.tag) == "f"), None)
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
    rows: Iterable[Sequence[Value]], first_column: int, formulas: dict[tuple[int, int], str]
) -> Iterator[list[str]]:
    """calamine's rows as text, formulas in place. python-calamine's iter_rows starts at the sheet's row 1
    (rows above the data come as empty rows) and at its first used column: positions count from there."""
    for row_index, row in enumerate(rows):
        # Strings, most cells, are taken as they are without a call: this runs for every cell of the sheet.
        cells = [value if type(value) is str else cell_text(value) for value in row]
        if formulas:
            for column in range(len(cells)):
                formula = formulas.get((row_index, first_column + column))
                if formula is not None:
                    cells[column] = formula
        yield cells


def cell_text(value: Value | None) -> str:
    """A typed cell as text in the one form the parsers read: ISO dates, plain decimals."""
    if type(value) is str:  # most cells: checked first, this runs for every cell of the sheet
        return value
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
