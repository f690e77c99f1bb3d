"""Builds the python-telegram-bot Application from settings: one factory for Telegram, the shell and tests."""

from __future__ import annotations

import logging
from datetime import timedelta
from typing import Any

from telegram.ext import (
    AIORateLimiter,
    ApplicationBuilder,
    CallbackQueryHandler,
    ChatMemberHandler,
    CommandHandler,
    ExtBot,
    JobQueue,
    MessageHandler,
    filters,
)
from telegram.request import BaseRequest, HTTPXRequest

from bot import i18n
from bot.core import dates, timezones, work_calendar
from bot.scheduler.crm_sync import CrmSyncJobs
from bot.scheduler.dispatcher import Dispatcher, DispatcherConfig
from bot.scheduler.flood import FloodGate
from bot.scheduler.nudge_dispatch import NudgeDispatcher
from bot.scheduler.outbox import Outbox, OutboxConfig
from bot.scheduler.team_groups import TeamGroupJobs
from bot.scheduler.team_meetings import TeamMeetings, TeamMeetingsConfig
from bot.services import charts
from bot.services.broadcasts import report_finished
from bot.services.container import Clock, Services, build_services
from bot.services.metrics import Metrics
from bot.settings import Settings
from bot.telegram import callbacks, callbacks_admin
from bot.telegram.callbacks import handler_pattern
from bot.telegram.callbacks_crm import CRM
from bot.telegram.callbacks_export import EXPORT
from bot.telegram.commands import publish_commands
from bot.telegram.context import CONTEXT_TYPES, BotApplication, BotContext, BotData, CleanInputApplication
from bot.telegram.counted_request import CountedRequest
from bot.telegram.downloads import TelegramFiles
from bot.telegram.errors import on_error
from bot.telegram.handlers import (
    admin,
    coaching,
    crm,
    crm_import,
    dialog,
    edits,
    export,
    goals,
    groups,
    meetings,
    pages,
    plans,
    profile,
    reviews,
    team_goals,
    teams,
)
from bot.telegram.inbox_worker import note_inbox_error
from bot.telegram.observe import name_handlers
from bot.telegram.prompts import telegram_nudge_sender, telegram_sender
from bot.telegram.sending import Sending
from bot.telegram.shutdown import CLEANUP_SECONDS, bounded

log = logging.getLogger(__name__)

# Used where no real token is needed (the local shell, tests); Telegram would refuse it.
OFFLINE_TOKEN = "1000000001:offline-token-for-the-local-shell"
# PTB's own pool size for the bot's requests (its getUpdates request has one of its own).
BOT_CONNECTIONS = 256
# The outbox's tick: rows left by a crash, retries and ends of a flood wait go out within this many seconds.
OUTBOX_INTERVAL_SECONDS = 1.0


class LimiterGaveUp(logging.Filter):
    """Drops AIORateLimiter's traceback for a 429 it hands on: with max_retries=0 that is every 429,
    and the sending layer deals with it (the flood gate) and logs what matters itself."""

    def filter(self, record: logging.LogRecord) -> bool:
        return not record.getMessage().startswith("Rate limit hit after maximum of")


