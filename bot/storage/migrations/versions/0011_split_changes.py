"""team_split_changes: the change log of a locked team split (who, when, which field, before, after)

Revision ID: 0011
Revises: 0009
Create Date: 2026-12-01
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from bot.storage.types import ExactDecimal, UTCDateTime

revision: str = "0011"
down_revision: str | None = "0009"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "team_split_changes",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("team_goal_id", sa.Integer(), nullable=False),
        sa.Column("changed_by", sa.BigInteger(), nullable=False),
        sa.Column("at", UTCDateTime(), nullable=False),
        sa.Column("field", sa.String(length=16), nullable=False),
        sa.Column("member_id", sa.BigInteger(), nullable=True),
        sa.Column("before", ExactDecimal(), nullable=False),
        sa.Column("after", ExactDecimal(), nullable=False),
        sa.ForeignKeyConstraint(
            ["team_goal_id"],
            ["team_goals.id"],
            name=op.f("fk_team_split_changes_team_goal_id_team_goals"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["changed_by"],
            ["users.id"],
            name=op.f("fk_team_split_changes_changed_by_users"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_team_split_changes")),
    )
    op.create_index(
        "ix_team_split_changes_team_goal_id_at", "team_split_changes", ["team_goal_id", "at"], unique=False
    )


def downgrade() -> None:
    op.drop_index("ix_team_split_changes_team_goal_id_at", table_name="team_split_changes")
    op.drop_table("team_split_changes")
