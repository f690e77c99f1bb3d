"""The team tables: a team, who is in it in which role, its invites, and what members chose to share.

Part of the one schema (Base in bot.storage.models, which imports this module); later team features add
their tables in modules of their own beside this one, each with its migration.
"""

from __future__ import annotations

from datetime import datetime, time

from sqlalchemy import BigInteger, Boolean, ForeignKey, Index, Integer, String, Time, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from bot.core.teams.lifecycles import MEMBERSHIPS, TEAMS, MembershipStatus, TeamStatus
from bot.core.teams.meeting_schedule import DEFAULT_TIME, DEFAULT_WEEKDAY
from bot.core.teams.roles import Role
from bot.storage.models import Base
from bot.storage.types import StatusText


class Team(Base):
    """A sales team: its name, its time zone and currency, and when its weekly sales meeting is."""

    __tablename__ = "teams"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(64))
    timezone: Mapped[str] = mapped_column(String(64))
    currency: Mapped[str] = mapped_column(String(8))
    status: Mapped[TeamStatus] = mapped_column(StatusText(TeamStatus), default=TEAMS.initial)
    created_by: Mapped[int] = mapped_column(BigInteger, ForeignKey("users.id", ondelete="CASCADE"))
    meeting_weekday: Mapped[int] = mapped_column(Integer, default=DEFAULT_WEEKDAY)  # ISO, Monday = 1
    meeting_time: Mapped[time] = mapped_column(Time, default=DEFAULT_TIME)  # in the team's time zone
    leaderboard_on: Mapped[bool] = mapped_column(Boolean, default=False)
    # The team's group chat, once the bot is in it (follows a move to a supergroup's id).
    group_chat_id: Mapped[int | None] = mapped_column(BigInteger, unique=True)
    created_at: Mapped[datetime]
    updated_at: Mapped[datetime]


class TeamMember(Base):
    """One person's seat in one team. Leaving or removal only marks it: past results stay the team's."""

    __tablename__ = "team_members"
    __table_args__ = (UniqueConstraint("team_id", "user_id"), Index("ix_team_members_user_id", "user_id"))

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    team_id: Mapped[int] = mapped_column(Integer, ForeignKey("teams.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(BigInteger, ForeignKey("users.id", ondelete="CASCADE"))
    role: Mapped[Role] = mapped_column(StatusText(Role), default=Role.MEMBER)
    status: Mapped[MembershipStatus] = mapped_column(
        StatusText(MembershipStatus), default=MEMBERSHIPS.initial
    )
    invite_id: Mapped[int | None] = mapped_column(Integer, ForeignKey("team_invites.id", ondelete="SET NULL"))
    # When the member agreed to what the managers see (bot.core.teams.visibility.Shared); None before.
    consented_at: Mapped[datetime | None]
    leaderboard_joined: Mapped[bool] = mapped_column(Boolean, default=False)
    joined_at: Mapped[datetime | None]
    ended_at: Mapped[datetime | None]  # left or removed
    created_at: Mapped[datetime]
    updated_at: Mapped[datetime]


class TeamInvite(Base):
    """A join link's /start payload: random, expiring, revocable, with an optional number of uses."""

    __tablename__ = "team_invites"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    team_id: Mapped[int] = mapped_column(Integer, ForeignKey("teams.id", ondelete="CASCADE"), index=True)
    payload: Mapped[str] = mapped_column(String(64), unique=True)
    created_by: Mapped[int] = mapped_column(BigInteger, ForeignKey("users.id", ondelete="CASCADE"))
    created_at: Mapped[datetime]
    expires_at: Mapped[datetime]
    max_uses: Mapped[int | None] = mapped_column(Integer)
    uses: Mapped[int] = mapped_column(Integer, default=0)
    revoked_at: Mapped[datetime | None]


class TeamShare(Base):
    """Something a member chose to show their team: a win (/share), or one of their reflections (a
    setback, a lesson, a note), copied as it was when shared. Reflections reach managers only this way."""

    __tablename__ = "team_shares"
    __table_args__ = (Index("ix_team_shares_team_id_created_at", "team_id", "created_at"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    team_id: Mapped[int] = mapped_column(Integer, ForeignKey("teams.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(BigInteger, ForeignKey("users.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(16))  # win | setback | lesson | note
    # The row it came from (setbacks.id for a setback), so one reflection is shared at most once.
    source_id: Mapped[int | None] = mapped_column(Integer)
    text: Mapped[str] = mapped_column(String(1000))
    # A lost deal's reason, as a key the digest can match across people (bot.core.teams.discussion).
    reason_key: Mapped[str | None] = mapped_column(String(32))
    # Whether it may be posted in the team's group (the member's choice), and when it was.
    for_group: Mapped[bool] = mapped_column(Boolean, default=False)
    posted_at: Mapped[datetime | None]
    created_at: Mapped[datetime]
