"""Per-update plumbing: the services, the user behind the update, one transaction per update."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass

from telegram import Update
from telegram import User as TelegramUser
from telegram.ext import ApplicationHandlerStop, ContextTypes

from bot.i18n import Translator
from bot.services.container import Services
from bot.services.scheduling import sync_schedules
from bot.services.users import TelegramProfile, meet_for_update, user_translator
from bot.storage.database import Session
from bot.storage.models import User

SERVICES_KEY = "services"


def services(context: ContextTypes.DEFAULT_TYPE) -> Services:
    found = context.bot_data[SERVICES_KEY]
    assert isinstance(found, Services)
    return found


def profile_of(user: TelegramUser) -> TelegramProfile:
    return TelegramProfile(user.id, user.first_name or "", user.username, user.language_code)


@dataclass
class Turn:
    """One update being handled: its transaction, its user and their language."""

    session: Session
    user: User
    _: Translator


@asynccontextmanager
async def user_turn(update: Update, context: ContextTypes.DEFAULT_TYPE) -> AsyncIterator[Turn]:
    """Open the update's transaction with its user; commits on exit. A re-delivered update stops here."""
    deps = services(context)
    sender = update.effective_user
    if sender is None:
        raise ApplicationHandlerStop
    async with deps.sessionmaker.begin() as session:
        met = await meet_for_update(
            session, profile_of(sender), update.update_id, deps.now(), deps.settings.default_timezone
        )
        if met is None:
            # Telegram re-sends updates that a crash left unconfirmed; this one was already handled.
            raise ApplicationHandlerStop
        user, came_back = met
        if came_back:
            await sync_schedules(session, user, deps.now(), deps.settings.default_language)
        yield Turn(session, user, user_translator(user, sender.language_code, deps.settings.default_language))
