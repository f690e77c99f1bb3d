"""/start and /settings: meeting the user and changing their settings."""

from __future__ import annotations

from telegram import Update

from bot.core.dialog import Outgoing
from bot.services.flows.onboarding import start_onboarding
from bot.services.flows.settings_menu import start_settings
from bot.services.profile_summary import settings_text
from bot.services.turn import Turn
from bot.telegram.context import BotContext, user_turn
from bot.telegram.render import reply


async def start(update: Update, context: BotContext) -> None:
    async with user_turn(update, context) as turn:
        if turn.user.onboarded_at is None:
            messages = await _first_meeting(turn)
        else:
            await context.services.dialogs.cancel(turn)
            messages = [_welcome_back(turn)]
    await reply(update, context, messages)


async def _first_meeting(turn: Turn) -> list[Outgoing]:
    greeting = turn._(
        "Hello, {name}! I am Quota Coach, your sales goal coach. I help you set SMART goals, "
        "break them into monthly, weekly and daily plans, and review your progress at your own local time.\n"
        "First, three quick questions.",
        name=turn.user.first_name or "👋",
    )
    return await start_onboarding(turn, preface=[Outgoing(greeting)])


def _welcome_back(turn: Turn) -> Outgoing:
    _ = turn._
    return Outgoing(
        _(
            "Welcome back, {name}! Your settings:\n{settings}\n\n/settings changes them; /help lists everything.",
            name=turn.user.first_name or "👋",
            settings=settings_text(turn.user, _),
        )
    )


async def settings(update: Update, context: BotContext) -> None:
    async with user_turn(update, context) as turn:
        messages = await start_settings(turn)
    await reply(update, context, messages)
