"""What CRM imports keep besides the records: the imports themselves, remembered column mappings, a
team's owner-name links, and each user's hand-vs-CRM choice per measure.

Part of the one schema (Base in bot.storage.models, which imports this module at its end).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import BigInteger, ForeignKey, Index, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from bot.storage.models import Base


class CrmImport(Base):
    """One import: who ran it, whose results it wrote, where it came from and what it changed."""

    __tablename__ = "crm_imports"
    __table_args__ = (Index("ix_crm_imports_user_id_at", "user_id", "at"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(BigInteger, ForeignKey("users.id", ondelete="CASCADE"))
    imported_by: Mapped[int] = mapped_column(BigInteger)
    team_id: Mapped[int | None] = mapped_column(Integer)  # a manager's team import: the team it was for
    origin: Mapped[str] = mapped_column(String(8))  # "file" or "api"
    system: Mapped[str] = mapped_column(String(16))  # CrmSystem
    source_name: Mapped[str | None] = mapped_column(String(200))  # the file's name, or the connection
    rows: Mapped[int] = mapped_column(Integer)
    added: Mapped[int] = mapped_column(Integer)
    changed: Mapped[int] = mapped_column(Integer)
    reversed: Mapped[int] = mapped_column(Integer)
    unchanged: Mapped[int] = mapped_column(Integer)
    replaced_hand: Mapped[int] = mapped_column(Integer)  # hand-logged results the CRM replaced
    at: Mapped[datetime]


class CrmLayout(Base):
    """A column mapping the user confirmed for a file layout (bot.core.crm.files.header_signature)."""

    __tablename__ = "crm_layouts"
    __table_args__ = (UniqueConstraint("user_id", "signature"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(BigInteger, ForeignKey("users.id", ondelete="CASCADE"))
    signature: Mapped[str] = mapped_column(String(64))
    mapping: Mapped[dict[str, Any]]  # ColumnMapping.to_json()
    updated_at: Mapped[datetime]


class CrmOwnerLink(Base):
    """A team's CRM owner name (normalised: casefolded, spaces removed) and the member it is, or ignored."""

    __tablename__ = "crm_owner_links"
    __table_args__ = (UniqueConstraint("team_id", "owner_key"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    team_id: Mapped[int] = mapped_column(Integer, ForeignKey("teams.id", ondelete="CASCADE"))
    owner_key: Mapped[str] = mapped_column(String(200))
    owner_name: Mapped[str] = mapped_column(String(200))  # as the manager's file spelt it last
    # NULL: the manager chose to ignore this owner's rows.
    member_id: Mapped[int | None] = mapped_column(BigInteger, ForeignKey("users.id", ondelete="CASCADE"))
    updated_at: Mapped[datetime]


class CrmHandChoice(Base):
    """Whether the CRM replaces the user's hand-logged results of one measure where both have a day."""

    __tablename__ = "crm_hand_choices"
    __table_args__ = (UniqueConstraint("user_id", "measure"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(BigInteger, ForeignKey("users.id", ondelete="CASCADE"))
    measure: Mapped[str] = mapped_column(String(32))
    choice: Mapped[str] = mapped_column(String(8))  # HandChoice: "crm" (replace hand logging) or "both"
    updated_at: Mapped[datetime]
