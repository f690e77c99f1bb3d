"""The property of read_records: whatever the cells hold, every data row is either a record or a skipped
row, never both and never neither, and rows = records + skipped; ids are unique within a reading."""

from __future__ import annotations

from zoneinfo import ZoneInfo

from hypothesis import given, settings
from hypothesis import strategies as st

from bot.core.crm.files import ColumnMapping, Layout, Table, read_records, recognise
from bot.core.crm.records import RecordKind
from tests.auxil import crm_files

cells = st.one_of(
    st.text(max_size=12),
    st.sampled_from(["", "zcrm_1", "zcrm_2", "1", "=SUM(A1)", "-", "1,200", "1.2万", "Closed Won", "赢单"]),
    st.dates().map(lambda day: day.isoformat()),
    st.sampled_from(
        ["2026-11-03 13:20:35", "09/10/2026", "25/10/2026", "2026年9月9日", "2026-11-03T23:00:00Z"]
    ),
)


def rows_of(width: int) -> st.SearchStrategy[tuple[tuple[str, ...], ...]]:
    return st.lists(st.tuples(*[cells] * width), min_size=1, max_size=25).map(tuple)


def check(table: Table, reading: Layout | ColumnMapping) -> None:
    read_back = read_records(table, reading, zone=ZoneInfo("Asia/Shanghai"))
    assert read_back.rows == len(table.rows) == len(read_back.records) + len(read_back.skipped)
    skipped_rows = [skipped.row for skipped in read_back.skipped]
    assert len(set(skipped_rows)) == len(skipped_rows)
    assert set(skipped_rows) <= set(table.row_numbers)
    ids = [record.record_id for record in read_back.records]
    assert len(set(ids)) == len(ids)
    for record in read_back.records:
        assert record.kind.is_outcome == (record.state is not None)
        assert len(record.record_id) <= 100


@given(rows_of(len(crm_files.ZOHO_DEAL_HEADERS)))
@settings(max_examples=150, deadline=None)
def test_zoho_deals(rows: tuple[tuple[str, ...], ...]) -> None:
    table = Table(None, crm_files.ZOHO_DEAL_HEADERS, rows, tuple(range(2, len(rows) + 2)))
    layout = recognise(table)
    assert isinstance(layout, Layout)
    check(table, layout)


@given(rows_of(len(crm_files.FXIAOKE_ORDER_HEADERS)))
@settings(max_examples=100, deadline=None)
def test_fxiaoke_orders(rows: tuple[tuple[str, ...], ...]) -> None:
    table = Table(None, crm_files.FXIAOKE_ORDER_HEADERS, rows, tuple(range(2, len(rows) + 2)))
    layout = recognise(table)
    assert isinstance(layout, Layout)
    check(table, layout)


@given(rows_of(6), st.booleans(), st.sampled_from(RecordKind))
@settings(max_examples=150, deadline=None)
def test_mapped_tables(rows: tuple[tuple[str, ...], ...], with_id: bool, default_kind: RecordKind) -> None:
    table = Table(None, crm_files.UNKNOWN_HEADERS, rows, tuple(range(2, len(rows) + 2)))
    mapping = ColumnMapping(
        record_id=0 if with_id else None,
        day=4,
        amount=2,
        state=3,
        owner=5,
        title=None,
        kind=3,
        won_values=frozenset({"Closed Won"}),
        kind_values={"赢单": RecordKind.CALL},
        default_kind=default_kind,
        account=1,
    )
    check(table, mapping)
