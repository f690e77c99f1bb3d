"""/admin: how the bot is doing, for ADMIN_IDS only (anyone else gets the unknown-command reply)."""

from __future__ import annotations

from datetime import datetime, timedelta

from bot.core.dialog import Outgoing
from bot.i18n import Translator
from bot.services.plans import local_today
from bot.services.turn import Turn
from bot.storage.repositories.admin_stats import AdminStatsRepository

ACTIVE_DAYS = 7
RECENT_ERRORS = 5
REASON_SHOWN = 120  # characters of each error's reason


def lag_text(_: Translator, since: datetime | None, now: datetime) -> str:
    """How long something has waited, in whole seconds, minutes or hours; "none" when nothing waits."""
    if since is None:
        return _("none")
    seconds = max(int((now - since).total_seconds()), 0)
    if seconds < 120:
        return _.plural("{count} second", "{count} seconds", seconds)
    if seconds < 2 * 3600:
        return _.plural("{count} minute", "{count} minutes", seconds // 60)
    return _.plural("{count} hour", "{count} hours", seconds // 3600)


async def admin_report(turn: Turn) -> list[Outgoing]:
    _, now = turn._, turn.now
    stats = AdminStatsRepository(turn.session)
    users = await stats.users(now - timedelta(days=ACTIVE_DAYS))
    sent, failed = await stats.prompts_on(local_today(turn.user, now))  # the users' local day, as prompts are
    depth, oldest = await stats.inbox()
    due_since = await stats.oldest_due_prompt(now)
    lines = [
        _("📊 Quota Coach now"),
        _(
            "Users: {total} in all, {active} active in the last 7 days, {blocked} blocked the bot, "
            "{with_goals} with open goals.",
            total=users.total,
            active=users.active,
            blocked=users.blocked,
            with_goals=users.with_goals,
        ),
        _("Review prompts for today: {sent} sent, {failed} failed.", sent=sent, failed=failed),
        _("Inbox: {depth} waiting, the oldest for {lag}.", depth=depth, lag=lag_text(_, oldest, now)),
        _("Outbox: {depth} messages to send.", depth=await stats.outbox_depth()),
        _("Dispatcher lag: {lag}.", lag=lag_text(_, due_since, now)),
    ]
    errors = await stats.recent_errors(RECENT_ERRORS)
    if errors:
        lines.append(_("Last errors:"))
        lines += [f"• {e.at:%Y-%m-%d %H:%M} UTC {e.where}: {e.reason[:REASON_SHOWN]}" for e in errors]
    else:
        lines.append(_("No errors kept (failed updates and sends are kept for their retention period)."))
    return [Outgoing("\n".join(lines))]
