"""Column mappings (bot/core/crm/files/mapping.py): the JSON round trip a remembered mapping goes through,
the header signature it is stored under, and what from_json refuses."""

from __future__ import annotations

import json
import random
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.core.crm.files import ColumnMapping, Table, header_signature
from bot.core.crm.records import RecordKind

columns = st.none() | st.integers(min_value=0, max_value=40)
values = st.frozensets(st.text(min_size=1, max_size=12), max_size=4)
mappings = st.builds(
    ColumnMapping,
    record_id=columns,
    day=st.integers(min_value=0, max_value=40),
    amount=columns,
    state=columns,
    owner=columns,
    title=columns,
    kind=columns,
    won_values=values,
    kind_values=st.dictionaries(st.text(min_size=1, max_size=12), st.sampled_from(RecordKind), max_size=4),
    default_kind=st.sampled_from(RecordKind),
    account=columns,
    lost_values=values,
    headers=st.lists(st.text(max_size=20), max_size=8).map(tuple),
)


@given(mappings)
@settings(max_examples=200, deadline=None)
def test_a_mapping_survives_json(mapping: ColumnMapping) -> None:
    stored = json.loads(json.dumps(mapping.to_json(), ensure_ascii=False))
    assert ColumnMapping.from_json(stored) == mapping


@pytest.mark.parametrize(
    "data",
    [
        {},
        {"version": 2, "day": 1},
        {"version": 1},
        {"version": 1, "day": -1},
        {"version": 1, "day": "3"},
        {"version": 1, "day": True},
        {"version": 1, "day": 1, "amount": 1.5},
        {"version": 1, "day": 1, "default_kind": "party"},
        {"version": 1, "day": 1, "kind_values": {"x": "party"}},
    ],
)
def test_what_is_no_mapping(data: dict[str, Any]) -> None:
    with pytest.raises(ValueError):
        ColumnMapping.from_json(data)


def test_the_signature_is_the_sorted_normalised_headers() -> None:
    headers = ["ID", "Customer", "Value", "Status", "Date", "Rep"]
    signature = header_signature(Table(None, tuple(headers), ()))
    shuffled = headers[:]
    random.Random(1).shuffle(shuffled)
    assert header_signature(Table(None, tuple(shuffled), ())) == signature
    assert (
        header_signature(Table(None, (" id ", "CUSTOMER", "value", "status", "date", "rep"), ())) == signature
    )
    assert header_signature(Table(None, (*headers, "Notes"), ())) != signature
    assert len(signature) == 32


def test_bind_moves_columns_by_header_and_refuses_a_missing_one() -> None:
    mapping = ColumnMapping(
        record_id=0,
        day=1,
        amount=2,
        state=None,
        owner=None,
        title=None,
        kind=None,
        headers=("ID", "Date", "Value"),
    )
    moved = mapping.bind(Table(None, ("value", "Id", "DATE"), ()))
    assert moved is not None and (moved.record_id, moved.day, moved.amount) == (1, 2, 0)
    assert mapping.bind(Table(None, ("ID", "Date", "Amount"), ())) is None
    assert mapping.bind(Table(None, ("ID", "Date", "Value"), ())) is mapping
