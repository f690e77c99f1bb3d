"""The tables. Later features add tables through new migrations, never by editing old ones."""

from __future__ import annotations

from datetime import date, datetime, time
from decimal import Decimal
from typing import Any, ClassVar

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Date,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Text,
    Time,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from bot.core.lifecycle.goals import GOALS, GoalStatus
from bot.core.lifecycle.inbox import InboxStatus
from bot.core.lifecycle.nudges import NudgeStatus
from bot.core.lifecycle.prompts import OccurrenceStatus
from bot.core.lifecycle.rewards import RewardStatus
from bot.storage.types import ExactDecimal, StatusText, UTCDateTime

# The status enums live with their lifecycles in bot.core; named here too for code that reads rows.
__all__ = ["GoalStatus", "InboxStatus", "NudgeStatus", "OccurrenceStatus", "RewardStatus"]

# Stable constraint names keep Alembic migrations identical on SQLite and PostgreSQL.
NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)
    type_annotation_map: ClassVar[dict[Any, Any]] = {
        datetime: UTCDateTime(),
        date: Date(),
        Decimal: ExactDecimal(),
        dict[str, Any]: JSON(),
        list[str]: JSON(),
        list[dict[str, str]]: JSON(),
    }


class User(Base):
    """A Telegram user and their settings; the id is Telegram's user id."""

    __tablename__ = "users"

    id: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    first_name: Mapped[str] = mapped_column(String(128), default="")
    username: Mapped[str | None] = mapped_column(String(64))
    telegram_language: Mapped[str | None] = mapped_column(String(16))
    language: Mapped[str | None] = mapped_column(String(8))
    timezone: Mapped[str] = mapped_column(String(64))
    working_days: Mapped[str] = mapped_column(String(7), default="12345")
    daily_review_time: Mapped[time] = mapped_column(Time, default=time(18, 0))
    weekly_review_weekday: Mapped[int] = mapped_column(Integer, default=5)
    weekly_review_time: Mapped[time] = mapped_column(Time, default=time(17, 0))
    monthly_review_time: Mapped[time] = mapped_column(Time, default=time(17, 0))
    quiet_start: Mapped[time] = mapped_column(Time, default=time(22, 0))
    quiet_end: Mapped[time] = mapped_column(Time, default=time(8, 0))
    # Whose public holidays count; None until chosen means "derive from time zone and language".
    country: Mapped[str | None] = mapped_column(String(8))
    # How many coaching nudges the user wants: normal, fewer, off.
    nudge_level: Mapped[str] = mapped_column(String(8), default="normal")
    # /pause stops every prompt until /resume (vacation, sick day).
    prompts_paused: Mapped[bool] = mapped_column(Boolean, default=False)
    # The day plan's time blocks: [{"start": "09:00", "end": "11:00", "activity": "client visits"}, ...]
    day_template: Mapped[list[dict[str, str]] | None] = mapped_column(JSON)
    is_active: Mapped[bool] = mapped_column(Boolean, default=True)
    # The newest Telegram update handled for this user: a re-delivered update (after a crash) is skipped.
    last_update_id: Mapped[int | None] = mapped_column(BigInteger)
    blocked_at: Mapped[datetime | None]
    # When an update of theirs last arrived, to the hour (ops15: /admin's "active in 7 days").
    last_seen_at: Mapped[datetime | None]
    onboarded_at: Mapped[datetime | None]
    created_at: Mapped[datetime]
    updated_at: Mapped[datetime]

    @property
    def working_weekdays(self) -> frozenset[int]:
        """ISO weekdays (Monday=1) the user works on."""
        return frozenset(int(day) for day in self.working_days)


class DialogState(Base):
    """Where a user is in a multi-step dialog; written in the same transaction as each answer."""

    __tablename__ = "dialog_states"

    user_id: Mapped[int] = mapped_column(
        BigInteger, ForeignKey("users.id", ondelete="CASCADE"), primary_key=True, autoincrement=False
    )
    flow: Mapped[str] = mapped_column(String(64))
    step: Mapped[str] = mapped_column(String(64))
    data: Mapped[dict[str, Any]] = mapped_column(default=dict)
    history: Mapped[list[str]] = mapped_column(default=list)
    # Bumped on every accepted answer; buttons carry it, so a button from an older prompt is recognised.
    version: Mapped[int] = mapped_column(Integer, default=1)
    updated_at: Mapped[datetime]


