"""/broadcast: an admin's message to every user or to one team, after a preview and a confirmation.

The confirmation queues it once: one outbox row per recipient, recorded in the same transaction as the
broadcast's move to queued (bot/storage/repositories/broadcasts.py), so a crash leaves all of them or
none, and a second press finds it queued. The outbox sends them at the house's rate (the rate limiter
and the flood gate), at most once each; users who blocked the bot are skipped and counted. When every
row has finished, the admin gets the report (sent, failed, blocked), once.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from bot.core.dialog import Button, Outgoing
from bot.core.lifecycle.broadcasts import BroadcastStatus
from bot.i18n import Translator
from bot.services.turn import Turn
from bot.services.users import user_translator
from bot.storage.broadcast_models import Broadcast
from bot.storage.repositories.broadcasts import BroadcastRepository, Tally
from bot.storage.repositories.outbox import NewMessage, OutboxRepository
from bot.storage.repositories.users import UserRepository
from bot.telegram.callbacks_admin import AdminButton, AdminPress, admin_callback
from bot.telegram.limits import MAX_TEXT_LENGTH

if TYPE_CHECKING:
    from bot.services.container import Services

log = logging.getLogger(__name__)
TEAM_CHOICES = 8  # teams offered as audiences (the largest)
MAX_BROADCAST_LENGTH = MAX_TEXT_LENGTH


def is_admin(turn: Turn) -> bool:
    return turn.user.id in turn.settings.admin_ids


async def draft_broadcast(turn: Turn, text: str) -> list[Outgoing]:
    """The admin's text kept as a draft; who should get it?"""
    _ = turn._
    if len(text) > MAX_BROADCAST_LENGTH:
        return [
            Outgoing(_("A broadcast is one message: at most {limit} characters.", limit=MAX_BROADCAST_LENGTH))
        ]
    repository = BroadcastRepository(turn.session)
    draft = await repository.add_draft(turn.user.id, text, turn.now)
    everyone = await repository.audience(None)
    rows = [
        (
            Button(
                _("Everyone ({count})", count=len(everyone.recipients)),
                admin_callback(AdminButton.ALL, draft.id),
            ),
        )
    ]
    for team, members in await repository.active_teams(TEAM_CHOICES):
        label = _("Team {name} ({count})", name=team.name[:40], count=members)
        rows.append((Button(label, admin_callback(AdminButton.TEAM, draft.id, team.id)),))
    rows.append((Button(_("✖ Cancel"), admin_callback(AdminButton.DROP, draft.id)),))
    return [Outgoing(_("Who should get this message?"), tuple(rows))]


async def broadcast_press(turn: Turn, press: AdminPress) -> list[Outgoing]:
    """A button of the broadcast's preview: its audience, Send or Cancel; only its own admin's, as a draft."""
    _ = turn._
    repository = BroadcastRepository(turn.session)
    draft = await repository.draft_of(turn.user.id, press.row_id) if is_admin(turn) else None
    if draft is None or draft.status is not BroadcastStatus.DRAFT:
        return [Outgoing(_("That broadcast is sent or cancelled already. /broadcast starts a new one."))]
    if press.button is AdminButton.DROP:
        await repository.drop(draft)
        return [Outgoing(_("Cancelled: nothing was sent."))]
    if press.button is AdminButton.SEND:
        return await _queue(turn, draft)
    draft.team_id = press.team_id if press.button is AdminButton.TEAM else None
    return [await _preview(turn, draft)]


async def _preview(turn: Turn, draft: Broadcast) -> Outgoing:
    _ = turn._
    audience = await BroadcastRepository(turn.session).audience(draft.team_id)
    count = len(audience.recipients)
    lines = [
        _("Preview:"),
        "",
        draft.text,
        "",
        _.plural("It goes to {count} user.", "It goes to {count} users.", count),
    ]
    if audience.blocked:
        lines.append(_.plural("{count} who blocked the bot is skipped.", "{count} who blocked the bot are skipped.", audience.blocked))  # fmt: skip
    buttons = (
        (Button(_("✔ Send"), admin_callback(AdminButton.SEND, draft.id)),),
        (Button(_("✖ Cancel"), admin_callback(AdminButton.DROP, draft.id)),),
    )
    return Outgoing("\n".join(lines), buttons if count else buttons[1:])


async def _queue(turn: Turn, draft: Broadcast) -> list[Outgoing]:
    _ = turn._
    repository = BroadcastRepository(turn.session)
    audience = await repository.audience(draft.team_id)
    if not await repository.queue(draft, audience, turn.now):
        return [Outgoing(_("That broadcast is sent or cancelled already. /broadcast starts a new one."))]
    log.info(
        "broadcast %s queued for %d users (%d blocked, skipped)",
        draft.id,
        len(audience.recipients),
        audience.blocked,
    )
    text = _.plural(
        "Sending to {count} user at Telegram's pace. I'll report here when it's done.",
        "Sending to {count} users at Telegram's pace. I'll report here when it's done.",
        len(audience.recipients),
    )
    return [Outgoing(text)]


async def report_finished(services: Services) -> int:
    """Tell each admin whose broadcast has finished how it went, once; how many reports were recorded."""
    reported = 0
    async with services.sessionmaker() as session:
        queued = [(b.id, b.admin_id, b.skipped_blocked) for b in await BroadcastRepository(session).queued()]
    for broadcast_id, admin_id, skipped in queued:
        async with services.sessionmaker.begin() as session:
            repository = BroadcastRepository(session)
            tally = await repository.tally(broadcast_id)
            if tally.open or not await repository.mark_reported(broadcast_id, services.now()):
                continue
            admin = await UserRepository(session).get(admin_id)
            code = admin.telegram_language if admin else None
            _ = user_translator(admin, code, services.settings.default_language)
            text = _report_text(_, tally, skipped)
            await OutboxRepository(session).add(admin_id, [NewMessage(text)], services.now())
            log.info("broadcast %s done: %s, %d skipped", broadcast_id, tally, skipped)
            reported += 1
    return reported


def _report_text(_: Translator, tally: Tally, skipped: int) -> str:
    text = _(
        "📣 Broadcast finished: {sent} sent, {failed} failed, {blocked} blocked the bot.",
        sent=tally.sent,
        failed=tally.failed,
        blocked=tally.blocked + skipped,
    )
    if tally.unconfirmed:
        unsure = tally.unconfirmed
        text += "\n" + _.plural(
            "{count} was being sent when the bot stopped: it may have arrived, and was not sent again.",
            "{count} were being sent when the bot stopped: they may have arrived, and were not sent again.",
            unsure,
        )
    return text
