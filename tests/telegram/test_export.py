"""/export: the user's own data as an XLSX workbook and a CSV zip, read back and compared with the database
row by row, in English and in Chinese; formula-like text neutralised in both; sent once through the outbox."""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator, Callable
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

import pytest
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession

from bot.app import build_application, startup
from bot.devtools.fake_bot_api import FakeBotApi, Fault
from bot.devtools.inprocess_request import InProcessRequest
from bot.scheduler.outbox import OutboxConfig
from bot.services.container import Services
from bot.settings import Settings
from bot.storage.coaching_models import Setback
from bot.storage.message_models import OutboxMessage
from bot.storage.models import ActivityLog, Entry, GoalAudit, ReviewAnswer
from bot.telegram.context import BotApplication
from bot.telegram.limits import MAX_CAPTION_LENGTH
from tests.auxil.chat import Chat, texts
from tests.auxil.clock import FakeClock
from tests.auxil.database import rows
from tests.auxil.exports import (
    FORMULAS,
    documents,
    local,
    workbook_cells,
    workbook_values,
    write_history,
    zip_tables,
)
from tests.auxil.goals import onboard

SHEETS = {
    "en": ["About", "Goals", "Goal changes", "Plans", "Plan by month", "Results", "Activities", "Reviews", "Setbacks",
           "Strategy changes", "Rewards", "Nudges"],
    "zh": ["说明", "目标", "目标修改记录", "计划", "按月计划", "业绩", "活动", "回顾", "挫折", "策略调整", "奖励", "教练提醒"],
}  # fmt: skip
RESULT_HEADERS = {
    "en": ["Day", "Goal id", "Goal", "Amount", "Source", "CRM system", "CRM record id", "Recorded at"],
    "zh": ["日期", "目标 ID", "目标", "数量", "来源", "CRM 系统", "CRM 记录 ID", "记录时间"],
}
SOURCES = {"en": {"review": "review", "crm": "CRM import"}, "zh": {"review": "回顾", "crm": "CRM 导入"}}
CSV_FILES = ["about.csv", "goals.csv", "goal_changes.csv", "plans.csv", "plan_months.csv", "results.csv", "activities.csv",
             "reviews.csv", "setbacks.csv", "strategy_changes.csv", "rewards.csv", "nudges.csv"]  # fmt: skip


async def exported(chat: Chat) -> tuple[bytes, bytes, list[Any]]:
    """/export: the workbook, the zip, and every call it made."""
    sent = await chat.send("/export")
    files = documents(sent)
    assert [call.file_names["document"][-5:] for call in files] == [".xlsx", "v.zip"]
    return files[0].files["document"], files[1].files["document"], sent


