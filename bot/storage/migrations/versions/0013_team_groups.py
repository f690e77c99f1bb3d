"""team groups: the links that add the bot to a team's group, the day's wins relay, posts made once,
team rewards; outbox rows that edit a message

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-01
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from bot.storage.types import ExactDecimal, UTCDateTime

revision: str = "0013"
down_revision: str | None = "0012"  # after the team meetings (0012)
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _team_fk(table: str) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint(
        ["team_id"], ["teams.id"], name=op.f(f"fk_{table}_team_id_teams"), ondelete="CASCADE"
    )


def _creator_fk(table: str) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint(
        ["created_by"], ["users.id"], name=op.f(f"fk_{table}_created_by_users"), ondelete="CASCADE"
    )


def upgrade() -> None:
    op.create_table(
        "team_group_links",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("team_id", sa.Integer(), nullable=False),
        sa.Column("payload", sa.String(length=64), nullable=False),
        sa.Column("created_by", sa.BigInteger(), nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.Column("expires_at", UTCDateTime(), nullable=False),
        _team_fk("team_group_links"),
        _creator_fk("team_group_links"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_team_group_links")),
        sa.UniqueConstraint("payload", name=op.f("uq_team_group_links_payload")),
    )
    op.create_index(op.f("ix_team_group_links_team_id"), "team_group_links", ["team_id"], unique=False)
    op.create_table(
        "group_relays",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("team_id", sa.Integer(), nullable=False),
        sa.Column("chat_id", sa.BigInteger(), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("outbox_id", sa.Integer(), nullable=False),
        sa.Column("first_share_id", sa.Integer(), nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        _team_fk("group_relays"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_group_relays")),
    )
    op.create_index("ix_group_relays_team_id_day", "group_relays", ["team_id", "day"], unique=False)
    op.create_table(
        "group_posts",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("team_id", sa.Integer(), nullable=False),
        sa.Column("key", sa.String(length=64), nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        _team_fk("group_posts"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_group_posts")),
        sa.UniqueConstraint("team_id", "key", name=op.f("uq_group_posts_team_id")),
    )
    op.create_table(
        "team_rewards",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("team_id", sa.Integer(), nullable=False),
        sa.Column("metric", sa.String(length=32), nullable=False),
        sa.Column("target", ExactDecimal(), nullable=False),
        sa.Column("start_date", sa.Date(), nullable=False),
        sa.Column("deadline", sa.Date(), nullable=False),
        sa.Column("treat", sa.String(length=200), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("created_by", sa.BigInteger(), nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.Column("updated_at", UTCDateTime(), nullable=False),
        _team_fk("team_rewards"),
        _creator_fk("team_rewards"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_team_rewards")),
    )
    op.create_index(op.f("ix_team_rewards_team_id"), "team_rewards", ["team_id"], unique=False)
    op.create_index("ix_team_rewards_status", "team_rewards", ["status"], unique=False)
    with op.batch_alter_table("outbox") as batch:
        batch.add_column(sa.Column("edit_message_id", sa.BigInteger(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("outbox") as batch:
        batch.drop_column("edit_message_id")
    op.drop_index("ix_team_rewards_status", table_name="team_rewards")
    op.drop_index(op.f("ix_team_rewards_team_id"), table_name="team_rewards")
    op.drop_table("team_rewards")
    op.drop_table("group_posts")
    op.drop_index("ix_group_relays_team_id_day", table_name="group_relays")
    op.drop_table("group_relays")
    op.drop_index(op.f("ix_team_group_links_team_id"), table_name="team_group_links")
    op.drop_table("team_group_links")
