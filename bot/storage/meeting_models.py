"""The weekly sales meeting's tables: one row per team and meeting day (its prompt and its digest, each
sent exactly once), who was prompted, the notes members added for it, and what was decided in it.

Part of the one schema (Base in bot.storage.models, which imports this module after the team tables).
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import BigInteger, ForeignKey, Index, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from bot.core.lifecycle.meetings import MEETING_SENDS, MeetingSendStatus
from bot.storage.models import Base
from bot.storage.types import StatusText


class TeamMeeting(Base):
    """One team's meeting on one local day: when it starts, when its prompt and digest go, and how they went.

    Written before anything is sent; its sends' statuses move (bot.core.lifecycle.meetings) in the
    transaction that records their messages in the outbox."""

    __tablename__ = "team_meetings"
    __table_args__ = (
        UniqueConstraint("team_id", "day"),
        Index("ix_team_meetings_prompt_status_prompt_at", "prompt_status", "prompt_at"),
        Index("ix_team_meetings_digest_status_digest_at", "digest_status", "digest_at"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    team_id: Mapped[int] = mapped_column(Integer, ForeignKey("teams.id", ondelete="CASCADE"))
    day: Mapped[date]  # the meeting's local date in the team's zone
    starts_at: Mapped[datetime]
    prompt_at: Mapped[datetime]
    digest_at: Mapped[datetime]
    prompt_status: Mapped[MeetingSendStatus] = mapped_column(
        StatusText(MeetingSendStatus), default=MEETING_SENDS.initial
    )
    digest_status: Mapped[MeetingSendStatus] = mapped_column(
        StatusText(MeetingSendStatus), default=MEETING_SENDS.initial
    )
    prompt_done_at: Mapped[datetime | None]
    digest_done_at: Mapped[datetime | None]
    created_at: Mapped[datetime]
    updated_at: Mapped[datetime]


class MeetingPrompt(Base):
    """A member asked for anything to bring to the meeting; the first text they type under it is a note."""

    __tablename__ = "team_meeting_prompts"
    __table_args__ = (
        UniqueConstraint("meeting_id", "user_id"),
        Index("ix_team_meeting_prompts_user_id", "user_id"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    meeting_id: Mapped[int] = mapped_column(Integer, ForeignKey("team_meetings.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(BigInteger, ForeignKey("users.id", ondelete="CASCADE"))
    recorded_at: Mapped[datetime]
    answered_at: Mapped[datetime | None]  # the member added a note since (by a button or typed under it)


class MeetingNote(Base):
    """What a member added for the meeting: written for it, so shared with its managers by intent."""

    __tablename__ = "team_meeting_notes"
    __table_args__ = (Index("ix_team_meeting_notes_meeting_id", "meeting_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    meeting_id: Mapped[int] = mapped_column(Integer, ForeignKey("team_meetings.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(BigInteger, ForeignKey("users.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(16))  # bot.services.meeting_notes.NoteKind
    text: Mapped[str] = mapped_column(String(1000))
    created_at: Mapped[datetime]


class MeetingItem(Base):
    """A decision or action item recorded after the meeting (/meeting): for one member, or for the whole
    team (member_id None). The next meeting's digest recalls them."""

    __tablename__ = "team_meeting_items"
    __table_args__ = (Index("ix_team_meeting_items_meeting_id", "meeting_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    meeting_id: Mapped[int] = mapped_column(Integer, ForeignKey("team_meetings.id", ondelete="CASCADE"))
    member_id: Mapped[int | None] = mapped_column(BigInteger, ForeignKey("users.id", ondelete="CASCADE"))
    text: Mapped[str] = mapped_column(String(300))
    created_by: Mapped[int] = mapped_column(BigInteger, ForeignKey("users.id", ondelete="CASCADE"))
    created_at: Mapped[datetime]
