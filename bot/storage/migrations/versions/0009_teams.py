"""teams: a team, its members and their roles, its invites, its goals split across the members, and what
members chose to share with it

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-01
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from bot.storage.types import ExactDecimal, UTCDateTime

revision: str = "0009"
down_revision: str | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _user_fk(table: str, column: str) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint(
        [column], ["users.id"], name=op.f(f"fk_{table}_{column}_users"), ondelete="CASCADE"
    )


def _team_fk(table: str) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint(
        ["team_id"], ["teams.id"], name=op.f(f"fk_{table}_team_id_teams"), ondelete="CASCADE"
    )


def upgrade() -> None:
    op.create_table(
        "teams",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=64), nullable=False),
        sa.Column("timezone", sa.String(length=64), nullable=False),
        sa.Column("currency", sa.String(length=8), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("created_by", sa.BigInteger(), nullable=False),
        sa.Column("meeting_weekday", sa.Integer(), nullable=False),
        sa.Column("meeting_time", sa.Time(), nullable=False),
        sa.Column("leaderboard_on", sa.Boolean(), nullable=False),
        sa.Column("group_chat_id", sa.BigInteger(), nullable=True),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.Column("updated_at", UTCDateTime(), nullable=False),
        _user_fk("teams", "created_by"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_teams")),
        sa.UniqueConstraint("group_chat_id", name=op.f("uq_teams_group_chat_id")),
    )
    op.create_table(
        "team_invites",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("team_id", sa.Integer(), nullable=False),
        sa.Column("payload", sa.String(length=64), nullable=False),
        sa.Column("created_by", sa.BigInteger(), nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.Column("expires_at", UTCDateTime(), nullable=False),
        sa.Column("max_uses", sa.Integer(), nullable=True),
        sa.Column("uses", sa.Integer(), nullable=False),
        sa.Column("revoked_at", UTCDateTime(), nullable=True),
        _team_fk("team_invites"),
        _user_fk("team_invites", "created_by"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_team_invites")),
        sa.UniqueConstraint("payload", name=op.f("uq_team_invites_payload")),
    )
    op.create_index(op.f("ix_team_invites_team_id"), "team_invites", ["team_id"], unique=False)
    op.create_table(
        "team_members",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("team_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.BigInteger(), nullable=False),
        sa.Column("role", sa.String(length=16), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("invite_id", sa.Integer(), nullable=True),
        sa.Column("consented_at", UTCDateTime(), nullable=True),
        sa.Column("leaderboard_joined", sa.Boolean(), nullable=False),
        sa.Column("joined_at", UTCDateTime(), nullable=True),
        sa.Column("ended_at", UTCDateTime(), nullable=True),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.Column("updated_at", UTCDateTime(), nullable=False),
        _team_fk("team_members"),
        _user_fk("team_members", "user_id"),
        sa.ForeignKeyConstraint(
            ["invite_id"],
            ["team_invites.id"],
            name=op.f("fk_team_members_invite_id_team_invites"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_team_members")),
        sa.UniqueConstraint("team_id", "user_id", name=op.f("uq_team_members_team_id")),
    )
    op.create_index("ix_team_members_user_id", "team_members", ["user_id"], unique=False)
    op.create_table(
        "team_shares",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("team_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.BigInteger(), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("source_id", sa.Integer(), nullable=True),
        sa.Column("text", sa.String(length=1000), nullable=False),
        sa.Column("reason_key", sa.String(length=32), nullable=True),
        sa.Column("for_group", sa.Boolean(), nullable=False),
        sa.Column("posted_at", UTCDateTime(), nullable=True),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        _team_fk("team_shares"),
        _user_fk("team_shares", "user_id"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_team_shares")),
    )
    op.create_index(
        "ix_team_shares_team_id_created_at", "team_shares", ["team_id", "created_at"], unique=False
    )

    op.create_table(
        "team_goals",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("team_id", sa.Integer(), nullable=False),
        sa.Column("metric", sa.String(length=32), nullable=False),
        sa.Column("metric_name", sa.String(length=64), nullable=True),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("unit", sa.String(length=16), nullable=False),
        sa.Column("description", sa.String(length=200), nullable=False),
        sa.Column("target_kind", sa.String(length=16), nullable=False),
        sa.Column("target_value", sa.BigInteger(), nullable=False),
        sa.Column("growth_percent", ExactDecimal(), nullable=True),
        sa.Column("baseline", ExactDecimal(), nullable=True),
        sa.Column("start_date", sa.Date(), nullable=False),
        sa.Column("deadline", sa.Date(), nullable=False),
        sa.Column("split_mode", sa.String(length=16), nullable=True),
        sa.Column("over_percent", ExactDecimal(), nullable=False),
        sa.Column("split_status", sa.String(length=16), nullable=False),
        sa.Column("locked_at", UTCDateTime(), nullable=True),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("created_by", sa.BigInteger(), nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.Column("updated_at", UTCDateTime(), nullable=False),
        _team_fk("team_goals"),
        _user_fk("team_goals", "created_by"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_team_goals")),
    )
    op.create_index("ix_team_goals_team_id_status", "team_goals", ["team_id", "status"], unique=False)
    op.create_table(
        "team_goal_parts",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("team_goal_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.BigInteger(), nullable=False),
        sa.Column("units", sa.BigInteger(), nullable=False),
        sa.Column("weight", ExactDecimal(), nullable=True),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("goal_id", sa.Integer(), nullable=True),
        sa.Column("note", sa.String(length=300), nullable=True),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.Column("updated_at", UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["team_goal_id"],
            ["team_goals.id"],
            name=op.f("fk_team_goal_parts_team_goal_id_team_goals"),
            ondelete="CASCADE",
        ),
        _user_fk("team_goal_parts", "user_id"),
        sa.ForeignKeyConstraint(
            ["goal_id"], ["goals.id"], name=op.f("fk_team_goal_parts_goal_id_goals"), ondelete="SET NULL"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_team_goal_parts")),
        sa.UniqueConstraint("team_goal_id", "user_id", name=op.f("uq_team_goal_parts_team_goal_id")),
    )


def downgrade() -> None:
    op.drop_table("team_goal_parts")
    op.drop_index("ix_team_goals_team_id_status", table_name="team_goals")
    op.drop_table("team_goals")
    op.drop_index("ix_team_shares_team_id_created_at", table_name="team_shares")
    op.drop_table("team_shares")
    op.drop_index("ix_team_members_user_id", table_name="team_members")
    op.drop_table("team_members")
    op.drop_index(op.f("ix_team_invites_team_id"), table_name="team_invites")
    op.drop_table("team_invites")
    op.drop_table("teams")
