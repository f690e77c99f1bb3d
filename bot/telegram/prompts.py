"""Review prompts and coaching nudges as Telegram messages, sent through the sending layer."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

from babel.dates import format_date, format_interval
from telegram import Bot

from bot.core.dates import week_start
from bot.core.dialog import Button, Outgoing
from bot.core.lifecycle.prompts import GOAL_INVITE
from bot.core.nudges import NudgeKind
from bot.core.schedule import PromptKind
from bot.i18n import N_, Translator
from bot.scheduler.delivery import PromptSender
from bot.scheduler.flood import FloodGate
from bot.scheduler.nudge_dispatch import NudgeSender
from bot.services.container import system_clock
from bot.services.goal_text import amount_text, date_text, goal_headline
from bot.services.goals import draft_of
from bot.services.nudge_texts import message_of
from bot.services.profile_summary import babel_locale, clock
from bot.services.users import user_translator
from bot.storage.models import Goal, Nudge, PromptOccurrence, User
from bot.telegram.callbacks import ReviewButton, change_callback, review_callback
from bot.telegram.sending import Sending

PROMPT_TEXTS = {
    PromptKind.DAILY: N_("📝 Daily review for {date}. How did the day go? It takes under a minute."),
    PromptKind.WEEKLY: N_(
        "📊 Weekly evaluation for {week}. Let's see how the week went against its targets."
    ),
    PromptKind.MONTHLY: N_(
        "📅 Monthly summary for {month}. Time to look back at the month and set up the next."
    ),
}
KIND_NAMES = {
    PromptKind.DAILY: N_("daily review"),
    PromptKind.WEEKLY: N_("weekly evaluation"),
    PromptKind.MONTHLY: N_("monthly summary"),
}


def prompt_message(occurrence: PromptOccurrence, _: Translator) -> Outgoing:
    kind = PromptKind(occurrence.kind)
    month = format_date(
        occurrence.day, format="yyyy MMMM" if _.language == "en" else "yyyy年M月", locale=babel_locale(_)
    )
    # The whole week, Monday to Sunday, rather than "the week of" the day the evaluation falls on.
    monday = week_start(occurrence.day)
    week = format_interval(monday, monday + timedelta(days=6), "yMMMd", locale=babel_locale(_))
    text = _(PROMPT_TEXTS[kind], date=date_text(occurrence.day, _), month=month, week=week)
    return Outgoing(text, prompt_buttons(occurrence.id, _))


def prompt_buttons(occurrence_id: int, _: Translator) -> tuple[tuple[Button, ...], ...]:
    def button(label: str, action: ReviewButton) -> Button:
        return Button(label, review_callback(action, occurrence_id))

    return (
        (button(_("✍️ Answer now"), ReviewButton.ANSWER),),
        (
            button(_("⏰ 30 min"), ReviewButton.SNOOZE_30_MINUTES),
            button(_("⏰ 2 h"), ReviewButton.SNOOZE_2_HOURS),
            button(_("🌅 Tomorrow morning"), ReviewButton.TOMORROW_MORNING),
        ),
        (button(_("⏭ Skip today"), ReviewButton.SKIP),),
    )


def reminder_message(occurrence: PromptOccurrence, _: Translator) -> Outgoing:
    kind = PromptKind(occurrence.kind)
    return Outgoing(
        _(
            "A gentle nudge: your {kind} for {date} is still open. One minute is enough.",
            kind=_(KIND_NAMES[kind]),
            date=date_text(occurrence.day, _),
        ),
        prompt_buttons(occurrence.id, _),
    )


def goal_invite_message(user: User, _: Translator) -> Outgoing:
    """The weekly word to a user with no goal, at their daily review time: why no review, what to do."""
    return Outgoing(
        _(
            "🎯 It is your daily review time, but you have no open goal, so there is nothing to review yet. "
            "/newgoal sets one in about two minutes; then I will ask about your day here at {time}.",
            time=clock(user.daily_review_time),
        )
    )


def sending_of(bot: Bot, gate: FloodGate | None) -> Sending:
    return Sending(bot, gate or FloodGate(system_clock))


def telegram_sender(bot: Bot, default_language: str, gate: FloodGate | None = None) -> PromptSender:
    """Send prompts with `bot`, Telegram's errors raised as the dispatcher's failures (DeliveryError);
    `gate` is the process's shared flood gate (bot.app), one of its own without it."""
    sending = sending_of(bot, gate)

    async def send(occurrence: PromptOccurrence, user: User, reminder: bool) -> int | None:
        _ = user_translator(user, user.telegram_language, default_language)
        if occurrence.kind == GOAL_INVITE:
            message = goal_invite_message(user, _)
        else:
            message = reminder_message(occurrence, _) if reminder else prompt_message(occurrence, _)
        return await sending.outgoing(user.id, message)

    return send


def nudge_values(nudge: Nudge, goal: Goal | None, _: Translator) -> dict[str, str]:
    """The nudge's stored numbers as the user reads them: amounts in the goal's unit, the goal's headline."""
    values = dict(nudge.data)
    if goal is not None:
        draft = draft_of(goal)
        values["goal"] = goal_headline(draft, _)
        for key in ("actual", "target", "amount", "total", "previous_best"):
            if key in values:
                values[key] = amount_text(Decimal(values[key]), draft, _)
    values.setdefault("goal", "")
    return values


def telegram_nudge_sender(bot: Bot, default_language: str, gate: FloodGate | None = None) -> NudgeSender:
    sending = sending_of(bot, gate)

    async def send(nudge: Nudge, user: User, goal: Goal | None) -> int | None:
        _ = user_translator(user, user.telegram_language, default_language)
        assert nudge.text_id is not None
        text = _(message_of(nudge.text_id), **nudge_values(nudge, goal, _))
        buttons: tuple[tuple[Button, ...], ...] = ()
        if nudge.kind == NudgeKind.OFF_TRACK and goal is not None:
            # The strategy adjustment is one tap away from the warning.
            buttons = ((Button(_("🧭 Adjust strategy now"), change_callback(goal.id)),),)
        return await sending.outgoing(user.id, Outgoing(text, buttons))

    return send
