"""A CSV or XLSX file as a table of text cells: the one shape every layout is read from."""

from __future__ import annotations

from dataclasses import dataclass

from bot.core.crm.files.problems import ROW_LIMIT, FileProblem


@dataclass(frozen=True, slots=True)
class Table:
    """One sheet of a file: trimmed headers and the non-blank data rows, every cell as text.

    Cells are text exactly as the file holds them (control characters stripped); formulas are never
    evaluated (a formula cell is its formula text); XLSX dates and numbers come back as ISO dates and plain
    decimals so that one parser serves CSV and XLSX. Every row has as many cells as there are headers.
    `row_numbers[i]` is the spreadsheet row number of `rows[i]` (header = 1), blank rows being dropped.
    """

    sheet: str | None
    headers: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    row_numbers: tuple[int, ...] = ()


@dataclass(frozen=True, slots=True)
class SheetChoice:
    """An XLSX with several non-empty sheets: the user says which one (`open_table(..., sheet=name)`)."""

    sheets: tuple[str, ...]


def open_table(
    data: bytes, file_name: str, *, sheet: str | None = None, row_limit: int = ROW_LIMIT
) -> Table | SheetChoice | FileProblem:
    """Read a CSV or XLSX file (told apart by its bytes, then its name) into a Table."""
    raise NotImplementedError
