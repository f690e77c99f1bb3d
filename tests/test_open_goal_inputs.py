"""open_goal_inputs reads the open goals with one query and the rarer rows only when they exist; what it
loads must be what the general loader (load_inputs, one query per kind of row) loads."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession

from bot.services.goals import set_status
from bot.services.plans import PlanInputs, load_inputs, open_goal_inputs, user_calendar
from bot.storage.coaching_models import Reward
from bot.storage.models import Entry, Goal, GoalStatus, User, Vacation
from bot.storage.repositories.goals import GoalRepository
from tests.auxil.goals import insert_goal
from tests.conftest import DEFAULT_NOW

NOW = DEFAULT_NOW


async def a_user(engine: AsyncEngine, user_id: int) -> None:
    async with AsyncSession(engine) as session, session.begin():
        session.add(User(id=user_id, first_name="A", timezone="Asia/Shanghai", country="CN", language="en",
                         created_at=NOW, updated_at=NOW))  # fmt: skip


async def both_ways(engine: AsyncEngine, user_id: int) -> tuple[PlanInputs, PlanInputs]:
    async with AsyncSession(engine, expire_on_commit=False) as session, session.begin():
        user = await session.get(User, user_id)
        assert user is not None
        fast = await open_goal_inputs(session, user, NOW, "en")
        goals = await GoalRepository(session).open_goals(user_id)
        general = await load_inputs(session, user, goals, await user_calendar(session, user, "en"), NOW)
        return fast, general


def same(fast: PlanInputs, general: PlanInputs) -> None:
    assert [goal.id for goal in fast.goals] == [goal.id for goal in general.goals]
    assert fast.calendar == general.calendar
    assert {k: row.goal_id for k, row in fast.rows.items()} == {
        k: row.goal_id for k, row in general.rows.items()
    }
    assert fast.actuals == general.actuals
    assert {k: [c.id for c in v] for k, v in fast.changes.items()} == {
        k: [c.id for c in v] for k, v in general.changes.items()
    }


async def test_with_vacations_status_changes_and_a_reward_everything_is_read(engine: AsyncEngine) -> None:
    await a_user(engine, 1)
    paused = await insert_goal(engine, 1, NOW - timedelta(days=20), start_date=date(2026, 11, 2))
    rewarded = await insert_goal(engine, 1, NOW - timedelta(days=20), start_date=date(2026, 11, 2))
    plain = await insert_goal(engine, 1, NOW - timedelta(days=20), start_date=date(2026, 11, 2))
    closed = await insert_goal(engine, 1, NOW - timedelta(days=20), start_date=date(2026, 11, 2))
    async with AsyncSession(engine) as session, session.begin():
        user = await session.get(User, 1)
        assert user is not None
        for goal_id, moves in ((paused, (GoalStatus.PAUSED, GoalStatus.ACTIVE, GoalStatus.PAUSED)),
                               (closed, (GoalStatus.ABANDONED,))):  # fmt: skip
            goal = await session.get(Goal, goal_id)
            assert goal is not None
            for day, status in enumerate(moves):
                await set_status(session, user, goal, status, NOW - timedelta(days=10 - 2 * day))
        session.add(
            Vacation(user_id=1, start_date=date(2026, 12, 7), end_date=date(2026, 12, 11), created_at=NOW)
        )
        session.add(Reward(user_id=1, goal_id=rewarded, target=Decimal(5), start_date=date(2026, 11, 2),
                           deadline=date(2026, 12, 4), treat="a massage", created_at=NOW, updated_at=NOW))  # fmt: skip
        session.add_all(Entry(user_id=1, goal_id=goal_id, day=date(2026, 11, 3), amount=Decimal(2), created_at=NOW)
                        for goal_id in (paused, rewarded, plain))  # fmt: skip
    fast, general = await both_ways(engine, 1)
    same(fast, general)
    assert [goal.id for goal in fast.goals] == [paused, rewarded, plain]
    assert date(2026, 12, 8) in fast.calendar.vacations
    assert len(fast.changes[paused]) == 3 and fast.changes[plain] == []
    assert fast.active_rewards


async def test_without_them_nothing_is_missed(engine: AsyncEngine) -> None:
    await a_user(engine, 2)
    await insert_goal(engine, 2, NOW)
    async with AsyncSession(engine) as session, session.begin():
        # Another user's vacation and reward are not this user's.
        await a_user_in(session, 3)
        other = await insert_goal_in(session, 3)
        session.add(
            Vacation(user_id=3, start_date=date(2026, 12, 7), end_date=date(2026, 12, 11), created_at=NOW)
        )
        session.add(Reward(user_id=3, goal_id=other, target=Decimal(5), start_date=date(2026, 11, 2),
                           deadline=date(2026, 12, 4), treat="a massage", created_at=NOW, updated_at=NOW))  # fmt: skip
    fast, general = await both_ways(engine, 2)
    same(fast, general)
    assert fast.calendar.vacations == frozenset()
    assert not fast.active_rewards


async def test_a_user_without_goals_still_gets_their_calendar(engine: AsyncEngine) -> None:
    await a_user(engine, 4)
    async with AsyncSession(engine) as session, session.begin():
        session.add(
            Vacation(user_id=4, start_date=date(2026, 12, 7), end_date=date(2026, 12, 8), created_at=NOW)
        )
    fast, general = await both_ways(engine, 4)
    same(fast, general)
    assert fast.goals == [] and date(2026, 12, 7) in fast.calendar.vacations


async def a_user_in(session: AsyncSession, user_id: int) -> None:
    session.add(User(id=user_id, first_name="B", timezone="Asia/Shanghai", created_at=NOW, updated_at=NOW))
    await session.flush()


async def insert_goal_in(session: AsyncSession, user_id: int) -> int:
    goal = Goal(user_id=user_id, metric="deals", kind="count", unit="count", description="d", target_kind="absolute",
                target_value=Decimal(10), start_date=date(2026, 11, 27), deadline=date(2027, 3, 31), confidence=7,
                ambition="stretch", relevance="r", status=GoalStatus.ACTIVE, created_at=NOW, updated_at=NOW)  # fmt: skip
    session.add(goal)
    await session.flush()
    return goal.id
