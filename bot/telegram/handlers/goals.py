"""/newgoal, /goals and the goal cards' buttons."""

from __future__ import annotations

from telegram import Update

from bot.core.dialog import Outgoing
from bot.i18n import N_
from bot.services.flows.goal_wizard import EDIT_GOAL, EDITING, GOAL_ID, NEW_GOAL
from bot.services.goals import MAX_OPEN_GOALS, GoalAction, draft_of, perform
from bot.services.turn import Turn
from bot.storage.models import GoalStatus
from bot.storage.repositories.goals import GoalRepository
from bot.telegram.context import BotContext, user_turn
from bot.telegram.goal_cards import delete_confirmation, goal_card, goal_list, parse_goal_callback
from bot.telegram.render import reply


async def new_goal(update: Update, context: BotContext) -> None:
    deps = context.services
    async with user_turn(update, context) as turn:
        _ = turn._
        if await GoalRepository(turn.session).count_open(turn.user.id) >= MAX_OPEN_GOALS:
            messages = [
                Outgoing(
                    _(
                        "You already have {limit} open goals. Finish, pause or delete one in /goals first.",
                        limit=MAX_OPEN_GOALS,
                    )
                )
            ]
        else:
            intro = Outgoing(
                _(
                    "Let's set a goal that passes all five SMART tests. It takes about two minutes; "
                    "⬅ goes back a step and /cancel stops."
                )
            )
            messages = await deps.dialogs.start(turn, NEW_GOAL, preface=[intro])
    await reply(update, context, messages)


async def list_goals(update: Update, context: BotContext) -> None:
    async with user_turn(update, context) as turn:
        messages = [await _goal_list(turn)]
    await reply(update, context, messages)


async def _goal_list(turn: Turn) -> Outgoing:
    goals = await GoalRepository(turn.session).open_goals(turn.user.id)
    return goal_list(goals, MAX_OPEN_GOALS, turn._)


async def goal_button(update: Update, context: BotContext) -> None:
    """A goal card button. The goal id comes from the client, so it is looked up among the presser's own goals."""
    query = update.callback_query
    assert query is not None
    deps = context.services
    async with user_turn(update, context) as turn:
        _ = turn._
        parsed = parse_goal_callback(query.data)
        if parsed is None:
            messages = [Outgoing(_("That button is from an old message and no longer does anything."))]
        elif parsed[0] == "list":
            messages = [await _goal_list(turn)]
        else:
            action, goal_id = parsed
            goal = await GoalRepository(turn.session).owned(turn.user.id, goal_id)
            if goal is None:
                messages = [Outgoing(_("That goal is not one of yours, or it was deleted. Nothing changed."))]
            elif action == "open":
                messages = [goal_card(goal, _)]
            elif action == "edit":
                if goal.status not in GoalStatus.OPEN:
                    messages = [Outgoing(_("Only open goals can be edited.")), goal_card(goal, _)]
                else:
                    data = {**draft_of(goal).to_data(), GOAL_ID: goal.id, EDITING: True}
                    messages = await deps.dialogs.start(turn, EDIT_GOAL, data=data)
            elif action == "delete":
                messages = [delete_confirmation(goal, _)]
            else:
                done = GoalAction.DELETE if action == "delete!" else GoalAction(action)
                changed = await perform(turn.session, turn.user, goal, done, turn.now)
                messages = [
                    Outgoing(
                        _(CONFIRMATIONS[done])
                        if changed
                        else _("Nothing changed: the goal is already in that state.")
                    )
                ]
                if goal.status in GoalStatus.OPEN:
                    messages.append(goal_card(goal, _))
    await reply(update, context, messages)


CONFIRMATIONS = {
    GoalAction.PAUSE: N_("Paused. Resume it from /goals when you are back."),
    GoalAction.RESUME: N_("Resumed. Welcome back to it!"),
    GoalAction.ACHIEVED: N_("🏆 Marked achieved. Well earned! Take a moment to note what worked."),
    GoalAction.ABANDON: N_(
        "Marked abandoned. Dropping a goal that no longer fits is a decision, not a failure."
    ),
    GoalAction.DELETE: N_("Deleted. It no longer shows in your list."),
}
