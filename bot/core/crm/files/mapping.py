"""A column mapping for a layout we do not know, made in the mapping dialog and remembered per layout."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from bot.core.crm.files.tables import Table
from bot.core.crm.records import RecordKind


@dataclass(frozen=True)
class ColumnMapping:
    """Which column (0-based, in the table's header order) holds what; None: the file has no such column.

    `won_values`/`lost_values`: the state cells (compared normalised) that mean won / lost; any other state
    is open. `kind_values`: kind cells (normalised) -> kind; a row whose kind cell is not there, or a mapping
    without a kind column, is `default_kind`. With no `record_id` column a row's id is built from its content
    (see bot.core.crm.files.reading).
    """

    record_id: int | None
    day: int
    amount: int | None
    state: int | None
    owner: int | None
    title: int | None
    kind: int | None
    won_values: frozenset[str] = frozenset()
    kind_values: Mapping[str, RecordKind] = field(default_factory=dict, hash=False)
    default_kind: RecordKind = RecordKind.DEAL
    account: int | None = None
    lost_values: frozenset[str] = frozenset()

    def to_json(self) -> dict[str, Any]:
        raise NotImplementedError

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> ColumnMapping:
        raise NotImplementedError


def header_signature(table: Table) -> str:
    """The key a remembered mapping is stored under: a hash of the sorted normalised headers."""
    raise NotImplementedError