class Goal(Base):
    """A SMART goal. Deleting only marks it, so its audit trail and later reviews keep their history."""

    __tablename__ = "goals"
    __table_args__ = (Index("ix_goals_user_id_status", "user_id", "status"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(BigInteger, ForeignKey("users.id", ondelete="CASCADE"))
    metric: Mapped[str] = mapped_column(String(32))
    metric_name: Mapped[str | None] = mapped_column(String(64))
    kind: Mapped[str] = mapped_column(String(16))
    unit: Mapped[str] = mapped_column(String(16))
    description: Mapped[str] = mapped_column(String(200))
    target_kind: Mapped[str] = mapped_column(String(16))
    target_value: Mapped[Decimal]
    growth_percent: Mapped[Decimal | None]
    baseline: Mapped[Decimal | None]
    start_date: Mapped[date]
    deadline: Mapped[date]
    confidence: Mapped[int] = mapped_column(Integer)
    ambition: Mapped[str] = mapped_column(String(16))
    ambition_decision: Mapped[str | None] = mapped_column(String(16))
    relevance: Mapped[str] = mapped_column(String(300))
    status: Mapped[GoalStatus] = mapped_column(StatusText(GoalStatus), default=GOALS.initial)
    created_at: Mapped[datetime]
    updated_at: Mapped[datetime]


class GoalAudit(Base):
    """Every change to a goal: who, when, which field, from what to what."""

    __tablename__ = "goal_audit"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    goal_id: Mapped[int] = mapped_column(Integer, ForeignKey("goals.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int] = mapped_column(BigInteger)
    at: Mapped[datetime]
    field: Mapped[str] = mapped_column(String(32))
    old_value: Mapped[str | None] = mapped_column(Text)
    new_value: Mapped[str | None] = mapped_column(Text)


class Vacation(Base):
    """Days a user is away (inclusive); they are not working days for any plan."""

    __tablename__ = "vacations"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(BigInteger, ForeignKey("users.id", ondelete="CASCADE"), index=True)
    start_date: Mapped[date]
    end_date: Mapped[date]
    created_at: Mapped[datetime]


class GoalPlan(Base):
    """How a goal is broken down: month shares the user fixed, the sales funnel, direct activity targets.

    The month, week and day amounts themselves are computed from these and the user's calendar, so a
    new vacation or holiday re-spreads the plan without a stale copy to fix.
    """

    __tablename__ = "goal_plans"

    goal_id: Mapped[int] = mapped_column(
        Integer, ForeignKey("goals.id", ondelete="CASCADE"), primary_key=True
    )
    # {"2026-12": "40"}: percent of the target the user fixed for a month; other months share the rest.
    month_shares: Mapped[dict[str, Any]] = mapped_column(default=dict)
    average_deal: Mapped[Decimal | None]
    win_rate: Mapped[Decimal | None]
    meeting_rate: Mapped[Decimal | None]
    visit_rate: Mapped[Decimal | None]
    # {"visits": {"count": 20, "per": "week"}, "trainings": {"count": 5, "per": "month"}}
    activity_targets: Mapped[dict[str, Any]] = mapped_column(default=dict)
    updated_at: Mapped[datetime]


class Entry(Base):
    """A recorded result for a goal on a day (the user's local date); progress sums these."""

    __tablename__ = "entries"
    __table_args__ = (Index("ix_entries_goal_id_day", "goal_id", "day"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(BigInteger, ForeignKey("users.id", ondelete="CASCADE"))
    goal_id: Mapped[int] = mapped_column(Integer, ForeignKey("goals.id", ondelete="CASCADE"))
    day: Mapped[date]
    amount: Mapped[Decimal]
    created_at: Mapped[datetime]
    # "review" (replaced when the day's review is answered again) or "log" (/log, undoable).
    source: Mapped[str] = mapped_column(String(16), default="log")
    # Entries written by one /log or one review share a batch, so /undo removes exactly that report.
    batch: Mapped[str | None] = mapped_column(String(36), index=True)
    # The user's Telegram message the report came from (a /log or results typed as text): editing it corrects.
    message_id: Mapped[int | None] = mapped_column(BigInteger)
    # The CRM record (crm_records) an imported result derives from; NULL for results typed or reviewed.
    crm_record_id: Mapped[int | None] = mapped_column(
        Integer, ForeignKey("crm_records.id", ondelete="CASCADE"), index=True
    )


class ActivityLog(Base):
    """Activities done on a day (visits, calls, meetings, ...), recorded by reviews and /log."""

    __tablename__ = "activity_logs"
    __table_args__ = (Index("ix_activity_logs_user_id_day", "user_id", "day"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(BigInteger, ForeignKey("users.id", ondelete="CASCADE"))
    day: Mapped[date]
    measure: Mapped[str] = mapped_column(String(32))
    amount: Mapped[Decimal]
    source: Mapped[str] = mapped_column(String(16), default="log")
    batch: Mapped[str | None] = mapped_column(String(36), index=True)
    created_at: Mapped[datetime]
    message_id: Mapped[int | None] = mapped_column(BigInteger)  # as Entry.message_id
    crm_record_id: Mapped[int | None] = mapped_column(
        Integer, ForeignKey("crm_records.id", ondelete="CASCADE"), index=True
    )  # as Entry.crm_record_id


class EntryAudit(Base):
    """Every result added, replaced or undone: results are corrected, never silently rewritten."""

    __tablename__ = "entry_audit"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(BigInteger, ForeignKey("users.id", ondelete="CASCADE"), index=True)
    at: Mapped[datetime]
    action: Mapped[str] = mapped_column(String(16))  # add, replace, undo
    day: Mapped[date]
    batch: Mapped[str | None] = mapped_column(String(36))
    old_value: Mapped[str | None] = mapped_column(Text)
    new_value: Mapped[str | None] = mapped_column(Text)
    message_id: Mapped[int | None] = mapped_column(BigInteger)  # kept after an undo: the edit is told so


class PromptSchedule(Base):
    """When a user's next review of one kind is due. The dispatcher selects by next_due_at (indexed)."""

    __tablename__ = "prompt_schedules"
    __table_args__ = (
        UniqueConstraint("user_id", "kind"),
        Index("ix_prompt_schedules_active_next_due_at", "active", "next_due_at"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(BigInteger, ForeignKey("users.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(16))
    next_day: Mapped[date]
    next_due_at: Mapped[datetime]
    # The last local day already served (sent, missed or skipped): never served twice, whatever changes.
    last_served_day: Mapped[date | None]
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    updated_at: Mapped[datetime]


class PromptOccurrence(Base):
    """One review prompt for one local day: written before it is sent, unique per user, kind and day."""

    __tablename__ = "prompt_occurrences"
    __table_args__ = (
        UniqueConstraint("user_id", "kind", "day"),
        Index("ix_prompt_occurrences_status_wake_at", "status", "wake_at"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(BigInteger, ForeignKey("users.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(16))
    day: Mapped[date]
    due_at: Mapped[datetime]
    status: Mapped[OccurrenceStatus] = mapped_column(StatusText(OccurrenceStatus))
    # When the dispatcher should look at it again: a snooze's end or a reminder's time.
    wake_at: Mapped[datetime | None]
    reminded: Mapped[bool] = mapped_column(Boolean, default=False)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    sent_at: Mapped[datetime | None]
    answered_at: Mapped[datetime | None]
    message_id: Mapped[int | None] = mapped_column(BigInteger)
    worker: Mapped[str | None] = mapped_column(String(64))
    reason: Mapped[str | None] = mapped_column(String(200))
    created_at: Mapped[datetime]
    updated_at: Mapped[datetime]


class ReviewAnswer(Base):
    """The reflective answers of a review (one per user, kind and day: answering again updates it)."""

    __tablename__ = "review_answers"
    __table_args__ = (UniqueConstraint("user_id", "kind", "day"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(BigInteger, ForeignKey("users.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(16))
    day: Mapped[date]
    answers: Mapped[dict[str, Any]] = mapped_column(default=dict)
    created_at: Mapped[datetime]
    updated_at: Mapped[datetime]


class Nudge(Base):
    """A coaching message triggered by the user's own numbers; one per user and trigger key, ever."""

    __tablename__ = "nudges"
    __table_args__ = (
        UniqueConstraint("user_id", "key"),
        Index("ix_nudges_status_due_at", "status", "due_at"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(BigInteger, ForeignKey("users.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(32))
    key: Mapped[str] = mapped_column(String(120))
    text_id: Mapped[str | None] = mapped_column(String(64))
    data: Mapped[dict[str, Any]] = mapped_column(default=dict)
    status: Mapped[NudgeStatus] = mapped_column(StatusText(NudgeStatus))
    due_at: Mapped[datetime]
    sent_at: Mapped[datetime | None]
    reason: Mapped[str | None] = mapped_column(String(200))
    created_at: Mapped[datetime]
    updated_at: Mapped[datetime]


class EntryCorrection(Base):
    """A report corrected by editing its message: one row per measure whose figure or day changed."""

    __tablename__ = "entry_corrections"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(BigInteger, ForeignKey("users.id", ondelete="CASCADE"), index=True)
    message_id: Mapped[int] = mapped_column(BigInteger)
    batch: Mapped[str] = mapped_column(String(36))
    at: Mapped[datetime]
    measure: Mapped[str] = mapped_column(String(32))
    old_day: Mapped[date]
    old_amount: Mapped[Decimal | None]  # None: the measure was not in the report before the edit
    new_day: Mapped[date]
    new_amount: Mapped[Decimal | None]  # None: the edit took the measure out


# The team tables are part of this one schema; they live in a module of their own (imported last, since they
# build on Base and on the tables above).
from bot.storage import broadcast_models as _broadcast_models  # noqa: E402, F401  (ops15: /broadcast)
from bot.storage import coaching_models as _coaching_models  # noqa: E402, F401  (rewards, setbacks, strategy)
from bot.storage import crm_models as _crm_models  # noqa: E402, F401  (issue 14: CRM records)
from bot.storage import crm_sync_models as _crm_sync_models  # noqa: E402, F401  (sync14: CRM API connections)
from bot.storage import group_models as _group_models  # noqa: E402, F401
from bot.storage import import_models as _import_models  # noqa: E402, F401  (import14: CRM imports)
from bot.storage import meeting_models as _meeting_models  # noqa: E402, F401  (meeting13: the weekly meeting)
from bot.storage import message_models as _message_models  # noqa: E402, F401  (the inbox and the outbox)
from bot.storage import split_models as _split_models  # noqa: E402, F401  (split13: the change log)
from bot.storage import team_models as _team_models  # noqa: E402, F401
