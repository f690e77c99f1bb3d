"""Shortcuts for tests that need goals: through the wizard as a user would, or straight into the database."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession

from bot.core.goal_draft import GoalDraft
from bot.services.goals import create_goal
from bot.storage.models import Goal, GoalAudit, User
from tests.auxil.chat import Chat
from tests.auxil.database import fetch, rows


async def onboard(chat: Chat, language: str = "en") -> None:
    await chat.send("/start")
    await chat.press("English" if language == "en" else "中文")
    await chat.send("UTC+8")
    await chat.press("✔ Keep them" if language == "en" else "✔ 就用这些")


async def wizard_goal(
    chat: Chat,
    target: str = "50万",
    deadline: str = "end of Q1 2027",
    baseline: str = "40万",
    average_deal: str = "5万",
) -> None:
    """A revenue goal through /newgoal with sensible answers (English user), saved."""
    await chat.send("/newgoal")
    await chat.press("💰 Revenue")
    await chat.send("Sell the ERP upgrade to hospital clients in East China")
    await chat.send(target)
    await chat.send(deadline)
    await chat.send(baseline)
    await chat.send(average_deal)
    await chat.press("8")
    await chat.send("Company target: +30% revenue this year")
    await chat.press("💾 Save")


async def insert_goal(engine: AsyncEngine, user_id: int, now: datetime, **overrides: object) -> int:
    """A goal written by the service directly (the user row must exist)."""
    values: dict[str, object] = dict(
        metric="deals",
        kind="count",
        unit="count",
        description="Sign chain supermarkets in Jiangsu",
        target_value=Decimal(10),
        start_date=date(2026, 11, 27),
        deadline=date(2027, 3, 31),
        confidence=7,
        relevance="Team goal: 40 new retail accounts this year",
    )
    values.update(overrides)
    async with AsyncSession(engine, expire_on_commit=False) as session, session.begin():
        user = await session.get(User, user_id)
        assert user is not None
        goal = await create_goal(session, user, GoalDraft(**values), now)  # type: ignore[arg-type]
        return goal.id


async def goals_of(engine: AsyncEngine, user_id: int) -> list[Goal]:
    return await rows(engine, Goal, user_id=user_id)


async def audit_of(engine: AsyncEngine, goal_id: int) -> list[GoalAudit]:
    return await rows(engine, GoalAudit, goal_id=goal_id)


async def insert_entries(
    engine: AsyncEngine, user_id: int, goal_id: int, amounts: dict[date, Decimal], now: datetime
) -> None:
    """Recorded results, as the review feature will write them."""
    from bot.storage.models import Entry

    async with AsyncSession(engine) as session, session.begin():
        session.add_all(
            Entry(user_id=user_id, goal_id=goal_id, day=day, amount=amount, created_at=now)
            for day, amount in amounts.items()
        )


async def plan_row(engine: AsyncEngine, goal_id: int) -> object:
    from bot.storage.models import GoalPlan

    return await fetch(engine, GoalPlan, goal_id)
