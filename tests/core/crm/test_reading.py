"""Rows into CrmRecords (bot/core/crm/files: read_records): the sample exports of the issue's acceptance list,
each skip reason, the states of each CRM, ids with and without an id column, and remembered mappings."""

from __future__ import annotations

from collections import Counter
from datetime import date
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest

from bot.core.crm.files import (
    ColumnMapping,
    Layout,
    RecordsRead,
    SkippedRow,
    SkipReason,
    Table,
    open_table,
    read_records,
    recognise,
)
from bot.core.crm.records import CrmRecord, CrmSystem, DealState, RecordKind
from tests.auxil import crm_files

SHANGHAI = ZoneInfo("Asia/Shanghai")


def read(data: bytes, name: str, zone: ZoneInfo = SHANGHAI) -> RecordsRead:
    table = open_table(data, name)
    assert isinstance(table, Table), table
    layout = recognise(table)
    assert isinstance(layout, Layout), layout
    return read_records(table, layout, zone=zone)


def deal(record_id: str, amount: str, stage: str, closing: str, owner: str = "Amy Chen") -> tuple[str, ...]:
    return (record_id, f"Deal {record_id}", amount, stage, closing, owner, "Acme Corp")


def test_a_zoho_deals_export_of_200_rows_and_three_owners() -> None:
    read_back = read(crm_files.zoho_deals_csv(), "Deals_2026_11_30.csv")
    expected = crm_files.zoho_deal_rows()
    assert read_back.rows == 200 and len(read_back.records) == 200 and read_back.skipped == ()
    assert Counter(record.owner for record in read_back.records) == {
        "Amy Chen": 67,
        "Bob Li": 67,
        "Carol Wang": 66,
    }
    won = [record for record in read_back.records if record.state is DealState.WON]
    assert len(won) == sum(1 for row in expected if row[3] == "Closed Won")
    assert sum(record.amount or 0 for record in won) == sum(
        Decimal(row[2]) for row in expected if row[3] == "Closed Won"
    )
    first = read_back.records[0]
    assert first == CrmRecord(
        system=CrmSystem.ZOHO,
        kind=RecordKind.DEAL,
        record_id="5725767000000411001",  # "zcrm_" dropped: the id Zoho's API uses
        day=date.fromisoformat(expected[0][4]),
        amount=Decimal(expected[0][2]),
        state=DealState.WON if expected[0][3] == "Closed Won" else first.state,
        owner="Amy Chen",
        title=expected[0][1],
        account=expected[0][6],
    )


def test_the_xlsx_export_reads_into_the_same_records() -> None:
    assert read(crm_files.zoho_deals_xlsx(), "Deals.xlsx") == read(crm_files.zoho_deals_csv(), "Deals.csv")


@pytest.mark.parametrize(
    ("stage", "state"),
    [
        ("Closed Won", DealState.WON),
        ("closed won", DealState.WON),
        ("Closed Lost", DealState.LOST),
        ("Closed-Lost to Competition", DealState.LOST),
        ("Qualification", DealState.OPEN),
        ("Negotiation/Review", DealState.OPEN),
        ("", DealState.OPEN),
    ],
)
def test_zoho_stages(stage: str, state: DealState) -> None:
    (record,) = read(crm_files.zoho_deals_csv([deal("zcrm_1", "100", stage, "2026-11-03")]), "d.csv").records
    assert record.state is state


def test_zoho_datetimes_are_the_users_local_time_and_offsets_are_converted() -> None:
    rows = [
        deal("zcrm_1", "100", "Closed Won", "2026-11-03 23:30:00"),
        deal("zcrm_2", "100", "Closed Won", "2026-11-03T23:30:00+00:00"),
        deal("zcrm_3", "100", "Closed Won", "2026-11-03T23:30:00-05:00"),
    ]
    data = crm_files.zoho_deals_csv(rows)
    assert [record.day for record in read(data, "d.csv").records] == [
        date(2026, 11, 3),
        date(2026, 11, 4),
        date(2026, 11, 4),
    ]
    assert [record.day for record in read(data, "d.csv", ZoneInfo("America/New_York")).records] == [
        date(2026, 11, 3),
        date(2026, 11, 3),
        date(2026, 11, 3),
    ]


