"""A CSV file (comma, semicolon, tab or pipe separated, as Excel and the CRMs save it) into a Table."""

from __future__ import annotations

import csv
import io

from bot.core.crm.files.decoding import decode_text
from bot.core.crm.files.problems import FileProblem
from bot.core.crm.files.tables import Table, build_table

DELIMITERS = (",", ";", "\t", "|")
# csv refuses a field longer than this by default (128 KiB); a 20 MB file may hold one (a long description).
csv.field_size_limit(32 * 1024 * 1024)


def read_csv(data: bytes, *, row_limit: int) -> Table | FileProblem:
    text = decode_text(data)
    if isinstance(text, FileProblem):
        return text
    delimiter = sniff_delimiter(text)
    try:
        return build_table(
            None, csv.reader(io.StringIO(text, newline=""), delimiter=delimiter), row_limit=row_limit
        )
    except csv.Error:
        return FileProblem.CORRUPT


def sniff_delimiter(text: str) -> str:
    """The separator that splits the first non-blank line (the header) into the most columns; a comma
    when none does. Excel writes ";" where the decimal point is a comma, tabs for "Unicode text"."""
    first_line = next((line for line in io.StringIO(text, newline="") if line.strip()), "")
    best, best_count = ",", 1
    for delimiter in DELIMITERS:
        count = len(next(csv.reader([first_line], delimiter=delimiter), []))
        if count > best_count:
            best, best_count = delimiter, count
    return best
