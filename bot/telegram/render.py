"""The services' replies as the messages Telegram takes, recorded in the outbox with the turn's effects.

A text over 4,096 characters becomes several messages (the keyboard on the last); a caption over 1,024
keeps what fits and the rest follows as text; every button's callback data is checked against 64 bytes
here, where keyboards are built, so a turn that would build one Telegram refuses fails before its commit.
A chart is stored as what draws it and drawn when it is sent: drawing takes tens of milliseconds (hundreds
on a busy machine), which inside the turn would hold SQLite's write lock from every other user.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Sequence
from functools import partial
from typing import Any

from pydantic import TypeAdapter
from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot.core.dialog import Button, Document, Outgoing, Photo, Reply
from bot.services.charts import ChartData, render_progress_chart
from bot.services.export_files import ExportBook, csv_zip_bytes, workbook_bytes
from bot.services.team_chart import TeamChartData, render_team_chart
from bot.services.turn import Turn
from bot.storage.repositories.outbox import NewMessage, OutboxRepository
from bot.telegram.callbacks import dialog_callback
from bot.telegram.limits import checked_callback_data, checked_document, split_caption, split_text

# Rows of [label, callback data], as an outbox row keeps its keyboard.
KeyboardRows = list[list[list[str]]]
# What a photo may be drawn from after a restart, by a stable name: the drawing function and the type of
# its one argument (kept as JSON). A photo drawn any other way is drawn inside the turn and stored as PNG.
DRAWINGS: dict[str, tuple[Callable[[Any], bytes], TypeAdapter[Any]]] = {
    "progress_chart": (render_progress_chart, TypeAdapter(ChartData)),
    "team_chart": (render_team_chart, TypeAdapter(TeamChartData)),  # split13
    # export14: /export's files, made from the export's rows when they are sent
    "export_workbook": (workbook_bytes, TypeAdapter(ExportBook)),
    "export_csv_zip": (csv_zip_bytes, TypeAdapter(ExportBook)),
}


def keyboard_rows(message: Outgoing) -> KeyboardRows | None:
    """The message's buttons as [label, callback data] rows, each data checked against Telegram's 64 bytes."""
    if not message.buttons:
        return None

    def data(button: Button) -> str:
        # Dialog prompts stamp their version on each button; other buttons carry their own data.
        if message.dialog_version is None:
            return checked_callback_data(button.value)
        return checked_callback_data(dialog_callback(message.dialog_version, button.value))

    return [[[button.label, data(button)] for button in row] for row in message.buttons]


def markup(rows: KeyboardRows | None) -> InlineKeyboardMarkup | None:
    if not rows:
        return None
    return InlineKeyboardMarkup(
        [[InlineKeyboardButton(label, callback_data=data) for label, data in row] for row in rows]
    )


def keyboard(message: Outgoing) -> InlineKeyboardMarkup | None:
    return markup(keyboard_rows(message))


def drawing_of(photo: Photo | Document) -> dict[str, Any] | None:
    """What draws `photo` (or makes a document) again after a restart, if it is a known drawing of its
    data; else None."""
    render = photo.render
    if not isinstance(render, partial) or render.keywords or len(render.args) != 1:
        return None
    for name, (draw_function, adapter) in DRAWINGS.items():
        if render.func is draw_function:
            return {"name": name, "data": adapter.dump_python(render.args[0], mode="json")}
    return None


def draw(drawing: dict[str, Any]) -> bytes:
    """The PNG of a stored drawing (called off the event loop: it takes tens of milliseconds)."""
    draw_function, adapter = DRAWINGS[drawing["name"]]
    return draw_function(adapter.validate_python(drawing["data"]))


def text_messages(message: Outgoing) -> list[NewMessage]:
    """One message per part of the text, within 4,096; the keyboard goes with the last."""
    parts = split_text(message.text)
    rows = keyboard_rows(message)
    return [NewMessage(part, rows if last else None) for last, part in _mark_last(parts)]


async def photo_messages(photo: Photo) -> list[NewMessage]:
    caption, rest = split_caption(photo.caption or "")
    drawing = drawing_of(photo)
    # Drawn here only when it cannot be drawn again later; a thread keeps the event loop free meanwhile.
    png = None if drawing is not None else await asyncio.to_thread(photo.render)
    return [NewMessage(caption, photo=png, drawing=drawing), *(NewMessage(text) for text in rest)]


async def document_messages(document: Document) -> list[NewMessage]:
    """A file and its caption (over 1,024 it continues as text, as a photo's does). A known drawing is
    stored as its data and made by the outbox before its send starts (bot/scheduler/outbox.py); any other
    is made here, within sendDocument's 50 MB (a bigger one fails the turn before its commit)."""
    caption, rest = split_caption(document.caption or "")
    drawing = drawing_of(document)
    content = None if drawing is not None else checked_document(await asyncio.to_thread(document.render))
    first = NewMessage(caption, drawing=drawing, document=content, document_name=document.file_name)
    return [first, *(NewMessage(text) for text in rest)]


async def new_messages(replies: Sequence[Reply]) -> list[NewMessage]:
    """The replies as the messages Telegram takes, in order."""
    messages: list[NewMessage] = []
    for reply in replies:
        if isinstance(reply, Photo):
            messages += await photo_messages(reply)
        elif isinstance(reply, Document):
            messages += await document_messages(reply)
        else:
            messages += text_messages(reply)
    return messages


async def record_replies(turn: Turn, chat_id: int) -> int:
    """The turn's replies into the outbox, in the turn's transaction: they commit with its effects. How
    many messages they make. Its notices to other chats are recorded too, for the outbox's tick to send."""
    await record_notices(turn)
    if not turn.replies:
        return 0
    messages = await new_messages(turn.replies)
    await OutboxRepository(turn.session).add(chat_id, messages, turn.now)
    return len(messages)


async def record_notices(turn: Turn) -> None:
    """The turn's messages to other chats into the outbox, in the turn's transaction, in order per chat."""
    outbox = OutboxRepository(turn.session)
    for chat_id, message in turn.notices:
        await outbox.add(chat_id, await new_messages([message]), turn.now)
    turn.notices.clear()


def _mark_last(parts: list[str]) -> list[tuple[bool, str]]:
    return [(index == len(parts) - 1, part) for index, part in enumerate(parts)]
