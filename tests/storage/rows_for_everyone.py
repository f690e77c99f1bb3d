"""A row in every table of the metadata for a given person, filled from the column types alone: a table
added later gets its row too, so the erasure test covers it without being told."""

from __future__ import annotations

import itertools
from datetime import UTC, date, datetime, time
from decimal import Decimal
from typing import Any

from sqlalchemy import Column, insert
from sqlalchemy.ext.asyncio import AsyncConnection

from bot.storage.models import Base
from bot.storage.repositories.user_data import (
    NOT_A_PERSON,
    OTHERS_AUTHORSHIP,
    OWNED_WITHOUT_FOREIGN_KEY,
    TEAM_AUTHORSHIP,
)
from bot.storage.types import ExactDecimal, StatusText, UTCDateTime

AT = datetime(2026, 11, 27, 2, 0, tzinfo=UTC)
PERSON_COLUMNS = OWNED_WITHOUT_FOREIGN_KEY | TEAM_AUTHORSHIP.keys() | OTHERS_AUTHORSHIP.keys()
_numbers = itertools.count(1)


def _value(column: Column[Any], person: int, parents: dict[str, int]) -> Any:
    name = f"{column.table.name}.{column.name}"
    for key in column.foreign_keys:
        return person if key.column.table.name == "users" else parents[key.column.table.name]
    if name in PERSON_COLUMNS or name == "users.id":
        return person
    if name in NOT_A_PERSON:
        return -1_000_000 - person if "chat" in column.name else f"process-{person}"
    kind = column.type
    if isinstance(kind, StatusText):
        return next(iter(kind.enum))
    if isinstance(kind, UTCDateTime):
        return AT
    if isinstance(kind, ExactDecimal):
        return Decimal("1")
    python_type = kind.python_type
    if python_type is int:
        return 10_000_000 + next(_numbers)  # unique: some integer columns are keys or unique
    if python_type is str:
        length = getattr(kind, "length", None) or 8
        return f"p{person}-{next(_numbers)}"[: max(length, 1)]
    return {
        datetime: AT,
        date: AT.date(),
        time: time(9, 0),
        Decimal: Decimal("1"),
        bool: False,
        dict: {},
        list: [],
        bytes: b"x",
        object: {},  # JSON
    }[python_type]


async def one_row_each(connection: AsyncConnection, person: int) -> dict[str, int]:
    """Insert one row per table for `person`, each pointing at the person's own parent rows; the primary
    keys by table name."""
    made: dict[str, int] = {}
    for table in Base.metadata.sorted_tables:
        values = {}
        for column in table.columns:
            numbered = column.primary_key and column.autoincrement is not False and not column.foreign_keys
            if numbered or (column.default is not None and not column.primary_key):
                continue  # the database numbers it, or the model's default fills it
            values[column.name] = _value(column, person, made)
        (key,) = (await connection.execute(insert(table).values(values).returning(*table.primary_key))).one()[
            :1
        ]
        made[table.name] = key
    return made
