"""Review prompts' buttons, /log, /undo, /pause and /resume."""

from __future__ import annotations

import re
from zoneinfo import ZoneInfo

from telegram import Update

from bot.core.dialog import Outgoing
from bot.core.quick_log import QuickReport, parse_report
from bot.core.schedule import PromptKind, snooze_until
from bot.i18n import N_
from bot.services.coaching import record_and_coach
from bot.services.flows.reviews import (
    DAILY_REVIEW,
    MONTHLY_REVIEW,
    REPORT_PROBLEMS,
    WEEKLY_REVIEW,
    not_counted,
    pace_lines,
    report_text,
    revenue_currency,
    review_start_data,
)
from bot.services.goal_text import date_text
from bot.services.plans import local_today
from bot.services.results import LOG, undo_last_log
from bot.services.scheduling import quiet_hours_of, sync_schedules
from bot.services.turn import Turn
from bot.storage.models import OccurrenceStatus, PromptOccurrence
from bot.storage.repositories.occurrences import OccurrenceRepository
from bot.telegram.context import BotContext, user_turn
from bot.telegram.render import reply

_PROMPT_CALLBACK = re.compile(r"^r:(answer|30m|2h|morning|skip):(\d{1,12})$")
FLOWS = {PromptKind.DAILY: DAILY_REVIEW, PromptKind.WEEKLY: WEEKLY_REVIEW, PromptKind.MONTHLY: MONTHLY_REVIEW}
CLOSED = (OccurrenceStatus.ANSWERED, OccurrenceStatus.SKIPPED)


async def prompt_button(update: Update, context: BotContext) -> None:
    """A review prompt's button; the occurrence must be the presser's own."""
    query = update.callback_query
    assert query is not None
    async with user_turn(update, context) as turn:
        _ = turn._
        match = _PROMPT_CALLBACK.match(query.data or "")
        repository = OccurrenceRepository(turn.session)
        occurrence = await repository.owned(turn.user.id, int(match.group(2))) if match else None
        if match is None or occurrence is None:
            messages = [Outgoing(_("That button is from an old message and no longer does anything."))]
        else:
            messages = await _act(turn, context, match.group(1), occurrence)
    await reply(update, context, messages)


async def _act(turn: Turn, context: BotContext, action: str, occurrence: PromptOccurrence) -> list[Outgoing]:
    deps = context.services
    _ = turn._
    now = turn.now
    kind = PromptKind(occurrence.kind)
    if action == "answer":
        preface = []
        if occurrence.status == OccurrenceStatus.ANSWERED:
            preface = [Outgoing(_("You answered this already; new answers replace the earlier ones."))]
        data = await review_start_data(
            turn.session,
            turn.user,
            kind,
            occurrence.day,
            occurrence.id,
            now,
            deps.settings.default_language,
            _,
        )
        return await deps.dialogs.start(turn, FLOWS[kind], data=data, preface=preface)
    if occurrence.status == OccurrenceStatus.ANSWERED:
        return [Outgoing(_("This review is already answered; nothing to snooze or skip."))]
    if occurrence.status == OccurrenceStatus.SKIPPED:
        return [Outgoing(_("This review was skipped; nothing to do."))]
    if action == "skip":
        OccurrenceRepository(turn.session).skip(occurrence, now)
        return [
            Outgoing(_("Skipped for {date}. See you at the next one.", date=date_text(occurrence.day, _)))
        ]
    zone = ZoneInfo(turn.user.timezone)
    wake = snooze_until(action, now, quiet_hours_of(turn.user), zone)
    OccurrenceRepository(turn.session).snooze(occurrence, wake, now)
    return [Outgoing(_("I'll ask again at {time}.", time=wake.astimezone(zone).strftime("%H:%M")))]


async def log_result(update: Update, context: BotContext) -> None:
    message = update.effective_message
    text = (message.text or "").partition(" ")[2].strip()[:500] if message else ""
    async with user_turn(update, context) as turn:
        _ = turn._
        if not text:
            usage = _(
                "Write what you did after /log, e.g. “/log 3 visits, 1 deal 50k”, "
                "“/log 签单2个 8万” or “/log yesterday 12 calls”."
            )
            messages = [Outgoing(usage)]
        else:
            messages = [await _log(turn, context, text)]
    await reply(update, context, messages)


async def _log(turn: Turn, context: BotContext, text: str) -> Outgoing:
    deps = context.services
    _ = turn._
    report = parse_report(text, today=local_today(turn.user, turn.now), lang=_.language)
    if not isinstance(report, QuickReport):
        return Outgoing(_(REPORT_PROBLEMS[report]))
    day = report.day or local_today(turn.user, turn.now)
    views = await record_and_coach(
        turn.session, turn.user, day, report.values, turn.now, deps.settings.default_language, source=LOG
    )
    currency = revenue_currency([view.goal for view in views])
    logged = _(
        "Logged for {date}: {report}. /undo removes it within 24 hours.",
        date=date_text(day, _),
        report=report_text(dict(report.values), turn.user, currency, _),
    )
    return Outgoing("\n".join([logged + not_counted(report.unknown, _), *pace_lines(views, day, _)]))


async def undo(update: Update, context: BotContext) -> None:
    async with user_turn(update, context) as turn:
        _ = turn._
        undone = await undo_last_log(turn.session, turn.user, turn.now)
        if undone is None:
            messages = [Outgoing(_("Nothing to undo: no /log in the last 24 hours."))]
        else:
            messages = [Outgoing(_("Removed your last /log for {date}.", date=date_text(undone.day, _)))]
    await reply(update, context, messages)


async def pause(update: Update, context: BotContext) -> None:
    await _set_prompts_paused(
        update, context, True, N_("Reviews paused. Take the time you need; /resume brings them back.")
    )


async def resume(update: Update, context: BotContext) -> None:
    await _set_prompts_paused(
        update, context, False, N_("Welcome back! Reviews are on again from the next one due.")
    )


async def _set_prompts_paused(update: Update, context: BotContext, paused: bool, confirmation: str) -> None:
    deps = context.services
    async with user_turn(update, context) as turn:
        turn.user.prompts_paused, turn.user.updated_at = paused, turn.now
        await sync_schedules(turn.session, turn.user, turn.now, deps.settings.default_language)
        messages = [Outgoing(turn._(confirmation))]
    await reply(update, context, messages)
