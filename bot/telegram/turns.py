"""One update's turn: its user, its transaction, and what it tells the user, sent after the commit."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from telegram import Update
from telegram import User as TelegramUser
from telegram.ext import ApplicationHandlerStop

from bot.services import inbox
from bot.services.scheduling import sync_schedules
from bot.services.turn import Turn
from bot.services.users import TelegramProfile, meet_for_update
from bot.telegram.arrivals import arrival_of
from bot.telegram.context import BotContext
from bot.telegram.render import record_replies
from bot.telegram.sending import deliver_replies


def profile_of(user: TelegramUser) -> TelegramProfile:
    return TelegramProfile(user.id, user.first_name or "", user.username, user.language_code)


@asynccontextmanager
async def user_turn(update: Update, context: BotContext) -> AsyncIterator[Turn]:
    """Open the update's transaction with its user; what the turn was told to say (`turn.reply`) is
    recorded in the outbox and commits with its effects, then it is sent. A re-delivered update stops
    here, and a failed one says nothing."""
    deps = context.services
    sender = update.effective_user
    if sender is None:
        raise ApplicationHandlerStop
    now = deps.now()
    async with deps.sessionmaker.begin() as session:
        met = await meet_for_update(
            session, profile_of(sender), arrival_of(update), now, deps.settings.default_timezone
        )
        if met is None:
            # The inbox has this update handled already (a re-delivery): nothing to do.
            raise ApplicationHandlerStop
        user, came_back = met
        turn = Turn(session, user, now, deps)
        if came_back:
            await sync_schedules(turn)
        yield turn
        chat = update.effective_chat
        recorded = await record_replies(turn, chat.id) if chat is not None else 0
    inbox.note_committed()  # shutdown15: a stop cutting off the sends below leaves the update handled
    await deliver_replies(update, context, recorded)
