"""The durable inbox and outbox (issues 9 and 12): what users sent, and what the bot told them, kept
in the database until handled or sent (decision 1 of the README)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, BigInteger, Index, Integer, LargeBinary, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from bot.core.lifecycle.inbox import INBOX, InboxStatus
from bot.core.lifecycle.outbox import OUTBOX, OutboxStatus
from bot.storage.models import Base
from bot.storage.types import StatusText


class OutboxMessage(Base):
    """One message for a chat, recorded in the transaction of the turn that decided it and sent after
    its commit, in recording order per chat; a restart sends what was recorded and not sent."""

    __tablename__ = "outbox"
    __table_args__ = (
        Index("ix_outbox_chat_id_id", "chat_id", "id"),
        Index("ix_outbox_status_next_attempt_at", "status", "next_attempt_at"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    chat_id: Mapped[int] = mapped_column(BigInteger)
    # The message text, or the photo's caption ("" for none); already within Telegram's limits.
    text: Mapped[str] = mapped_column(Text)
    # Inline keyboard rows of [label, callback data], checked against Telegram's 64 bytes when recorded.
    buttons: Mapped[list[list[list[str]]] | None] = mapped_column(JSON)
    # A photo: its PNG, or what draws it at send time (a chart drawn inside the turn would hold the
    # database's write lock while it draws).
    photo: Mapped[bytes | None] = mapped_column(LargeBinary)
    drawing: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    status: Mapped[OutboxStatus] = mapped_column(StatusText(OutboxStatus), default=OUTBOX.initial)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[datetime]
    message_id: Mapped[int | None] = mapped_column(BigInteger)
    reason: Mapped[str | None] = mapped_column(String(200))
    created_at: Mapped[datetime]
    updated_at: Mapped[datetime]
    sent_at: Mapped[datetime | None]
    # Set: this row edits the chat's message with that id to read `text` (a group's wins relay).
    edit_message_id: Mapped[int | None] = mapped_column(BigInteger)
    # A file (an /export workbook, say) sent by sendDocument with `text` as its caption; its bytes are
    # dropped once the row is finished, so a user's data does not wait in the outbox for its retention.
    document: Mapped[bytes | None] = mapped_column(LargeBinary)
    document_name: Mapped[str | None] = mapped_column(String(255))


class InboxUpdate(Base):
    """An update as Telegram sent it, committed before its offset is confirmed; handled once, in
    update_id order within its lane (the sender's id, else the chat's, else 0), one at a time."""

    __tablename__ = "inbox_updates"
    __table_args__ = (Index("ix_inbox_updates_status_lane_id", "status", "lane_id", "update_id"),)

    update_id: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    lane_id: Mapped[int] = mapped_column(BigInteger)
    user_id: Mapped[int | None] = mapped_column(BigInteger)
    chat_id: Mapped[int | None] = mapped_column(BigInteger)
    payload: Mapped[dict[str, Any]]
    status: Mapped[InboxStatus] = mapped_column(StatusText(InboxStatus), default=INBOX.initial)
    attempts: Mapped[int] = mapped_column(Integer, default=0)  # claims that found it at its lane's head
    received_at: Mapped[datetime]
    handled_at: Mapped[datetime | None]
    reason: Mapped[str | None] = mapped_column(String(200))


class InboxLane(Base):
    """Who handles a lane's updates now: one process at a time, until `claimed_until` (its lease)."""

    __tablename__ = "inbox_lanes"

    lane_id: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    claimed_by: Mapped[str | None] = mapped_column(String(64))
    claimed_until: Mapped[datetime | None]
