"""Shortcuts for tests of CRM imports: a user with goals, hand-made records, what the database holds."""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from datetime import UTC, date, datetime
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.core.crm.records import CrmRecord, CrmSystem, DealState, RecordKind
from bot.core.goal_draft import GoalDraft
from bot.services.goals import create_goal
from bot.storage.models import ActivityLog, Entry, Goal, User

NOW = datetime(2026, 11, 27, 4, 0, tzinfo=UTC)  # noon in Shanghai, a Friday
_user_ids = itertools.count(8_000_000)

# (metric, kind, unit, target): the goals a salesperson importing their CRM typically has.
GOALS = [
    ("revenue", "currency", "CNY", Decimal(1_000_000)),
    ("deals", "count", "count", Decimal(20)),
    ("calls", "count", "count", Decimal(300)),
]


def next_user_id() -> int:
    return next(_user_ids)


async def add_user(session: AsyncSession, user_id: int | None = None, *, language: str = "en",
                   first_name: str = "Li", metrics: Sequence[str] = ("revenue", "deals", "calls"),
                   start: date = date(2026, 10, 1), deadline: date = date(2026, 12, 31)) -> User:  # fmt: skip
    """An onboarded user in Shanghai with goals of `metrics` from `start` through `deadline`."""
    user = await session.get(User, user_id) if user_id is not None else None
    if user is None:
        user = User(id=user_id or next_user_id(), first_name=first_name, language=language,
                    timezone="Asia/Shanghai", created_at=NOW, updated_at=NOW, onboarded_at=NOW)  # fmt: skip
        session.add(user)
        await session.flush()
    for metric, kind, unit, target in GOALS:
        if metric in metrics:
            draft = GoalDraft(metric=metric, kind=kind, unit=unit, description="Grow the hospital accounts",
                              target_value=target, start_date=start, deadline=deadline, confidence=7,
                              relevance="Team goal")  # fmt: skip
            await create_goal(session, user, draft, NOW)
    return user


def deal(record_id: str, day: date, amount: int | str | None, state: DealState = DealState.WON, *,
         owner: str | None = "Li Wei", system: CrmSystem = CrmSystem.ZOHO) -> CrmRecord:  # fmt: skip
    return CrmRecord(system, RecordKind.DEAL, record_id, day,
                     None if amount is None else Decimal(amount), state, owner, f"Deal {record_id}")  # fmt: skip


def activity(record_id: str, day: date, kind: RecordKind = RecordKind.CALL, *, owner: str | None = "Li Wei",
             system: CrmSystem = CrmSystem.ZOHO) -> CrmRecord:  # fmt: skip
    return CrmRecord(system, kind, record_id, day, owner=owner, title=f"{kind} {record_id}")


async def goal_totals(session: AsyncSession, user_id: int) -> dict[str, Decimal]:
    """Each goal metric's achieved total (the sum of its entries)."""
    metrics = {g.id: g.metric for g in await session.scalars(select(Goal).where(Goal.user_id == user_id))}
    totals: dict[str, Decimal] = {}
    for entry in await session.scalars(select(Entry).where(Entry.user_id == user_id)):
        totals[metrics[entry.goal_id]] = totals.get(metrics[entry.goal_id], Decimal(0)) + entry.amount
    return totals


async def measure_totals(session: AsyncSession, user_id: int) -> dict[str, Decimal]:
    """What the activity logs hold per measure (all sources)."""
    totals: dict[str, Decimal] = {}
    for row in await session.scalars(select(ActivityLog).where(ActivityLog.user_id == user_id)):
        totals[row.measure] = totals.get(row.measure, Decimal(0)) + row.amount
    return totals
