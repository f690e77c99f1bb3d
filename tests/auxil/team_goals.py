"""A ready team of one manager and four members, each with their private chat, for the team-goal tests."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import update
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession

from bot.core.teams.lifecycles import MembershipStatus
from bot.storage.models import ActivityLog, User
from bot.storage.split_models import TeamSplitChange
from bot.storage.team_models import TeamGoal, TeamGoalPart, TeamMember
from bot.telegram.context import BotApplication
from tests.auxil.chat import Chat
from tests.auxil.database import rows
from tests.auxil.teams import insert_team

NAMES = {"en": ["Wang", "Li", "Zhang", "Zhao", "Chen"], "zh_CN": ["王经理", "李", "张", "赵", "陈"]}
FIRST_ID = 700_001


@dataclass
class TeamChats:
    team_id: int
    manager: Chat
    members: list[Chat]

    @property
    def everyone(self) -> list[Chat]:
        return [self.manager, *self.members]


async def seat_team(
    engine: AsyncEngine,
    make_chat: Callable[..., Chat],
    now: datetime,
    language: str = "en",
    first_id: int = FIRST_ID,
) -> TeamChats:
    """Five users in `language` (the first the manager), in one team, all joined with consent."""
    names = NAMES[language]
    code = "en" if language == "en" else "zh-hans"
    chats = [
        make_chat(language_code=code, user_id=first_id + n, first_name=name) for n, name in enumerate(names)
    ]
    async with AsyncSession(engine) as session, session.begin():
        for chat, name in zip(chats, names, strict=True):
            session.add(User(id=chat.id, first_name=name, timezone="Asia/Shanghai", language=language,
                             onboarded_at=now, created_at=now, updated_at=now))  # fmt: skip
    team_id = await insert_team(engine, chats[0].id, [chat.id for chat in chats[1:]], now)
    return TeamChats(team_id, chats[0], chats[1:])


async def deliver_outbox(app: BotApplication) -> None:
    """What turns recorded for other chats (a member told their part), sent as the outbox's tick sends it."""
    await app.bot_data.outbox.tick()


async def remove_member(engine: AsyncEngine, team_id: int, user_id: int) -> None:
    async with AsyncSession(engine) as session, session.begin():
        await session.execute(update(TeamMember).where(TeamMember.team_id == team_id, TeamMember.user_id == user_id)
                              .values(status=MembershipStatus.REMOVED))  # fmt: skip


async def insert_history(engine: AsyncEngine, amounts: dict[int, Decimal], day: date, now: datetime) -> None:
    """Revenue each person reported on `day` (last period's results)."""
    async with AsyncSession(engine) as session, session.begin():
        session.add_all([ActivityLog(user_id=user_id, day=day, measure="revenue", amount=amount, source="log",
                                     created_at=now) for user_id, amount in amounts.items()])  # fmt: skip


async def team_goals(engine: AsyncEngine, team_id: int) -> list[TeamGoal]:
    return await rows(engine, TeamGoal, team_id=team_id)


async def parts_of(engine: AsyncEngine, team_goal_id: int) -> dict[int, TeamGoalPart]:
    return {part.user_id: part for part in await rows(engine, TeamGoalPart, team_goal_id=team_goal_id)}


async def changes_of(engine: AsyncEngine, team_goal_id: int) -> list[TeamSplitChange]:
    return await rows(engine, TeamSplitChange, team_goal_id=team_goal_id)
