"""The import dialog's buttons and their edges: stale and forged presses, a second file replacing the open
preview, Cancel, and the hand-vs-CRM question asked once per measure before anything is written."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

import pytest
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.storage.models import DialogState
from bot.telegram.callbacks_crm_import import ImportButton, import_value, parse_import_value
from tests.auxil.chat import Chat
from tests.auxil.crm_chat import counts, crm_rows, send_file, totals, with_goals
from tests.auxil.crm_files import zoho_call_rows, zoho_calls_csv, zoho_deal_rows, zoho_deals_csv
from tests.auxil.database import fetch


@pytest.mark.parametrize(
    "forged",
    [
        "ci:col",
        "ci:col:01",
        "ci:col:1000",
        "ci:import:3",
        "ci:nope",
        "ci:col:-1",
        "ci:sheet:99999999999999999999",
    ],
)
def test_forged_values_are_not_presses(forged: str) -> None:
    assert parse_import_value(forged) is None


def test_values_round_trip_within_64_bytes() -> None:
    for button in ImportButton:
        index = 999 if button.value in {"col", "val", "sheet", "owner", "member", "kind"} else None
        value = import_value(button, index)
        assert parse_import_value(value) is not None and len(f"d:{2**31 - 1}:{value}".encode()) <= 64


async def test_an_old_preview_button_changes_nothing(
    make_chat: Callable[..., Chat], engine: AsyncEngine
) -> None:
    chat = make_chat()
    [first] = await send_file(chat, zoho_deals_csv(5), "deals.csv")
    [second] = await send_file(chat, zoho_calls_csv(4), "calls.csv")  # replaces the open preview
    assert "4 rows read" in second.text
    stale = await chat.press("📥 Import", on=first)
    assert (
        stale[0].text
        == "That button belongs to an earlier question, so I ignored it. Here is the current one:"
    )
    assert await counts(engine, chat.id) == (0, 0, 0)
    [done] = await chat.press("📥 Import", on=second)
    held = sum(1 for row in zoho_call_rows(4) if row[2] != "Missed")  # a missed call is no activity
    assert f"Added: {held} ·" in done.text
    rows = await crm_rows(engine, chat.id)
    assert {row.kind for row in rows} == {"call"}
    after = await chat.press("📥 Import", on=second)  # the dialog is over: an old button
    assert after[0].text == "That button is from an old message and no longer does anything."
    assert len(await crm_rows(engine, chat.id)) == held


async def test_a_forged_import_value_imports_nothing(
    make_chat: Callable[..., Chat], engine: AsyncEngine
) -> None:
    chat = make_chat()
    await send_file(chat, zoho_deals_csv(5), "deals.csv")
    dialog = await fetch(engine, DialogState, chat.id)
    assert isinstance(dialog, DialogState)
    for data in (f"d:{dialog.version}:ci:import:1", f"d:{dialog.version}:ci:col:0", "ci:import"):
        await chat.press_data(data)
    assert await counts(engine, chat.id) == (0, 0, 0)


async def test_cancel_imports_nothing(make_chat: Callable[..., Chat], engine: AsyncEngine) -> None:
    chat = make_chat(language_code="zh-hans")
    await send_file(chat, zoho_deals_csv(5), "deals.csv")
    [told] = await chat.press("✖ 取消")
    assert told.text == "什么也没有导入。"
    assert await counts(engine, chat.id) == (0, 0, 0) and await fetch(engine, DialogState, chat.id) is None


async def test_hand_logged_results_overlapping_ask_once_per_measure(
    make_chat: Callable[..., Chat], engine: AsyncEngine
) -> None:
    chat = make_chat()
    await with_goals(engine, chat)
    await chat.send("/log 1 deal 50k")
    logged = await totals(engine, chat.id)
    today = date(2026, 11, 27).isoformat()
    rows = [(*row[:3], "Closed Won", today, *row[5:]) for row in zoho_deal_rows(2)]
    [preview] = await send_file(chat, zoho_deals_csv(rows), "deals.csv")
    assert "Looks like results you logged by hand:" in preview.text
    [asked] = await chat.press("📥 Import")
    assert "should the CRM replace hand logging for deals signed" in asked.text
    assert await crm_rows(engine, chat.id) == []  # nothing is written until each question is answered
    [asked] = await chat.press("Keep both")
    assert "hand logging for revenue" in asked.text
    [done] = await chat.press("The CRM replaces hand logging")
    assert "Added: 2" in done.text
    assert logged  # the hand-logged results were there before
    # Asked once: the next file overlapping the same day goes straight from Import to the outcome.
    more = [(*row[:3], "Closed Won", today, *row[5:]) for row in zoho_deal_rows(3, seed=99)]
    await send_file(chat, zoho_deals_csv(more), "more deals.csv")
    [done] = await chat.press("📥 Import")
    assert done.text.startswith("Imported.")
