"""The export's files and their limits: sendDocument's 50 MB and the caption's 1,024, Excel's sheet names,
and the neutralising of formula-like text (OWASP), unit by unit."""

from __future__ import annotations

import io
import zipfile
from datetime import date, datetime
from decimal import Decimal
from functools import partial

import pytest
from openpyxl import load_workbook
from pydantic import TypeAdapter

from bot.core.dialog import Document
from bot.scheduler.delivery import DeliveryError, Failure
from bot.services.export_files import (
    AboutLine,
    CellKind,
    Column,
    ExportBook,
    Sheet,
    cell_text,
    csv_zip_bytes,
    neutralised,
    sheet_name,
    workbook_bytes,
)
from bot.telegram.context import BotApplication
from bot.telegram.limits import MAX_CAPTION_LENGTH, MAX_DOCUMENT_BYTES, LimitExceeded
from bot.telegram.render import document_messages, drawing_of


def book(*cells: str | Decimal | date | datetime | None) -> ExportBook:
    columns = (Column("Note"), Column("Amount", CellKind.NUMBER), Column("Day", CellKind.DATE))
    sheet = Sheet("Results", "results", "what", columns, [tuple(cell_text(c) for c in cells)])
    return ExportBook(
        "About", ("What", "Value"), [AboutLine("At", "2026-11-27 10:00:00", CellKind.DATETIME)], [sheet]
    )


@pytest.mark.parametrize(
    ("text", "expected"),
    [("=1+1", "'=1+1"), ("+86 138", "'+86 138"), ("-5", "'-5"), ("@SUM(A1)", "'@SUM(A1)"), ("\t=1", "'\t=1"),
     ("\r=1", "'\r=1"), ("Suzhou clinic", "Suzhou clinic"), ("苏州 = 好", "苏州 = 好"), ("", "")],
)  # fmt: skip
def test_csv_cells_that_start_like_a_formula_get_an_apostrophe(text: str, expected: str) -> None:
    assert neutralised(text) == expected


def test_numbers_stay_numbers_and_only_text_is_neutralised() -> None:
    made = book("=1+1", Decimal("-1200.50"), date(2026, 11, 27))
    sheet = load_workbook(io.BytesIO(workbook_bytes(made)))["Results"]
    note, amount, day = next(sheet.iter_rows(min_row=2))
    assert (note.value, note.data_type, note.quotePrefix) == ("=1+1", "s", True)
    assert (amount.value, amount.data_type) == (-1200.5, "n")
    assert (day.value, day.is_date) == (datetime(2026, 11, 27), True)
    with zipfile.ZipFile(io.BytesIO(csv_zip_bytes(made))) as archive:
        assert archive.read("results.csv").decode("utf-8-sig").splitlines()[1] == "'=1+1,-1200.50,2026-11-27"


def test_the_stored_export_comes_back_from_json_as_it_went_in() -> None:
    """The outbox keeps the export as JSON until it is sent: a text that looks like a date or a number
    stays text, because each cell's column says what it is."""
    made = book("2026-11-27", Decimal("50000"), None)
    adapter = TypeAdapter(ExportBook)
    assert adapter.validate_python(adapter.dump_python(made, mode="json")) == made
    assert workbook_bytes(made) and cell_text(Decimal("5E+4")) == "50000"


def test_sheet_names_follow_excels_rules() -> None:
    taken: set[str] = set()
    assert sheet_name("Plans: Q1/Q2 [draft]?", taken) == "Plans  Q1 Q2  draft"
    assert (
        sheet_name("A very long sheet name that Excel would refuse", taken)
        == "A very long sheet name that Exc"
    )
    assert sheet_name("plans  q1 q2  draft", taken) == "plans  q1 q2  draft (2)"


async def test_a_file_over_50_mb_fails_the_turn_before_its_commit_and_is_refused_at_send() -> None:
    too_big = b"\0" * (MAX_DOCUMENT_BYTES + 1)
    with pytest.raises(LimitExceeded):
        await document_messages(Document(lambda: too_big, "export.xlsx"))


async def test_the_sending_layer_refuses_a_file_over_50_mb_for_good(app: BotApplication) -> None:
    with pytest.raises(DeliveryError) as refused:
        await app.bot_data.sending.document(100_001, b"\0" * (MAX_DOCUMENT_BYTES + 1), "export.xlsx")
    assert refused.value.failure is Failure.PERMANENT


async def test_a_long_caption_keeps_what_fits_and_the_rest_follows_the_file() -> None:
    made = book("x", Decimal(1), None)
    document = Document(partial(workbook_bytes, made), "export.xlsx", "Sheet. " * 300)
    messages = await document_messages(document)
    assert len(messages[0].text) <= MAX_CAPTION_LENGTH and messages[0].document_name == "export.xlsx"
    assert messages[0].document is None and messages[0].drawing == drawing_of(document), "made when sent"
    assert [m.document_name for m in messages[1:]] == [None] and messages[1].text.startswith("Sheet.")
