"""A prepared sales week for the meeting tests: a team of four salespeople with a split revenue target,
their results, activities, reviews, what they shared and what they kept to themselves."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

from sqlalchemy import update
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession

from bot.core.goal_draft import GoalDraft
from bot.core.lifecycle.prompts import OccurrenceStatus
from bot.core.teams.lifecycles import MembershipStatus
from bot.services.goals import create_goal
from bot.storage.coaching_models import Setback, StrategyChange
from bot.storage.models import ActivityLog, Entry, PromptOccurrence, ReviewAnswer, User
from bot.storage.team_models import TeamGoal, TeamGoalPart, TeamMember, TeamShare
from tests.auxil.teams import insert_team

MANAGER, WANG, ZHAO, CHEN, LIU = 900_001, 900_002, 900_003, 900_004, 900_005
NAMES = {MANAGER: "Boss", WANG: "Wang", ZHAO: "Zhao", CHEN: "Chen", LIU: "Liu"}
# Friday 2026-11-27 10:00 in Shanghai: the team is set up; its first meeting is Monday Nov 30, 09:00.
SET_UP = datetime(2026, 11, 27, 2, 0, tzinfo=UTC)
MEETING_DAY = date(2026, 11, 30)
PROMPT_AT = datetime(2026, 11, 29, 10, 0, tzinfo=UTC)  # Sunday 18:00 Shanghai
DIGEST_AT = datetime(2026, 11, 30, 0, 0, tzinfo=UTC)  # Monday 08:00 Shanghai
STARTS_AT = datetime(2026, 11, 30, 1, 0, tzinfo=UTC)
GOAL_START, GOAL_END = date(2026, 11, 2), date(2026, 12, 31)
PART = Decimal(250_000)


@dataclass(frozen=True)
class PreparedTeam:
    team_id: int
    goals: dict[int, int]  # member -> their part's goal id


def working_days(first: date, last: date) -> list[date]:
    days, day = [], first
    while day <= last:
        if day.isoweekday() <= 5:
            days.append(day)
        day += timedelta(days=1)
    return days


async def prepare_team(engine: AsyncEngine, *, manager_language: str = "en") -> PreparedTeam:
    """The team, its goal split in four parts (one per salesperson, each a personal revenue goal), and
    Liu, who has left the team since."""
    team_id = await insert_team(engine, MANAGER, [WANG, ZHAO, CHEN, LIU], SET_UP)
    goals: dict[int, int] = {}
    async with AsyncSession(engine, expire_on_commit=False) as session, session.begin():
        for user_id, name in NAMES.items():
            await session.execute(update(User).where(User.id == user_id).values(first_name=name))
        manager = await session.get(User, MANAGER)
        assert manager is not None
        manager.language = manager_language
        team_goal = TeamGoal(team_id=team_id, metric="revenue", kind="currency", unit="CNY",
                             description="East China hospitals", target_kind="absolute", target_value=1_000_000,
                             start_date=GOAL_START, deadline=GOAL_END, created_by=MANAGER, created_at=SET_UP,
                             updated_at=SET_UP)  # fmt: skip
        session.add(team_goal)
        await session.flush()
        for user_id in (WANG, ZHAO, CHEN, LIU):
            user = await session.get(User, user_id)
            assert user is not None
            draft = GoalDraft(metric="revenue", kind="currency", unit="CNY", description="My part of East China",
                              target_value=PART, start_date=GOAL_START, deadline=GOAL_END, confidence=7,
                              relevance="Team goal: East China hospitals")  # fmt: skip
            goal = await create_goal(session, user, draft, SET_UP)
            goals[user_id] = goal.id
            session.add(TeamGoalPart(team_goal_id=team_goal.id, user_id=user_id, units=int(PART), goal_id=goal.id,
                                     created_at=SET_UP, updated_at=SET_UP))  # fmt: skip
        await session.execute(
            update(TeamMember)
            .where(TeamMember.team_id == team_id, TeamMember.user_id == LIU)
            .values(status=MembershipStatus.LEFT, ended_at=SET_UP)
        )
    return PreparedTeam(team_id, goals)


async def prepare_week(engine: AsyncEngine, team: PreparedTeam) -> None:
    """Results through Friday Nov 27 and the week's reflections:
    - Wang: 8,000 every working day (ahead), rated the week 4/5, five daily reviews answered in a row;
      shared a win and a setback (lost on price);
    - Zhao: 6,000 a day until Nov 20, nothing in the week (five working days missed in a row); a private
      setback he did not share; a strategy change (competition -> tactics) with a private note;
    - Chen: 6,000 a day; shared a setback lost on price and a lesson;
    - Liu (left the team): results that no longer show;
    - the team's calls and visits: 40 calls made 12 visits the week before, 40 calls only 4 this week."""
    at = datetime(2026, 11, 27, 9, 0, tzinfo=UTC)
    before, week = (
        working_days(date(2026, 11, 2), date(2026, 11, 20)),
        working_days(date(2026, 11, 23), date(2026, 11, 27)),
    )
    async with AsyncSession(engine) as session, session.begin():
        amounts = {WANG: (8_000, 8_000), ZHAO: (6_000, 0), CHEN: (6_000, 6_000), LIU: (9_000, 9_000)}
        for user_id, (early, late) in amounts.items():
            for day in before + week:
                amount = early if day in before else late
                if amount:
                    session.add(Entry(user_id=user_id, goal_id=team.goals[user_id], day=day, amount=Decimal(amount),
                                      created_at=at))  # fmt: skip
        for day in working_days(date(2026, 11, 16), date(2026, 11, 20)):
            session.add(ActivityLog(user_id=WANG, day=day, measure="calls", amount=Decimal(8), created_at=at))
        session.add(ActivityLog(user_id=CHEN, day=date(2026, 11, 18), measure="visits", amount=Decimal(12),
                                created_at=at))  # fmt: skip
        for day in week:
            session.add(ActivityLog(user_id=WANG, day=day, measure="calls", amount=Decimal(8), created_at=at))
        session.add(ActivityLog(user_id=CHEN, day=date(2026, 11, 25), measure="visits", amount=Decimal(4),
                                created_at=at))  # fmt: skip
        session.add(ReviewAnswer(user_id=WANG, kind="weekly", day=date(2026, 11, 27), answers={"rating": 4},
                                 created_at=at, updated_at=at))  # fmt: skip
        for day in week:
            session.add(PromptOccurrence(user_id=WANG, kind="daily", day=day, due_at=at, status=OccurrenceStatus.ANSWERED,
                                         created_at=at, updated_at=at))  # fmt: skip
        shared_at = datetime(2026, 11, 26, 6, 0, tzinfo=UTC)
        session.add_all([
            TeamShare(team_id=team.team_id, user_id=WANG, kind="win", text="Signed the Suzhou clinic, 80k",
                      created_at=shared_at),
            TeamShare(team_id=team.team_id, user_id=WANG, kind="setback", text="Lost Hangzhou No.2 hospital on price",
                      reason_key="price", created_at=shared_at),
            TeamShare(team_id=team.team_id, user_id=CHEN, kind="setback", text="Ningbo lab chose the cheaper offer",
                      reason_key="price", created_at=shared_at),
            TeamShare(team_id=team.team_id, user_id=CHEN, kind="lesson", text="Bring the ROI sheet to the first visit",
                      created_at=shared_at),
            TeamShare(team_id=team.team_id, user_id=LIU, kind="win", text="Liu's old win", created_at=shared_at),
            Setback(user_id=ZHAO, day=date(2026, 11, 25), summary="PRIVATE: my biggest client walked away",
                    answers={}, created_at=shared_at),
            StrategyChange(user_id=ZHAO, goal_id=team.goals[ZHAO], at=shared_at, reason="competition",
                           decision="tactics", note="PRIVATE NOTE about the competitor", before={}, after={}),
        ])  # fmt: skip
