"""A workbook with several sheets, and a layout no CRM writes: the sheet chosen, then the mapping dialog
(buttons and typed names), remembered for the next file of the same columns."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal

from sqlalchemy.ext.asyncio import AsyncEngine

from bot.i18n import translator
from bot.services.goal_text import money_text
from bot.storage.models import DialogState
from tests.auxil.chat import Chat, labels
from tests.auxil.crm_chat import crm_rows, send_file, totals, with_goals
from tests.auxil.crm_files import (
    UNKNOWN_HEADERS,
    csv_bytes,
    several_sheets_xlsx,
    unknown_layout_csv,
    unknown_rows,
    zoho_call_rows,
)
from tests.auxil.database import fetch

EN = translator("en")


def signed(rows: list[tuple[str, ...]]) -> tuple[int, Decimal]:
    won = [Decimal(row[2].replace(",", "")) for row in rows if row[3] == "Signed"]
    return len(won), sum(won, Decimal(0))


async def test_a_workbook_with_several_sheets_asks_which(
    make_chat: Callable[..., Chat], engine: AsyncEngine
) -> None:
    chat = make_chat()
    [asked] = await send_file(chat, several_sheets_xlsx(("Deals", "Calls")), "export.xlsx")
    assert asked.text == "This workbook has several sheets. Which one holds the records?"
    assert labels(asked) == ["Deals", "Calls", "✖ Cancel"]
    [preview] = await chat.send("calls")  # a typed sheet name is understood
    held = sum(1 for row in zoho_call_rows(4) if row[2] != "Missed")
    assert "4 rows read" in preview.text and f"Activities: {held} call" in preview.text
    [asked] = await chat.press("⬅ Back")
    assert asked.text.startswith("This workbook has several sheets.")
    [preview] = await chat.press("Deals")
    assert "5 rows read" in preview.text
    await chat.press("📥 Import")
    assert len(await crm_rows(engine, chat.id)) == 5


async def map_unknown_layout(chat: Chat) -> str:
    """Answer the mapping dialog for UNKNOWN_HEADERS by buttons and by typing; the preview's text."""
    [asked] = await chat.press("ID")  # the first question was asked by the file itself
    assert asked.text.startswith("Which column holds the date")
    [asked] = await chat.send("date")  # a typed column name
    assert asked.text == "Which column holds the amount?\nMy guess: “Value”."
    [asked] = await chat.press("Value")
    assert asked.text.startswith("Which column holds the stage or status")
    [asked] = await chat.press("Status")
    assert asked.text.startswith("Which column holds the owner")
    [asked] = await chat.press("Rep")
    assert asked.text.startswith("Which column says what each row is")
    [asked] = await chat.press("— None of these")
    assert asked.text.startswith("Which values of “Status” mean the deal is won?")
    assert "Chosen: Signed" in asked.text  # files14's guess, chosen already
    [asked] = await chat.press("✅ Signed")
    assert "Chosen: none yet" in asked.text
    rejected, asked = await chat.press("✔ Done")
    assert rejected.text == "Tap at least one value that means won, then Done."
    [asked] = await chat.press("Signed")
    assert "Chosen: Signed" in asked.text and "✅ Signed" in labels(asked)
    [asked] = await chat.press("✔ Done")
    assert asked.text == "What are the rows of this file?"
    [preview] = await chat.press("Deal")
    return preview.text


async def test_an_unknown_layout_through_the_mapping_dialog_then_remembered(
    make_chat: Callable[..., Chat], engine: AsyncEngine
) -> None:
    chat = make_chat()
    await with_goals(engine, chat)
    rows = unknown_rows(40)
    won, total = signed(rows)
    [asked] = await send_file(chat, unknown_layout_csv(40), "my deals.csv")
    assert asked.text.startswith("Which column holds each record's id?")
    assert asked.text.endswith("My guess: “ID”.")
    assert labels(asked) == [
        "ID",
        "Customer",
        "Value",
        "Status",
        "Date",
        "Rep",
        "— None of these",
        "✖ Cancel",
    ]
    forged = await chat.press_data(f"d:{(await version(engine, chat))}:ci:col:6")  # no seventh column
    assert forged[0].text.startswith("Please tap one of the columns")
    preview = await map_unknown_layout(chat)
    assert "40 rows read" in preview and f"{won} won deals, {money_text(total, 'CNY', EN)} in all" in preview
    [done] = await chat.press("📥 Import")
    assert "Added: 40" in done.text
    assert (await totals(engine, chat.id)) == {"revenue": total, "deals": Decimal(won)}
    # The next export of the same columns: the mapping from last time is offered, and used.
    changed = list(rows)
    first_signed = next(index for index, row in enumerate(rows) if row[3] == "Signed")
    changed[first_signed] = (*rows[first_signed][:3], "Lost", *rows[first_signed][4:])
    # ... with its columns in another order: the mapping follows them by their headers.
    order = [5, 4, 3, 2, 1, 0]
    reordered = csv_bytes([UNKNOWN_HEADERS[i] for i in order], [[row[i] for i in order] for row in changed])
    [offer] = await send_file(chat, reordered, "my deals (2).csv")
    assert offer.text.startswith("You mapped a file with these columns before:")
    assert "id: ID · date: Date · amount: Value · stage: Status · owner: Rep" in offer.text
    [preview] = await chat.press("✔ Yes, use it")
    assert "New: 0 · changed: 0 · reversed (no longer won): 1 · unchanged: 39" in preview.text


async def version(engine: AsyncEngine, chat: Chat) -> int:
    dialog = await fetch(engine, DialogState, chat.id)
    assert isinstance(dialog, DialogState)
    return dialog.version