def register_handlers(application: BotApplication) -> None:
    # Edited messages reach only their own handler: an edit is never a new command or answer.
    private = filters.ChatType.PRIVATE & filters.UpdateType.MESSAGE
    in_groups = filters.ChatType.GROUPS & filters.UpdateType.MESSAGE
    application.add_handlers(
        [
            CommandHandler("start", profile.start, filters=private),
            CommandHandler("settings", profile.settings, filters=private),
            CommandHandler("newgoal", goals.new_goal, filters=private),
            CommandHandler("goals", goals.list_goals, filters=private),
            CommandHandler("plan", plans.show_plan, filters=private),
            CommandHandler("today", plans.show_today, filters=private),
            CommandHandler("progress", plans.show_progress, filters=private),
            CommandHandler("vacation", plans.vacation, filters=private),
            CommandHandler("log", reviews.log_result, filters=private),
            CommandHandler("undo", reviews.undo, filters=private),
            CommandHandler("pause", reviews.pause, filters=private),
            CommandHandler("lost", coaching.lost, filters=private),
            CommandHandler("change", coaching.change, filters=private),
            CommandHandler("reward", coaching.reward, filters=private),
            CommandHandler("history", coaching.history, filters=private),
            CommandHandler("resume", reviews.resume, filters=private),
            # Teams (team13): /team, the card's buttons, invites and joining.
            CommandHandler("team", teams.team, filters=private),
            CallbackQueryHandler(teams.team_button, pattern=handler_pattern(callbacks.TEAM)),
            # meeting13: the weekly sales meeting
            CommandHandler("meetingtime", meetings.meeting_time, filters=private),
            CommandHandler("meeting", meetings.meeting, filters=private),
            # split13: team goals, their split, the roll-up and the leaderboard
            CommandHandler("teamgoal", team_goals.team_goal, filters=private),
            CommandHandler("teamprogress", team_goals.team_progress, filters=private),
            CommandHandler("leaderboard", team_goals.leaderboard, filters=private),
            CallbackQueryHandler(team_goals.team_goal_button, pattern=handler_pattern(callbacks.TEAM_GOAL)),
            # export14: /export, the person's (or a managed team's) data as XLSX and a CSV zip
            CommandHandler("export", export.export, filters=private),
            CallbackQueryHandler(export.export_button, pattern=handler_pattern(EXPORT)),
            # ops15: admin tools (ADMIN_IDS; others get the unknown-command reply) and /deleteme.
            CommandHandler("admin", admin.admin, filters=private),
            CommandHandler("broadcast", admin.broadcast, filters=private),
            CommandHandler("deleteme", admin.delete_me, filters=private),
            CallbackQueryHandler(admin.admin_button, pattern=handler_pattern(callbacks_admin.ADMIN)),
            CommandHandler("help", dialog.show_help, filters=private),
            CommandHandler("cancel", dialog.cancel, filters=private),
            # group13: the team's group chat (commands only: privacy mode), /teamgroup, /share, /teamreward.
            CommandHandler("teamgroup", groups.team_group, filters=private),
            CommandHandler("share", groups.share, filters=private),
            CommandHandler("teamreward", groups.team_reward, filters=private),
            CommandHandler("start", groups.start_in_group, filters=in_groups),
            CommandHandler("team", groups.team_in_group, filters=in_groups),
            # sync14: /crm, the CRM API connections
            CommandHandler("crm", crm.crm, filters=private),
            CallbackQueryHandler(crm.crm_button, pattern=handler_pattern(CRM)),
            MessageHandler(filters.StatusUpdate.MIGRATE, groups.migrated),
            ChatMemberHandler(groups.bot_membership, ChatMemberHandler.MY_CHAT_MEMBER),
            # importflow14: file import (/import, a document in the private chat)
            CommandHandler("import", crm_import.import_command, filters=private),
            MessageHandler(private & filters.Document.ALL, crm_import.document),
            MessageHandler(private & filters.COMMAND, dialog.unknown_command),
            MessageHandler(private & ~filters.COMMAND & ~filters.StatusUpdate.ALL, dialog.text_or_other),
            MessageHandler(
                filters.ChatType.PRIVATE & filters.UpdateType.EDITED_MESSAGE, edits.edited_message
            ),
            CallbackQueryHandler(goals.goal_button, pattern=handler_pattern(callbacks.GOAL)),
            CallbackQueryHandler(plans.plan_button, pattern=handler_pattern(callbacks.PLAN)),
            CallbackQueryHandler(plans.vacation_button, pattern=handler_pattern(callbacks.VACATION)),
            CallbackQueryHandler(reviews.prompt_button, pattern=handler_pattern(callbacks.REVIEW)),
            CallbackQueryHandler(coaching.change_button, pattern=handler_pattern(callbacks.CHANGE)),
            CallbackQueryHandler(profile.start_button, pattern=handler_pattern(callbacks.START)),
            CallbackQueryHandler(pages.page_button, pattern=handler_pattern(callbacks.PAGE)),
            CallbackQueryHandler(
                meetings.note_button, pattern=handler_pattern(callbacks.MEETING)
            ),  # meeting13
            CallbackQueryHandler(dialog.button),
        ]
    )
    application.add_error_handler(on_error)
    # After on_error (which tells the user): an update delivered from the inbox is then marked failed.
    application.add_error_handler(note_inbox_error)
    # web15: each handler's name reaches the logs and the latency histogram.
    name_handlers(application)


