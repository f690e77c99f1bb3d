"""crm team sync: a team connection's held records (owners not matched yet) and its pending notices

Revision ID: 0019
Revises: 0018
Create Date: 2026-12-01
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from bot.storage.types import UTCDateTime

revision: str = "0019"
down_revision: str | None = "0018"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # A plain ADD COLUMN: SQLite does it in place (no table rebuild).
    op.add_column("crm_connections", sa.Column("pending_notices", sa.JSON(), nullable=True))
    op.create_table(
        "crm_held_records",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("connection_id", sa.Integer(), nullable=False),
        sa.Column("record_id", sa.String(length=100), nullable=False),
        sa.Column("owner_key", sa.String(length=200), nullable=False),
        sa.Column("owner_name", sa.String(length=200), nullable=False),
        sa.Column("record", sa.JSON(), nullable=False),
        sa.Column("held_at", UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["connection_id"],
            ["crm_connections.id"],
            name=op.f("fk_crm_held_records_connection_id_crm_connections"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_crm_held_records")),
        sa.UniqueConstraint("connection_id", "record_id", name=op.f("uq_crm_held_records_connection_id")),
    )
    op.create_index(
        "ix_crm_held_records_connection_id_owner_key",
        "crm_held_records",
        ["connection_id", "owner_key"],
        unique=False,
    )


def downgrade() -> None:
    op.drop_index("ix_crm_held_records_connection_id_owner_key", table_name="crm_held_records")
    op.drop_table("crm_held_records")
    with op.batch_alter_table("crm_connections") as batch:
        batch.drop_column("pending_notices")
