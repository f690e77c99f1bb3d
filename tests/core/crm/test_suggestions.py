"""The mapping dialog's first guess and a column's values (bot/core/crm/files/suggestions.py)."""

from __future__ import annotations

from zoneinfo import ZoneInfo

from bot.core.crm.files import (
    ColumnMapping,
    Table,
    distinct_values,
    open_table,
    read_records,
    suggest_mapping,
)
from tests.auxil import crm_files


def test_the_unknown_sample_is_guessed_whole() -> None:
    table = open_table(crm_files.unknown_layout_csv(), "my deals.csv")
    assert isinstance(table, Table)
    guess = suggest_mapping(table)
    assert guess == ColumnMapping(
        record_id=0,
        day=4,
        amount=2,
        state=3,
        owner=5,
        title=None,
        kind=None,
        won_values=frozenset({"Signed"}),
        lost_values=frozenset({"Lost"}),
        account=1,
        headers=crm_files.UNKNOWN_HEADERS,
    )
    assert len(read_records(table, guess, zone=ZoneInfo("Asia/Shanghai")).records) == 40


def test_chinese_headers_are_guessed() -> None:
    table = Table(
        None,
        ("日期", "客户", "金额", "状态", "负责人", "编号"),
        (("2026/9/9", "A", "1万", "赢单", "张伟", "X1"), ("2026/9/10", "B", "2万", "进行中", "李娜", "X2")),
    )
    guess = suggest_mapping(table)
    assert guess is not None
    assert (guess.day, guess.account, guess.amount, guess.state, guess.owner, guess.record_id) == (
        0,
        1,
        2,
        3,
        4,
        5,
    )
    assert guess.won_values == frozenset({"赢单"}) and guess.lost_values == frozenset()


def test_a_date_column_is_found_by_its_cells_when_its_header_says_nothing() -> None:
    table = Table(None, ("Who", "X", "Y"), (("Amy", "2026-09-09", "5"), ("Bob", "2026-09-10", "6")))
    guess = suggest_mapping(table)
    assert guess is not None and guess.day == 1


def test_no_dates_no_guess() -> None:
    assert suggest_mapping(Table(None, ("Who", "Date"), (("Amy", "soon"), ("Bob", "later")))) is None


def test_distinct_values_most_frequent_first() -> None:
    table = Table(None, ("S",), (("Open",), ("Won",), ("",), ("Won",), ("Lost",), ("Open",), ("Won",)))
    assert distinct_values(table, 0) == ("Won", "Open", "Lost")
    assert distinct_values(table, 0, limit=1) == ("Won",)
