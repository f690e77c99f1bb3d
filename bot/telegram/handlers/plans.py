"""/plan, /today, /progress and /vacation, and the buttons on their cards."""

from __future__ import annotations

import asyncio
import re
from datetime import date
from io import BytesIO

from telegram import Update

from bot.core.dialog import Button, Outgoing
from bot.core.plan_inputs import VacationProblem, parse_vacation
from bot.i18n import N_, Translator
from bot.services.charts import render_progress_chart
from bot.services.flows.plan_edits import DAY_TEMPLATE, GOAL_ID, PLAN_ACTIVITY, PLAN_FUNNEL, PLAN_SPLIT
from bot.services.goal_text import date_text
from bot.services.plan_text import plan_card, progress_card, today_card
from bot.services.plans import (
    GoalOutlook,
    add_vacation,
    local_today,
    month_key,
    open_goal_outlooks,
    outlooks,
    remove_vacation,
    upcoming_vacations,
    user_calendar,
    working_days_per_month,
)
from bot.services.progress_chart import chart_data
from bot.services.turn import Turn
from bot.storage.models import GoalStatus
from bot.storage.repositories.goals import GoalRepository
from bot.telegram.context import BotContext, user_turn
from bot.telegram.render import reply, send_photo

_PLAN_CALLBACK = re.compile(r"^p:(split|funnel|activity|blocks):(\d{1,10})$")
_VACATION_CALLBACK = re.compile(r"^v:del:(\d{1,10})$")
VACATION_PROBLEMS = {
    VacationProblem.UNREADABLE: N_(
        "I could not read the dates. Try “/vacation 2026-12-24 to 2026-12-28” or “/vacation 12月24日到28日”."
    ),
    VacationProblem.REVERSED: N_("The vacation ends before it starts. Please give the first day first."),
    VacationProblem.PAST: N_("That vacation starts in the past. Only today or later days can be added."),
    VacationProblem.TOO_LONG: N_(
        "That is longer than 60 days. Please add long absences in parts, or pause the goal in /goals."
    ),
}


async def _outlooks(turn: Turn, context: BotContext) -> list[GoalOutlook]:
    deps = context.services
    return await open_goal_outlooks(turn.session, turn.user, turn.now, deps.settings.default_language)


def plan_buttons(view: GoalOutlook, _: Translator) -> tuple[tuple[Button, ...], ...]:
    goal_id = view.goal.id
    rows: list[tuple[Button, ...]] = [
        (
            Button(_("📆 Month split"), f"p:split:{goal_id}"),
            Button(_("🎯 Activity targets"), f"p:activity:{goal_id}"),
        )
    ]
    if view.funnel is not None:
        rows.append((Button(_("🔁 Deal size & rates"), f"p:funnel:{goal_id}"),))
    return tuple(rows)


async def show_plan(update: Update, context: BotContext) -> None:
    async with user_turn(update, context) as turn:
        _ = turn._
        views = await _outlooks(turn, context)
        messages = [Outgoing(plan_card(view, _), plan_buttons(view, _)) for view in views] or [
            Outgoing(_("You have no open goals yet. /newgoal sets one in about two minutes."))
        ]
    await reply(update, context, messages)


async def show_today(update: Update, context: BotContext) -> None:
    async with user_turn(update, context) as turn:
        _ = turn._
        views = await _outlooks(turn, context)
        today = local_today(turn.user, turn.now)
        messages = [
            Outgoing(
                today_card(views, turn.user.day_template, today, _),
                ((Button(_("🕘 Edit my day plan"), "p:blocks:0"),),),
            )
        ]
    await reply(update, context, messages)


async def show_progress(update: Update, context: BotContext) -> None:
    async with user_turn(update, context) as turn:
        _ = turn._
        views = await _outlooks(turn, context)
        cards = [(progress_card(view, _), chart_data(view, _)) for view in views]
    chat = update.effective_chat
    if not cards:
        await reply(
            update,
            context,
            [Outgoing(_("You have no open goals yet. /newgoal sets one in about two minutes."))],
        )
        return
    assert chat is not None
    for text, data in cards:
        # Rendering takes tens of milliseconds of CPU: off the event loop, so other users are not held up.
        png = await asyncio.to_thread(render_progress_chart, data)
        await reply(update, context, [Outgoing(text)])
        await send_photo(context, chat.id, BytesIO(png))


