"""The weekly meeting's digest for a team of 50 members with a year of data: gathered and put in words.

Seeds a fresh SQLite file (or --database-url, a PostgreSQL database that is emptied first): a team of 50
salespeople and a manager, the team's yearly revenue target split into 50 parts (each a personal goal),
a result every working day of the year for each member, their calls and visits, daily review prompts,
weekly ratings, shared wins and setbacks, strategy changes and the last meeting's action items. Then times
`gather_digest` + `digest_text` (one transaction each, as the team-meeting job runs it).

    .venv/bin/python bench/bench_digest.py [--repeat 30] [--database-url postgresql+asyncpg://...]
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import sys
import tempfile
import time
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

from sqlalchemy import insert
from sqlalchemy.ext.asyncio import AsyncSession

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # this tree's `bot` and `tests`, not an installed copy

from bot.core.lifecycle.goals import GOALS  # noqa: E402
from bot.core.lifecycle.meetings import MEETING_SENDS, MeetingSendStatus  # noqa: E402
from bot.core.lifecycle.prompts import OccurrenceStatus  # noqa: E402
from bot.core.teams.lifecycles import MembershipStatus  # noqa: E402
from bot.core.teams.roles import Role  # noqa: E402
from bot.i18n import translator  # noqa: E402
from bot.services.team_digest import gather_digest  # noqa: E402
from bot.services.team_digest_text import digest_text  # noqa: E402
from bot.storage.coaching_models import StrategyChange  # noqa: E402
from bot.storage.database import create_engine, create_sessionmaker  # noqa: E402
from bot.storage.meeting_models import MeetingItem, TeamMeeting  # noqa: E402
from bot.storage.migrate import upgrade  # noqa: E402
from bot.storage.models import ActivityLog, Entry, Goal, GoalPlan, PromptOccurrence, ReviewAnswer, User  # noqa: E402
from bot.storage.repositories.team_meetings import TeamMeetingRepository  # noqa: E402
from bot.storage.team_models import Team, TeamGoal, TeamGoalPart, TeamMember, TeamShare  # noqa: E402
from tests.auxil.database import wipe  # noqa: E402

MEMBERS = 50
MANAGER = 1
START, END = date(2026, 1, 1), date(2026, 12, 31)
MEETING_DAY = date(2026, 11, 30)
NOW = datetime(2026, 11, 30, 0, 0, tzinfo=UTC)  # the digest's time: Monday 08:00 in Shanghai
_SENT = MEETING_SENDS.move(MeetingSendStatus.PLANNED, MeetingSendStatus.SENT)


def days(first: date, last: date) -> list[date]:
    return [first + timedelta(days=n) for n in range((last - first).days + 1)]


async def seed(url: str) -> int:
    engine = create_engine(url)
    await upgrade(engine)
    await wipe(engine)
    members = list(range(2, MEMBERS + 2))
    year = [day for day in days(START, MEETING_DAY - timedelta(days=1)) if day.isoweekday() <= 5]
    async with AsyncSession(engine) as session, session.begin():
        users = [{"id": user_id, "first_name": f"Seller {user_id}", "timezone": "Asia/Shanghai", "language": "zh_CN",
                  "working_days": "12345", "created_at": NOW, "updated_at": NOW, "onboarded_at": NOW}
                 for user_id in [MANAGER, *members]]  # fmt: skip
        await session.execute(insert(User), users)
        team = Team(name="华东大客户部", timezone="Asia/Shanghai", currency="CNY", created_by=MANAGER,
                    created_at=NOW, updated_at=NOW)  # fmt: skip
        session.add(team)
        await session.flush()
        await session.execute(insert(TeamMember), [
            {"team_id": team.id, "user_id": user_id, "role": Role.MANAGER if user_id == MANAGER else Role.MEMBER,
             "status": MembershipStatus.MEMBER, "leaderboard_joined": False, "consented_at": NOW, "joined_at": NOW,
             "created_at": NOW, "updated_at": NOW}
            for user_id in [MANAGER, *members]
        ])  # fmt: skip
        team_goal = TeamGoal(team_id=team.id, metric="revenue", kind="currency", unit="CNY", description="全年收入",
                             target_kind="absolute", target_value=60_000_000, start_date=START, deadline=END,
                             created_by=MANAGER, created_at=NOW, updated_at=NOW)  # fmt: skip
        session.add(team_goal)
        await session.flush()
        goals: dict[int, int] = {}
        for user_id in members:
            goal = Goal(user_id=user_id, metric="revenue", kind="currency", unit="CNY", description="我的部分",
                        target_kind="absolute", target_value=Decimal(1_200_000), start_date=START, deadline=END,
                        confidence=7, ambition="ok", relevance="团队目标", status=GOALS.initial,
                        created_at=NOW, updated_at=NOW)  # fmt: skip
            session.add(goal)
            await session.flush()
            goals[user_id] = goal.id
            session.add(GoalPlan(goal_id=goal.id, month_shares={}, activity_targets={}, updated_at=NOW))
            session.add(TeamGoalPart(team_goal_id=team_goal.id, user_id=user_id, units=1_200_000, goal_id=goal.id,
                                     created_at=NOW, updated_at=NOW))  # fmt: skip
        entries: list[dict[str, Any]] = []
        activities: list[dict[str, Any]] = []
        prompts: list[dict[str, Any]] = []
        for index, user_id in enumerate(members):
            for number, day in enumerate(year):
                if (number + index) % 7 != 0:  # some days without results, so misses and streaks vary
                    entries.append({"user_id": user_id, "goal_id": goals[user_id], "day": day,
                                    "amount": Decimal(3000 + 97 * index), "created_at": NOW, "source": "log"})  # fmt: skip
                activities.append({"user_id": user_id, "day": day, "measure": "calls", "amount": Decimal(8),
                                   "created_at": NOW, "source": "log"})  # fmt: skip
                activities.append({"user_id": user_id, "day": day, "measure": "visits", "amount": Decimal(2 + index % 3),
                                   "created_at": NOW, "source": "log"})  # fmt: skip
                status = OccurrenceStatus.ANSWERED if (number + index) % 9 else OccurrenceStatus.MISSED
                prompts.append({"user_id": user_id, "kind": "daily", "day": day, "due_at": NOW, "status": status,
                                "reminded": False, "attempts": 1, "created_at": NOW, "updated_at": NOW})  # fmt: skip
        for chunk in range(0, len(entries), 5000):
            await session.execute(insert(Entry), entries[chunk : chunk + 5000])
        for chunk in range(0, len(activities), 5000):
            await session.execute(insert(ActivityLog), activities[chunk : chunk + 5000])
        for chunk in range(0, len(prompts), 5000):
            await session.execute(insert(PromptOccurrence), prompts[chunk : chunk + 5000])
        week = days(MEETING_DAY - timedelta(days=7), MEETING_DAY - timedelta(days=1))
        for index, user_id in enumerate(members):
            session.add(ReviewAnswer(user_id=user_id, kind="weekly", day=week[4], answers={"rating": 1 + index % 5},
                                     created_at=NOW, updated_at=NOW))  # fmt: skip
            at = datetime.combine(week[2], datetime.min.time(), UTC) + timedelta(hours=4)
            kind = ("win", "setback", "lesson", "note")[index % 4]
            session.add(TeamShare(team_id=team.id, user_id=user_id, kind=kind, text=f"共享的内容 {index}",
                                  reason_key="price" if kind == "setback" else None, created_at=at))  # fmt: skip
            if index % 5 == 0:
                session.add(StrategyChange(user_id=user_id, goal_id=goals[user_id], at=at, reason="competition",
                                           decision="tactics", note="私人备注", before={}, after={}))  # fmt: skip
        previous = TeamMeeting(team_id=team.id, day=MEETING_DAY - timedelta(days=7), starts_at=NOW - timedelta(days=7),
                               prompt_at=NOW - timedelta(days=7), digest_at=NOW - timedelta(days=7),
                               prompt_status=_SENT, digest_status=_SENT, created_at=NOW, updated_at=NOW)  # fmt: skip
        session.add(previous)
        session.add(TeamMeeting(team_id=team.id, day=MEETING_DAY, starts_at=NOW + timedelta(hours=1),
                                prompt_at=NOW - timedelta(hours=14), digest_at=NOW, prompt_status=_SENT,
                                digest_status=MEETING_SENDS.initial, created_at=NOW, updated_at=NOW))  # fmt: skip
        await session.flush()
        for user_id in members[:8]:
            session.add(MeetingItem(meeting_id=previous.id, member_id=user_id, text="回访三家医院",
                                    created_by=MANAGER, created_at=NOW))  # fmt: skip
        team_id = team.id
    await engine.dispose()
    return team_id


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


async def main(repeat: int, url: str | None) -> None:
    directory = tempfile.mkdtemp(prefix="bench-digest-")
    database_url = url or f"sqlite+aiosqlite:///{Path(directory) / 'bench.sqlite3'}"
    team_id = await seed(database_url)
    engine = create_engine(database_url)
    sessions = create_sessionmaker(engine)
    _ = translator("zh_CN")
    timings: list[float] = []
    cpu: list[float] = []  # this process's CPU (all threads): the figure a busy shared machine distorts least
    text = ""
    for _round in range(repeat + 3):
        began, began_cpu = time.perf_counter(), time.process_time()
        async with sessions.begin() as session:
            team = await session.get(Team, team_id)
            assert team is not None
            meeting = await TeamMeetingRepository(session).on_day(team.id, MEETING_DAY)
            assert meeting is not None
            digest = await gather_digest(session, team, meeting, NOW, "zh_CN")
            text = digest_text(digest, _)
        timings.append((time.perf_counter() - began) * 1000)
        cpu.append((time.process_time() - began_cpu) * 1000)
    await engine.dispose()
    timings, cpu = timings[3:], cpu[3:]
    backend = "PostgreSQL" if database_url.startswith("postgresql") else "SQLite"
    print(f"digest text: {len(text)} characters, {len(digest.members)} members, {len(digest.points)} points")
    print(f"| digest, team of {MEMBERS} x a year of data, gathered + worded ({backend}) | "
          f"{statistics.median(timings):.1f} ms median | p95 {percentile(timings, 0.95):.1f} ms | "
          f"CPU {statistics.median(cpu):.1f} ms median |")  # fmt: skip


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=30)
    parser.add_argument("--database-url", default=None, help="default: a fresh SQLite file")
    arguments = parser.parse_args()
    asyncio.run(main(arguments.repeat, arguments.database_url))
