"""Per-update plumbing, typed through python-telegram-bot's ContextTypes: the services, the user, one transaction."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import TYPE_CHECKING, Any, TypeAlias

from telegram import Update
from telegram import User as TelegramUser
from telegram.ext import Application, ApplicationHandlerStop, CallbackContext, ContextTypes, ExtBot, JobQueue

from bot.services.container import Services
from bot.services.scheduling import sync_schedules
from bot.services.turn import Turn
from bot.services.users import TelegramProfile, meet_for_update
from bot.telegram.sanitize import clean_update

if TYPE_CHECKING:
    from bot.scheduler.dispatcher import Dispatcher
    from bot.scheduler.nudge_dispatch import NudgeDispatcher


class BotData:
    """What the application keeps for its whole life (PTB's bot_data), typed instead of a dict of keys."""

    services: Services
    dispatcher: Dispatcher | None = None
    nudges: NudgeDispatcher | None = None


class BotContext(CallbackContext[ExtBot[None], dict[Any, Any], dict[Any, Any], BotData]):
    """The context every handler receives; `services` needs no lookup and no cast."""

    @property
    def services(self) -> Services:
        return self.bot_data.services


BotApplication: TypeAlias = Application[
    ExtBot[Any], BotContext, dict[Any, Any], dict[Any, Any], BotData, JobQueue[BotContext]
]
CONTEXT_TYPES = ContextTypes(context=BotContext, bot_data=BotData)


class CleanInputApplication(BotApplication):
    """The one place every update enters (polling, webhook, tests, the shell): control characters are
    cleaned out of its texts before any handler reads them (bot/telegram/sanitize.py)."""

    async def process_update(self, update: object) -> None:
        if isinstance(update, Update):
            update = clean_update(update, self.bot)
        await super().process_update(update)


def profile_of(user: TelegramUser) -> TelegramProfile:
    return TelegramProfile(user.id, user.first_name or "", user.username, user.language_code)


@asynccontextmanager
async def user_turn(update: Update, context: BotContext) -> AsyncIterator[Turn]:
    """Open the update's transaction with its user; commits on exit. A re-delivered update stops here."""
    deps = context.services
    sender = update.effective_user
    if sender is None:
        raise ApplicationHandlerStop
    now = deps.now()
    async with deps.sessionmaker.begin() as session:
        met = await meet_for_update(
            session, profile_of(sender), update.update_id, now, deps.settings.default_timezone
        )
        if met is None:
            # Telegram re-sends updates that a crash left unconfirmed; this one was already handled.
            raise ApplicationHandlerStop
        user, came_back = met
        turn = Turn(session, user, now, deps)
        if came_back:
            await sync_schedules(turn)
        yield turn
