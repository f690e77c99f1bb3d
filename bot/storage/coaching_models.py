"""The coaching records: short-term rewards, setbacks learned from, and strategy changes."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import BigInteger, ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from bot.core.lifecycle.rewards import REWARDS, RewardStatus
from bot.storage.models import Base
from bot.storage.types import StatusText


class Reward(Base):
    """ "If I reach X by Y, I will treat myself to Z": a short-term goal inside a goal."""

    __tablename__ = "rewards"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(BigInteger, ForeignKey("users.id", ondelete="CASCADE"), index=True)
    goal_id: Mapped[int] = mapped_column(Integer, ForeignKey("goals.id", ondelete="CASCADE"))
    target: Mapped[Decimal]
    start_date: Mapped[date]
    deadline: Mapped[date]
    treat: Mapped[str] = mapped_column(String(200))
    status: Mapped[RewardStatus] = mapped_column(StatusText(RewardStatus), default=REWARDS.initial)
    created_at: Mapped[datetime]
    updated_at: Mapped[datetime]


class Setback(Base):
    """A lost deal or a rejection, and what the salesperson takes from it."""

    __tablename__ = "setbacks"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(BigInteger, ForeignKey("users.id", ondelete="CASCADE"), index=True)
    day: Mapped[date]
    summary: Mapped[str] = mapped_column(String(300))
    answers: Mapped[dict[str, Any]] = mapped_column(default=dict)
    created_at: Mapped[datetime]


class StrategyChange(Base):
    """A decision to adjust a goal's strategy: why, what was decided, the numbers before and after."""

    __tablename__ = "strategy_changes"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(BigInteger, ForeignKey("users.id", ondelete="CASCADE"))
    goal_id: Mapped[int] = mapped_column(Integer, ForeignKey("goals.id", ondelete="CASCADE"), index=True)
    at: Mapped[datetime]
    reason: Mapped[str] = mapped_column(String(32))
    decision: Mapped[str] = mapped_column(String(32))
    note: Mapped[str | None] = mapped_column(String(300))
    before: Mapped[dict[str, Any]] = mapped_column(default=dict)
    after: Mapped[dict[str, Any]] = mapped_column(default=dict)