@pytest.mark.parametrize("language", ["en", "zh"])
async def test_the_export_reads_back_as_the_database_holds_it(
    language: str, make_chat: Callable[..., Chat], engine: AsyncEngine, services: Services
) -> None:
    chat = make_chat(language_code="en" if language == "en" else "zh-hans")
    await onboard(chat, language)
    ids = await write_history(engine, chat.id, services.now())

    workbook, archive, sent = await exported(chat)

    names = [call.file_names["document"] for call in documents(sent)]
    assert names == ["quota-coach-export-2026-11-27.xlsx", "quota-coach-export-2026-11-27-csv.zip"]
    assert all(len(call.text) <= MAX_CAPTION_LENGTH for call in sent)
    assert ("26 rows" if language == "en" else "共 26 行") in sent[0].text
    sheets = workbook_values(workbook)
    assert list(sheets) == SHEETS[language]
    about = dict((row[0], row[1]) for row in sheets[SHEETS[language][0]][1:])
    assert about["Exported at" if language == "en" else "导出时间"] == local(services.now())
    assert about["Telegram id" if language == "en" else "Telegram ID"] == str(chat.id)

    # Results: one row per entry, day by day, with its source and the CRM record it came from.
    results = sheets[SHEETS[language][5]]
    assert results[0] == RESULT_HEADERS[language]
    entries = sorted(await rows(engine, Entry, user_id=chat.id), key=lambda e: (e.day, e.id))
    assert len(results) - 1 == len(entries) == 6
    for row, entry in zip(results[1:], entries, strict=True):
        day, goal_id, _goal, amount, source, system, record_id, recorded = row
        assert (day.date(), goal_id, Decimal(str(amount))) == (entry.day, entry.goal_id, entry.amount)
        assert source == SOURCES[language][entry.source]
        assert (system, record_id) == (
            ("zoho", "zcrm_5725767000000417001") if entry.crm_record_id else (None, None)
        )
        assert recorded == local(entry.created_at)
    assert Decimal("88000.5") in [Decimal(str(row[3])) for row in results[1:]]

    activities = sheets[SHEETS[language][6]]
    logs = sorted(await rows(engine, ActivityLog, user_id=chat.id), key=lambda a: (a.day, a.id))
    assert [(r[0].date(), Decimal(str(r[2])), r[4], r[5]) for r in activities[1:]] == [
        (a.day, a.amount, "fxiaoke" if a.crm_record_id == ids["visit"] else None,
         "65a1f0c2e4b0" if a.crm_record_id == ids["visit"] else None)
        for a in logs
    ]  # fmt: skip
    audit = await rows(engine, GoalAudit, goal_id=ids["goal"])
    changes = sheets[SHEETS[language][2]]
    assert [(r[0], r[1], r[2], r[3], r[4]) for r in changes[1:]] == [
        (a.goal_id, local(a.at), a.field, a.old_value, a.new_value) for a in audit
    ]
    goal_row = sheets[SHEETS[language][1]][1]
    assert goal_row[:2] == [ids["goal"], "Sell the ERP upgrade to 医院 clients in 华东"]
    assert (goal_row[5], goal_row[9].date()) == (500_000, date(2027, 3, 31))
    # The plan's figures: the goal's months (Nov 2026 to Mar 2027), adding up to its target.
    months = sheets[SHEETS[language][4]][1:]
    assert [row[1] for row in months] == ["2026-11", "2026-12", "2027-01", "2027-02", "2027-03"]
    assert sum(Decimal(str(row[5])) for row in months) == 500_000
    assert months[1][5] == 200_000, "December's 40% share"
    (review,) = await rows(engine, ReviewAnswer, user_id=chat.id)
    review_row = sheets[SHEETS[language][7]][1]
    assert (review_row[0].date(), review_row[2]) == (review.day, 4) and "went_well: 两个新客户" in review_row[
        3
    ]

    # The zip: the same sheets as CSV files, the same rows as text.
    tables = zip_tables(archive)
    assert list(tables) == CSV_FILES
    assert tables["results.csv"][0] == RESULT_HEADERS[language]
    assert [row[0] for row in tables["results.csv"][1:]] == [e.day.isoformat() for e in entries]
    assert [Decimal(row[3]) for row in tables["results.csv"][1:]] == [e.amount for e in entries]
    assert tables["results.csv"][1][7] == local(entries[0].created_at).isoformat(sep=" ")
    assert tables["goals.csv"][1][1] == "Sell the ERP upgrade to 医院 clients in 华东"
    assert len(tables["activities.csv"]) == len(activities)


async def test_formula_like_text_is_never_a_formula_in_either_file(
    make_chat: Callable[..., Chat], engine: AsyncEngine, services: Services
) -> None:
    chat = make_chat()
    await onboard(chat)
    await write_history(engine, chat.id, services.now())

    workbook, archive, _sent = await exported(chat)

    cells = [cell for rows_ in workbook_cells(workbook).values() for row in rows_ for cell in row]
    assert not [cell.coordinate for cell in cells if cell.data_type == "f"], "no cell is a formula"
    dangerous = [cell for cell in cells if isinstance(cell.value, str) and cell.value.startswith(("=", "+", "-", "@", "\t", "\r"))]  # fmt: skip
    seen = {cell.value for cell in dangerous}
    assert {FORMULAS[0], FORMULAS[1], FORMULAS[2]} <= seen  # whole cells, as the user wrote them
    assert all(cell.data_type == "s" and cell.quotePrefix for cell in dangerous)
    treat = workbook_cells(workbook)["Rewards"][1][4]  # XML reads the carriage return back as a line feed
    assert (treat.value, treat.data_type, treat.quotePrefix) == ("\n=1+1", "s", True)
    (setback,) = await rows(engine, Setback, user_id=chat.id)
    setbacks = workbook_values(workbook)["Setbacks"]
    assert setbacks[1][1] == setback.summary == FORMULAS[0]

    tables = zip_tables(archive)
    csv_cells = [value for table in tables.values() for row in table for value in row]
    assert not [value for value in csv_cells if value.startswith(("=", "+", "-", "@", "\t", "\r"))]
    assert tables["setbacks.csv"][1][1] == "'" + FORMULAS[0]
    assert tables["strategy_changes.csv"][1][4] == "'" + FORMULAS[1]
    assert tables["goal_changes.csv"][2][4] == "'" + FORMULAS[2]
    assert tables["rewards.csv"][1][4] == "'" + FORMULAS[5]


