"""/lost, /change, /reward and /history."""

from __future__ import annotations

from telegram import Update

from bot.core.dialog import Outgoing
from bot.core.lifecycle.goals import is_open
from bot.services.flows.coaching import SETBACK, start_reward, start_setback, start_strategy_change
from bot.services.turn import Turn
from bot.storage.repositories.dialogs import DialogRepository
from bot.storage.repositories.goals import GoalRepository
from bot.telegram.callbacks import parse_change_callback
from bot.telegram.commands import command_argument
from bot.telegram.context import BotContext
from bot.telegram.paged_lists import history_screen
from bot.telegram.replies import not_your_goal, old_button
from bot.telegram.turns import user_turn


async def lost(update: Update, context: BotContext) -> None:
    """A lost deal or a rejection: a short reflection. Sent again while one is open, it asks the same question."""
    note = command_argument(update, 300)
    async with user_turn(update, context) as turn:
        state = await DialogRepository(turn.session).get_for_update(turn.user.id)
        if state is not None and state.flow == SETBACK:
            messages = await _setback_resumed(turn)
        else:
            messages = await _start_setback(turn, note)
        turn.reply(messages)


async def _setback_resumed(turn: Turn) -> list[Outgoing]:
    where = Outgoing(turn._("We are already looking at it; here is where we were:"))
    return [where, *await turn.services.dialogs.current_question(turn)]


async def _start_setback(turn: Turn, note: str) -> list[Outgoing]:
    _ = turn._
    intro = Outgoing(_("Sorry to hear it. Losing a deal stings; let's turn it into something you can use."))
    return await start_setback(turn, note, preface=[intro])


async def change(update: Update, context: BotContext) -> None:
    note = command_argument(update, 300)
    async with user_turn(update, context) as turn:
        messages = await start_strategy_change(turn, note=note)
        turn.reply(messages)


async def reward(update: Update, context: BotContext) -> None:
    async with user_turn(update, context) as turn:
        messages = await start_reward(turn)
        turn.reply(messages)


async def history(update: Update, context: BotContext) -> None:
    """The strategy log, newest first: its first page, with buttons to the others."""
    async with user_turn(update, context) as turn:
        page = await history_screen(turn)
        turn.reply([page or old_button(turn._)])


async def change_button(update: Update, context: BotContext) -> None:
    """The off-track nudge's button: the strategy dialog for that goal, if it is the presser's own and open."""
    query = update.callback_query
    assert query is not None
    press = parse_change_callback(query.data)
    async with user_turn(update, context) as turn:
        goal = await GoalRepository(turn.session).owned(turn.user.id, press.goal_id) if press else None
        if press is None:
            messages = [old_button(turn._)]
        elif goal is None or not is_open(goal.status):
            messages = [not_your_goal(turn._)]
        else:
            messages = await start_strategy_change(turn, goal)
        turn.reply(messages)
