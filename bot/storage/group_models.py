"""The team's group chat and its short-term goals: the links that add the bot to a group, the day's wins
relay message, the posts made exactly once (a digest per meeting, each milestone), and team rewards.

Part of the one schema (Base in bot.storage.models, which imports this module after team_models).
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import BigInteger, ForeignKey, Index, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from bot.core.lifecycle.team_rewards import TEAM_REWARDS, TeamRewardStatus
from bot.storage.models import Base
from bot.storage.types import StatusText


class TeamGroupLink(Base):
    """A ?startgroup= payload: it links the group the bot is added to with one team, until it expires."""

    __tablename__ = "team_group_links"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    team_id: Mapped[int] = mapped_column(Integer, ForeignKey("teams.id", ondelete="CASCADE"), index=True)
    payload: Mapped[str] = mapped_column(String(64), unique=True)
    created_by: Mapped[int] = mapped_column(BigInteger, ForeignKey("users.id", ondelete="CASCADE"))
    created_at: Mapped[datetime]
    expires_at: Mapped[datetime]


class GroupRelay(Base):
    """The message of a day (the team's local day) in which the group's wins are relayed: the bot edits it
    as wins arrive rather than posting one message each. `outbox_id` is its row in the outbox; its shares
    are those of the day from `first_share_id` on (a new relay starts when one message is full)."""

    __tablename__ = "group_relays"
    __table_args__ = (Index("ix_group_relays_team_id_day", "team_id", "day"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    team_id: Mapped[int] = mapped_column(Integer, ForeignKey("teams.id", ondelete="CASCADE"))
    chat_id: Mapped[int] = mapped_column(BigInteger)
    day: Mapped[date]
    outbox_id: Mapped[int] = mapped_column(Integer)  # not a foreign key: sent rows are pruned
    first_share_id: Mapped[int] = mapped_column(Integer)
    created_at: Mapped[datetime]


class GroupPost(Base):
    """A post the group gets once: "digest:<meeting day>", "goal:<id>:<percent>", "reward:<id>". The unique
    key is the claim: whichever process inserts it first posts, in the same transaction."""

    __tablename__ = "group_posts"
    __table_args__ = (UniqueConstraint("team_id", "key"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    team_id: Mapped[int] = mapped_column(Integer, ForeignKey("teams.id", ondelete="CASCADE"))
    key: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime]


class TeamReward(Base):
    """ "If the team signs 10 new customers this month, team dinner": a team's short-term goal, counted
    from its current members' results for `metric` on the days from `start_date` through `deadline`."""

    __tablename__ = "team_rewards"
    __table_args__ = (Index("ix_team_rewards_status", "status"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    team_id: Mapped[int] = mapped_column(Integer, ForeignKey("teams.id", ondelete="CASCADE"), index=True)
    metric: Mapped[str] = mapped_column(String(32))
    target: Mapped[Decimal]
    start_date: Mapped[date]
    deadline: Mapped[date]
    treat: Mapped[str] = mapped_column(String(200))
    status: Mapped[TeamRewardStatus] = mapped_column(
        StatusText(TeamRewardStatus), default=TEAM_REWARDS.initial
    )
    created_by: Mapped[int] = mapped_column(BigInteger, ForeignKey("users.id", ondelete="CASCADE"))
    created_at: Mapped[datetime]
    updated_at: Mapped[datetime]
