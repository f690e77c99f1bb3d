"""CRM API connections (issue 14, sync14): who is connected to which CRM, with what, and how far synced.

Part of the one schema (Base in bot.storage.models, which imports this module at its end).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import BigInteger, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from bot.core.lifecycle.crm_connections import CONNECTIONS, ConnectionStatus
from bot.storage.models import Base
from bot.storage.types import StatusText


class CrmConnection(Base):
    """One user's (or one team's, through its manager) connection to a CRM's API.

    `credentials` is a Fernet token (bot.services.crm_secrets) of the pasted secrets and never their text.
    The cursors move in the same transaction as the records they cover, so a sync killed midway resumes
    where its last committed page ended. A sync holds the row by `claimed_by` until `claimed_until` (its
    lease); `next_sync_at` is the start of the next slot due, and a slot is done once its sync reached the
    end (`last_slot`), so each slot's sync runs to completion exactly once.
    """

    __tablename__ = "crm_connections"
    __table_args__ = (
        UniqueConstraint("user_id", "system"),
        Index("ix_crm_connections_next_sync_at", "next_sync_at"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(BigInteger, ForeignKey("users.id", ondelete="CASCADE"))
    # A team connection (a manager's, records split by owner) names its team; NULL: the user's own results.
    team_id: Mapped[int | None] = mapped_column(Integer, ForeignKey("teams.id", ondelete="CASCADE"))
    system: Mapped[str] = mapped_column(String(16))  # CrmSystem
    data_centre: Mapped[str] = mapped_column(String(16))  # Zoho: com, eu, in, com.au, jp, com.cn; Fxiaoke: ""
    api_domain: Mapped[str | None] = mapped_column(String(200))  # as the token endpoint returned it
    credentials: Mapped[str] = mapped_column(Text)  # Fernet token of the secrets' JSON
    status: Mapped[ConnectionStatus] = mapped_column(
        StatusText(ConnectionStatus), default=CONNECTIONS.initial
    )
    cursor: Mapped[str | None] = mapped_column(String(100))  # changes up to here are written
    deleted_cursor: Mapped[str | None] = mapped_column(String(100))  # deletions up to here are written
    next_sync_at: Mapped[datetime]
    last_slot: Mapped[datetime | None]  # the last slot whose sync reached its end
    claimed_by: Mapped[str | None] = mapped_column(String(64))
    claimed_until: Mapped[datetime | None]
    last_sync_at: Mapped[datetime | None]
    # What the last finished sync did, and everything synced so far.
    last_added: Mapped[int] = mapped_column(Integer, default=0)
    last_changed: Mapped[int] = mapped_column(Integer, default=0)
    last_removed: Mapped[int] = mapped_column(Integer, default=0)
    total_records: Mapped[int] = mapped_column(Integer, default=0)
    # A code (bot.services.crm_api.errors.SyncProblem), never the CRM's text (which may echo a secret).
    last_error: Mapped[str | None] = mapped_column(String(32))
    last_error_at: Mapped[datetime | None]
    # A team connection's notices not yet sent: per member, what this sync's pages wrote for them
    # (bot.services.crm_team_sync); committed with each page, sent and cleared when the sync ends.
    pending_notices: Mapped[dict[str, Any] | None]
    created_at: Mapped[datetime]
    updated_at: Mapped[datetime]


class CrmHeldRecord(Base):
    """A team connection's record whose owner no link names yet (teamsync14): kept, not guessed, until the
    manager matches the owner in /crm; then written to the member at once, the row gone. The sync's cursor
    moves past it: this row, not the CRM, is where it waits."""

    __tablename__ = "crm_held_records"
    __table_args__ = (
        UniqueConstraint("connection_id", "record_id"),
        Index("ix_crm_held_records_connection_id_owner_key", "connection_id", "owner_key"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    connection_id: Mapped[int] = mapped_column(Integer, ForeignKey("crm_connections.id", ondelete="CASCADE"))
    record_id: Mapped[str] = mapped_column(String(100))
    owner_key: Mapped[str] = mapped_column(String(200))  # bot.services.crm_team_import.owner_key
    owner_name: Mapped[str] = mapped_column(String(200))  # as the CRM spelt it last
    record: Mapped[dict[str, Any]]  # the CrmRecord, as bot.services.crm_team_sync writes it
    held_at: Mapped[datetime]