def build_application(
    settings: Settings,
    *,
    request: BaseRequest | None = None,
    clock: Clock | None = None,
    rate_limited: bool = True,
    services: Services | None = None,
    updates_request: BaseRequest | None = None,
) -> BotApplication:
    """The bot. `request` replaces the HTTP transport (the shell and handler tests pass an in-process one);
    `updates_request` only getUpdates' (polling passes one that waits out a refused token)."""
    token = settings.telegram_bot_token.get_secret_value() if settings.telegram_bot_token else OFFLINE_TOKEN
    builder: ApplicationBuilder[
        ExtBot[Any], BotContext, dict[Any, Any], dict[Any, Any], BotData, JobQueue[BotContext]
    ]
    builder = (
        ApplicationBuilder()
        .application_class(CleanInputApplication)
        .context_types(CONTEXT_TYPES)
        .job_queue(JobQueue[BotContext]())
        .token(token)
        .base_url(settings.telegram_base_url)
        .base_file_url(settings.telegram_base_file_url)
        .post_init(startup)
        .post_shutdown(shutdown)
    )
    # web15: the Bot API's error answers are counted (telegram_api_errors_total) on the bot's transport.
    metrics = Metrics()
    bot_request = CountedRequest(request or HTTPXRequest(connection_pool_size=BOT_CONNECTIONS), metrics)
    builder = builder.request(bot_request)
    if request is not None:
        builder = builder.get_updates_request(request)
    elif updates_request is not None:
        builder = builder.get_updates_request(updates_request)
    if rate_limited and settings.telegram_rate_limit > 0:
        # Keeps under Telegram's overall and group limits. It does not retry a 429 (max_retries=0): the
        # sending layer turns it into a wait of its retry_after for everything that sends, in one place,
        # the same with or without the limiter.
        limiter = AIORateLimiter(
            overall_max_rate=settings.telegram_rate_limit, overall_time_period=1, max_retries=0
        )
        limiter_log = logging.getLogger("telegram.ext.AIORateLimiter")
        if not any(isinstance(known, LimiterGaveUp) for known in limiter_log.filters):
            limiter_log.addFilter(LimiterGaveUp())
        builder = builder.rate_limiter(limiter)
    application = builder.build()
    application.bot_data.metrics = metrics
    deps = application.bot_data.services = services or build_services(settings, clock)
    deps.files = TelegramFiles(application.bot)  # importflow14: files users send, for the import dialog
    gate = FloodGate(deps.now)
    sending = application.bot_data.sending = Sending(application.bot, gate)
    outbox_config = OutboxConfig(
        retention=timedelta(hours=settings.outbox_retention_hours),
        lease=timedelta(seconds=settings.outbox_lease_seconds),  # workers15
    )
    application.bot_data.outbox = Outbox(deps, sending.outbox_message, gate, outbox_config)
    register_handlers(application)
    return application


async def startup(application: BotApplication) -> None:
    """Work done once before the first update (run_polling calls it; the shell and tests call it)."""
    i18n.warm_up()
    timezones.warm_up()
    dates.warm_up()
    charts.warm_up()
    deps = application.bot_data.services
    this_year = deps.now().year
    work_calendar.warm_up((this_year, this_year + 1))
    await publish_commands(application)
    if deps.settings.is_sqlite:
        # SQLite runs one process: a reply it left under way may have arrived; it is not sent again.
        await application.bot_data.outbox.recover()
    if application.job_queue is not None:
        # Sends what a crash left recorded and unsent, then retries and what waited out a 429.
        interval = min(OUTBOX_INTERVAL_SECONDS, deps.settings.dispatch_interval_seconds)
        application.job_queue.run_repeating(_send_outbox, interval=interval, first=0.1, name="outbox")
    if deps.settings.dispatcher_enabled and application.job_queue is not None:
        dispatcher = build_dispatcher(application)
        if deps.settings.is_sqlite:
            # SQLite runs one dispatcher: what is half-done is this process's own.
            await dispatcher.recover()
            assert application.bot_data.nudges is not None
            await application.bot_data.nudges.recover()
        application.job_queue.run_repeating(
            _wake_dispatcher, interval=deps.settings.dispatch_interval_seconds, first=0.5, name="dispatcher"
        )
        # ops15: a finished broadcast's report to its admin, once.
        application.job_queue.run_repeating(
            _report_broadcasts, interval=deps.settings.dispatch_interval_seconds, first=1.5, name="broadcasts"
        )
        # group13: the teams' group digests, milestones and team rewards.
        application.job_queue.run_repeating(
            _tick_team_groups,
            interval=deps.settings.dispatch_interval_seconds,
            first=1.0,
            name="team_groups",
            data=TeamGroupJobs(deps),
        )
        # sync14: the CRM connections' hourly syncs (nothing runs without CRM_SECRET_KEY).
        application.job_queue.run_repeating(
            _tick_crm_sync,
            interval=deps.settings.dispatch_interval_seconds,
            first=2.0,
            name="crm_sync",
            data=CrmSyncJobs(deps),
        )


