"""Every bad file of issue 14's item 7: a clear reply in the user's language, and nothing written."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.core.crm.files import ROW_LIMIT
from bot.storage.crm_models import CrmRecordRow
from bot.storage.models import DialogState, Entry
from tests.auxil.chat import Chat
from tests.auxil.crm_chat import send_file
from tests.auxil.crm_files import (
    ZOHO_DEAL_HEADERS,
    corrupt_xlsx,
    csv_bytes,
    formula_deals_xlsx,
    headers_only_csv,
    password_protected_xlsx,
    zoho_contacts_csv,
    zoho_deal_rows,
    zoho_deals_csv,
)
from tests.auxil.database import fetch, rows

MB = 1024 * 1024


async def nothing_written(engine: AsyncEngine, chat: Chat, *, dialog_open: bool = False) -> None:
    assert await rows(engine, CrmRecordRow, user_id=chat.id) == []
    assert await rows(engine, Entry) == []
    dialog = await fetch(engine, DialogState, chat.id)
    assert (dialog is not None) == dialog_open


async def test_import_says_what_to_send(make_chat: Callable[..., Chat]) -> None:
    chat = make_chat()
    [told] = await chat.send("/import")
    assert "CSV or XLSX" in told.text and "preview" in told.text
    [told] = await make_chat(language_code="zh-hans").send("/import")
    assert "预览" in told.text


async def test_over_20_mb_is_refused_before_any_download(
    make_chat: Callable[..., Chat], engine: AsyncEngine
) -> None:
    for language, expected in (("en", "The file is over 20 MB"), ("zh-hans", "文件超过 20 MB")):
        chat = make_chat(language_code=language)
        [told] = await chat.feed(chat.api.document_update(chat.user, size=21 * MB, file_name="deals.csv"))
        assert expected in told.text
        assert not [call for call in chat.api.calls if call.method == "getFile"]
        await nothing_written(engine, chat)


def mixed_encoding_csv() -> bytes:
    """A CSV whose first rows are UTF-8 and the rest GBK, as two exports pasted together leave it."""
    head = csv_bytes(
        ZOHO_DEAL_HEADERS[:6], [("zcrm_1", "张伟", "", "华东项目", "1000", "2026-09-01")], encoding="utf-8"
    )
    tail = csv_bytes(
        ZOHO_DEAL_HEADERS[:6], [("zcrm_2", "李娜", "", "华南项目", "2000", "2026-09-02")], encoding="gbk"
    )
    return head + tail.split(b"\r\n", 1)[1] * 50


def too_many_rows_csv() -> bytes:
    line = b"zcrm_%d,Amy Chen,,Deal,1000,2026-09-01,Acme,,Closed Won\r\n"
    header = ",".join(ZOHO_DEAL_HEADERS[:9]).encode() + b"\r\n"
    return header + b"".join(line % index for index in range(ROW_LIMIT + 1))


BAD_FILES: list[tuple[str, Callable[[], bytes], str, str, str]] = [
    ("empty", lambda: b"", "empty.csv", "The file is empty", "文件是空的"),
    ("headers only", headers_only_csv, "deals.csv", "The file is empty", "文件是空的"),
    ("mixed encodings", mixed_encoding_csv, "deals.csv", "encoding", "编码"),
    ("password", password_protected_xlsx, "deals.xlsx", "password", "密码"),
    ("corrupt", corrupt_xlsx, "deals.xlsx", "damaged", "损坏"),
    ("a pdf", lambda: b"%PDF-1.4 not a table", "deals.pdf", "I read CSV and XLSX files", "XLSX"),
    ("contacts", zoho_contacts_csv, "Contacts.csv", "contacts, accounts or leads", "联系人"),
    ("too many rows", too_many_rows_csv, "deals.csv", "more than 100,000 rows", "文件超过 100,000 行"),
]


@pytest.mark.parametrize(("name", "build", "file_name", "en", "zh"), BAD_FILES, ids=[b[0] for b in BAD_FILES])
async def test_a_bad_file_gets_its_reply_and_nothing_is_written(
    make_chat: Callable[..., Chat],
    engine: AsyncEngine,
    name: str,
    build: Callable[[], bytes],
    file_name: str,
    en: str,
    zh: str,
) -> None:
    content = build()
    for language, expected in (("en", en), ("zh-hans", zh)):
        chat = make_chat(language_code=language)
        [told] = await send_file(chat, content, file_name)
        assert expected in told.text, told.text
        assert not told.buttons
        await nothing_written(engine, chat)


async def test_a_bad_file_leaves_an_open_preview_as_it_was(
    make_chat: Callable[..., Chat], engine: AsyncEngine
) -> None:
    chat = make_chat()
    [preview] = await send_file(chat, zoho_deals_csv(5), "deals.csv")
    before = await fetch(engine, DialogState, chat.id)
    await send_file(chat, corrupt_xlsx(), "broken.xlsx")
    await send_file(chat, zoho_contacts_csv(), "Contacts.csv")
    after = await fetch(engine, DialogState, chat.id)
    assert isinstance(before, DialogState) and isinstance(after, DialogState)
    assert (after.step, after.version, after.data) == (before.step, before.version, before.data)
    [done] = await chat.press("📥 Import", on=preview)
    assert "Added: 5" in done.text


async def test_unreadable_amounts_and_dates_are_skipped_and_counted(
    make_chat: Callable[..., Chat], engine: AsyncEngine
) -> None:
    rows: list[tuple[str, ...]] = [tuple(row) for row in zoho_deal_rows(10)]
    rows[2] = (*rows[2][:2], "lots", "Closed Won", *rows[2][4:])  # row 4 of the sheet
    rows[5] = (*rows[5][:4], "next spring", *rows[5][5:])  # row 7
    rows[6] = (*rows[6][:4], "", *rows[6][5:])  # row 8
    chat = make_chat()
    [preview] = await send_file(chat, zoho_deals_csv(rows), "deals.csv")
    assert "10 rows read" in preview.text
    assert "• 1 row skipped: no amount, or one I cannot read (row 4)" in preview.text
    assert "• 2 rows skipped: no date, or one I cannot read (rows 7, 8)" in preview.text
    await nothing_written(engine, chat, dialog_open=True)
    [zh_preview] = await send_file(make_chat(language_code="zh-hans"), zoho_deals_csv(rows), "deals.csv")
    assert "跳过 2 行" in zh_preview.text


async def test_formulas_are_never_calculated(make_chat: Callable[..., Chat], engine: AsyncEngine) -> None:
    chat = make_chat()
    [preview] = await send_file(chat, formula_deals_xlsx(), "deals.xlsx")
    assert "4 rows read" in preview.text
    assert (
        "• 2 rows skipped: a formula instead of a value (formulas are not calculated) (rows 2, 3)"
        in preview.text
    )
    await nothing_written(engine, chat, dialog_open=True)
