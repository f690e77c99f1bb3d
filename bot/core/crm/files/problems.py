"""What can be wrong with a CRM file as a whole, or with one of its rows, and the texts that say so.

A `FileProblem` stops the import before anything is read (the user gets its text and nothing is written);
a `SkipReason` drops one row, counted and shown in the preview. The texts are N_() msgids, translated where
they are shown (en and zh_CN in locales/).
"""

from __future__ import annotations

from enum import StrEnum

from bot.i18n import N_

# Telegram's bots download files up to 20 MB; a bigger file never reaches us, a bigger upload is refused.
MAX_FILE_BYTES = 20 * 1024 * 1024
# Data rows (the header not counted) one import reads; past it the reading stops without loading the rest.
ROW_LIMIT = 100_000


class FileProblem(StrEnum):
    """Why a file cannot be read at all."""

    EMPTY = "empty"  # no bytes, or a header and no data rows
    TOO_BIG = "too_big"  # over MAX_FILE_BYTES
    TOO_MANY_ROWS = "too_many_rows"  # over the row limit
    ENCODING = "encoding"  # a CSV in no encoding we read, or mixing two
    CORRUPT = "corrupt"  # an XLSX whose zip or workbook is broken
    PASSWORD = "password"  # an encrypted XLSX (Office wraps it in an OLE2 container)
    UNSUPPORTED = "unsupported"  # .xls, .pdf, anything neither CSV nor XLSX
    OTHER_MODULE = "other_module"  # a CRM export of contacts, accounts, leads: not results
    NO_HEADER = "no_header"  # the first non-blank row is data (dates, numbers), not column names


# TOO_MANY_ROWS names the limit: format its text with limit=number_text(ROW_LIMIT) (bot/services/goal_text.py).
FILE_PROBLEM_TEXTS: dict[FileProblem, str] = {
    FileProblem.EMPTY: N_("The file is empty: there is no row below the headers."),
    FileProblem.TOO_BIG: N_(
        "The file is over 20 MB, more than Telegram lets a bot download. Export fewer rows or columns and send it again."
    ),
    FileProblem.TOO_MANY_ROWS: N_(
        "The file has more than {limit} rows. Export a shorter period and send it again."
    ),
    FileProblem.ENCODING: N_(
        "I cannot read the file's text: it is in an encoding I do not know, or mixes two. Save it as CSV UTF-8 (or as XLSX) and send it again."
    ),
    FileProblem.CORRUPT: N_(
        "The file is damaged and I cannot open it. Save or export it again and send the new copy."
    ),
    FileProblem.PASSWORD: N_(
        "The file is protected with a password. Save a copy without the password and send that."
    ),
    FileProblem.UNSUPPORTED: N_(
        "I read CSV and XLSX files only. Save it as one of those (in Excel: File, Save As, Excel Workbook) and send it again."
    ),
    FileProblem.OTHER_MODULE: N_(
        "This looks like an export of contacts, accounts or leads. Send an export of deals, orders, calls or meetings instead."
    ),
    FileProblem.NO_HEADER: N_(
        "The file's first row should name its columns (such as Deal Name, Amount, Closing Date), but it holds data. Add a row of column names at the top and send it again."
    ),
}


class SkipReason(StrEnum):
    """Why one row of a readable file is left out."""

    NO_ID = "no_id"  # the record id cell is empty
    BAD_DATE = "bad_date"  # the date cell is empty or not a date
    BAD_AMOUNT = "bad_amount"  # a deal or order whose amount is empty or not a number
    DUPLICATE_ID = "duplicate_id"  # a record id an earlier row of the file already had
    FORMULA = "formula"  # a formula where the date or amount should be (formulas are never evaluated)
    NOT_HELD = "not_held"  # a call or meeting that did not happen: scheduled, missed or cancelled


SKIP_REASON_TEXTS: dict[SkipReason, str] = {
    SkipReason.NO_ID: N_("no record id"),
    SkipReason.BAD_DATE: N_("no date, or one I cannot read"),
    SkipReason.BAD_AMOUNT: N_("no amount, or one I cannot read"),
    SkipReason.DUPLICATE_ID: N_("the same record id as an earlier row"),
    SkipReason.FORMULA: N_("a formula instead of a value (formulas are not calculated)"),
    SkipReason.NOT_HELD: N_("a call or meeting that has not taken place (scheduled, missed or cancelled)"),
}