def build_dispatcher(application: BotApplication) -> Dispatcher:
    """The review dispatcher of this application, sending through its bot (kept in bot_data with the nudges')."""
    deps = application.bot_data.services
    settings = deps.settings
    config = DispatcherConfig(
        grace=timedelta(hours=settings.review_grace_hours),
        reminder_delay=timedelta(minutes=settings.reminder_delay_minutes),
        lease=timedelta(seconds=settings.prompt_lease_seconds),  # workers15
    )
    # One flood gate for every sender of the process: a 429 holds prompts, nudges and replies alike.
    gate = application.bot_data.sending.gate
    prompt_sender = telegram_sender(application.bot, settings.default_language, gate)
    dispatcher = Dispatcher(deps, prompt_sender, config, gate)
    nudge_sender = telegram_nudge_sender(application.bot, settings.default_language, gate)
    application.bot_data.dispatcher = dispatcher
    application.bot_data.nudges = NudgeDispatcher(deps, nudge_sender, gate=gate)
    # meeting13: the team meetings' prompts and digests, woken by the same tick, sent through the outbox.
    meetings_config = TeamMeetingsConfig(grace=timedelta(hours=settings.review_grace_hours))
    application.bot_data.meetings = TeamMeetings(deps, application.bot_data.outbox, meetings_config)
    return dispatcher


async def _wake_dispatcher(context: BotContext) -> None:
    dispatcher, nudges = context.bot_data.dispatcher, context.bot_data.nudges
    assert dispatcher is not None and nudges is not None  # both are built before this job is scheduled
    report = await dispatcher.tick()
    context.bot_data.metrics.count_prompts(report)  # web15
    if report.recorded or report.missed or report.failed:
        log.info("dispatcher tick: %s", report)
    if dispatcher.stopping:
        return  # shutdown15: a stop came during the tick; the nudges and meetings wait for the next start
    await nudges.tick()
    if context.bot_data.meetings is not None:  # meeting13
        held = await context.bot_data.meetings.tick()
        if held.prompts or held.digests or held.missed:
            log.info("team meetings tick: %s", held)
    context.bot_data.metrics.dispatcher_heartbeat.beat()  # web15: /readyz's dispatcher check


async def _tick_team_groups(context: BotContext) -> None:
    jobs = context.job.data if context.job is not None else None
    if isinstance(jobs, TeamGroupJobs):
        report = await jobs.tick()
        if report.digests or report.milestones:
            log.info("team groups tick: %s", report)


async def _tick_crm_sync(context: BotContext) -> None:
    """Start a pass in the background: a sync of many pages may take minutes, and the job queue would
    otherwise skip (and warn about) every tick meanwhile. A pass still running is left to finish."""
    jobs = context.job.data if context.job is not None else None
    if isinstance(jobs, CrmSyncJobs) and not jobs.busy:
        jobs.start_pass()


async def _report_broadcasts(context: BotContext) -> None:  # ops15
    await report_finished(context.services)


async def _send_outbox(context: BotContext) -> None:
    sent = await context.bot_data.outbox.tick()
    if sent:
        log.info("outbox tick: %s replies sent", sent)


async def shutdown(application: BotApplication) -> None:
    """The last step (PTB's post_shutdown): the sends that arrived are written down, the database closed;
    each bounded, as the database may be what is going away (those rows read unconfirmed then)."""
    await bounded(application.bot_data.outbox.flush(), CLEANUP_SECONDS, "writing down the last sent replies")
    await bounded(application.bot_data.services.engine.dispose(), CLEANUP_SECONDS, "closing the database")
