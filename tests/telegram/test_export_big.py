"""/export past the old 30,000-row cap (export14b): a history the size of a big CRM import exports whole,
the user told first that it takes a while; its files are made before their send starts, so a restart
while they are being made sends them once; the row and size limits give a clear reply."""

from __future__ import annotations

import asyncio
import io
import threading
from collections.abc import AsyncIterator, Callable
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

import pytest
from python_calamine import CalamineWorkbook
from sqlalchemy import insert
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession

from bot.app import build_application, startup
from bot.devtools.fake_bot_api import FakeBotApi
from bot.devtools.inprocess_request import InProcessRequest
from bot.i18n import translator
from bot.scheduler import outbox
from bot.scheduler.outbox import OutboxConfig
from bot.services import export
from bot.services.container import Services
from bot.services.export import MAX_EXPORT_ROWS, refusal
from bot.services.export_files import CellKind, Column, ExportBook, Sheet
from bot.settings import Settings
from bot.storage.message_models import OutboxMessage
from bot.storage.models import ActivityLog, Entry, Goal
from bot.telegram import render, sending
from bot.telegram.context import BotApplication
from tests.auxil.chat import Chat, texts
from tests.auxil.clock import FakeClock
from tests.auxil.database import rows
from tests.auxil.exports import documents, write_history, zip_tables
from tests.auxil.goals import onboard

BIG = 31_000  # results: above the old cap of 30,000


def sheet_values(content: bytes, name: str) -> list[list[Any]]:
    """One sheet of the workbook as rows of values, read by python-calamine (the import's reader: it reads
    tens of thousands of rows in a fraction of openpyxl's time)."""
    return list(CalamineWorkbook.from_filelike(io.BytesIO(content)).get_sheet_by_name(name).to_python())


