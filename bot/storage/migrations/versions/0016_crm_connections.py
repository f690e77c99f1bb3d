"""crm connections: CRM API connections (Zoho CRM, Fxiaoke) with encrypted credentials and sync cursors

Revision ID: 0016
Revises: 0015
Create Date: 2026-12-01
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from bot.storage.types import UTCDateTime

revision: str = "0016"
down_revision: str | None = "0015"  # import14's tables, which the sync writes through (was "0014")
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "crm_connections",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.BigInteger(), nullable=False),
        sa.Column("team_id", sa.Integer(), nullable=True),
        sa.Column("system", sa.String(length=16), nullable=False),
        sa.Column("data_centre", sa.String(length=16), nullable=False),
        sa.Column("api_domain", sa.String(length=200), nullable=True),
        sa.Column("credentials", sa.Text(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("cursor", sa.String(length=100), nullable=True),
        sa.Column("deleted_cursor", sa.String(length=100), nullable=True),
        sa.Column("next_sync_at", UTCDateTime(), nullable=False),
        sa.Column("last_slot", UTCDateTime(), nullable=True),
        sa.Column("claimed_by", sa.String(length=64), nullable=True),
        sa.Column("claimed_until", UTCDateTime(), nullable=True),
        sa.Column("last_sync_at", UTCDateTime(), nullable=True),
        sa.Column("last_added", sa.Integer(), nullable=False),
        sa.Column("last_changed", sa.Integer(), nullable=False),
        sa.Column("last_removed", sa.Integer(), nullable=False),
        sa.Column("total_records", sa.Integer(), nullable=False),
        sa.Column("last_error", sa.String(length=32), nullable=True),
        sa.Column("last_error_at", UTCDateTime(), nullable=True),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.Column("updated_at", UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["team_id"], ["teams.id"], name=op.f("fk_crm_connections_team_id_teams"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_crm_connections_user_id_users"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_crm_connections")),
        sa.UniqueConstraint("user_id", "system", name=op.f("uq_crm_connections_user_id")),
    )
    op.create_index("ix_crm_connections_next_sync_at", "crm_connections", ["next_sync_at"], unique=False)


def downgrade() -> None:
    op.drop_index("ix_crm_connections_next_sync_at", table_name="crm_connections")
    op.drop_table("crm_connections")
