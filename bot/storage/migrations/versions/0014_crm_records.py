"""crm records: the CRM records a user's results come from; entries and activity logs point at theirs

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-01
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from bot.storage.types import ExactDecimal, UTCDateTime

revision: str = "0014"
down_revision: str | None = "0013"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# Results typed or reviewed before this migration came from no CRM: their crm_record_id stays NULL.
_RESULT_TABLES = ("entries", "activity_logs")


def upgrade() -> None:
    op.create_table(
        "crm_records",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.BigInteger(), nullable=False),
        sa.Column("system", sa.String(length=16), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("record_id", sa.String(length=100), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("amount", ExactDecimal(), nullable=True),
        sa.Column("state", sa.String(length=8), nullable=True),
        sa.Column("owner", sa.String(length=200), nullable=True),
        sa.Column("title", sa.String(length=300), nullable=True),
        sa.Column("fingerprint", sa.String(length=32), nullable=False),
        sa.Column("imported_by", sa.BigInteger(), nullable=False),
        sa.Column("first_seen_at", UTCDateTime(), nullable=False),
        sa.Column("updated_at", UTCDateTime(), nullable=False),
        sa.Column("removed_at", UTCDateTime(), nullable=True),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_crm_records_user_id_users"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_crm_records")),
        sa.UniqueConstraint("user_id", "system", "record_id", name=op.f("uq_crm_records_user_id")),
    )
    for table in _RESULT_TABLES:
        with op.batch_alter_table(table) as batch:
            batch.add_column(sa.Column("crm_record_id", sa.Integer(), nullable=True))
            batch.create_foreign_key(
                op.f(f"fk_{table}_crm_record_id_crm_records"),
                "crm_records",
                ["crm_record_id"],
                ["id"],
                ondelete="CASCADE",
            )
            batch.create_index(op.f(f"ix_{table}_crm_record_id"), ["crm_record_id"], unique=False)


def downgrade() -> None:
    for table in reversed(_RESULT_TABLES):
        with op.batch_alter_table(table) as batch:
            batch.drop_index(op.f(f"ix_{table}_crm_record_id"))
            batch.drop_constraint(op.f(f"fk_{table}_crm_record_id_crm_records"), type_="foreignkey")
            batch.drop_column("crm_record_id")
    op.drop_table("crm_records")
