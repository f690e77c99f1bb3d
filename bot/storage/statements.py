"""Statements whose SQL differs between SQLite and PostgreSQL, built in each dialect's own form."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import Table
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import DeclarativeBase
from sqlalchemy.sql.dml import Insert


def insert_skipping_duplicates(
    target: Table | type[DeclarativeBase], unique: Sequence[str], dialect: str
) -> Insert:
    """INSERT ... ON CONFLICT (`unique`) DO NOTHING: a row whose key is already there is left as it is."""
    insert = postgresql_insert if dialect == "postgresql" else sqlite_insert
    return insert(target).on_conflict_do_nothing(index_elements=list(unique))
