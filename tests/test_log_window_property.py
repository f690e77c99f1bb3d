"""Issue 11, item 3's property: for any sequence of /log (days inside and outside the goals' dates,
several measures, either choice when asked) and /undo, /progress's achieved figure for each goal equals
the sum of its stored entries inside its window, and no entry is ever stored outside a window.

Run against the real services in a database session (the Telegram layer has its own tests)."""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.core.dialog import Answer
from bot.core.goal_draft import GoalDraft
from bot.core.quick_log import Measure, QuickReport
from bot.services.container import Services
from bot.services.flows.out_of_window_log import OUT_OF_WINDOW_LOG, log_goal_value, log_report
from bot.services.goals import create_goal
from bot.services.plans import open_goal_outlooks
from bot.services.results import undo_last_log
from bot.services.turn import Turn
from bot.storage.models import DialogState, Entry, Goal, User
from bot.storage.repositories.dialogs import DialogRepository

NOW = datetime(2026, 11, 27, 4, 0, tzinfo=UTC)  # noon in Shanghai
TODAY = date(2026, 11, 27)
GOALS = [  # windows that overlap, one ended, one not started: most days are inside some and outside others
    ("deals", "count", "count", Decimal(20), date(2026, 11, 10), date(2026, 11, 30)),
    ("revenue", "currency", "CNY", Decimal(1_000_000), date(2026, 11, 20), date(2026, 12, 31)),
    ("revenue", "currency", "CNY", Decimal(500_000), date(2026, 11, 1), date(2026, 11, 15)),
    ("visits", "count", "count", Decimal(100), date(2026, 12, 1), date(2027, 1, 31)),
]
_user_ids = itertools.count(7_000_000)


@dataclass(frozen=True)
class Log:
    days_back: int
    values: dict[Measure, Decimal]
    choice: int  # which offered goal to record for when asked; past the offered ones: not at all


@dataclass(frozen=True)
class Undo:
    pass


MEASURES = [Measure.DEALS, Measure.REVENUE, Measure.VISITS]


def _amount(measure: Measure, n: int) -> Decimal:
    return Decimal(n * 1000) if measure is Measure.REVENUE else Decimal(n % 4)


logs = st.builds(
    Log,
    days_back=st.integers(0, 26),
    values=st.dictionaries(st.sampled_from(MEASURES), st.integers(0, 100), min_size=1).map(
        lambda picked: {measure: _amount(measure, n) for measure, n in picked.items()}
    ),
    choice=st.integers(0, 2),
)
steps = st.lists(st.one_of(logs, logs, st.just(Undo())), min_size=1, max_size=8)


async def _new_user(services: Services) -> int:
    user_id = next(_user_ids)
    async with services.sessionmaker.begin() as session:
        user = User(id=user_id, language="en", timezone="Asia/Shanghai", created_at=NOW, updated_at=NOW,
                    onboarded_at=NOW)  # fmt: skip
        session.add(user)
        await session.flush()
        for metric, kind, unit, target, start, deadline in GOALS:
            draft = GoalDraft(metric=metric, kind=kind, unit=unit, description="Grow the hospital accounts",
                              target_value=target, start_date=start, deadline=deadline, confidence=7,
                              relevance="Team goal")  # fmt: skip
            await create_goal(session, user, draft, NOW)
    return user_id


async def _step(services: Services, user_id: int, step: Log | Undo) -> None:
    async with services.sessionmaker.begin() as session:
        user = await session.get(User, user_id)
        assert user is not None
        turn = Turn(session, user, NOW, services)
        if isinstance(step, Undo):
            await undo_last_log(turn)
            return
        day = TODAY - timedelta(days=step.days_back)
        await log_report(turn, QuickReport(dict(step.values), None, day if step.days_back else None, []))
        state = await DialogRepository(session).get_for_update(user_id)
    if state is None:
        return
    assert state.flow == OUT_OF_WINDOW_LOG
    offered = [goal_id for goal_id, _headline in state.data["choices"]]
    chosen = offered[step.choice] if step.choice < len(offered) else None
    async with services.sessionmaker.begin() as session:  # the tap: another update, another transaction
        user = await session.get(User, user_id)
        assert user is not None
        answer = Answer(choice=log_goal_value(chosen), dialog_version=state.version)
        assert await services.dialogs.answer(Turn(session, user, NOW, services), answer)
        assert await session.get(DialogState, user_id) is None


@settings(max_examples=50, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(sequence=steps)
async def test_progress_counts_exactly_the_stored_entries_inside_each_window(
    services: Services, sequence: list[Log | Undo]
) -> None:
    user_id = await _new_user(services)
    for step in sequence:
        await _step(services, user_id, step)
    async with AsyncSession(services.engine) as session, session.begin():
        user = await session.get(User, user_id)
        assert user is not None
        windows = {goal.id: (goal.start_date, goal.deadline)
                   for goal in await session.scalars(select(Goal).where(Goal.user_id == user_id))}  # fmt: skip
        entries = [
            (e.goal_id, e.day, e.amount)
            for e in await session.scalars(select(Entry).where(Entry.user_id == user_id))
        ]
        achieved = {
            view.goal.id: view.progress.actual
            for view in await open_goal_outlooks(Turn(session, user, NOW, services))
        }
    assert all(windows[goal_id][0] <= day <= windows[goal_id][1] for goal_id, day, _amount in entries)
    assert achieved.keys() == windows.keys()
    for goal_id, (start, deadline) in windows.items():
        inside = sum(
            (amount for g, day, amount in entries if g == goal_id and start <= day <= deadline), Decimal(0)
        )
        assert achieved[goal_id] == inside, (goal_id, sequence)
