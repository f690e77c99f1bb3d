"""CRM data as it landed: one row per CRM record a user's results come from.

Part of the one schema (Base in bot.storage.models, which imports this module at its end). Entries and
activity logs derived from a record point at it (`crm_record_id`), so a re-import finds them and a record
that leaves "won" or is deleted in the CRM takes its results with it.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import BigInteger, ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from bot.storage.models import Base


class CrmRecordRow(Base):
    """A CRM record (bot.core.crm.records.CrmRecord) as last imported for one user (the record's owner)."""

    __tablename__ = "crm_records"
    __table_args__ = (UniqueConstraint("user_id", "system", "record_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(BigInteger, ForeignKey("users.id", ondelete="CASCADE"))
    system: Mapped[str] = mapped_column(String(16))  # CrmSystem
    kind: Mapped[str] = mapped_column(String(16))  # RecordKind
    record_id: Mapped[str] = mapped_column(String(100))
    day: Mapped[date]
    amount: Mapped[Decimal | None]
    state: Mapped[str | None] = mapped_column(String(8))  # DealState; NULL for activities
    owner: Mapped[str | None] = mapped_column(String(200))
    title: Mapped[str | None] = mapped_column(String(300))
    fingerprint: Mapped[str] = mapped_column(String(32))
    # Who brought it in: the user themself, or their manager importing a team export.
    imported_by: Mapped[int] = mapped_column(BigInteger)
    first_seen_at: Mapped[datetime]
    updated_at: Mapped[datetime]
    # Set when the CRM deleted the record (or a later export no longer holds it as a result): its
    # results are gone, the row stays so that the same id arriving again is recognised.
    removed_at: Mapped[datetime | None]
