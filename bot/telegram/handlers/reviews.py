"""Review prompts' buttons, /log, /undo, /pause and /resume."""

from __future__ import annotations

from zoneinfo import ZoneInfo

from telegram import Update

from bot.core.dialog import Outgoing
from bot.core.quick_log import QuickReport, parse_report
from bot.core.schedule import snooze_until
from bot.i18n import N_
from bot.services.flows.out_of_window_log import log_report
from bot.services.flows.review_texts import REPORT_PROBLEMS
from bot.services.flows.reviews import start_review
from bot.services.goal_text import date_text
from bot.services.plans import local_today
from bot.services.results import undo_last_log
from bot.services.scheduling import quiet_hours_of, sync_schedules
from bot.services.turn import Turn
from bot.storage.models import OccurrenceStatus, PromptOccurrence
from bot.storage.repositories.occurrences import OccurrenceRepository
from bot.telegram.callbacks import ReviewButton, parse_review_callback
from bot.telegram.commands import command_argument
from bot.telegram.context import BotContext
from bot.telegram.replies import old_button
from bot.telegram.turns import user_turn


async def prompt_button(update: Update, context: BotContext) -> None:
    """A review prompt's button; the occurrence must be the presser's own."""
    query = update.callback_query
    assert query is not None
    press = parse_review_callback(query.data)
    async with user_turn(update, context) as turn:
        occurrence = (
            await OccurrenceRepository(turn.session).owned(turn.user.id, press.occurrence_id)
            if press
            else None
        )
        if press is None or occurrence is None:
            messages = [old_button(turn._)]
        else:
            messages = await _prompt_press(turn, press.button, occurrence)
        turn.reply(messages)


async def _prompt_press(turn: Turn, button: ReviewButton, occurrence: PromptOccurrence) -> list[Outgoing]:
    _ = turn._
    if button is ReviewButton.ANSWER:
        return await _start_review(turn, occurrence)
    if occurrence.status == OccurrenceStatus.ANSWERED:
        return [Outgoing(_("This review is already answered; nothing to snooze or skip."))]
    if occurrence.status == OccurrenceStatus.SKIPPED:
        return [Outgoing(_("This review was skipped; nothing to do."))]
    if button is ReviewButton.SKIP:
        return [_skip(turn, occurrence)]
    return [_snooze(turn, button, occurrence)]


async def _start_review(turn: Turn, occurrence: PromptOccurrence) -> list[Outgoing]:
    _ = turn._
    preface = []
    if occurrence.status == OccurrenceStatus.ANSWERED:
        preface = [Outgoing(_("You answered this already; new answers replace the earlier ones."))]
    return await start_review(turn, occurrence, preface=preface)


def _skip(turn: Turn, occurrence: PromptOccurrence) -> Outgoing:
    OccurrenceRepository(turn.session).skip(occurrence, turn.now)
    return Outgoing(
        turn._("Skipped for {date}. See you at the next one.", date=date_text(occurrence.day, turn._))
    )


def _snooze(turn: Turn, button: ReviewButton, occurrence: PromptOccurrence) -> Outgoing:
    now, zone = turn.now, ZoneInfo(turn.user.timezone)
    wake = snooze_until(button, now, quiet_hours_of(turn.user), zone)
    OccurrenceRepository(turn.session).snooze(occurrence, wake, now)
    return Outgoing(turn._("I'll ask again at {time}.", time=wake.astimezone(zone).strftime("%H:%M")))


async def log_result(update: Update, context: BotContext) -> None:
    text = command_argument(update, 500)
    message_id = update.effective_message.message_id if update.effective_message else None
    async with user_turn(update, context) as turn:
        messages = await _log(turn, text, message_id) if text else [_log_usage(turn)]
        turn.reply(messages)


def _log_usage(turn: Turn) -> Outgoing:
    return Outgoing(
        turn._(
            "Write what you did after /log, e.g. “/log 3 visits, 1 deal 50k” or “/log yesterday 12 calls”."
        )
    )


async def _log(turn: Turn, text: str, message_id: int | None) -> list[Outgoing]:
    """Recorded, or first a question when the day lies outside a goal's dates (nothing stored till the tap)."""
    report = parse_report(text, today=local_today(turn.user, turn.now), lang=turn._.language)
    if not isinstance(report, QuickReport):
        return [Outgoing(turn._(REPORT_PROBLEMS[report]))]
    return await log_report(turn, report, message_id)


async def undo(update: Update, context: BotContext) -> None:
    async with user_turn(update, context) as turn:
        _ = turn._
        undone = await undo_last_log(turn)
        if undone is None:
            message = Outgoing(_("Nothing to undo: no /log in the last 24 hours."))
        else:
            message = Outgoing(_("Removed your last /log for {date}.", date=date_text(undone.day, _)))
        turn.reply([message])


async def pause(update: Update, context: BotContext) -> None:
    await _set_prompts_paused(
        update, context, True, N_("Reviews paused. Take the time you need; /resume brings them back.")
    )


async def resume(update: Update, context: BotContext) -> None:
    await _set_prompts_paused(
        update, context, False, N_("Welcome back! Reviews are on again from the next one due.")
    )


async def _set_prompts_paused(update: Update, context: BotContext, paused: bool, confirmation: str) -> None:
    async with user_turn(update, context) as turn:
        turn.user.prompts_paused, turn.user.updated_at = paused, turn.now
        await sync_schedules(turn)
        messages = [Outgoing(turn._(confirmation))]
        turn.reply(messages)
