"""The change log of a locked team split: every change to a part, the team target or the over-assignment.

Part of the one schema (Base in bot.storage.models, which imports this module last); migration 0011.
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from sqlalchemy import BigInteger, ForeignKey, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from bot.storage.models import Base


class TeamSplitChange(Base):
    """One change to a locked split (bot.core.teams.split_changes.SplitChange): who, when, which field,
    before and after, and whose part when it is a part."""

    __tablename__ = "team_split_changes"
    __table_args__ = (Index("ix_team_split_changes_team_goal_id_at", "team_goal_id", "at"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    team_goal_id: Mapped[int] = mapped_column(Integer, ForeignKey("team_goals.id", ondelete="CASCADE"))
    changed_by: Mapped[int] = mapped_column(BigInteger, ForeignKey("users.id", ondelete="CASCADE"))
    at: Mapped[datetime]
    field: Mapped[str] = mapped_column(String(16))  # bot.core.teams.split_changes.ChangedField
    # The member whose part changed (a user id); None for the team target and the over-assignment.
    member_id: Mapped[int | None] = mapped_column(BigInteger)
    before: Mapped[Decimal]
    after: Mapped[Decimal]
