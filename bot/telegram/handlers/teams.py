"""/team and the team buttons (team13): the card, invites, joining, seats."""

from __future__ import annotations

from telegram import Update

from bot.services.team_places import show_teams
from bot.services.team_presses import team_press
from bot.telegram.callbacks import parse_team_callback
from bot.telegram.context import BotContext
from bot.telegram.replies import old_button
from bot.telegram.turns import user_turn


async def team(update: Update, context: BotContext) -> None:
    async with user_turn(update, context) as turn:
        turn.reply(await show_teams(turn))


async def team_button(update: Update, context: BotContext) -> None:
    """A team button; its ids are checked against the presser's seat in the team it names."""
    query = update.callback_query
    assert query is not None
    press = parse_team_callback(query.data)
    async with user_turn(update, context) as turn:
        messages = await team_press(turn, press, context.bot.username) if press else None
        turn.reply(messages or [old_button(turn._)])
