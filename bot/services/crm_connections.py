"""/crm's use cases (sync14): the card, "sync now", disconnecting, and saving a tested connection."""

from __future__ import annotations

from collections.abc import Mapping
from zoneinfo import ZoneInfo

from bot.core.crm.records import CrmSystem
from bot.core.dialog import Button, Outgoing
from bot.core.lifecycle.crm_connections import CONNECTIONS, ConnectionStatus
from bot.services.crm_api import Credentials, CrmApiError, SyncProblem, client_for, new_http
from bot.services.crm_api.http import TEST_TIMEOUT
from bot.services.crm_secrets import crm_secrets
from bot.services.crm_team_card import member_lines, pressable, team_lines
from bot.services.crm_text import card_text, problem_text, sync_off_text, system_name
from bot.services.flows.crm_import_team import IMPORT_FOR_TEAM
from bot.services.meeting_plans import team_run_by
from bot.services.turn import Turn
from bot.storage.crm_sync_models import CrmConnection
from bot.storage.repositories.crm_connections import CrmConnectionRepository
from bot.storage.repositories.crm_held_records import CrmHeldRecordRepository
from bot.storage.repositories.inbox import InboxRepository
from bot.telegram.callbacks_crm import CrmButton, crm_callback

CONNECT_BUTTONS = {CrmSystem.ZOHO: CrmButton.ZOHO, CrmSystem.FXIAOKE: CrmButton.FXIAOKE}


def _zone(turn: Turn) -> ZoneInfo:
    return ZoneInfo(turn.user.timezone)


async def crm_card(turn: Turn) -> list[Outgoing]:
    """Each connection's state, last sync, counts and problem; buttons to sync, disconnect, connect."""
    _ = turn._
    if crm_secrets(turn.settings) is None:
        return [Outgoing(sync_off_text(_))]
    connections = await CrmConnectionRepository(turn.session).of_user(turn.user.id)
    rows: list[tuple[Button, ...]] = []
    extra: dict[int, str] = {}
    for connection in connections:
        name = system_name(connection.system, _)
        extra[connection.id], match = await team_lines(turn, connection)
        rows.extend((match,) if match else ())
        rows.append(
            (
                Button(_("🔄 Sync {system} now", system=name), crm_callback(CrmButton.SYNC, connection.id)),
                Button(
                    _("✖ Disconnect {system}", system=name), crm_callback(CrmButton.DISCONNECT, connection.id)
                ),
            )
        )
    # A refused connection is connected again with new credentials: its system keeps its connect button.
    connected = {c.system for c in connections if c.status != ConnectionStatus.REFUSED}
    connect = tuple(
        Button(_("➕ Connect {system}", system=system_name(system, _)), crm_callback(button))
        for system, button in CONNECT_BUTTONS.items()
        if system not in connected
    )
    text = card_text(connections, _zone(turn), _, extra)
    fed = await member_lines(turn)
    text = f"{text}\n\n{fed}" if fed else text
    return [Outgoing(text, (*rows, *((connect,) if connect else ())))]


async def sync_now(turn: Turn, connection_id: int) -> list[Outgoing] | None:
    """Make the presser's connection due now; None when it is not theirs (an old or forged button)."""
    _ = turn._
    repository = CrmConnectionRepository(turn.session)
    connection = await pressable(turn, connection_id)
    if connection is None:
        return None
    name = system_name(connection.system, _)
    if connection.status == ConnectionStatus.REFUSED:
        return [
            Outgoing(
                _("{system} refused the credentials last time: connect again with new ones.", system=name)
            )
        ]
    if not await repository.sync_soon(connection.id, turn.now):
        return [Outgoing(_("A sync of {system} is running right now; /crm shows how it went.", system=name))]
    return [Outgoing(_("Syncing {system} within a minute; /crm shows how it went.", system=name))]


async def ask_disconnect(turn: Turn, connection_id: int) -> list[Outgoing] | None:
    _ = turn._
    # Whoever gave the credentials may always take them back, a manager who stepped down included.
    connection = await CrmConnectionRepository(turn.session).owned(turn.user.id, connection_id)
    if connection is None:
        return None
    name = system_name(connection.system, _)
    text = _("Disconnect {system}? I delete its credentials; the results already synced stay.", system=name)
    buttons = ((Button(_("✖ Disconnect"), crm_callback(CrmButton.DISCONNECT_CONFIRMED, connection.id)),
                Button(_("⬅ Keep it"), crm_callback(CrmButton.CARD))),)  # fmt: skip
    return [Outgoing(text, buttons)]


