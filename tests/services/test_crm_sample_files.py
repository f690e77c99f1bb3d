"""The import service on the issue's realistic sample files (tests/auxil/crm_files.py, read by
bot.core.crm.files): a Zoho Deals export of 200 rows and several owners, a Zoho Calls export, a Fxiaoke
商机 export, and an unknown layout read through a remembered column mapping."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession

from bot.core.crm.files import (
    ColumnMapping,
    Layout,
    Table,
    header_signature,
    open_table,
    read_records,
    recognise,
)
from bot.core.crm.records import CrmRecord, CrmSystem, RecordKind
from bot.services.crm_import import FILE, preview_records, write_records
from bot.services.crm_layouts import remember_mapping, remembered_mapping
from bot.services.crm_team_import import owners_of, propose_owner_mapping, write_team_records
from bot.storage.import_models import CrmLayout
from bot.storage.models import User
from tests.auxil.crm_files import (
    OWNERS,
    fxiaoke_opportunities_xlsx,
    unknown_layout_csv,
    unknown_rows,
    zoho_call_rows,
    zoho_calls_csv,
    zoho_deal_rows,
    zoho_deals_csv,
)
from tests.auxil.crm_imports import NOW, add_user, goal_totals, measure_totals
from tests.auxil.teams import insert_team

SHANGHAI = ZoneInfo("Asia/Shanghai")
WINDOW = {"start": date(2026, 8, 1), "deadline": date(2026, 12, 31)}


def records_of(data: bytes, name: str, *, skipped: int = 0) -> tuple[CrmRecord, ...]:
    table = open_table(data, name)
    assert isinstance(table, Table)
    layout = recognise(table)
    assert isinstance(layout, Layout)
    read = read_records(table, layout, zone=SHANGHAI)
    assert len(read.skipped) == skipped
    return read.records


def won_total_of_zoho_rows() -> tuple[int, Decimal]:
    """The 200-row file's won deals counted straight from the generated rows, not through any reader."""
    won = [Decimal(amount) for _, _, amount, stage, *_ in zoho_deal_rows(200) if stage == "Closed Won"]
    return len(won), sum(won, Decimal(0))


async def test_a_zoho_deals_export_imports_once_and_again_changes_nothing(engine: AsyncEngine) -> None:
    async with AsyncSession(engine) as session, session.begin():
        user_id = (await add_user(session, **WINDOW)).id
    records = records_of(zoho_deals_csv(200), "Deals_2026_11_27.csv")
    won, total = won_total_of_zoho_rows()
    async with AsyncSession(engine) as session:
        preview = await preview_records(session, user_id=user_id, records=records, now=NOW)
    assert (preview.rows, preview.won, preview.won_total, preview.new) == (200, won, total, 200)
    async with AsyncSession(engine) as session, session.begin():
        first = await write_records(session, user_id=user_id, records=records, imported_by=user_id, now=NOW,
                                    origin=FILE, source_name="Deals_2026_11_27.csv")  # fmt: skip
        again = await write_records(session, user_id=user_id, records=records, imported_by=user_id,
                                    now=NOW + timedelta(hours=1), origin=FILE)  # fmt: skip
    assert (first.added, again.added, again.changed, again.reversed, again.unchanged) == (200, 0, 0, 0, 200)
    async with AsyncSession(engine) as session:
        assert await goal_totals(session, user_id) == {"revenue": total, "deals": Decimal(won)}


async def test_zoho_calls_and_a_fxiaoke_export_become_calls_and_won_deals(engine: AsyncEngine) -> None:
    async with AsyncSession(engine) as session, session.begin():
        user_id = (await add_user(session, **WINDOW)).id
    held = sum(call_type != "Missed" for _, _, call_type, *_ in zoho_call_rows(60))
    calls = records_of(zoho_calls_csv(60), "Calls.csv", skipped=60 - held)  # missed calls were not held
    opportunities = records_of(fxiaoke_opportunities_xlsx(), "商机.xlsx")
    assert {r.kind for r in calls} == {RecordKind.CALL} and {r.system for r in opportunities} == {
        CrmSystem.FXIAOKE
    }
    async with AsyncSession(engine) as session, session.begin():
        await write_records(
            session, user_id=user_id, records=calls, imported_by=user_id, now=NOW, origin=FILE
        )
        await write_records(session, user_id=user_id, records=opportunities, imported_by=user_id, now=NOW,
                            origin=FILE)  # fmt: skip
    won = [r for r in opportunities if r.counts]
    async with AsyncSession(engine) as session:
        measures = await measure_totals(session, user_id)
    assert measures["calls"] == Decimal(held) == len(calls)
    assert measures["revenue"] == sum((r.amount or Decimal(0) for r in won), Decimal(0)) > 0
    assert measures["deals"] == Decimal(len(won))


