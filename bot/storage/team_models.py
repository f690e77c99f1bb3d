"""The team tables: a team, who is in it in which role, its invites, its goals and their split across the
members, and what members chose to share.

Part of the one schema (Base in bot.storage.models, which imports this module); later team features add
their tables in modules of their own beside this one, each with its migration.
"""

from __future__ import annotations

from datetime import date, datetime, time
from decimal import Decimal

from sqlalchemy import BigInteger, Boolean, ForeignKey, Index, Integer, String, Time, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from bot.core.lifecycle.goals import GOALS, GoalStatus
from bot.core.teams.lifecycles import (
    MEMBERSHIPS,
    PARTS,
    SPLITS,
    TEAMS,
    MembershipStatus,
    PartStatus,
    SplitStatus,
    TeamStatus,
)
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


class TeamGoal(Base):
    """A team's SMART goal (the rules of /newgoal) and the state of its split across the members."""

    __tablename__ = "team_goals"
    __table_args__ = (Index("ix_team_goals_team_id_status", "team_id", "status"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    team_id: Mapped[int] = mapped_column(Integer, ForeignKey("teams.id", ondelete="CASCADE"))
    metric: Mapped[str] = mapped_column(String(32))
    metric_name: Mapped[str | None] = mapped_column(String(64))
    kind: Mapped[str] = mapped_column(String(16))
    unit: Mapped[str] = mapped_column(String(16))
    description: Mapped[str] = mapped_column(String(200))
    target_kind: Mapped[str] = mapped_column(String(16))  # bot.core.teams.targets.TargetKind
    target_value: Mapped[int] = mapped_column(BigInteger)  # whole units, growth already applied
    growth_percent: Mapped[Decimal | None]
    baseline: Mapped[Decimal | None]  # last year's figure a growth target builds on
    start_date: Mapped[date]
    deadline: Mapped[date]
    split_mode: Mapped[str | None] = mapped_column(String(16))  # bot.core.teams.split.SplitMode
    over_percent: Mapped[Decimal] = mapped_column(default=Decimal(0))  # over-assignment of the parts
    split_status: Mapped[SplitStatus] = mapped_column(StatusText(SplitStatus), default=SPLITS.initial)
    locked_at: Mapped[datetime | None]
    status: Mapped[GoalStatus] = mapped_column(StatusText(GoalStatus), default=GOALS.initial)
    created_by: Mapped[int] = mapped_column(BigInteger, ForeignKey("users.id", ondelete="CASCADE"))
    created_at: Mapped[datetime]
    updated_at: Mapped[datetime]


class TeamGoalPart(Base):
    """One member's part of a team goal, proposed to them as a personal goal (goal_id, whose "relevant"
    answer is the team goal), and their answer to it."""

    __tablename__ = "team_goal_parts"
    __table_args__ = (UniqueConstraint("team_goal_id", "user_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    team_goal_id: Mapped[int] = mapped_column(Integer, ForeignKey("team_goals.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(BigInteger, ForeignKey("users.id", ondelete="CASCADE"))
    units: Mapped[int] = mapped_column(BigInteger)
    weight: Mapped[Decimal | None]  # the manager's typed weight (split by weights)
    status: Mapped[PartStatus] = mapped_column(StatusText(PartStatus), default=PARTS.initial)
    goal_id: Mapped[int | None] = mapped_column(Integer, ForeignKey("goals.id", ondelete="SET NULL"))
    # What the member wrote when asking to discuss it.
    note: Mapped[str | None] = mapped_column(String(300))
    created_at: Mapped[datetime]
    updated_at: Mapped[datetime]
