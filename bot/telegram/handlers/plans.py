"""/plan, /today, /progress and /vacation, and the buttons on their cards."""

from __future__ import annotations

from datetime import date
from functools import partial

from telegram import Update

from bot.core.dialog import Button, Outgoing, Photo
from bot.core.plan_inputs import VacationProblem, parse_vacation
from bot.i18n import N_, Translator
from bot.services.charts import render_progress_chart
from bot.services.flows.plan_edits import (
    start_activity_targets,
    start_day_template,
    start_funnel_edit,
    start_month_split,
)
from bot.services.goal_text import date_text
from bot.services.plan_text import plan_card, progress_card, today_card
from bot.services.plans import (
    GoalOutlook,
    add_vacation,
    goal_outlook,
    local_today,
    open_goal_outlooks,
    remove_vacation,
)
from bot.services.progress_chart import chart_data
from bot.services.turn import Turn
from bot.storage.models import GoalStatus
from bot.storage.repositories.goals import GoalRepository
from bot.telegram.callbacks import (
    PlanButton,
    PlanPress,
    parse_plan_callback,
    parse_vacation_callback,
    plan_callback,
)
from bot.telegram.commands import command_argument
from bot.telegram.context import BotContext
from bot.telegram.paged_lists import vacation_screen
from bot.telegram.replies import no_open_goals, not_your_goal, old_button
from bot.telegram.turns import user_turn

VACATION_PROBLEMS = {
    VacationProblem.UNREADABLE: N_(
        "I could not read the dates. Try “/vacation 2026-12-24 to 2026-12-28” or “/vacation Dec 24 to Dec 28”."
    ),
    VacationProblem.REVERSED: N_("The vacation ends before it starts. Please give the first day first."),
    VacationProblem.PAST: N_("That vacation starts in the past. Only today or later days can be added."),
    VacationProblem.TOO_LONG: N_(
        "That is longer than 60 days. Please add long absences in parts, or pause the goal in /goals."
    ),
}


def plan_buttons(view: GoalOutlook, _: Translator) -> tuple[tuple[Button, ...], ...]:
    goal_id = view.goal.id
    rows: list[tuple[Button, ...]] = [
        (
            Button(_("📆 Month split"), plan_callback(PlanButton.SPLIT, goal_id)),
            Button(_("🎯 Activity targets"), plan_callback(PlanButton.ACTIVITY, goal_id)),
        )
    ]
    if view.funnel is not None:
        rows.append((Button(_("🔁 Deal size & rates"), plan_callback(PlanButton.FUNNEL, goal_id)),))
    return tuple(rows)


async def show_plan(update: Update, context: BotContext) -> None:
    async with user_turn(update, context) as turn:
        _ = turn._
        views = await open_goal_outlooks(turn)
        messages = [Outgoing(plan_card(view, _), plan_buttons(view, _)) for view in views] or [
            no_open_goals(_)
        ]
        turn.reply(messages)


async def show_today(update: Update, context: BotContext) -> None:
    async with user_turn(update, context) as turn:
        _ = turn._
        views = await open_goal_outlooks(turn)
        card = today_card(views, turn.user.day_template, local_today(turn.user, turn.now), _)
        edit_day = Button(_("🕘 Edit my day plan"), plan_callback(PlanButton.BLOCKS))
        turn.reply([Outgoing(card, ((edit_day,),))])


async def show_progress(update: Update, context: BotContext) -> None:
    async with user_turn(update, context) as turn:
        views = await open_goal_outlooks(turn)
        turn.reply([no_open_goals(turn._)] if not views else [])
        for view in views:
            chart = partial(render_progress_chart, chart_data(view, turn._))
            turn.reply([Outgoing(progress_card(view, turn._)), Photo(chart)])


async def plan_button(update: Update, context: BotContext) -> None:
    """A plan card button: the goal id is checked against the presser's own open goals."""
    query = update.callback_query
    assert query is not None
    press = parse_plan_callback(query.data)
    async with user_turn(update, context) as turn:
        messages = await _plan_press(turn, press) if press else [old_button(turn._)]
        turn.reply(messages)


async def _plan_press(turn: Turn, press: PlanPress) -> list[Outgoing]:
    if press.goal_id is None:  # the day plan belongs to no goal
        return await start_day_template(turn)
    goal = await GoalRepository(turn.session).owned(turn.user.id, press.goal_id)
    if goal is None or goal.status not in GoalStatus.OPEN:
        return [not_your_goal(turn._)]
    if press.button is PlanButton.ACTIVITY:
        return await start_activity_targets(turn, goal)
    view = await goal_outlook(turn, goal)  # only this goal's plan is needed to edit it
    if press.button is PlanButton.SPLIT:
        return await start_month_split(turn, view)
    if view.funnel is None:  # the card offers "deal size & rates" only for a goal with a funnel
        return [old_button(turn._)]
    return await start_funnel_edit(turn, view)


async def vacation(update: Update, context: BotContext) -> None:
    text = command_argument(update, 200)
    async with user_turn(update, context) as turn:
        today = local_today(turn.user, turn.now)
        message = await _add_vacation(turn, text, today) if text else await vacation_screen(turn, today)
        turn.reply([message or old_button(turn._)])


async def _add_vacation(turn: Turn, text: str, today: date) -> Outgoing:
    _ = turn._
    parsed = parse_vacation(text, today=today, lang=_.language)
    if isinstance(parsed, VacationProblem):
        return Outgoing(_(VACATION_PROBLEMS[parsed]))
    start, end = parsed
    add_vacation(turn.session, turn.user, start, end, turn.now)
    return Outgoing(
        _(
            "Vacation saved: {start} to {end}. Those days carry no targets; the rest of "
            "the plan takes them over. /plan shows the new numbers.",
            start=date_text(start, _),
            end=date_text(end, _),
        )
    )


async def vacation_button(update: Update, context: BotContext) -> None:
    query = update.callback_query
    assert query is not None
    press = parse_vacation_callback(query.data)
    async with user_turn(update, context) as turn:
        removed = await remove_vacation(turn.session, turn.user, press.vacation_id) if press else False
        done = (
            Outgoing(turn._("Vacation removed. /plan shows the new numbers."))
            if removed
            else old_button(turn._)
        )
        turn.reply([done])