async def test_a_team_deals_export_splits_by_its_three_owners_one_unmapped(engine: AsyncEngine) -> None:
    manager, amy, bob = 950_001, 950_002, 950_003
    team_id = await insert_team(engine, manager, [amy, bob], NOW)
    async with AsyncSession(engine) as session, session.begin():
        for user_id, name in ((amy, "amy chen"), (bob, "Bob  Li")):
            await session.execute(update(User).where(User.id == user_id).values(first_name=name))
            await add_user(session, user_id, **WINDOW)
    records = records_of(zoho_deals_csv(200), "Deals_team.csv")
    async with AsyncSession(engine) as session:
        proposal = await propose_owner_mapping(session, team_id=team_id, owners=owners_of(records))
    assert owners_of(records) == OWNERS
    assert proposal == {"Amy Chen": amy, "Bob Li": bob, "Carol Wang": None}
    async with AsyncSession(engine) as session, session.begin():
        outcome = await write_team_records(session, team_id=team_id, manager_id=manager, records=records,
                                           owner_members={"Amy Chen": amy, "Bob Li": bob}, now=NOW)  # fmt: skip
    expected: dict[str, Decimal] = {}
    for _, _, amount, stage, _, owner, _ in zoho_deal_rows(200):
        if stage == "Closed Won":
            expected[owner] = expected.get(owner, Decimal(0)) + Decimal(amount)
    assert {share.member_id: share.won_total for share in outcome.members} == {
        amy: expected["Amy Chen"], bob: expected["Bob Li"]
    }  # fmt: skip
    # Carol Wang's 66 rows (every third) are nobody's: not written, and named for the manager.
    assert outcome.ignored == 0 and outcome.unmapped_owners == ("Carol Wang",)
    assert sum(share.outcome.added for share in outcome.members) == 200 - 66
    async with AsyncSession(engine) as session:
        assert (await goal_totals(session, amy))["revenue"] == expected["Amy Chen"]
        assert (await goal_totals(session, bob))["revenue"] == expected["Bob Li"]


async def test_an_unknown_layout_is_read_next_time_through_the_remembered_mapping(
    engine: AsyncEngine,
) -> None:
    async with AsyncSession(engine) as session, session.begin():
        user_id = (await add_user(session, **WINDOW)).id
    table = open_table(unknown_layout_csv(40), "my_deals.csv")
    assert isinstance(table, Table) and recognise(table) is None
    mapping = ColumnMapping(record_id=0, day=4, amount=2, state=3, owner=5, title=1, kind=None,
                            won_values=frozenset({"signed"}), headers=table.headers)  # fmt: skip
    signature = header_signature(table)
    async with AsyncSession(engine) as session, session.begin():
        assert await remembered_mapping(session, user_id, signature) is None
        await remember_mapping(session, user_id, signature, mapping, NOW)
        await remember_mapping(session, user_id, signature, mapping, NOW + timedelta(minutes=1))
    async with AsyncSession(engine) as session:
        recalled = await remembered_mapping(session, user_id, signature)
        assert len((await session.scalars(select(CrmLayout))).all()) == 1
        assert await remembered_mapping(session, user_id + 1, signature) is None
    assert recalled == mapping
    read = read_records(table, recalled, zone=SHANGHAI)
    signed = [
        Decimal(value.replace(",", "")) for _, _, value, status, *_ in unknown_rows(40) if status == "Signed"
    ]
    async with AsyncSession(engine) as session, session.begin():
        await write_records(session, user_id=user_id, records=read.records, imported_by=user_id, now=NOW,
                            origin=FILE)  # fmt: skip
        assert (await goal_totals(session, user_id))["revenue"] == sum(signed, Decimal(0))