def test_each_skip_reason_with_its_spreadsheet_row() -> None:
    rows = [
        deal("zcrm_1", "1,200", "Closed Won", "2026-11-03"),  # row 2: fine
        deal("", "100", "Closed Won", "2026-11-03"),  # row 3: no id
        deal("zcrm_3", "100", "Closed Won", "someday"),  # row 4
        deal("zcrm_4", "lots", "Closed Won", "2026-11-03"),  # row 5
        deal("zcrm_5", "", "Qualification", "2026-11-03"),  # row 6: an open deal without an amount too
        deal("zcrm_6", "-500", "Closed Won", "2026-11-03"),  # row 7: negative
        deal("zcrm_1", "9,999", "Closed Won", "2026-11-04"),  # row 8: the same id as row 2
        deal("zcrm_8", "=SUM(E2:E3)", "Closed Won", "2026-11-03"),  # row 9
        deal("zcrm_9", "100", "Closed Won", "=TODAY()"),  # row 10
        deal("zcrm_10", "¥3,000", "Closed Lost", "2026-11-05"),  # row 11: fine
    ]
    read_back = read(crm_files.zoho_deals_csv(rows), "d.csv")
    assert read_back.skipped == (
        SkippedRow(3, SkipReason.NO_ID),
        SkippedRow(4, SkipReason.BAD_DATE),
        SkippedRow(5, SkipReason.BAD_AMOUNT),
        SkippedRow(6, SkipReason.BAD_AMOUNT),
        SkippedRow(7, SkipReason.BAD_AMOUNT),
        SkippedRow(8, SkipReason.DUPLICATE_ID),
        SkippedRow(9, SkipReason.FORMULA),
        SkippedRow(10, SkipReason.FORMULA),
    )
    assert [(r.record_id, r.amount) for r in read_back.records] == [
        ("1", Decimal("1200")),
        ("10", Decimal("3000")),
    ]
    assert read_back.rows == 10


def test_formula_cells_of_an_xlsx_are_skipped_not_computed() -> None:
    read_back = read(crm_files.formula_deals_xlsx(), "Deals.xlsx")
    assert read_back.skipped == (SkippedRow(2, SkipReason.FORMULA), SkippedRow(3, SkipReason.FORMULA))
    assert len(read_back.records) == 2


def test_a_zoho_calls_export() -> None:
    calls = [
        ("zcrm_1", "Intro call", "Outbound", "2026-11-03 09:05:00", "300", "Interested", "Bob Li"),
        ("zcrm_2", "Callback", "Inbound", "2026-11-03 23:55:00", "60", "", "Bob Li"),
        ("zcrm_3", "No answer", "Missed", "2026-11-04 10:00:00", "0", "", "Bob Li"),
    ]
    read_back = read(crm_files.zoho_calls_csv(calls), "Calls_001.csv")
    assert [(r.kind, r.record_id, r.day, r.amount, r.state, r.owner, r.title) for r in read_back.records] == [
        (RecordKind.CALL, "1", date(2026, 11, 3), None, None, "Bob Li", "Intro call"),
        (RecordKind.CALL, "2", date(2026, 11, 3), None, None, "Bob Li", "Callback"),
    ]
    assert read_back.skipped == (SkippedRow(4, SkipReason.NOT_HELD),)


def test_the_generated_calls_meetings_and_tasks() -> None:
    calls = read(crm_files.zoho_calls_csv(), "Calls.csv")
    missed = sum(1 for row in crm_files.zoho_call_rows() if row[2] == "Missed")
    assert (calls.rows, len(calls.records), len(calls.skipped)) == (60, 60 - missed, missed)
    meetings = read(crm_files.zoho_meetings_csv(), "Meetings.csv")
    assert len(meetings.records) == 30 and {r.kind for r in meetings.records} == {RecordKind.MEETING}
    tasks = read(crm_files.zoho_tasks_csv(), "Tasks.csv")
    assert len(tasks.records) == 20 and not any(r.counts for r in tasks.records)


def test_a_fxiaoke_opportunities_export_as_xlsx_and_as_gbk_csv() -> None:
    from_xlsx = read(crm_files.fxiaoke_opportunities_xlsx(), "商机.xlsx")
    from_csv = read(crm_files.fxiaoke_opportunities_csv(), "商机.csv")
    assert from_xlsx == from_csv
    expected = crm_files.fxiaoke_opportunity_rows()
    won = [r for r in from_csv.records if r.state is DealState.WON]
    assert len(won) == sum(1 for row in expected if row[5] == "赢单")
    assert sum(r.amount or 0 for r in won) == sum(Decimal(row[3]) for row in expected if row[5] == "赢单")
    assert {r.system for r in from_csv.records} == {CrmSystem.FXIAOKE}
    assert from_csv.records[0].record_id == "SJ20260900" and from_csv.records[0].owner == "张伟"


