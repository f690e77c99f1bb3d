"""crm imports: the imports, remembered column mappings, a team's owner links, the hand-vs-CRM choice

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-01
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from bot.storage.types import UTCDateTime

revision: str = "0015"
down_revision: str | None = "0014"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _user_fk(table: str, column: str = "user_id") -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint(
        [column], ["users.id"], name=op.f(f"fk_{table}_{column}_users"), ondelete="CASCADE"
    )


def upgrade() -> None:
    op.create_table(
        "crm_imports",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.BigInteger(), nullable=False),
        sa.Column("imported_by", sa.BigInteger(), nullable=False),
        sa.Column("team_id", sa.Integer(), nullable=True),
        sa.Column("origin", sa.String(length=8), nullable=False),
        sa.Column("system", sa.String(length=16), nullable=False),
        sa.Column("source_name", sa.String(length=200), nullable=True),
        sa.Column("rows", sa.Integer(), nullable=False),
        sa.Column("added", sa.Integer(), nullable=False),
        sa.Column("changed", sa.Integer(), nullable=False),
        sa.Column("reversed", sa.Integer(), nullable=False),
        sa.Column("unchanged", sa.Integer(), nullable=False),
        sa.Column("replaced_hand", sa.Integer(), nullable=False),
        sa.Column("at", UTCDateTime(), nullable=False),
        _user_fk("crm_imports"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_crm_imports")),
    )
    op.create_index("ix_crm_imports_user_id_at", "crm_imports", ["user_id", "at"], unique=False)
    op.create_table(
        "crm_layouts",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.BigInteger(), nullable=False),
        sa.Column("signature", sa.String(length=64), nullable=False),
        sa.Column("mapping", sa.JSON(), nullable=False),
        sa.Column("updated_at", UTCDateTime(), nullable=False),
        _user_fk("crm_layouts"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_crm_layouts")),
        sa.UniqueConstraint("user_id", "signature", name=op.f("uq_crm_layouts_user_id")),
    )
    op.create_table(
        "crm_owner_links",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("team_id", sa.Integer(), nullable=False),
        sa.Column("owner_key", sa.String(length=200), nullable=False),
        sa.Column("owner_name", sa.String(length=200), nullable=False),
        sa.Column("member_id", sa.BigInteger(), nullable=True),
        sa.Column("updated_at", UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["team_id"], ["teams.id"], name=op.f("fk_crm_owner_links_team_id_teams"), ondelete="CASCADE"
        ),
        _user_fk("crm_owner_links", "member_id"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_crm_owner_links")),
        sa.UniqueConstraint("team_id", "owner_key", name=op.f("uq_crm_owner_links_team_id")),
    )
    op.create_table(
        "crm_hand_choices",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.BigInteger(), nullable=False),
        sa.Column("measure", sa.String(length=32), nullable=False),
        sa.Column("choice", sa.String(length=8), nullable=False),
        sa.Column("updated_at", UTCDateTime(), nullable=False),
        _user_fk("crm_hand_choices"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_crm_hand_choices")),
        sa.UniqueConstraint("user_id", "measure", name=op.f("uq_crm_hand_choices_user_id")),
    )


def downgrade() -> None:
    op.drop_table("crm_hand_choices")
    op.drop_table("crm_owner_links")
    op.drop_table("crm_layouts")
    op.drop_index("ix_crm_imports_user_id_at", table_name="crm_imports")
    op.drop_table("crm_imports")
