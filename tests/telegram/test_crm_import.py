"""File import through the Telegram conversation (issue 14): a Zoho CRM or Fxiaoke export sent as a file,
its preview (figures checked against the file's known content), Import, and what the database then holds."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from decimal import Decimal

from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession

from bot.app import build_application, startup
from bot.devtools.fake_bot_api import FakeBotApi
from bot.devtools.inprocess_request import InProcessRequest
from bot.i18n import translator
from bot.services.container import build_services
from bot.services.goal_text import date_text, money_text, number_text
from bot.settings import Settings
from bot.storage.models import DialogState
from bot.telegram.context import BotApplication
from tests.auxil.chat import Chat, labels
from tests.auxil.clock import FakeClock
from tests.auxil.crm_chat import counts, crm_rows, send_file, totals, with_goals
from tests.auxil.crm_files import (
    fxiaoke_opportunities_csv,
    fxiaoke_opportunities_xlsx,
    fxiaoke_opportunity_rows,
    zoho_call_rows,
    zoho_calls_csv,
    zoho_deal_rows,
    zoho_deals_csv,
)
from tests.auxil.crm_imports import add_user
from tests.auxil.database import fetch

EN, ZH = translator("en"), translator("zh_CN")


def won_zoho(rows: list[tuple[str, ...]]) -> tuple[int, Decimal]:
    won = [Decimal(row[2]) for row in rows if row[3] == "Closed Won"]
    return len(won), sum(won, Decimal(0))


def won_fxiaoke(rows: list[tuple[str, ...]]) -> tuple[int, Decimal]:
    won = [Decimal(row[3]) for row in rows if row[5] == "赢单"]
    return len(won), sum(won, Decimal(0))


def day_range(days: list[str]) -> tuple[date, date]:
    parsed = [date.fromisoformat(day[:10]) for day in days]
    return min(parsed), max(parsed)


async def test_zoho_deals_in_english_preview_then_import(
    make_chat: Callable[..., Chat], engine: AsyncEngine
) -> None:
    chat = make_chat()
    await with_goals(engine, chat)
    rows = zoho_deal_rows(200)
    won, total = won_zoho(rows)
    first, last = day_range([row[4] for row in rows])
    [preview] = await send_file(chat, zoho_deals_csv(200), "Deals_2026_11_30.csv")
    text = preview.text
    assert "Preview of Deals_2026_11_30.csv: 200 rows read." in text
    assert f"{won} won deals, {money_text(total, 'CNY', EN)} in all" in text
    assert f"Dates: {date_text(first, EN)} to {date_text(last, EN)}" in text
    assert "New: 200 · changed: 0 · reversed (no longer won): 0 · unchanged: 0" in text
    assert labels(preview) == ["📥 Import", "✖ Cancel"]
    assert await counts(engine, chat.id) == (0, 0, 0)  # nothing is written before Import
    [done] = await chat.press("📥 Import")
    assert done.text.startswith("Imported. Added: 200 · changed: 0 · reversed: 0 · unchanged: 0.")
    stored = await crm_rows(engine, chat.id)
    assert len(stored) == 200 and {row.record_id for row in stored} == {
        row[0].removeprefix("zcrm_") for row in rows
    }
    assert (await totals(engine, chat.id)) == {"revenue": total, "deals": Decimal(won)}
    assert await fetch(engine, DialogState, chat.id) is None


async def test_zoho_deals_in_chinese(make_chat: Callable[..., Chat], engine: AsyncEngine) -> None:
    chat = make_chat(language_code="zh-hans")
    await with_goals(engine, chat, language="zh_CN")
    rows = zoho_deal_rows(200)
    won, total = won_zoho(rows)
    first, last = day_range([row[4] for row in rows])
    [preview] = await send_file(chat, zoho_deals_csv(200), "Deals.csv")
    assert "预览 Deals.csv：读取了 200 行。" in preview.text
    assert f"赢单 {won} 个，共 {money_text(total, 'CNY', ZH)}" in preview.text
    assert f"日期：{date_text(first, ZH)}至{date_text(last, ZH)}" in preview.text
    assert "新增：200 · 更新：0 · 撤回（不再是赢单）：0 · 未变：0" in preview.text
    assert preview.text.endswith("导入这些业绩吗？")
    [done] = await chat.press("📥 导入")
    assert done.text.startswith("已导入。新增：200 · 更新：0 · 撤回：0 · 未变：0。")
    assert len(await crm_rows(engine, chat.id)) == 200
    assert (await totals(engine, chat.id)) == {"revenue": total, "deals": Decimal(won)}


async def test_the_same_file_again_brings_nothing_new(
    make_chat: Callable[..., Chat], engine: AsyncEngine
) -> None:
    chat = make_chat()
    await with_goals(engine, chat)
    await send_file(chat, zoho_deals_csv(200), "deals.csv")
    await chat.press("📥 Import")
    before = await counts(engine, chat.id), await totals(engine, chat.id)
    [again] = await send_file(chat, zoho_deals_csv(200), "deals.csv")
    assert "Nothing new: every record is already imported as it is." in again.text
    assert "There is nothing to import." in again.text and not again.buttons
    assert (await counts(engine, chat.id), await totals(engine, chat.id)) == before
    assert await fetch(engine, DialogState, chat.id) is None


async def test_an_updated_export_changes_one_deal_and_reverses_another(
    make_chat: Callable[..., Chat], engine: AsyncEngine
) -> None:
    chat = make_chat()
    await with_goals(engine, chat)
    rows = zoho_deal_rows(200)
    await send_file(chat, zoho_deals_csv(rows), "deals.csv")
    await chat.press("📥 Import")
    won_rows = [index for index, row in enumerate(rows) if row[3] == "Closed Won"]
    changed, reversed_ = won_rows[0], won_rows[1]
    updated = list(rows)
    updated[changed] = (*rows[changed][:2], str(Decimal(rows[changed][2]) + 1000), *rows[changed][3:])
    updated[reversed_] = (*rows[reversed_][:3], "Closed Lost", *rows[reversed_][4:])
    [preview] = await send_file(chat, zoho_deals_csv(updated), "deals (1).csv")
    assert "New: 0 · changed: 1 · reversed (no longer won): 1 · unchanged: 198" in preview.text
    [done] = await chat.press("📥 Import")
    assert "Added: 0 · changed: 1 · reversed: 1 · unchanged: 198." in done.text
    won, total = won_zoho(updated)
    assert (await totals(engine, chat.id)) == {"revenue": total, "deals": Decimal(won)}


async def test_zoho_calls_counted_as_calls(make_chat: Callable[..., Chat], engine: AsyncEngine) -> None:
    chat = make_chat()
    await with_goals(engine, chat)
    rows = zoho_call_rows(60)
    missed = [number for number, row in enumerate(rows, start=2) if row[2] == "Missed"]
    held = 60 - len(missed)
    [preview] = await send_file(chat, zoho_calls_csv(rows), "Calls.csv")
    assert "60 rows read" in preview.text and f"Activities: {held} calls" in preview.text
    assert "0 won deals" in preview.text
    shown = ", ".join(str(number) for number in missed[:5])
    assert f"• {len(missed)} rows skipped: a call or meeting that has not taken place" in preview.text
    assert f"(rows {shown}…)" in preview.text
    await chat.press("📥 Import")
    assert len(await crm_rows(engine, chat.id)) == held
    assert (await totals(engine, chat.id)).get("calls") == Decimal(held)


async def test_fxiaoke_opportunities_xlsx_in_chinese(
    make_chat: Callable[..., Chat], engine: AsyncEngine
) -> None:
    chat = make_chat(language_code="zh-hans")
    await with_goals(engine, chat, language="zh_CN")
    rows = fxiaoke_opportunity_rows(120)
    won, total = won_fxiaoke(rows)
    first, last = day_range([row[6] for row in rows])
    [preview] = await send_file(chat, fxiaoke_opportunities_xlsx(120), "商机导出.xlsx")
    text = preview.text
    assert "预览 商机导出.xlsx：读取了 120 行。" in text
    assert f"赢单 {won} 个，共 {money_text(total, 'CNY', ZH)}" in text
    assert f"日期：{date_text(first, ZH)}至{date_text(last, ZH)}" in text
    assert labels(preview) == ["📥 导入", "✖ 取消"]
    [done] = await chat.press("📥 导入")
    assert done.text.startswith(f"已导入。新增：{number_text(120, ZH)}")
    assert len(await crm_rows(engine, chat.id)) == 120
    assert (await totals(engine, chat.id)) == {"revenue": total, "deals": Decimal(won)}


async def test_fxiaoke_opportunities_as_gbk_csv(make_chat: Callable[..., Chat], engine: AsyncEngine) -> None:
    chat = make_chat(language_code="zh-hans")
    await with_goals(engine, chat, language="zh_CN")
    rows = fxiaoke_opportunity_rows(120)
    won, total = won_fxiaoke(rows)
    [preview] = await send_file(chat, fxiaoke_opportunities_csv(120), "商机.csv")
    assert (
        "读取了 120 行" in preview.text
        and f"赢单 {won} 个，共 {money_text(total, 'CNY', ZH)}" in preview.text
    )
    await chat.press("📥 导入")
    assert (await totals(engine, chat.id)) == {"revenue": total, "deals": Decimal(won)}


async def test_a_restart_between_preview_and_import_still_imports(
    make_chat: Callable[..., Chat],
    engine: AsyncEngine,
    settings: Settings,
    clock: FakeClock,
    bot_api: FakeBotApi,
    app: BotApplication,
) -> None:
    """The dialog keeps the file_id, not the bytes: Import, pressed in a new process (a new application and
    services on the same database), downloads the file again."""
    chat = make_chat()
    await with_goals(engine, chat)
    [preview] = await send_file(chat, zoho_deals_csv(30), "deals.csv")
    dialog = await fetch(engine, DialogState, chat.id)
    assert isinstance(dialog, DialogState) and dialog.step == "preview"
    assert "zcrm_" not in str(dialog.data)  # no row of the file is kept in the dialog's state
    assert len(str(dialog.data)) < 4_000
    await app.bot_data.outbox.flush()  # the first process stops as a shutdown does: its sends written down
    restarted = build_application(
        settings, request=InProcessRequest(bot_api), rate_limited=False,
        services=build_services(settings, clock, engine=engine),
    )  # fmt: skip
    async with restarted:
        await startup(restarted)
        [done] = await Chat(restarted, bot_api, chat.user).press("📥 Import", on=preview)
    assert done.text.startswith("Imported. Added: 30 ·")
    assert len(await crm_rows(engine, chat.id)) == 30
    downloads = [call for call in bot_api.calls if call.method == "getFile"]
    assert len(downloads) == 2  # once for the preview, once for Import


async def test_results_outside_every_goals_dates_are_kept_and_the_user_is_told_why_nothing_moved(
    make_chat: Callable[..., Chat], engine: AsyncEngine
) -> None:
    # A salesperson who set their goal today imports last quarter's export: the deals are stored, no goal
    # counts them, and the reply says so instead of sending them to an unchanged /progress.
    chat = make_chat()
    async with AsyncSession(engine, expire_on_commit=False) as session, session.begin():
        await add_user(session, chat.id, metrics=("revenue", "deals"), start=date(2027, 1, 4),
                       deadline=date(2027, 6, 30))  # fmt: skip
    await send_file(chat, zoho_deals_csv(200), "Deals_2026_11_30.csv")
    [done] = await chat.press("📥 Import")
    assert done.text.startswith("Imported. Added: 200 · changed: 0 · reversed: 0 · unchanged: 0.")
    assert "None of these results fall within the dates of an open goal" in done.text
    assert "/progress" not in done.text
    assert len(await crm_rows(engine, chat.id)) == 200
    assert await totals(engine, chat.id) == {}


async def test_an_import_that_counts_points_to_progress(
    make_chat: Callable[..., Chat], engine: AsyncEngine
) -> None:
    chat = make_chat()
    await with_goals(engine, chat)
    await send_file(chat, zoho_deals_csv(20), "Deals.csv")
    [done] = await chat.press("📥 Import")
    assert done.text.endswith("/progress shows where you stand now.")
    assert "None of these results" not in done.text
