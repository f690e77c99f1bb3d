"""A sheet as a table of text cells, the one shape every layout is read from, and how raw rows become one."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from bot.core.crm.files.problems import FileProblem
from bot.core.crm.files.values import parse_amount, parse_day

_UTC = ZoneInfo("UTC")


@dataclass(frozen=True, slots=True)
class Table:
    """One sheet of a file: trimmed headers and the non-blank data rows, every cell as text.

    Cells are text exactly as the file holds them, trimmed, control characters removed; formulas are
    never evaluated (a formula cell is its formula text, "=SUM(A1:A3)"); XLSX dates and numbers come back
    as ISO dates ("2024-09-09", "2024-09-09 13:20:35") and plain decimals ("12000.5") so that one parser
    serves CSV and XLSX. Every row has as many cells as there are headers (a blank header is named after
    its column letter, trailing blank columns are dropped). `row_numbers[i]` is the spreadsheet row
    number of `rows[i]` (the header's row = 1 when the file starts with it), blank rows being dropped.
    """

    sheet: str | None
    headers: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    row_numbers: tuple[int, ...] = ()

    def row_number(self, index: int) -> int:
        """The spreadsheet row number of `rows[index]`."""
        return self.row_numbers[index] if self.row_numbers else index + 2


@dataclass(frozen=True, slots=True)
class SheetChoice:
    """An XLSX with several non-empty sheets: the user says which one (`open_table(..., sheet=name)`)."""

    sheets: tuple[str, ...]


# Control characters go; the ones that separate words (tab, line breaks) become a space. Zero-width
# characters and stray BOMs go too: they make equal headers and ids look different.
_SPACES = dict.fromkeys(map(ord, "\t\n\r\x0b\x0c\u2028\u2029\u0085"), " ")
_REMOVED = dict.fromkeys([*range(0x00, 0x20), *range(0x7F, 0xA0), 0x200B, 0x200C, 0x200D, 0x2060, 0xFEFF])
CELL_CLEANING: dict[int, str | None] = {**_REMOVED, **_SPACES}


def clean_cell(text: str) -> str:
    """A cell's text trimmed, without control characters."""
    return text.translate(CELL_CLEANING).strip()


def column_letter(index: int) -> str:
    """ "A" for column 0, "AA" for column 26: how a spreadsheet names a column."""
    letters = ""
    index += 1
    while index:
        index, remainder = divmod(index - 1, 26)
        letters = chr(ord("A") + remainder) + letters
    return letters


def build_table(
    sheet: str | None, rows: Iterable[Sequence[str]], *, row_limit: int, first_row_number: int = 1
) -> Table | FileProblem:
    """A Table from raw text rows: the first non-blank row is the header; blank rows are dropped.

    Stops reading `rows` at the first data row past `row_limit` (FileProblem.TOO_MANY_ROWS).
    """
    iterator = iter(rows)
    number = first_row_number - 1
    headers: list[str] | None = None
    for raw in iterator:
        number += 1
        cells = [clean_cell(cell) for cell in raw]
        if any(cells):
            headers = cells
            break
    if headers is None:
        return FileProblem.EMPTY
    while headers and not headers[-1]:
        headers.pop()
    headers = [header or column_letter(index) for index, header in enumerate(headers)]
    if _looks_like_data(headers):
        return FileProblem.NO_HEADER
    width = len(headers)
    body: list[tuple[str, ...]] = []
    numbers: list[int] = []
    for raw in iterator:
        number += 1
        cells = [clean_cell(cell) for cell in raw[:width]]
        if not any(cells):
            continue
        if len(body) == row_limit:
            return FileProblem.TOO_MANY_ROWS
        cells.extend([""] * (width - len(cells)))
        body.append(tuple(cells))
        numbers.append(number)
    if not body:
        return FileProblem.EMPTY
    return Table(sheet, tuple(headers), tuple(body), tuple(numbers))


def _looks_like_data(headers: Sequence[str]) -> bool:
    """Whether the first row is data rather than column names: half its cells or more are dates or numbers."""
    values = sum(
        1 for header in headers if parse_amount(header) is not None or parse_day(header, _UTC) is not None
    )
    return values * 2 >= len(headers)
