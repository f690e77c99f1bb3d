"""prompt schedules and occurrences, activity logs, review answers, entry audit

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-27
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from bot.storage.types import ExactDecimal, UTCDateTime

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("users") as batch:
        batch.add_column(sa.Column("prompts_paused", sa.Boolean(), nullable=False, server_default=sa.false()))
    with op.batch_alter_table("entries") as batch:
        batch.add_column(sa.Column("source", sa.String(length=16), nullable=False, server_default="log"))
        batch.add_column(sa.Column("batch", sa.String(length=36), nullable=True))
        batch.create_index(batch.f("ix_entries_batch"), ["batch"], unique=False)
    op.create_table(
        "activity_logs",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.BigInteger(), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("measure", sa.String(length=32), nullable=False),
        sa.Column("amount", ExactDecimal(), nullable=False),
        sa.Column("source", sa.String(length=16), nullable=False),
        sa.Column("batch", sa.String(length=36), nullable=True),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_activity_logs_user_id_users"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_activity_logs")),
    )
    op.create_index("ix_activity_logs_user_id_day", "activity_logs", ["user_id", "day"], unique=False)
    op.create_index(op.f("ix_activity_logs_batch"), "activity_logs", ["batch"], unique=False)
    op.create_table(
        "entry_audit",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.BigInteger(), nullable=False),
        sa.Column("at", UTCDateTime(), nullable=False),
        sa.Column("action", sa.String(length=16), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("batch", sa.String(length=36), nullable=True),
        sa.Column("old_value", sa.Text(), nullable=True),
        sa.Column("new_value", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_entry_audit_user_id_users"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_entry_audit")),
    )
    op.create_index(op.f("ix_entry_audit_user_id"), "entry_audit", ["user_id"], unique=False)
    op.create_table(
        "prompt_schedules",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.BigInteger(), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("next_day", sa.Date(), nullable=False),
        sa.Column("next_due_at", UTCDateTime(), nullable=False),
        sa.Column("last_served_day", sa.Date(), nullable=True),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("updated_at", UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_prompt_schedules_user_id_users"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_prompt_schedules")),
        sa.UniqueConstraint("user_id", "kind", name=op.f("uq_prompt_schedules_user_id")),
    )
    op.create_index(
        "ix_prompt_schedules_active_next_due_at", "prompt_schedules", ["active", "next_due_at"], unique=False
    )
    op.create_table(
        "prompt_occurrences",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.BigInteger(), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("due_at", UTCDateTime(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("wake_at", UTCDateTime(), nullable=True),
        sa.Column("reminded", sa.Boolean(), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("sent_at", UTCDateTime(), nullable=True),
        sa.Column("answered_at", UTCDateTime(), nullable=True),
        sa.Column("message_id", sa.BigInteger(), nullable=True),
        sa.Column("worker", sa.String(length=64), nullable=True),
        sa.Column("reason", sa.String(length=200), nullable=True),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.Column("updated_at", UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_prompt_occurrences_user_id_users"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_prompt_occurrences")),
        sa.UniqueConstraint("user_id", "kind", "day", name=op.f("uq_prompt_occurrences_user_id")),
    )
    op.create_index(
        "ix_prompt_occurrences_status_wake_at", "prompt_occurrences", ["status", "wake_at"], unique=False
    )
    op.create_table(
        "review_answers",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.BigInteger(), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("answers", sa.JSON(), nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.Column("updated_at", UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_review_answers_user_id_users"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_review_answers")),
        sa.UniqueConstraint("user_id", "kind", "day", name=op.f("uq_review_answers_user_id")),
    )


def downgrade() -> None:
    op.drop_table("review_answers")
    op.drop_index("ix_prompt_occurrences_status_wake_at", table_name="prompt_occurrences")
    op.drop_table("prompt_occurrences")
    op.drop_index("ix_prompt_schedules_active_next_due_at", table_name="prompt_schedules")
    op.drop_table("prompt_schedules")
    op.drop_index(op.f("ix_entry_audit_user_id"), table_name="entry_audit")
    op.drop_table("entry_audit")
    op.drop_index(op.f("ix_activity_logs_batch"), table_name="activity_logs")
    op.drop_index("ix_activity_logs_user_id_day", table_name="activity_logs")
    op.drop_table("activity_logs")
    with op.batch_alter_table("entries") as batch:
        batch.drop_index(batch.f("ix_entries_batch"))
        batch.drop_column("batch")
        batch.drop_column("source")
    with op.batch_alter_table("users") as batch:
        batch.drop_column("prompts_paused")
