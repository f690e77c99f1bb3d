"""/teamgoal, /teamprogress, /leaderboard and the team-goal buttons ("tg", split13)."""

from __future__ import annotations

from telegram import Update

from bot.services.team_goals import (
    leaderboard_command,
    team_goal_command,
    team_goal_press,
    team_progress_command,
)
from bot.telegram.callbacks import parse_team_goal_callback
from bot.telegram.context import BotContext
from bot.telegram.replies import old_button
from bot.telegram.turns import user_turn


async def team_goal(update: Update, context: BotContext) -> None:
    async with user_turn(update, context) as turn:
        turn.reply(await team_goal_command(turn))


async def team_progress(update: Update, context: BotContext) -> None:
    async with user_turn(update, context) as turn:
        turn.reply(await team_progress_command(turn))


async def leaderboard(update: Update, context: BotContext) -> None:
    async with user_turn(update, context) as turn:
        turn.reply(await leaderboard_command(turn))


async def team_goal_button(update: Update, context: BotContext) -> None:
    """A team-goal button: its id is looked up against the presser's own seat in that team."""
    query = update.callback_query
    assert query is not None
    press = parse_team_goal_callback(query.data)
    async with user_turn(update, context) as turn:
        messages = await team_goal_press(turn, press) if press else None
        turn.reply(messages if messages is not None else [old_button(turn._)])
