"""/lost, /change, /reward and /history."""

from __future__ import annotations

import re

from telegram import Update

from bot.core.dialog import Outgoing
from bot.core.lifecycle.goals import is_open
from bot.i18n import Translator
from bot.services.flows.coaching import (
    DECISIONS,
    GOAL_ID,
    GOALS,
    REASONS,
    REWARD,
    SETBACK,
    STRATEGY,
    goal_choices,
    likely_reason,
)
from bot.services.goal_text import goal_headline
from bot.services.goals import draft_of
from bot.services.turn import Turn
from bot.storage.models import StrategyChange
from bot.storage.repositories.dialogs import DialogRepository
from bot.storage.repositories.goals import GoalRepository
from bot.storage.repositories.strategy import StrategyChangeRepository
from bot.telegram.context import BotContext, user_turn
from bot.telegram.render import reply


def command_text(update: Update) -> str:
    message = update.effective_message
    return (message.text or "").partition(" ")[2].strip()[:300] if message else ""


async def lost(update: Update, context: BotContext) -> None:
    """A lost deal or a rejection: a short reflection. Sent again while one is open, it asks the same question."""
    deps = context.services
    note = command_text(update)
    async with user_turn(update, context) as turn:
        _ = turn._
        state = await DialogRepository(turn.session).get_for_update(turn.user.id)
        if state is not None and state.flow == SETBACK:
            messages = [Outgoing(_("We are already looking at it; here is where we were:")),
                        *await deps.dialogs.current_question(turn)]  # fmt: skip
        else:
            intro = Outgoing(
                _("Sorry to hear it. Losing a deal stings; let's turn it into something you can use.")
            )
            data = {"what": note} if note else {}
            first = "lesson" if note else "what"
            messages = await deps.dialogs.start(turn, SETBACK, first_step=first,
                                                data=data, preface=[intro])  # fmt: skip
    await reply(update, context, messages)


async def _start_with_goal(turn: Turn, context: BotContext, flow: str,
                           data: dict[str, object]) -> list[Outgoing]:  # fmt: skip
    deps = context.services
    _ = turn._
    goals = await GoalRepository(turn.session).open_goals(turn.user.id)
    if not goals:
        return [Outgoing(_("You have no open goals yet. /newgoal sets one in about two minutes."))]
    data = {**data, GOALS: goal_choices(goals, _)}
    if len(goals) == 1:
        # One goal: nothing to choose, so the dialog starts at its first real question.
        data = {**data, GOAL_ID: goals[0].id, **draft_of(goals[0]).to_data()}
        first = FIRST_AFTER_GOAL[flow]
        return await deps.dialogs.start(turn, flow, data=data, first_step=first)
    return await deps.dialogs.start(turn, flow, data=data)


FIRST_AFTER_GOAL = {STRATEGY: "reason", REWARD: "amount"}


async def change(update: Update, context: BotContext) -> None:
    note = command_text(update)
    async with user_turn(update, context) as turn:
        messages = await _start_with_goal(
            turn, context, STRATEGY, {"note": note, "hint": likely_reason(note)}
        )
    await reply(update, context, messages)


async def reward(update: Update, context: BotContext) -> None:
    async with user_turn(update, context) as turn:
        messages = await _start_with_goal(turn, context, REWARD, {})
    await reply(update, context, messages)


def change_line(change: StrategyChange, _: Translator) -> str:
    reason = _(dict(REASONS)[change.reason])
    decision = _(dict(DECISIONS)[change.decision])
    line = f"• {change.at.date().isoformat()} · {reason} → {decision}"
    before, after = change.before, change.after
    if before != after:
        moved = [
            f"{key}: {before.get(key)} → {after.get(key)}"
            for key in sorted(after)
            if before.get(key) != after.get(key)
        ]
        line += f" ({'; '.join(moved)})"
    if change.note:
        line += "\n  " + change.note
    return line


async def history(update: Update, context: BotContext) -> None:
    async with user_turn(update, context) as turn:
        _ = turn._
        goals = await GoalRepository(turn.session).open_goals(turn.user.id)
        changes = await StrategyChangeRepository(turn.session).of_user(turn.user.id)
        blocks = []
        for goal in goals:
            lines = [change_line(c, _) for c in changes if c.goal_id == goal.id]
            body = "\n".join(lines) if lines else _("No strategy changes yet. /change records one.")
            blocks.append(f"📜 {goal_headline(draft_of(goal), _)}\n{body}")
        text = (
            "\n\n".join(blocks)
            if blocks
            else _("You have no open goals yet. /newgoal sets one in about two minutes.")
        )
    await reply(update, context, [Outgoing(text)])


_CHANGE_CALLBACK = re.compile(r"^c:change:(\d{1,10})$")


async def change_button(update: Update, context: BotContext) -> None:
    """The off-track nudge's button: the strategy dialog for that goal, if it is the presser's own and open."""
    query = update.callback_query
    assert query is not None
    deps = context.services
    async with user_turn(update, context) as turn:
        _ = turn._
        match = _CHANGE_CALLBACK.match(query.data or "")
        goal = await GoalRepository(turn.session).owned(turn.user.id, int(match.group(1))) if match else None
        if goal is None or not is_open(goal.status):
            messages = [Outgoing(_("That goal is not one of yours, or it was deleted. Nothing changed."))]
        else:
            data = {GOALS: goal_choices([goal], _), GOAL_ID: goal.id, **draft_of(goal).to_data()}
            messages = await deps.dialogs.start(turn, STRATEGY, data=data,
                                                first_step=FIRST_AFTER_GOAL[STRATEGY])  # fmt: skip
    await reply(update, context, messages)
