"""The bot's commands: one list feeds /help and Telegram's command menu in both languages."""

from __future__ import annotations

from telegram import BotCommand, BotCommandScopeDefault, Update
from telegram.ext import Application

from bot.i18n import N_, Translator, translator

COMMANDS: tuple[tuple[str, str], ...] = (
    ("start", N_("Introduction and first set-up")),
    ("newgoal", N_("Set a new SMART goal, step by step")),
    ("goals", N_("Your goals: view, edit, pause, mark achieved, delete")),
    ("plan", N_("This month, week and day for each goal; split and activity targets")),
    ("today", N_("Today's targets and your time blocks in one card")),
    ("progress", N_("Pace, gap and forecast per goal, with a chart")),
    ("vacation", N_("Add days off, e.g. /vacation 2026-12-24 to 2026-12-28")),
    ("log", N_("Record results any time, e.g. /log 3 visits, 1 deal 50k")),
    ("undo", N_("Remove your last /log (within 24 hours)")),
    ("lost", N_("A lost deal or a rejection: reflect and learn")),
    ("change", N_("Something changed? Adjust a goal's strategy")),
    ("reward", N_("If I reach X by Y, I treat myself to Z")),
    ("history", N_("A goal's strategy log")),
    ("share", N_("Share a win with your team, e.g. /share signed Acme")),
    ("teamreward", N_("Managers: a team challenge with a reward")),
    ("teamgroup", N_("Managers: add me to the team's group chat")),
    ("pause", N_("Pause all review prompts (vacation, sick day)")),
    ("resume", N_("Turn review prompts back on")),
    ("team", N_("Your sales team: create one, invite, members and roles")),
    ("meetingtime", N_("Your team's weekly sales meeting: day and time")),
    ("meeting", N_("After the meeting: record decisions and action items")),
    ("import", N_("Import results from a CRM export (CSV or XLSX)")),
    ("settings", N_("Language, time zone, working days, review times, quiet hours")),
    ("export", N_("All your data as an Excel workbook and CSV files")),
    ("deleteme", N_("Delete everything the bot keeps about you")),
    ("teamgoal", N_("Managers: set a team goal and split it across the team")),
    ("teamprogress", N_("The team's progress: target, pace, forecast, members")),
    ("leaderboard", N_("The team leaderboard, by % of one's own part")),
    ("crm", N_("Connect Zoho CRM or Fxiaoke: your won deals arrive by themselves")),
    ("help", N_("What I can do, one line per command")),
    ("cancel", N_("Leave the current question")),
)


def command_argument(update: Update, limit: int) -> str:
    """What follows the command in "/log 3 visits", cut to `limit` characters; empty without a message."""
    message = update.effective_message
    return (message.text or "").partition(" ")[2].strip()[:limit] if message else ""


def help_text(_: Translator) -> str:
    lines = [f"/{command} — {_(description)}" for command, description in COMMANDS]
    return _(
        "I coach you through your sales goals: clear targets, a plan, regular reviews.\n\n{commands}",
        commands="\n".join(lines),
    )


async def publish_commands(application: Application) -> None:  # type: ignore[type-arg]
    """Telegram's command menu: English by default, Chinese for clients set to Chinese."""
    for language_code, language in (("", "en"), ("zh", "zh_CN")):
        _ = translator(language)
        commands = [BotCommand(command, _(description)) for command, description in COMMANDS]
        await application.bot.set_my_commands(
            commands, scope=BotCommandScopeDefault(), language_code=language_code or None
        )