async def test_a_user_with_nothing_recorded_is_told_so_instead_of_empty_files(
    make_chat: Callable[..., Chat], engine: AsyncEngine
) -> None:
    chat = make_chat(language_code="zh-hans")
    await onboard(chat, "zh")

    sent = await chat.send("/export")

    assert documents(sent) == []
    assert texts(sent) == "还没有可导出的数据：没有目标、业绩或回顾。用 /newgoal 定下第一个目标吧。"
    assert [m.document_name for m in await rows(engine, OutboxMessage, chat_id=chat.id)].count(None) == len(
        await rows(engine, OutboxMessage, chat_id=chat.id)
    )


async def test_the_files_go_through_the_outbox_once_and_are_not_kept_there(
    app: BotApplication, make_chat: Callable[..., Chat], engine: AsyncEngine, services: Services
) -> None:
    chat = make_chat()
    await onboard(chat)
    await write_history(engine, chat.id, services.now())

    await exported(chat)
    await app.bot_data.outbox.flush()
    await app.bot_data.outbox.tick()

    files = [m for m in await rows(engine, OutboxMessage, chat_id=chat.id) if m.document_name]
    assert [(m.document_name[-4:], m.status, m.attempts) for m in files] == [
        ("xlsx", "sent", 1),
        (".zip", "sent", 1),
    ]
    assert [(m.document, m.drawing) for m in files] == [(None, None), (None, None)], (
        "the user's data is not kept"
    )
    assert len(documents(chat.api.sent_to(chat.id))) == 2


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


async def test_killed_while_the_workbook_is_on_its_way_it_is_never_sent_twice_and_the_zip_follows(
    make_chat: Callable[..., Chat],
    bot_api: FakeBotApi,
    engine: AsyncEngine,
    services: Services,
    restart: Callable[[FakeBotApi], asyncio.Future[BotApplication]],
) -> None:
    chat = make_chat()
    await onboard(chat)
    await write_history(engine, chat.id, services.now())
    hold = Fault(200, "held", method="sendDocument", chat_id=chat.id, release=asyncio.Event())
    bot_api.faults.insert(0, hold)
    turn = asyncio.create_task(chat.send("/export"))
    await bot_api.wait_for(lambda _: hold.held == 1)
    turn.cancel()  # the process dies with the workbook's request under way, after the commit
    with pytest.raises(asyncio.CancelledError):
        await turn
    files = [m for m in await rows(engine, OutboxMessage, chat_id=chat.id) if m.document_name]
    assert [m.status for m in files] == ["sending", "pending"]

    after = FakeBotApi()
    restarted = await restart(after)
    await restarted.bot_data.outbox.tick()
    await restarted.bot_data.outbox.tick()

    arrived = documents(after.sent_to(chat.id))
    assert [call.file_names["document"] for call in arrived] == ["quota-coach-export-2026-11-27-csv.zip"]
    assert zip_tables(arrived[0].files["document"])["results.csv"][0][0] == "Day", "made from the stored rows"
    files = [m for m in await rows(engine, OutboxMessage, chat_id=chat.id) if m.document_name]
    assert [m.status for m in files] == ["unconfirmed", "sent"]
    assert documents(bot_api.sent_to(chat.id)) == [], "the held workbook never arrived, and is not repeated"


async def test_a_year_of_daily_results_is_read_in_the_turn_and_made_into_files_when_sent(
    make_chat: Callable[..., Chat], engine: AsyncEngine, services: Services
) -> None:
    """The turn only reads: the workbook is made after its commit, so the database is not held meanwhile."""
    chat = make_chat()
    await onboard(chat)
    await write_history(engine, chat.id, services.now(), days=365)
    async with AsyncSession(engine) as session, session.begin():
        first = date(2025, 11, 27)
        for offset in range(365):
            for measure in ("visits", "meetings"):
                session.add(ActivityLog(user_id=chat.id, day=first + timedelta(days=offset), measure=measure,
                                        amount=Decimal(3), created_at=services.now()))  # fmt: skip

    started = time.perf_counter()
    workbook, archive, _sent = await exported(chat)
    seconds = time.perf_counter() - started

    sheets = workbook_values(workbook)
    assert len(sheets["Results"]) == 1 + 366 and len(sheets["Activities"]) == 1 + 365 * 3 + 1
    assert len(zip_tables(archive)["activities.csv"]) == 1 + 365 * 3 + 1
    assert seconds < 30, f"a year took {seconds:.1f} s"
