"""/newgoal, /goals and the goal cards' buttons."""

from __future__ import annotations

from telegram import Update

from bot.core.dialog import Outgoing
from bot.i18n import N_
from bot.services.flows.goal_wizard import start_edit_goal, start_new_goal
from bot.services.goals import MAX_OPEN_GOALS, GoalAction, perform
from bot.services.turn import Turn
from bot.storage.models import Goal, GoalStatus
from bot.storage.repositories.goals import GoalRepository
from bot.telegram.callbacks import GoalButton, GoalPress, parse_goal_callback
from bot.telegram.context import BotContext
from bot.telegram.goal_cards import delete_confirmation, goal_card, goal_list
from bot.telegram.replies import not_your_goal, old_button
from bot.telegram.turns import user_turn

CONFIRMATIONS = {
    GoalAction.PAUSE: N_("Paused. Resume it from /goals when you are back."),
    GoalAction.RESUME: N_("Resumed. Welcome back to it!"),
    GoalAction.ACHIEVED: N_("🏆 Marked achieved. Well earned! Take a moment to note what worked."),
    GoalAction.ABANDON: N_(
        "Marked abandoned. Dropping a goal that no longer fits is a decision, not a failure."
    ),
    GoalAction.DELETE: N_("Deleted. It no longer shows in your list."),
}
# The card buttons that change a goal's status, and the change each asks for.
STATUS_BUTTONS = {
    GoalButton.PAUSE: GoalAction.PAUSE,
    GoalButton.RESUME: GoalAction.RESUME,
    GoalButton.ACHIEVED: GoalAction.ACHIEVED,
    GoalButton.ABANDON: GoalAction.ABANDON,
    GoalButton.DELETE_CONFIRMED: GoalAction.DELETE,
}


async def new_goal(update: Update, context: BotContext) -> None:
    async with user_turn(update, context) as turn:
        if await GoalRepository(turn.session).count_open(turn.user.id) >= MAX_OPEN_GOALS:
            messages = [_goal_limit_reached(turn)]
        else:
            messages = await _start_new_goal(turn)
        turn.reply(messages)


def _goal_limit_reached(turn: Turn) -> Outgoing:
    return Outgoing(
        turn._(
            "You already have {limit} open goals. Finish, pause or delete one in /goals first.",
            limit=MAX_OPEN_GOALS,
        )
    )


async def _start_new_goal(turn: Turn) -> list[Outgoing]:
    intro = Outgoing(
        turn._(
            "Let's set a goal that passes all five SMART tests. It takes about two minutes; "
            "⬅ goes back a step and /cancel stops."
        )
    )
    return await start_new_goal(turn, preface=[intro])


async def list_goals(update: Update, context: BotContext) -> None:
    async with user_turn(update, context) as turn:
        messages = [await _goal_list(turn)]
        turn.reply(messages)


async def _goal_list(turn: Turn) -> Outgoing:
    goals = await GoalRepository(turn.session).open_goals(turn.user.id)
    return goal_list(goals, MAX_OPEN_GOALS, turn._)


async def goal_button(update: Update, context: BotContext) -> None:
    """A goal card button. The goal id comes from the client, so it is looked up among the presser's own goals."""
    query = update.callback_query
    assert query is not None
    press = parse_goal_callback(query.data)
    async with user_turn(update, context) as turn:
        messages = await _goal_press(turn, press) if press else [old_button(turn._)]
        turn.reply(messages)


async def _goal_press(turn: Turn, press: GoalPress) -> list[Outgoing]:
    if press.goal_id is None:  # only "all goals" names no goal
        return [await _goal_list(turn)]
    goal = await GoalRepository(turn.session).owned(turn.user.id, press.goal_id)
    if goal is None:
        return [not_your_goal(turn._)]
    if press.button is GoalButton.OPEN:
        return [goal_card(goal, turn._)]
    if press.button is GoalButton.EDIT:
        return await _edit_goal(turn, goal)
    if press.button is GoalButton.DELETE:
        return [delete_confirmation(goal, turn._)]
    return await _change_status(turn, goal, STATUS_BUTTONS[press.button])


async def _edit_goal(turn: Turn, goal: Goal) -> list[Outgoing]:
    if goal.status not in GoalStatus.OPEN:
        return [Outgoing(turn._("Only open goals can be edited.")), goal_card(goal, turn._)]
    return await start_edit_goal(turn, goal)


async def _change_status(turn: Turn, goal: Goal, action: GoalAction) -> list[Outgoing]:
    _ = turn._
    changed = await perform(turn, goal, action)
    done = _(CONFIRMATIONS[action]) if changed else _("Nothing changed: the goal is already in that state.")
    messages = [Outgoing(done)]
    if goal.status in GoalStatus.OPEN:
        messages.append(goal_card(goal, _))
    return messages