async def add_results(
    engine: AsyncEngine, user_id: int, goal_id: int, count: int, services: Services
) -> None:
    """`count` imported results, a few a day from 2020 on (as a big CRM import writes them)."""
    first, at = date(2020, 1, 1), services.now()
    results = [
        {"user_id": user_id, "goal_id": goal_id, "day": first + timedelta(days=n // 20),
         "amount": Decimal(n % 9_000) + Decimal("0.25"), "source": "crm", "created_at": at}
        for n in range(count)
    ]  # fmt: skip
    async with AsyncSession(engine) as session, session.begin():
        await session.execute(insert(Entry), results)


@pytest.mark.slow  # ~20 s on an idle 2-core machine (a minute under load): making and reading 31,000 rows
async def test_a_history_above_the_old_cap_exports_whole_and_reads_back_as_the_database_holds_it(
    make_chat: Callable[..., Chat], engine: AsyncEngine, services: Services, app: BotApplication
) -> None:
    chat = make_chat()
    await onboard(chat)
    ids = await write_history(engine, chat.id, services.now())
    await add_results(engine, chat.id, ids["goal"], BIG, services)

    sent = await chat.send("/export")

    total = len(await rows(engine, Entry, user_id=chat.id))
    assert sent[0].method == "sendMessage" and sent[0].text.startswith("⏳ Preparing 31,02"), sent[0].text
    assert "the workbook and the zip follow in a minute or so" in sent[0].text
    files = documents(sent)
    assert [call.file_names["document"][-5:] for call in files] == [".xlsx", "v.zip"]
    entries = sorted(await rows(engine, Entry, user_id=chat.id), key=lambda e: (e.day, e.id))
    expected = [(entry.day, entry.goal_id, entry.amount) for entry in entries]
    results = sheet_values(files[0].files["document"], "Results")
    assert len(results) - 1 == total > BIG
    assert [(row[0], int(row[1]), Decimal(str(row[3]))) for row in results[1:]] == expected
    table = zip_tables(files[1].files["document"])["results.csv"]
    assert [(date.fromisoformat(r[0]), int(r[1]), Decimal(r[3])) for r in table[1:]] == expected
    await app.bot_data.outbox.flush()
    made = [m for m in await rows(engine, OutboxMessage, chat_id=chat.id) if m.document_name]
    assert [(m.status, m.attempts, m.document, m.drawing) for m in made] == [("sent", 1, None, None)] * 2


@pytest.fixture
async def restart(
    settings: Settings, services: Services, clock: FakeClock
) -> AsyncIterator[Callable[[FakeBotApi], asyncio.Future[BotApplication]]]:
    """Another Application on the same database, started as the bot starts after a crash."""
    started: list[BotApplication] = []

    async def start(api: FakeBotApi) -> BotApplication:
        if not settings.is_sqlite:
            clock.advance(seconds=OutboxConfig().lease.total_seconds() + 1)  # the dead process's lease ends
        application = build_application(
            settings, request=InProcessRequest(api), rate_limited=False, services=services
        )
        await application.initialize()
        started.append(application)
        await startup(application)
        return application

    yield start  # type: ignore[misc]
    for application in started:
        await application.shutdown()


async def test_killed_while_the_workbook_is_being_made_both_files_are_sent_once_after_the_restart(
    make_chat: Callable[..., Chat],
    bot_api: FakeBotApi,
    engine: AsyncEngine,
    services: Services,
    restart: Callable[[FakeBotApi], asyncio.Future[BotApplication]],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    chat = make_chat()
    await onboard(chat)
    await write_history(engine, chat.id, services.now())
    making, release = threading.Event(), threading.Event()

    def held(drawing: dict[str, Any]) -> bytes:
        """The real file, the workbook made once the test lets it: the process dies meanwhile."""
        if drawing["name"] == "export_workbook":
            making.set()
            release.wait(30)
        return render.draw(drawing)

    monkeypatch.setattr(outbox, "draw", held)
    turn = asyncio.create_task(chat.send("/export"))
    assert await asyncio.to_thread(making.wait, 30)
    turn.cancel()
    with pytest.raises(asyncio.CancelledError):
        await turn
    files = [m for m in await rows(engine, OutboxMessage, chat_id=chat.id) if m.document_name]
    assert [(m.status, m.attempts, m.document) for m in files] == [("pending", 0, None)] * 2, (
        "being made is not being sent"
    )
    release.set()

    after = FakeBotApi()
    restarted = await restart(after)
    await restarted.bot_data.outbox.tick()
    await restarted.bot_data.outbox.flush()

    arrived = documents(after.sent_to(chat.id))
    assert [call.file_names["document"] for call in arrived] == [
        "quota-coach-export-2026-11-27.xlsx",
        "quota-coach-export-2026-11-27-csv.zip",
    ]
    goals = await rows(engine, Goal, user_id=chat.id)
    results = sheet_values(arrived[0].files["document"], "Results")
    assert len(results) - 1 == len(await rows(engine, Entry, user_id=chat.id)) and len(goals) == 1
    assert documents(bot_api.sent_to(chat.id)) == [], "nothing left the dead process"
    files = [m for m in await rows(engine, OutboxMessage, chat_id=chat.id) if m.document_name]
    assert [(m.status, m.attempts, m.document, m.drawing) for m in files] == [("sent", 1, None, None)] * 2


async def test_a_workbook_that_cannot_be_made_fails_once_and_the_zip_still_goes(
    make_chat: Callable[..., Chat],
    engine: AsyncEngine,
    services: Services,
    monkeypatch: pytest.MonkeyPatch,
    app: BotApplication,
) -> None:
    chat = make_chat()
    await onboard(chat)
    await write_history(engine, chat.id, services.now())
    made: list[str] = []

    def broken(drawing: dict[str, Any]) -> bytes:
        """The zip as it is; the workbook fails as a bug in its making would."""
        made.append(drawing["name"])
        if drawing["name"] == "export_workbook":
            raise ValueError("a bug in the writer")
        return render.draw(drawing)

    monkeypatch.setattr(outbox, "draw", broken)  # before its send
    monkeypatch.setattr(sending, "draw", broken)  # and at it

    sent = await chat.send("/export")

    assert [call.file_names["document"] for call in documents(sent)] == [
        "quota-coach-export-2026-11-27-csv.zip"
    ]
    await app.bot_data.outbox.flush()
    files = [m for m in await rows(engine, OutboxMessage, chat_id=chat.id) if m.document_name]
    assert [(m.status, m.attempts) for m in files] == [("failed", 1), ("sent", 1)]
    assert files[0].reason == "permanent: ValueError: a bug in the writer" and files[0].drawing is None
    assert made == ["export_workbook", "export_workbook", "export_csv_zip"], "tried once more at its send"


async def test_a_history_over_the_export_limit_gets_a_clear_reply_and_no_files(
    make_chat: Callable[..., Chat], engine: AsyncEngine, services: Services, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert MAX_EXPORT_ROWS == 200_000, "twice the 100,000 rows one CRM import takes"
    monkeypatch.setattr(export, "MAX_EXPORT_ROWS", 40_000)  # the same rule, with fewer rows to write
    chat = make_chat()
    await onboard(chat)
    at, first = services.now(), date(2020, 1, 1)
    logs = [
        {"user_id": chat.id, "day": first + timedelta(days=n // 50), "measure": "calls", "amount": Decimal(1),
         "source": "crm", "created_at": at}
        for n in range(export.MAX_EXPORT_ROWS + 1)
    ]  # fmt: skip
    async with AsyncSession(engine) as session, session.begin():
        await session.execute(insert(ActivityLog), logs)

    sent = await chat.send("/export")

    assert documents(sent) == []
    assert texts(sent) == (
        "That is 40,001 rows, more than one export can carry (40,000 rows). "
        "Please ask the bot's administrator for a full copy."
    )
    assert not [m for m in await rows(engine, OutboxMessage, chat_id=chat.id) if m.document_name]


def test_an_export_whose_file_would_pass_telegrams_50_mb_is_refused_with_its_size() -> None:
    note = "a long review answer " * 1_000  # 21,000 bytes a cell
    count = 3_000  # about 63 MB of text
    sheet = Sheet("Reviews", "reviews", "what", (Column("Answers", CellKind.TEXT),), [(note,)] * count)
    book = ExportBook("About", ("What", "Value"), [], [sheet])

    reply = refusal(book, translator("en"))

    assert reply is not None
    assert texts_of(reply) == (
        "Your data would make a file of about 63 MB, and Telegram takes files up to 50 MB. "
        "Please ask the bot's administrator for a full copy."
    )
    smaller = ExportBook("About", ("What", "Value"), [], [Sheet("Reviews", "reviews", "what", sheet.columns,
                                                                 [(note,)] * 2_000)])  # fmt: skip
    assert refusal(smaller, translator("en")) is None


def texts_of(replies: list[Any]) -> str:
    return "\n".join(reply.text for reply in replies)
