"""A team's group chat in tests: the bot added and removed, people writing there (delivered only as group
privacy mode allows), the move to a supergroup; and shortcuts to the rows the group's posts come from."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import update
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession
from telegram import Update

from bot.devtools.fake_bot_api import FakeBotApi, SentCall
from bot.storage.models import ActivityLog, User
from bot.storage.team_models import TeamGoal
from bot.telegram.context import BotApplication
from tests.auxil.chat import Chat

BOT = "QuotaCoachBot"


class GroupChat:
    """One group; each action returns what the bot sent to the group in answer."""

    def __init__(self, app: BotApplication, api: FakeBotApi, group_id: int = -100_500) -> None:
        self.app, self.api, self.id = app, api, group_id

    async def feed(self, update: dict[str, Any]) -> list[SentCall]:
        before = len(self.api.sent_to(self.id))
        if self.api.groups.delivers(update):
            await self.app.process_update(Update.de_json(update, self.app.bot))
        return self.api.sent_to(self.id)[before:]

    async def add_bot(self, by: Chat) -> list[SentCall]:
        return await self.feed(self.api.groups.add_bot(self.id, by.user))

    async def remove_bot(self, by: Chat, kicked: bool = True) -> list[SentCall]:
        return await self.feed(self.api.groups.remove_bot(self.id, by.user, kicked=kicked))

    async def say(self, by: Chat, text: str, reply_to: dict[str, Any] | None = None) -> list[SentCall]:
        return await self.feed(self.api.groups.message(self.id, by.user, text, reply_to=reply_to))

    async def migrate(self, by: Chat, supergroup_id: int) -> GroupChat:
        """The group becomes a supergroup; both service messages are fed; the new group is returned."""
        for service_message in self.api.groups.migrate(self.id, by.user, supergroup_id):
            await self.feed(service_message)
        return GroupChat(self.app, self.api, supergroup_id)

    def sent(self) -> list[SentCall]:
        return self.api.sent_to(self.id)

    def edits(self) -> list[SentCall]:
        return [c for c in self.api.calls if c.method == "editMessageText" and c.chat_id == self.id]

    def reads(self, message_id: int) -> str:
        """The text of the bot's message in the group as it reads now (after any edits)."""
        return str(self.api.messages[(self.id, message_id)]["text"])


async def set_language(engine: AsyncEngine, user_id: int, language: str) -> None:
    async with AsyncSession(engine) as session, session.begin():
        await session.execute(update(User).where(User.id == user_id).values(language=language))


async def insert_logs(
    engine: AsyncEngine, user_id: int, measure: str, amounts: dict[date, int], now: datetime
) -> None:
    """Results a member reported (as /log and reviews record each measure)."""
    async with AsyncSession(engine) as session, session.begin():
        for day, amount in amounts.items():
            session.add(ActivityLog(user_id=user_id, day=day, measure=measure, amount=Decimal(amount),
                                    source="log", created_at=now))  # fmt: skip


async def insert_team_goal(
    engine: AsyncEngine, team_id: int, manager_id: int, target: int, now: datetime,
    metric: str = "new_customers", start: date = date(2026, 11, 1), deadline: date = date(2026, 12, 31),
) -> int:  # fmt: skip
    async with AsyncSession(engine, expire_on_commit=False) as session, session.begin():
        goal = TeamGoal(team_id=team_id, metric=metric, kind="count", unit="", description="New customers Q4",
                        target_kind="absolute", target_value=target, start_date=start, deadline=deadline,
                        created_by=manager_id, created_at=now, updated_at=now)  # fmt: skip
        session.add(goal)
        await session.flush()
        return goal.id