async def disconnect(turn: Turn, connection_id: int) -> list[Outgoing] | None:
    """Delete the connection and its credentials; the records it brought stay (they are the user's)."""
    repository = CrmConnectionRepository(turn.session)
    connection = await repository.owned(turn.user.id, connection_id)
    if connection is None:
        return None
    name = system_name(connection.system, turn._)
    await repository.remove(connection.id)
    return [Outgoing(turn._("Disconnected from {system}: its credentials are deleted.", system=name))]


async def forget_secret_update(turn: Turn, update_id: int) -> None:
    """The update's message held credentials: its stored JSON goes, in the turn's transaction."""
    await InboxRepository(turn.session).redact(update_id)


async def save_connection(
    turn: Turn, system: CrmSystem, data_centre: str, sealed: str, *, team_id: int | None = None
) -> list[Outgoing]:
    """Test the sealed credentials against the CRM (one token request), then keep them (for the user, or for
    `team_id`, checked again: the user must still manage it); nothing is saved when the CRM refuses them
    or cannot be reached."""
    _ = turn._
    secrets = crm_secrets(turn.settings)
    if secrets is None:
        return [Outgoing(sync_off_text(_))]
    name = system_name(system, _)
    if (
        team_id is not None
        and await team_run_by(turn.session, team_id, turn.user.id, IMPORT_FOR_TEAM) is None
    ):
        return [Outgoing(_("You do not manage that team (any more): nothing was saved."))]
    try:
        async with new_http(turn.services.crm_transport, TEST_TIMEOUT) as http:
            credentials = Credentials(secrets.open(sealed))
            client = client_for(
                system, http, credentials, turn.services.now, _zone(turn), data_centre=data_centre
            )
            api_domain = await client.connect()
    except CrmApiError as error:
        again = _("Nothing was saved; /crm to try again.")
        if error.problem is SyncProblem.REFUSED:
            return [Outgoing(_("{system} refused these credentials. {again}", system=name, again=again))]
        return [Outgoing(f"{problem_text(error.problem, system, _)} {again}")]
    await _keep(turn, system, data_centre, api_domain, sealed, team_id)
    return [Outgoing(_("Connected to {system}. The first sync runs within a minute; /crm shows how it went.",
                       system=name))]  # fmt: skip


async def _keep(
    turn: Turn, system: CrmSystem, data_centre: str, api_domain: str | None, sealed: str, team_id: int | None
) -> None:
    """One connection per user and CRM: for themself, or for one team they manage."""
    repository = CrmConnectionRepository(turn.session)
    connection = await repository.of_system(turn.user.id, system.value)
    now = turn.now
    if connection is None:
        await repository.add(
            CrmConnection(
                user_id=turn.user.id,
                team_id=team_id,
                system=system.value,
                data_centre=data_centre,
                api_domain=api_domain,
                credentials=sealed,
                next_sync_at=now,
                created_at=now,
                updated_at=now,
            )
        )
        return
    if connection.data_centre != data_centre or connection.team_id != team_id:
        # Another account, or results for someone else: read it from the start, nothing held for the old.
        connection.cursor = connection.deleted_cursor = None
        await CrmHeldRecordRepository(turn.session).release_all(connection.id)
        connection.team_id, connection.pending_notices = team_id, None
    connection.status = CONNECTIONS.move(connection.status, ConnectionStatus.CONNECTED)
    connection.data_centre, connection.api_domain, connection.credentials = data_centre, api_domain, sealed
    connection.next_sync_at, connection.last_error, connection.updated_at = now, None, now


def credential_names(system: CrmSystem) -> tuple[str, ...]:
    from bot.services.crm_api import fxiaoke, zoho

    return zoho.CREDENTIAL_NAMES if system is CrmSystem.ZOHO else fxiaoke.CREDENTIAL_NAMES


def sealed_credentials(turn: Turn, system: CrmSystem, values: Mapping[str, str]) -> str | None:
    secrets = crm_secrets(turn.settings)
    return secrets.seal(values) if secrets is not None else None