async def plan_button(update: Update, context: BotContext) -> None:
    """A plan card button: the goal id is checked against the presser's own open goals."""
    query = update.callback_query
    assert query is not None
    deps = context.services
    async with user_turn(update, context) as turn:
        _ = turn._
        match = _PLAN_CALLBACK.match(query.data or "")
        if match is None:
            messages = [Outgoing(_("That button is from an old message and no longer does anything."))]
        elif match.group(1) == "blocks":
            messages = await deps.dialogs.start(turn, DAY_TEMPLATE)
        else:
            action, goal_id = match.group(1), int(match.group(2))
            goal = await GoalRepository(turn.session).owned(turn.user.id, goal_id)
            if goal is None or goal.status not in GoalStatus.OPEN:
                messages = [Outgoing(_("That goal is not one of yours, or it was deleted. Nothing changed."))]
            else:
                # Only this goal's plan is needed to start editing it.
                calendar = await user_calendar(turn.session, turn.user, deps.settings.default_language)
                [current] = await outlooks(turn.session, turn.user, [goal], calendar, turn.now)
                messages = await _start_plan_edit(turn, context, action, current)
    await reply(update, context, messages)


async def _start_plan_edit(turn: Turn, context: BotContext, action: str, view: GoalOutlook) -> list[Outgoing]:
    deps = context.services
    data: dict[str, object] = {GOAL_ID: view.goal.id}
    if action == "split":
        days = [target.day for target in view.plan.days]
        data["months"] = {month_key(m): n for m, n in working_days_per_month(days).items()}
        data["shares"] = dict(view.row.month_shares)
        flow = PLAN_SPLIT
    elif action == "funnel":
        assert view.funnel is not None
        funnel = view.funnel
        data["current"] = {
            name: format(getattr(funnel, name).normalize(), "f")
            for name in ("average_deal", "win_rate", "meeting_rate", "visit_rate")
        }
        flow = PLAN_FUNNEL
    else:
        flow = PLAN_ACTIVITY
    return await deps.dialogs.start(turn, flow, data=data)


async def vacation(update: Update, context: BotContext) -> None:
    message = update.effective_message
    text = (message.text or "").partition(" ")[2].strip() if message else ""
    async with user_turn(update, context) as turn:
        _ = turn._
        today = local_today(turn.user, turn.now)
        if not text:
            messages = [await _vacation_list(turn, today)]
        else:
            parsed = parse_vacation(text[:200], today=today, lang=_.language)
            if isinstance(parsed, VacationProblem):
                messages = [Outgoing(_(VACATION_PROBLEMS[parsed]))]
            else:
                start, end = parsed
                add_vacation(turn.session, turn.user, start, end, turn.now)
                messages = [
                    Outgoing(
                        _(
                            "Vacation saved: {start} to {end}. Those days carry no targets; the rest of "
                            "the plan takes them over. /plan shows the new numbers.",
                            start=date_text(start, _),
                            end=date_text(end, _),
                        )
                    )
                ]
    await reply(update, context, messages)


async def _vacation_list(turn: Turn, today: date) -> Outgoing:
    _ = turn._
    vacations = await upcoming_vacations(turn.session, turn.user, today)
    usage = _(
        "Add days off with “/vacation 2026-12-24 to 2026-12-28” or in words: “/vacation 下周一到下周三”."
    )
    if not vacations:
        return Outgoing(usage)
    lines = [_("Your upcoming vacations:")]
    lines += [f"🏖 {date_text(v.start_date, _)} – {date_text(v.end_date, _)}" for v in vacations]
    buttons = tuple(
        (Button(_("Remove {start}", start=v.start_date.isoformat()), f"v:del:{v.id}"),) for v in vacations
    )
    return Outgoing("\n".join([*lines, "", usage]), buttons)


async def vacation_button(update: Update, context: BotContext) -> None:
    query = update.callback_query
    assert query is not None
    async with user_turn(update, context) as turn:
        _ = turn._
        match = _VACATION_CALLBACK.match(query.data or "")
        if match is None or not await remove_vacation(turn.session, turn.user, int(match.group(1))):
            messages = [Outgoing(_("That button is from an old message and no longer does anything."))]
        else:
            messages = [Outgoing(_("Vacation removed. /plan shows the new numbers."))]
    await reply(update, context, messages)