@pytest.mark.parametrize(
    ("status", "stage", "life", "state"),
    [
        ("赢单", "谈判审核", "正常", DealState.WON),
        ("输单", "", "", DealState.LOST),
        ("进行中", "赢单", "", DealState.OPEN),  # 商机状态 decides over the stage
        ("", "赢单", "", DealState.WON),  # without a status, the last stage says it
        ("赢单", "", "作废", DealState.LOST),  # a voided record counts for nothing
    ],
)
def test_fxiaoke_opportunity_states(status: str, stage: str, life: str, state: DealState) -> None:
    table = Table(
        None,
        ("商机名称", "商机金额", "结单日期", "商机状态", "销售阶段", "生命状态"),
        (("A", "100", "2026/9/9", status, stage, life),),
    )
    layout = recognise(table)
    assert isinstance(layout, Layout)
    (record,) = read_records(table, layout, zone=SHANGHAI).records
    assert record.state is state


@pytest.mark.parametrize(
    ("status", "state"),
    [
        ("已确认", DealState.WON),
        ("确认", DealState.WON),
        ("已发货", DealState.WON),
        ("已完成", DealState.WON),
        ("", DealState.WON),
        ("确认中", DealState.OPEN),
        ("审核中", DealState.OPEN),
        ("作废", DealState.LOST),
        ("已作废", DealState.LOST),
        ("取消", DealState.LOST),
        ("已驳回", DealState.LOST),
    ],
)
def test_fxiaoke_order_states(status: str, state: DealState) -> None:
    (record,) = read(
        crm_files.fxiaoke_orders_xlsx([("SO1", "客户", "1.2万", "2026-11-03", status, "张伟")]), "o.xlsx"
    ).records
    assert (record.kind, record.state, record.amount) == (RecordKind.ORDER, state, Decimal("12000"))


def test_an_amount_column_in_wan() -> None:
    table = Table(
        None, ("商机名称", "商机金额(万元)", "结单日期", "商机状态"), (("A", "12.5", "2026/9/9", "赢单"),)
    )
    layout = recognise(table)
    assert isinstance(layout, Layout)
    assert read_records(table, layout, zone=SHANGHAI).records[0].amount == Decimal("125000")


def test_year_last_dates_follow_the_order_the_column_shows() -> None:
    def days(*cells: str) -> list[date | None]:
        table = Table(None, ("ID", "Day"), tuple((str(i), cell) for i, cell in enumerate(cells)))
        mapping = ColumnMapping(
            record_id=0, day=1, amount=None, state=None, owner=None, title=None, kind=None
        )
        return [record.day for record in read_records(table, mapping, zone=SHANGHAI).records]

    assert days("09/10/2026", "25/10/2026") == [date(2026, 10, 9), date(2026, 10, 25)]  # day first shown
    assert days("09/10/2026", "10/25/2026") == [date(2026, 9, 10), date(2026, 10, 25)]  # month first shown
    assert days("09/10/2026", "2026-10-01") == [
        date(2026, 9, 10),
        date(2026, 10, 1),
    ]  # nothing shown: month first


# Unknown layouts through a ColumnMapping ----------------------------------------------------------------------

UNKNOWN = ColumnMapping(
    record_id=0,
    day=4,
    amount=2,
    state=3,
    owner=5,
    title=None,
    kind=None,
    won_values=frozenset({"signed"}),
    lost_values=frozenset({"Lost"}),
    account=1,
    headers=crm_files.UNKNOWN_HEADERS,
)


def test_an_unknown_layout_through_its_mapping() -> None:
    table = open_table(crm_files.unknown_layout_csv(), "my deals.csv")
    assert isinstance(table, Table)
    read_back = read_records(table, UNKNOWN, zone=SHANGHAI)
    expected = crm_files.unknown_rows()
    assert len(read_back.records) == 40
    first = read_back.records[0]
    assert (first.system, first.record_id, first.account, first.owner) == (
        CrmSystem.OTHER,
        expected[0][0],
        expected[0][1],
        expected[0][5],
    )
    assert first.amount == Decimal(expected[0][2].replace(",", ""))
    assert Counter(r.state for r in read_back.records) == Counter(
        {"Signed": DealState.WON, "Lost": DealState.LOST, "Pipeline": DealState.OPEN}[row[3]]
        for row in expected
    )
    assert [r.day for r in read_back.records] == [
        date(int(d[6:]), int(d[3:5]), int(d[:2])) for *_, d, _ in expected
    ]


