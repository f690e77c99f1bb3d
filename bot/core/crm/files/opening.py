"""Which reader a file needs, told by its bytes first and its name second.

A zip is a workbook; an OLE2 container is an encrypted workbook (Excel's password to open) or an old binary
.xls; %PDF a PDF; text named .csv, .tsv, .txt (or nothing) a CSV. The checks that need no reading come
first: size, emptiness, the container.
"""

from __future__ import annotations

from pathlib import PurePath

from bot.core.crm.files.delimited import read_csv
from bot.core.crm.files.problems import MAX_FILE_BYTES, ROW_LIMIT, FileProblem
from bot.core.crm.files.tables import SheetChoice, Table
from bot.core.crm.files.workbook import read_xlsx

ZIP_MAGIC = b"PK\x03\x04"
EMPTY_ZIP_MAGIC = b"PK\x05\x06"
OLE2_MAGIC = bytes.fromhex("D0CF11E0A1B11AE1")
TEXT_SUFFIXES = frozenset({".csv", ".tsv", ".txt", ""})
WORKBOOK_SUFFIXES = frozenset({".xlsx", ".xlsm"})
# Excel encrypts a workbook with a password to open into an OLE2 container holding these streams.
ENCRYPTED_STREAMS = ("EncryptedPackage".encode("utf-16-le"), "EncryptionInfo".encode("utf-16-le"))


def open_table(
    data: bytes, file_name: str, *, sheet: str | None = None, row_limit: int = ROW_LIMIT
) -> Table | SheetChoice | FileProblem:
    """Read a CSV or XLSX file (told apart by its bytes, then its name) into a Table.

    `sheet` names the sheet of a workbook to read (the answer to a SheetChoice); a name the workbook does
    not have gets the SheetChoice again. More than `row_limit` data rows is FileProblem.TOO_MANY_ROWS,
    found without reading the rest of the file.
    """
    if len(data) > MAX_FILE_BYTES:
        return FileProblem.TOO_BIG
    if not data.strip():
        return FileProblem.EMPTY
    suffix = PurePath(file_name.strip().lower()).suffix
    if data.startswith((ZIP_MAGIC, EMPTY_ZIP_MAGIC)):
        return read_xlsx(data, sheet=sheet, row_limit=row_limit)
    if data.startswith(OLE2_MAGIC):
        # Any other OLE2 file is an old binary .xls (or a .doc), which we do not read.
        encrypted = any(stream in data for stream in ENCRYPTED_STREAMS)
        return FileProblem.PASSWORD if encrypted else FileProblem.UNSUPPORTED
    if suffix in WORKBOOK_SUFFIXES:
        return FileProblem.CORRUPT
    if data.startswith(b"%PDF") or suffix not in TEXT_SUFFIXES:
        return FileProblem.UNSUPPORTED
    return read_csv(data, row_limit=row_limit)
