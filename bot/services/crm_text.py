"""What /crm says (sync14): each connection's state, last sync, counts and problem, in the user's language."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime
from zoneinfo import ZoneInfo

from bot.core.crm.records import CrmSystem
from bot.core.lifecycle.crm_connections import ConnectionStatus
from bot.i18n import N_, Translator
from bot.services.crm_api import SyncProblem
from bot.services.goal_text import date_text
from bot.storage.crm_sync_models import CrmConnection

SYSTEM_NAMES = {CrmSystem.ZOHO: N_("Zoho CRM"), CrmSystem.FXIAOKE: N_("Fxiaoke")}
STATUS_TEXTS = {
    ConnectionStatus.CONNECTED: N_("connected"),
    ConnectionStatus.LIMITED: N_("waiting for the CRM's limit to reset"),
    ConnectionStatus.FAILING: N_("the last try failed; trying again at the next hourly sync"),
    ConnectionStatus.REFUSED: N_("stopped: the CRM refused the credentials, connect again"),
}
PROBLEM_TEXTS = {
    SyncProblem.RATE_LIMITED: N_("{system} asked me to slow down (too many requests)."),
    SyncProblem.QUOTA: N_("{system}'s API quota for the day is used up."),
    SyncProblem.REFUSED: N_("{system} refused the credentials."),
    SyncProblem.UNAVAILABLE: N_("{system} could not be reached."),
    SyncProblem.BAD_RESPONSE: N_("{system} answered something I could not read."),
    SyncProblem.NOT_MANAGED: N_(
        "you no longer run this team, so nothing is read from {system} for it. Disconnect it, or take the team over again."
    ),
}


def system_name(system: str, _: Translator) -> str:
    return _(SYSTEM_NAMES.get(CrmSystem(system), system))


def moment_text(at: datetime, zone: ZoneInfo, _: Translator) -> str:
    local = at.astimezone(zone)
    return f"{date_text(local.date(), _)} {local:%H:%M}"


def problem_text(problem: str, system: str, _: Translator) -> str:
    return _(PROBLEM_TEXTS[SyncProblem(problem)], system=system_name(system, _))


def connection_text(connection: CrmConnection, zone: ZoneInfo, _: Translator) -> str:
    name = system_name(connection.system, _)
    state = _(STATUS_TEXTS[connection.status])
    if connection.data_centre:
        head = _("{system} (.{centre}): {state}", system=name, centre=connection.data_centre, state=state)
    else:
        head = _("{system}: {state}", system=name, state=state)
    lines = [head]
    if connection.last_sync_at is None:
        lines.append(_("Not synced yet: the first sync runs within a minute."))
    else:
        counts = "; ".join(
            (
                _.plural("{count} new", "{count} new", connection.last_added),
                _.plural("{count} changed", "{count} changed", connection.last_changed),
                _.plural("{count} removed", "{count} removed", connection.last_removed),
            )
        )
        lines.append(
            _("Last sync {at}: {counts}.", at=moment_text(connection.last_sync_at, zone, _), counts=counts)
        )
        lines.append(_.plural("{count} record synced in all.", "{count} records synced in all.",
                              connection.total_records))  # fmt: skip
    if connection.last_error and connection.last_error_at:
        lines.append(
            _(
                "Last try {at}: {problem} Next try {next}.",
                at=moment_text(connection.last_error_at, zone, _),
                problem=problem_text(connection.last_error, connection.system, _),
                next=moment_text(connection.next_sync_at, zone, _),
            )
        )
    return "\n".join(lines)


def card_text(
    connections: Sequence[CrmConnection],
    zone: ZoneInfo,
    _: Translator,
    extra: Mapping[int, str] | None = None,
) -> str:
    """The card; `extra`: more lines under a connection (a team connection's, bot.services.crm_team_card)."""
    intro = _("CRM sync: your won deals and orders arrive as results by themselves, every hour.")
    if not connections:
        return _("{intro}\n\nNo CRM is connected yet.", intro=intro)
    extra = extra or {}
    body = "\n\n".join(
        "\n".join(filter(None, (connection_text(connection, zone, _), extra.get(connection.id))))
        for connection in connections
    )
    return f"{intro}\n\n{body}"


def sync_off_text(_: Translator) -> str:
    return _(
        "API sync is off on this bot: its administrator has not set CRM_SECRET_KEY, the key credentials "
        "are kept encrypted with. You can still send me a CRM export file to import."
    )
