"""What an import writes (issue 14, item 3): records land once, results derive from them, changes are
audited, a deal that leaves "won" is reversed, and an import lands whole or not at all."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

import pytest
from sqlalchemy import event, func, select
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession

from bot.core.crm.records import CrmRecord, CrmSystem, DealState, RecordKind
from bot.services.crm_import import FILE, ImportOutcome, remove_records, write_records
from bot.storage.crm_models import CrmRecordRow
from bot.storage.import_models import CrmImport
from bot.storage.models import ActivityLog, Entry, EntryAudit
from tests.auxil.crm_imports import NOW, activity, add_user, deal, goal_totals, measure_totals

DAY = date(2026, 11, 20)
LATER = NOW + timedelta(hours=3)


async def new_user(engine: AsyncEngine, **options: Any) -> int:
    async with AsyncSession(engine) as session, session.begin():
        return (await add_user(session, **options)).id


async def run_import(
    engine: AsyncEngine, user_id: int, records: Sequence[CrmRecord], **options: Any
) -> ImportOutcome:
    options.setdefault("now", NOW)
    async with AsyncSession(engine, expire_on_commit=False) as session, session.begin():
        return await write_records(session, user_id=user_id, records=records, imported_by=user_id, origin=FILE,
                                   **options)  # fmt: skip


async def totals(engine: AsyncEngine, user_id: int) -> tuple[dict[str, Decimal], dict[str, Decimal]]:
    async with AsyncSession(engine) as session:
        return await goal_totals(session, user_id), await measure_totals(session, user_id)


async def count(engine: AsyncEngine, model: Any, **where: Any) -> int:
    async with AsyncSession(engine) as session:
        return int(await session.scalar(select(func.count()).select_from(model).filter_by(**where)) or 0)


FIRST_FILE = [
    deal("zcrm_1", DAY, "120000"),
    deal("zcrm_2", DAY + timedelta(days=1), "80000.50"),
    deal("zcrm_3", DAY, "50000", DealState.LOST),
    deal("zcrm_4", DAY, "30000", DealState.OPEN),
    activity("c1", DAY),
    activity("c2", DAY + timedelta(days=2)),
    activity("m1", DAY, RecordKind.MEETING),
    activity("t1", DAY, RecordKind.TASK),
]


async def test_won_deals_and_activities_become_results_pointing_at_their_records(engine: AsyncEngine) -> None:
    user_id = await new_user(engine)
    outcome = await run_import(engine, user_id, FIRST_FILE, source_name="Deals_2026.csv")
    assert (outcome.added, outcome.changed, outcome.reversed, outcome.unchanged) == (8, 0, 0, 0)
    goals, measures = await totals(engine, user_id)
    # Lost and open deals and the task count nowhere; the meeting counts as a meeting (no goal of it).
    assert goals == {"revenue": Decimal("200000.50"), "deals": Decimal(2), "calls": Decimal(2)}
    assert measures == {"revenue": Decimal("200000.50"), "deals": Decimal(2), "calls": Decimal(2),
                        "meetings": Decimal(1)}  # fmt: skip
    async with AsyncSession(engine) as session:
        records = {row.record_id: row for row in await session.scalars(select(CrmRecordRow))}
        entries = (await session.scalars(select(Entry).where(Entry.user_id == user_id))).all()
        logs = (await session.scalars(select(ActivityLog).where(ActivityLog.user_id == user_id))).all()
        imports = (await session.scalars(select(CrmImport))).all()
    assert set(records) == {"zcrm_1", "zcrm_2", "zcrm_3", "zcrm_4", "c1", "c2", "m1", "t1"}
    assert all(row.source == "crm" and row.crm_record_id is not None for row in [*entries, *logs])
    by_id = {row.id: row.record_id for row in records.values()}
    assert sorted(by_id[e.crm_record_id] for e in entries if e.amount > 1) == ["zcrm_1", "zcrm_2"]
    assert {(by_id[a.crm_record_id], a.day) for a in logs if a.measure == "calls"} == {
        ("c1", DAY),
        ("c2", DAY + timedelta(days=2)),
    }
    [row] = imports
    assert (row.user_id, row.imported_by, row.origin, row.system, row.source_name, row.rows) == (
        user_id,
        user_id,
        "file",
        "zoho",
        "Deals_2026.csv",
        8,
    )
    assert (row.added, row.changed, row.reversed, row.unchanged, row.at) == (8, 0, 0, 0, NOW)
    assert outcome.import_id == row.id


async def test_importing_the_same_records_again_changes_nothing(engine: AsyncEngine) -> None:
    user_id = await new_user(engine)
    await run_import(engine, user_id, FIRST_FILE)
    before = await totals(engine, user_id)
    audits = await count(engine, EntryAudit, user_id=user_id)
    async with AsyncSession(engine) as session:
        stamps = {r.record_id: r.updated_at for r in await session.scalars(select(CrmRecordRow))}
        entry_ids = set(await session.scalars(select(Entry.id)))
    again = await run_import(engine, user_id, FIRST_FILE, now=LATER)
    assert (again.added, again.changed, again.reversed, again.unchanged) == (0, 0, 0, 8)
    assert await totals(engine, user_id) == before
    assert await count(engine, EntryAudit, user_id=user_id) == audits
    async with AsyncSession(engine) as session:
        assert {r.record_id: r.updated_at for r in await session.scalars(select(CrmRecordRow))} == stamps
        assert set(await session.scalars(select(Entry.id))) == entry_ids
    assert await count(engine, CrmImport, user_id=user_id) == 2  # the import itself is recorded


async def test_an_updated_deal_replaces_its_results_with_one_audit_row(engine: AsyncEngine) -> None:
    user_id = await new_user(engine)
    await run_import(engine, user_id, FIRST_FILE)
    audits = await count(engine, EntryAudit, user_id=user_id)
    updated = [deal("zcrm_1", DAY, "150000"), *FIRST_FILE[1:]]
    outcome = await run_import(engine, user_id, updated, now=LATER)
    assert (outcome.added, outcome.changed, outcome.reversed, outcome.unchanged) == (0, 1, 0, 7)
    goals, measures = await totals(engine, user_id)
    assert (goals["revenue"], goals["deals"]) == (Decimal("230000.50"), Decimal(2))
    assert measures["revenue"] == Decimal("230000.50")
    async with AsyncSession(engine) as session:
        new_audits = (await session.scalars(select(EntryAudit).where(EntryAudit.at == LATER))).all()
        row = await session.scalar(select(CrmRecordRow).where(CrmRecordRow.record_id == "zcrm_1"))
    assert await count(engine, EntryAudit, user_id=user_id) == audits + 1
    [audit] = new_audits
    assert audit.action == "crm_change" and audit.day == DAY
    assert '"120000"' in (audit.old_value or "") and '"150000"' in (audit.new_value or "")
    assert '"record": "zcrm_1"' in (audit.new_value or "")
    assert row is not None and row.amount == Decimal(150000) and row.updated_at == LATER
    assert row.first_seen_at == NOW


async def test_a_deal_that_left_won_is_reversed(engine: AsyncEngine) -> None:
    user_id = await new_user(engine)
    await run_import(engine, user_id, FIRST_FILE)
    lost = [deal("zcrm_1", DAY, "120000", DealState.LOST)]
    outcome = await run_import(engine, user_id, lost, now=LATER)
    assert (outcome.added, outcome.changed, outcome.reversed, outcome.unchanged) == (0, 0, 1, 0)
    goals, measures = await totals(engine, user_id)
    assert (goals["revenue"], goals["deals"]) == (Decimal("80000.50"), Decimal(1))
    assert measures["revenue"] == Decimal("80000.50")
    async with AsyncSession(engine) as session:
        [audit] = (await session.scalars(select(EntryAudit).where(EntryAudit.at == LATER))).all()
    assert audit.action == "crm_reverse" and audit.new_value is None and '"120000"' in (audit.old_value or "")
    # Won again later: it counts again, once.
    await run_import(engine, user_id, [deal("zcrm_1", DAY, "120000")], now=LATER + timedelta(hours=1))
    assert (await totals(engine, user_id))[0]["revenue"] == Decimal("200000.50")


async def test_records_the_crm_deleted_lose_their_results_and_stay_marked(engine: AsyncEngine) -> None:
    user_id = await new_user(engine)
    await run_import(engine, user_id, FIRST_FILE)
    async with AsyncSession(engine) as session, session.begin():
        removed = await remove_records(session, user_id=user_id, system=CrmSystem.ZOHO,
                                       record_ids=["zcrm_2", "c1", "zcrm_3", "nope"], now=LATER)  # fmt: skip
    assert removed == 3
    goals, _ = await totals(engine, user_id)
    assert (goals["revenue"], goals["deals"], goals["calls"]) == (Decimal(120000), Decimal(1), Decimal(1))
    async with AsyncSession(engine) as session:
        rows = {r.record_id: r for r in await session.scalars(select(CrmRecordRow))}
        actions = list(await session.scalars(select(EntryAudit.action).where(EntryAudit.at == LATER)))
    assert {k for k, r in rows.items() if r.removed_at == LATER} == {"zcrm_2", "c1", "zcrm_3"}
    assert sorted(actions) == ["crm_remove", "crm_remove"]  # the lost deal had no results to take back
    async with AsyncSession(engine) as session, session.begin():
        assert await remove_records(session, user_id=user_id, system=CrmSystem.ZOHO, record_ids=["zcrm_2"],
                                    now=LATER) == 0  # fmt: skip
    # The same record arriving again is recognised: it counts again.
    back = await run_import(engine, user_id, FIRST_FILE, now=LATER + timedelta(hours=1))
    assert (back.added, back.changed, back.unchanged) == (0, 3, 5)
    assert (await totals(engine, user_id))[0]["revenue"] == Decimal("200000.50")


async def test_results_go_only_to_goals_whose_window_holds_the_day(engine: AsyncEngine) -> None:
    user_id = await new_user(
        engine, metrics=("revenue",), start=date(2026, 11, 1), deadline=date(2026, 11, 30)
    )
    records = [
        deal("a", date(2026, 10, 31), 10),
        deal("b", date(2026, 11, 30), 20),
        deal("c", date(2026, 12, 1), 40),
    ]
    await run_import(engine, user_id, records)
    goals, measures = await totals(engine, user_id)
    assert goals == {"revenue": Decimal(20)}
    assert measures["revenue"] == Decimal(70)  # reported all the same, as /log reports outside a window


async def test_a_record_given_twice_in_one_import_counts_once_as_its_last_version(
    engine: AsyncEngine,
) -> None:
    user_id = await new_user(engine)
    outcome = await run_import(engine, user_id, [deal("x", DAY, 10), deal("x", DAY, 25)])
    assert (outcome.added, outcome.unchanged) == (1, 0)
    assert (await totals(engine, user_id))[0] == {"revenue": Decimal(25), "deals": Decimal(1)}


async def test_a_failure_midway_leaves_nothing(engine: AsyncEngine) -> None:
    user_id = await new_user(engine)
    await run_import(engine, user_id, FIRST_FILE)
    before = await totals(engine, user_id)
    records_before = await count(engine, CrmRecordRow)

    def fail_on_audit(conn: Any, cursor: Any, statement: str, *args: Any) -> None:
        # The database refuses the import's audit rows: by then its records and results are written.
        if statement.lstrip().upper().startswith("INSERT INTO ENTRY_AUDIT"):
            raise RuntimeError("the database went away")

    changed = [deal("zcrm_1", DAY, "999"), deal("zcrm_2", DAY, "1", DealState.LOST), deal("new", DAY, "5")]
    event.listen(engine.sync_engine, "before_cursor_execute", fail_on_audit)
    try:
        with pytest.raises(RuntimeError):
            await run_import(engine, user_id, changed, now=LATER)
    finally:
        event.remove(engine.sync_engine, "before_cursor_execute", fail_on_audit)
    assert await totals(engine, user_id) == before
    assert await count(engine, CrmRecordRow) == records_before
    assert await count(engine, CrmImport) == 1
    async with AsyncSession(engine) as session:
        row = await session.scalar(select(CrmRecordRow).where(CrmRecordRow.record_id == "zcrm_1"))
    assert row is not None and row.amount == Decimal(120000) and row.updated_at == NOW