def test_a_remembered_mapping_follows_its_columns_into_a_reordered_file() -> None:
    order = (5, 3, 0, 4, 2, 1)
    headers = tuple(crm_files.UNKNOWN_HEADERS[i] for i in order)
    rows = [tuple(row[i] for i in order) for row in crm_files.unknown_rows(10)]
    reordered = open_table(crm_files.csv_bytes(headers, rows), "my deals.csv")
    original = open_table(crm_files.unknown_layout_csv(10), "my deals.csv")
    assert isinstance(reordered, Table) and isinstance(original, Table)
    remembered = ColumnMapping.from_json(UNKNOWN.to_json())
    assert read_records(reordered, remembered, zone=SHANGHAI) == read_records(
        original, UNKNOWN, zone=SHANGHAI
    )


def test_kinds_from_a_column_and_no_state_column_means_every_deal_is_won() -> None:
    table = Table(
        None,
        ("When", "What", "Who", "Sum"),
        (
            ("2026-11-03", "Visit", "Amy", ""),
            ("2026-11-03", "phone call", "Amy", ""),
            ("2026-11-04", "Sale", "Amy", "5000"),
            ("2026-11-04", "Lunch", "Amy", ""),
        ),
    )
    mapping = ColumnMapping(
        record_id=None,
        day=0,
        amount=3,
        state=None,
        owner=2,
        title=None,
        kind=1,
        kind_values={"visit": RecordKind.VISIT, "Phone Call": RecordKind.CALL, "sale": RecordKind.DEAL},
        default_kind=RecordKind.TASK,
    )
    records = read_records(table, mapping, zone=SHANGHAI).records
    assert [(r.kind, r.state, r.amount) for r in records] == [
        (RecordKind.VISIT, None, None),
        (RecordKind.CALL, None, None),
        (RecordKind.DEAL, DealState.WON, Decimal("5000")),
        (RecordKind.TASK, None, None),
    ]


def test_ids_from_the_content_are_stable_and_keep_repeats_apart() -> None:
    rows = (
        ("2026-11-03", "Amy", "Acme", "Open", "100"),
        ("2026-11-03", "Amy", "Acme", "Open", "100"),  # a second, identical call that day
        ("2026-11-04", "Bob", "Globex", "Won", "200"),
    )
    table = Table(None, ("Day", "Owner", "Account", "Status", "Amount"), rows)
    calls = ColumnMapping(
        record_id=None,
        day=0,
        amount=None,
        state=None,
        owner=1,
        title=None,
        kind=None,
        account=2,
        default_kind=RecordKind.CALL,
    )
    ids = [r.record_id for r in read_records(table, calls, zone=SHANGHAI).records]
    assert len(set(ids)) == 3 and ids[1] == ids[0] + "#2" and ids[0].startswith("row:")
    assert ids == [
        r.record_id for r in read_records(table, calls, zone=SHANGHAI).records
    ]  # re-import: same ids
    deals = ColumnMapping(
        record_id=None,
        day=0,
        amount=4,
        state=3,
        owner=1,
        title=None,
        kind=None,
        account=2,
        won_values=frozenset({"won"}),
    )
    before = read_records(table, deals, zone=SHANGHAI).records[2]
    # The deal turns won with a new amount: the same id, so the import updates it rather than adding one.
    changed = Table(None, table.headers, (*rows[:2], ("2026-11-04", "Bob", "Globex", "Won", "250")))
    after = read_records(changed, deals, zone=SHANGHAI).records[2]
    assert after.record_id == before.record_id and after.amount == Decimal("250")


def test_a_mapping_that_does_not_fit_the_table_is_refused() -> None:
    table = Table(None, ("A", "B"), (("1", "2"),))
    with pytest.raises(ValueError, match="outside"):
        read_records(
            table,
            ColumnMapping(record_id=0, day=5, amount=None, state=None, owner=None, title=None, kind=None),
            zone=SHANGHAI,
        )
