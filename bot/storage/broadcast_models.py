"""ops15's tables: an admin's broadcasts and their deliveries, one per recipient (migration 0019).

Part of the one schema (Base in bot.storage.models, which imports this module after the others).
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import BigInteger, ForeignKey, Index, Integer, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from bot.core.lifecycle.broadcasts import BROADCASTS, BroadcastStatus
from bot.storage.models import Base
from bot.storage.types import StatusText


class Broadcast(Base):
    """A message an admin sends to every user or to one team's members, through the outbox."""

    __tablename__ = "broadcasts"
    __table_args__ = (Index("ix_broadcasts_status", "status"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    admin_id: Mapped[int] = mapped_column(BigInteger, ForeignKey("users.id", ondelete="CASCADE"))
    text: Mapped[str] = mapped_column(Text)
    # None: every user; else that team's current members. Chosen before the confirmation.
    team_id: Mapped[int | None] = mapped_column(Integer, ForeignKey("teams.id", ondelete="SET NULL"))
    status: Mapped[BroadcastStatus] = mapped_column(StatusText(BroadcastStatus), default=BROADCASTS.initial)
    skipped_blocked: Mapped[int] = mapped_column(Integer, default=0)  # recipients who had blocked the bot
    created_at: Mapped[datetime]
    queued_at: Mapped[datetime | None]
    reported_at: Mapped[datetime | None]


class BroadcastDelivery(Base):
    """One recipient of a queued broadcast and the outbox row that carries it: unique per user."""

    __tablename__ = "broadcast_deliveries"
    __table_args__ = (UniqueConstraint("broadcast_id", "user_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    broadcast_id: Mapped[int] = mapped_column(Integer, ForeignKey("broadcasts.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(BigInteger, ForeignKey("users.id", ondelete="CASCADE"), index=True)
    outbox_id: Mapped[int] = mapped_column(Integer)  # no foreign key: the outbox prunes finished rows
