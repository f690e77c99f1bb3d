"""edited logs: results know the message they came from; corrections made by editing it are audited

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-27
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from bot.storage.types import ExactDecimal, UTCDateTime

revision: str = "0008"
# After issue 12's outbox (0007), which follows the inbox (0006).
down_revision: str | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# Rows written before this migration came from messages nobody can tell now: their message_id stays NULL.
_TABLES = ("entries", "activity_logs", "entry_audit")


def upgrade() -> None:
    for table in _TABLES:
        with op.batch_alter_table(table) as batch:
            batch.add_column(sa.Column("message_id", sa.BigInteger(), nullable=True))
    op.create_table(
        "entry_corrections",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.BigInteger(), nullable=False),
        sa.Column("message_id", sa.BigInteger(), nullable=False),
        sa.Column("batch", sa.String(length=36), nullable=False),
        sa.Column("at", UTCDateTime(), nullable=False),
        sa.Column("measure", sa.String(length=32), nullable=False),
        sa.Column("old_day", sa.Date(), nullable=False),
        sa.Column("old_amount", ExactDecimal(), nullable=True),
        sa.Column("new_day", sa.Date(), nullable=False),
        sa.Column("new_amount", ExactDecimal(), nullable=True),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_entry_corrections_user_id_users"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_entry_corrections")),
    )
    op.create_index(op.f("ix_entry_corrections_user_id"), "entry_corrections", ["user_id"], unique=False)


def downgrade() -> None:
    op.drop_index(op.f("ix_entry_corrections_user_id"), table_name="entry_corrections")
    op.drop_table("entry_corrections")
    for table in reversed(_TABLES):
        with op.batch_alter_table(table) as batch:
            batch.drop_column("message_id")
