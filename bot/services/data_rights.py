"""/deleteme: what the bot holds about a person, in counts, and the erasure of all of it in one transaction.

A manager of an active team is asked to hand it over or archive it first (the rule for leaving a team,
bot/core/teams/roles.py): its members would be left with no one to run it. The erasure itself is
bot/storage/repositories/user_data.py (every table with a person's column, found from the metadata).
The confirmation carries the minute it was shown: an old one deletes nothing. The farewell is the one
message recorded after the erasure (an outbox row holding the chat id and the farewell text, pruned with
the outbox's sent rows).
"""

from __future__ import annotations

import logging
from datetime import datetime

from bot.core.dialog import Button, Outgoing
from bot.core.teams.roles import Refusal, leave_refusal
from bot.services.team_roster import teams_of
from bot.services.turn import Turn
from bot.storage.repositories.user_data import UserDataRepository
from bot.telegram.callbacks_admin import AdminButton, admin_callback

log = logging.getLogger(__name__)
CONFIRMATION_MINUTES = 10  # how long "delete everything" stays valid after it was shown
# What the confirmation names: (table, column naming the person).
COUNTED = (
    ("goals", "user_id"),
    ("entries", "user_id"),
    ("activity_logs", "user_id"),
    ("review_answers", "user_id"),
    ("setbacks", "user_id"),
    ("rewards", "user_id"),
    ("nudges", "user_id"),
    ("crm_connections", "user_id"),
    ("crm_records", "user_id"),
    ("team_members", "user_id"),
)


def minute_of(now: datetime) -> int:
    return int(now.timestamp()) // 60


async def managed_teams(turn: Turn) -> list[str]:
    """The active teams the person manages: each must be handed over or archived first."""
    return [
        found.team.name
        for found in await teams_of(turn.session, turn.user.id)
        if leave_refusal(found.seat, found.team.status) is Refusal.MANAGER_MUST_HAND_OVER
    ]


async def deletion_preview(turn: Turn) -> list[Outgoing]:
    """What will go, in counts, with Delete and Keep; or why not yet."""
    _ = turn._
    teams = await managed_teams(turn)
    if teams:
        return [_refusal(turn, teams)]
    data = UserDataRepository(turn.session)
    counts = {table: await data.count(table, turn.user.id, column) for table, column in COUNTED}
    lines = [
        _.plural("{count} goal", "{count} goals", counts["goals"]),
        _.plural(
            "{count} recorded result",
            "{count} recorded results",
            counts["entries"] + counts["activity_logs"],  # a /log of calls is a result the person recorded
        ),
        _.plural("{count} review", "{count} reviews", counts["review_answers"]),
        _.plural("{count} setback", "{count} setbacks", counts["setbacks"]),
        _.plural("{count} reward", "{count} rewards", counts["rewards"]),
        _.plural("{count} coaching message", "{count} coaching messages", counts["nudges"]),
        _.plural("{count} CRM connection", "{count} CRM connections", counts["crm_connections"]),
        _.plural("{count} imported CRM record", "{count} imported CRM records", counts["crm_records"]),
        _.plural("{count} team membership", "{count} team memberships", counts["team_members"]),
    ]
    text = _(
        "This deletes everything I keep about you, at once and for good:\n{items}\n"
        "plus your settings, plans, days off, review schedule, history and our conversation's records. "
        "Teams keep what you wrote for them (it passes to their manager). This cannot be undone.",
        items="\n".join(f"• {line}" for line in lines),
    )
    buttons = (
        (Button(_("🗑 Delete everything"), admin_callback(AdminButton.ERASE, minute_of(turn.now))),),
        (Button(_("Keep my data"), admin_callback(AdminButton.KEEP)),),
    )
    return [Outgoing(text, buttons)]


def _refusal(turn: Turn, teams: list[str]) -> Outgoing:
    return Outgoing(
        turn._(
            "You manage {teams}. Hand each team over or archive it in /team first, then /deleteme again.",
            teams=", ".join(teams),
        )
    )


async def erase_me(turn: Turn, shown_minute: int) -> list[Outgoing]:
    """Delete everything of the person, in this turn's transaction; the farewell."""
    _ = turn._
    if not 0 <= minute_of(turn.now) - shown_minute <= CONFIRMATION_MINUTES:
        return [Outgoing(_("That confirmation is too old: nothing was deleted. Send /deleteme again."))]
    teams = await managed_teams(turn)
    if teams:
        return [_refusal(turn, teams)]
    farewell = Outgoing(
        _(
            "Done: everything I kept about you is deleted. Goodbye, and good luck with your sales! /start begins anew."
        )
    )
    user_id = turn.user.id
    await UserDataRepository(turn.session).erase_person(turn.user)
    log.info("user %s deleted their data", user_id)
    return [farewell]


def kept(turn: Turn) -> list[Outgoing]:
    return [Outgoing(turn._("Nothing was deleted. Your data stays as it is."))]
