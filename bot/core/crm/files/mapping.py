"""A column mapping for a layout we do not know, made in the mapping dialog and remembered per layout.

A remembered mapping is stored under header_signature(table): a hash of the table's normalised headers,
sorted, so the same export with its columns in another order finds it. Its column numbers then point at
the old order; `headers` (the headers the mapping was made on) lets read_records find each mapped column
by its name in the new table (`ColumnMapping.bind`).
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from typing import Any

from bot.core.crm.files.layouts import normalise_header
from bot.core.crm.files.tables import Table
from bot.core.crm.records import RecordKind

JSON_VERSION = 1
_COLUMNS = ("record_id", "day", "amount", "state", "owner", "title", "kind", "account")


def normalise_value(text: str) -> str:
    """A state or kind cell as a mapping compares it (the same rule as headers)."""
    return normalise_header(text)


@dataclass(frozen=True)
class ColumnMapping:
    """Which column (0-based, in the table's header order) holds what; None: the file has no such column.

    `won_values` / `lost_values`: the state cells that mean won / lost (compared normalised: case and
    spacing ignored); any other state is open, and without a state column every deal is won (a sheet of
    sales). `kind_values`: kind cells -> kind (calls, visits...); a row whose kind cell is not there, or a
    mapping without a kind column, is `default_kind`. With no `record_id` column a row's id is built from
    its content (see bot.core.crm.files.reading). `headers`: the table's headers when the mapping was
    made; set it (the dialog does) so that a remembered mapping follows its columns into a reordered file.
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
    headers: tuple[str, ...] = ()

    def column(self, name: str) -> int | None:
        value: int | None = getattr(self, name)
        return value

    def to_json(self) -> dict[str, Any]:
        """A plain dict (JSON types only) that from_json turns back into an equal mapping."""
        return {
            "version": JSON_VERSION,
            **{name: self.column(name) for name in _COLUMNS},
            "won_values": sorted(self.won_values),
            "lost_values": sorted(self.lost_values),
            "kind_values": {value: kind.value for value, kind in sorted(self.kind_values.items())},
            "default_kind": self.default_kind.value,
            "headers": list(self.headers),
        }

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> ColumnMapping:
        """The mapping to_json wrote; ValueError if `data` is not one."""
        if not isinstance(data, Mapping) or data.get("version") != JSON_VERSION:
            raise ValueError("not a column mapping")
        columns: dict[str, int | None] = {}
        for name in _COLUMNS:
            value = data.get(name)
            if value is not None and (type(value) is not int or value < 0):
                raise ValueError(f"column {name!r} is {value!r}")
            columns[name] = value
        day = columns.pop("day")
        if day is None:
            raise ValueError("a mapping needs a date column")
        try:
            kinds = {
                str(value): RecordKind(kind) for value, kind in dict(data.get("kind_values", {})).items()
            }
            default_kind = RecordKind(data.get("default_kind", RecordKind.DEAL.value))
            won = frozenset(map(str, data.get("won_values", ())))
            lost = frozenset(map(str, data.get("lost_values", ())))
            headers = tuple(map(str, data.get("headers", ())))
        except (TypeError, ValueError) as error:
            raise ValueError(f"not a column mapping: {error}") from error
        return cls(
            record_id=columns["record_id"],
            day=day,
            amount=columns["amount"],
            state=columns["state"],
            owner=columns["owner"],
            title=columns["title"],
            kind=columns["kind"],
            won_values=won,
            kind_values=kinds,
            default_kind=default_kind,
            account=columns["account"],
            lost_values=lost,
            headers=headers,
        )

    def bind(self, table: Table) -> ColumnMapping | None:
        """This mapping with its columns where their headers are in `table`; None if one is missing.

        A mapping without `headers`, or made on the same header order, is returned as it is.
        """
        if not self.headers or tuple(self.headers) == tuple(table.headers):
            return self
        positions: dict[str, int] = {}
        for index, header in enumerate(table.headers):
            positions.setdefault(normalise_header(header), index)
        moved: dict[str, int | None] = {}
        for name in _COLUMNS:
            old = self.column(name)
            if old is None:
                moved[name] = None
                continue
            if old >= len(self.headers):
                return None
            new = positions.get(normalise_header(self.headers[old]))
            if new is None:
                return None
            moved[name] = new
        day = moved["day"]
        assert day is not None  # a mapping always has its date column
        return replace(
            self,
            record_id=moved["record_id"],
            day=day,
            amount=moved["amount"],
            state=moved["state"],
            owner=moved["owner"],
            title=moved["title"],
            kind=moved["kind"],
            account=moved["account"],
            headers=tuple(table.headers),
        )


def header_signature(table: Table) -> str:
    """The key a remembered mapping is stored under: a hash of the sorted normalised headers."""
    names = sorted(normalise_header(header) for header in table.headers)
    return hashlib.sha256("\x1f".join(names).encode()).hexdigest()[:32]
