"""team meetings: one row per team and meeting day (its prompt and digest sent exactly once), who was
prompted, the members' notes for it, and the decisions and action items recorded after it

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-01
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from bot.storage.types import UTCDateTime

revision: str = "0012"
down_revision: str | None = "0011"  # after the split change log (0011), which follows the teams (0009)
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _user_fk(table: str, column: str) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint(
        [column], ["users.id"], name=op.f(f"fk_{table}_{column}_users"), ondelete="CASCADE"
    )


def _meeting_fk(table: str) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint(
        ["meeting_id"],
        ["team_meetings.id"],
        name=op.f(f"fk_{table}_meeting_id_team_meetings"),
        ondelete="CASCADE",
    )


def upgrade() -> None:
    op.create_table(
        "team_meetings",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("team_id", sa.Integer(), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("starts_at", UTCDateTime(), nullable=False),
        sa.Column("prompt_at", UTCDateTime(), nullable=False),
        sa.Column("digest_at", UTCDateTime(), nullable=False),
        sa.Column("prompt_status", sa.String(length=16), nullable=False),
        sa.Column("digest_status", sa.String(length=16), nullable=False),
        sa.Column("prompt_done_at", UTCDateTime(), nullable=True),
        sa.Column("digest_done_at", UTCDateTime(), nullable=True),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.Column("updated_at", UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["team_id"], ["teams.id"], name=op.f("fk_team_meetings_team_id_teams"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_team_meetings")),
        sa.UniqueConstraint("team_id", "day", name=op.f("uq_team_meetings_team_id")),
    )
    op.create_index(
        "ix_team_meetings_prompt_status_prompt_at",
        "team_meetings",
        ["prompt_status", "prompt_at"],
        unique=False,
    )
    op.create_index(
        "ix_team_meetings_digest_status_digest_at",
        "team_meetings",
        ["digest_status", "digest_at"],
        unique=False,
    )
    op.create_table(
        "team_meeting_prompts",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("meeting_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.BigInteger(), nullable=False),
        sa.Column("recorded_at", UTCDateTime(), nullable=False),
        sa.Column("answered_at", UTCDateTime(), nullable=True),
        _meeting_fk("team_meeting_prompts"),
        _user_fk("team_meeting_prompts", "user_id"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_team_meeting_prompts")),
        sa.UniqueConstraint("meeting_id", "user_id", name=op.f("uq_team_meeting_prompts_meeting_id")),
    )
    op.create_index("ix_team_meeting_prompts_user_id", "team_meeting_prompts", ["user_id"], unique=False)
    op.create_table(
        "team_meeting_notes",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("meeting_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.BigInteger(), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("text", sa.String(length=1000), nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        _meeting_fk("team_meeting_notes"),
        _user_fk("team_meeting_notes", "user_id"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_team_meeting_notes")),
    )
    op.create_index("ix_team_meeting_notes_meeting_id", "team_meeting_notes", ["meeting_id"], unique=False)
    op.create_table(
        "team_meeting_items",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("meeting_id", sa.Integer(), nullable=False),
        sa.Column("member_id", sa.BigInteger(), nullable=True),
        sa.Column("text", sa.String(length=300), nullable=False),
        sa.Column("created_by", sa.BigInteger(), nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        _meeting_fk("team_meeting_items"),
        _user_fk("team_meeting_items", "member_id"),
        _user_fk("team_meeting_items", "created_by"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_team_meeting_items")),
    )
    op.create_index("ix_team_meeting_items_meeting_id", "team_meeting_items", ["meeting_id"], unique=False)


def downgrade() -> None:
    op.drop_index("ix_team_meeting_items_meeting_id", table_name="team_meeting_items")
    op.drop_table("team_meeting_items")
    op.drop_index("ix_team_meeting_notes_meeting_id", table_name="team_meeting_notes")
    op.drop_table("team_meeting_notes")
    op.drop_index("ix_team_meeting_prompts_user_id", table_name="team_meeting_prompts")
    op.drop_table("team_meeting_prompts")
    op.drop_index("ix_team_meetings_digest_status_digest_at", table_name="team_meetings")
    op.drop_index("ix_team_meetings_prompt_status_prompt_at", table_name="team_meetings")
    op.drop_table("team_meetings")
