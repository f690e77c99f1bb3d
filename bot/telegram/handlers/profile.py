"""/start and /settings: meeting the user and changing their settings."""

from __future__ import annotations

from telegram import Update

from bot.core.dialog import Outgoing
from bot.services.flows.onboarding import ONBOARDING
from bot.services.flows.settings_menu import SETTINGS
from bot.services.profile_summary import settings_text
from bot.telegram.context import BotContext, user_turn
from bot.telegram.render import reply


async def start(update: Update, context: BotContext) -> None:
    deps = context.services
    async with user_turn(update, context) as turn:
        _ = turn._
        if turn.user.onboarded_at is None:
            greeting = _(
                "Hello, {name}! I am Quota Coach, your sales goal coach. I help you set SMART goals, "
                "break them into monthly, weekly and daily plans, and review your progress at your own local time.\n"
                "First, three quick questions.",
                name=turn.user.first_name or "👋",
            )
            messages = await deps.dialogs.start(turn, ONBOARDING, preface=[Outgoing(greeting)])
        else:
            await deps.dialogs.cancel(turn)
            messages = [
                Outgoing(
                    _(
                        "Welcome back, {name}! Your settings:\n{settings}\n\n/settings changes them; /help lists everything.",
                        name=turn.user.first_name or "👋",
                        settings=settings_text(turn.user, _),
                    )
                )
            ]
    await reply(update, context, messages)


async def settings(update: Update, context: BotContext) -> None:
    deps = context.services
    async with user_turn(update, context) as turn:
        messages = await deps.dialogs.start(turn, SETTINGS)
    await reply(update, context, messages)
