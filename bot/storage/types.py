"""Column types that behave the same on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal
from enum import StrEnum
from typing import Any, TypeVar

from sqlalchemy import DateTime, Numeric, String
from sqlalchemy.engine import Dialect
from sqlalchemy.types import TypeDecorator, TypeEngine

# The ids an Integer id column can hold (goals.id, vacations.id, prompt_occurrences.id,
# dialog_states.version): an id from a button is checked against it before any query sees it. A
# BigInteger column would need range(1, 2**63).
INTEGER_IDS = range(1, 2**31)


class UTCDateTime(TypeDecorator[datetime]):
    """An aware UTC datetime on both backends (SQLite would otherwise hand back naive values)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetimes are not stored; pass an aware UTC datetime")
        utc = value.astimezone(UTC)
        return utc.replace(tzinfo=None) if dialect.name == "sqlite" else utc

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


class ExactDecimal(TypeDecorator[Decimal]):
    """Decimal amounts stored exactly: NUMERIC on PostgreSQL, text on SQLite (whose REAL would round)."""

    # Text by default: SQLAlchemy adapts a decorator by its impl's kind, and SQLite's own numeric type
    # would then be used in place of this class (and round through float).
    impl = String(40)
    cache_ok = True

    def load_dialect_impl(self, dialect: Dialect) -> TypeEngine[Any]:
        return dialect.type_descriptor(String(40) if dialect.name == "sqlite" else Numeric(20, 4))

    def process_bind_param(self, value: Decimal | None, dialect: Dialect) -> Any:
        if value is None:
            return None
        # Written in plain normalised form ("1200000", not "1200000.00" or "1.2E+6"), as PostgreSQL reads back.
        return format(value.normalize() + 0, "f") if dialect.name == "sqlite" else value

    def process_result_value(self, value: Any, dialect: Dialect) -> Decimal | None:
        if value is None:
            return None
        if isinstance(value, str):
            return Decimal(value)  # SQLite: the plain text process_bind_param wrote.
        # PostgreSQL pads to the column's scale (500000.0000); normalise so both backends read alike.
        return value.normalize() + 0  # type: ignore[no-any-return]


E = TypeVar("E", bound=StrEnum)


class StatusText(TypeDecorator[E]):
    """A status enum stored as its string (the same VARCHAR as before the enums) and read back as the enum."""

    impl = String(16)
    cache_ok = True

    def __init__(self, enum: type[E], length: int = 16) -> None:
        super().__init__(length)
        self.enum = enum

    def process_bind_param(self, value: str | None, dialect: Dialect) -> str | None:
        # Plain strings are accepted for comparisons (`status IN ('active', 'paused')`); rows hold enums.
        return None if value is None else str(value)

    def process_result_value(self, value: str | None, dialect: Dialect) -> E | None:
        return None if value is None else self.enum(value)
