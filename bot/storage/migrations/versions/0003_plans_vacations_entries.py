"""plans, vacations, entries; user country and day template

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-27
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from bot.storage.types import ExactDecimal, UTCDateTime

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("users") as batch:
        batch.add_column(sa.Column("country", sa.String(length=8), nullable=True))
        batch.add_column(sa.Column("day_template", sa.JSON(), nullable=True))
    op.create_table(
        "vacations",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.BigInteger(), nullable=False),
        sa.Column("start_date", sa.Date(), nullable=False),
        sa.Column("end_date", sa.Date(), nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_vacations_user_id_users"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_vacations")),
    )
    op.create_index(op.f("ix_vacations_user_id"), "vacations", ["user_id"], unique=False)
    op.create_table(
        "goal_plans",
        sa.Column("goal_id", sa.Integer(), nullable=False),
        sa.Column("month_shares", sa.JSON(), nullable=False),
        sa.Column("average_deal", ExactDecimal(), nullable=True),
        sa.Column("win_rate", ExactDecimal(), nullable=True),
        sa.Column("meeting_rate", ExactDecimal(), nullable=True),
        sa.Column("visit_rate", ExactDecimal(), nullable=True),
        sa.Column("activity_targets", sa.JSON(), nullable=False),
        sa.Column("updated_at", UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["goal_id"], ["goals.id"], name=op.f("fk_goal_plans_goal_id_goals"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("goal_id", name=op.f("pk_goal_plans")),
    )
    op.create_table(
        "entries",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.BigInteger(), nullable=False),
        sa.Column("goal_id", sa.Integer(), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("amount", ExactDecimal(), nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["goal_id"], ["goals.id"], name=op.f("fk_entries_goal_id_goals"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_entries_user_id_users"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_entries")),
    )
    op.create_index("ix_entries_goal_id_day", "entries", ["goal_id", "day"], unique=False)


def downgrade() -> None:
    op.drop_index("ix_entries_goal_id_day", table_name="entries")
    op.drop_table("entries")
    op.drop_table("goal_plans")
    op.drop_index(op.f("ix_vacations_user_id"), table_name="vacations")
    op.drop_table("vacations")
    with op.batch_alter_table("users") as batch:
        batch.drop_column("day_template")
        batch.drop_column("country")
