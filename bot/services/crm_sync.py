"""One sync of one CRM connection: the changes since its cursor, written page by page, then the deletions.

Each page is one transaction: its records through bot.services.crm_import.write_records (removals through
remove_records; a team connection's split by owner into its members, bot.services.crm_team_sync) and the
connection's cursor moved past them, so a sync killed between pages resumes
after the last committed page, and a page fetched twice writes nothing twice (a record's fingerprint is
unchanged). Each page's transaction also checks that this sync still holds the connection (its claim's
lease, renewed page by page): a sync that lost it to another stops without writing. The end of the sync
records its counts, the slot it served and the next slot; a CRM error records its code and when to try
again. Nothing here logs a credential or a CRM's error text.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import httpx
from sqlalchemy.ext.asyncio import AsyncSession

from bot.core.crm.records import CrmRecord, CrmSystem
from bot.core.lifecycle.crm_connections import CONNECTIONS, ConnectionStatus
from bot.services.container import Services
from bot.services.crm_api import ChangePage, Credentials, CrmApiError, CrmClient, SyncProblem, client_for
from bot.services.crm_import import API, remove_records, write_records
from bot.services.crm_secrets import CrmSecrets, SecretsUnreadable
from bot.services.crm_team_sync import remove_team_records, tell_pending, write_team_page
from bot.services.flows.crm_import_team import IMPORT_FOR_TEAM
from bot.services.meeting_plans import team_run_by
from bot.storage.crm_sync_models import CrmConnection
from bot.storage.models import User
from bot.storage.repositories.crm_connections import CrmConnectionRepository
from bot.storage.team_models import Team

log = logging.getLogger(__name__)
_C = ConnectionStatus
STATUS_OF_PROBLEM = {
    SyncProblem.RATE_LIMITED: _C.LIMITED,
    SyncProblem.QUOTA: _C.LIMITED,
    SyncProblem.REFUSED: _C.REFUSED,
    SyncProblem.UNAVAILABLE: _C.FAILING,
    SyncProblem.BAD_RESPONSE: _C.FAILING,
    SyncProblem.NOT_MANAGED: _C.FAILING,  # tried again each slot: a manager again, the sync resumes
}


@dataclass
class SyncResult:
    added: int = 0
    changed: int = 0
    removed: int = 0
    unchanged: int = 0
    held: int = 0  # a team connection's records of owners not matched yet
    pages: int = 0
    problem: SyncProblem | None = None
    finished: bool = False  # ran to its end and recorded the slot
    lost_claim: bool = False  # another sync took the connection over (this one outlived its lease)


class LostClaim(Exception):
    """This sync no longer holds the connection: it stops, writing nothing more."""


def next_slot(slot: datetime, now: datetime, interval: timedelta) -> datetime:
    """The first slot after `now` on `slot`'s grid (a bot down for hours syncs once, not once per hour)."""
    if now < slot:
        return slot + interval
    return slot + interval * ((now - slot) // interval + 1)


class ConnectionSync:
    """A sync of connection `connection_id`, claimed by `worker` for slot `slot`."""

    def __init__(
        self, services: Services, secrets: CrmSecrets, connection_id: int, slot: datetime, worker: str
    ) -> None:
        self.services, self.secrets = services, secrets
        self.connection_id, self.slot, self.worker = connection_id, slot, worker
        settings = services.settings
        self.interval = timedelta(minutes=settings.crm_sync_interval_minutes)
        self.lease = timedelta(seconds=settings.crm_sync_lease_seconds)
        self.result = SyncResult()

    async def run(self, http: httpx.AsyncClient) -> SyncResult:
        try:
            client, cursors = await self._client(http)
            cursor, deleted_cursor = cursors
            async for page in client.changes(cursor):
                await self._write_changes(page)
            async for deletions in client.deletions(deleted_cursor):
                await self._write(deletions.record_ids, (), deletions.cursor, deleted=True)
            await self._finish(None, None)
        except LostClaim:
            self.result.lost_claim = True
            log.info("crm connection %s: another sync took it over; this one stopped", self.connection_id)
        except CrmApiError as error:
            self.result.problem = error.problem
            log.info("crm connection %s: sync stopped: %s", self.connection_id, error)
            await self._finish(error.problem, error.retry_at)
        except SecretsUnreadable:
            self.result.problem = SyncProblem.REFUSED
            log.warning(
                "crm connection %s: its credentials do not decrypt with CRM_SECRET_KEY", self.connection_id
            )
            await self._finish(SyncProblem.REFUSED, None)
        return self.result

    async def _client(self, http: httpx.AsyncClient) -> tuple[CrmClient, tuple[str | None, str | None]]:
        async with self.services.sessionmaker.begin() as session:
            connection = await self._held(session)
            if connection.team_id is not None and not await self._still_run(session, connection):
                raise CrmApiError(SyncProblem.NOT_MANAGED, detail="the connector no longer runs the team")
            zone = await self._zone(session, connection)
            credentials = Credentials(self.secrets.open(connection.credentials))
            client = client_for(
                connection.system,
                http,
                credentials,
                self.services.now,
                zone,
                data_centre=connection.data_centre,
                api_domain=connection.api_domain,
            )
            return client, (connection.cursor, connection.deleted_cursor)

    @staticmethod
    async def _still_run(session: AsyncSession, connection: CrmConnection) -> bool:
        """A team connection reads the CRM on its connector's credentials only while they run the team:
        a manager who stepped down must not keep feeding the members."""
        assert connection.team_id is not None
        return await team_run_by(session, connection.team_id, connection.user_id, IMPORT_FOR_TEAM) is not None

    async def _zone(self, session: AsyncSession, connection: CrmConnection) -> ZoneInfo:
        """A team connection's dates are read in the team's zone; a user's own, in the user's."""
        team = await session.get(Team, connection.team_id) if connection.team_id is not None else None
        user = await session.get(User, connection.user_id)
        zone = team.timezone if team else user.timezone if user else self.services.settings.default_timezone
        return ZoneInfo(zone)

    async def _held(self, session: AsyncSession) -> CrmConnection:
        now = self.services.now()
        connection = await CrmConnectionRepository(session).held(self.connection_id, self.worker, now)
        if connection is None:
            raise LostClaim()
        connection.claimed_until = now + self.lease  # renewed with every page it writes
        return connection

    async def _write_changes(self, page: ChangePage) -> None:
        await self._write(page.removed, page.records, page.cursor, deleted=False)

    async def _write(
        self, removed: tuple[str, ...], records: tuple[CrmRecord, ...], cursor: str | None, *, deleted: bool
    ) -> None:
        async with self.services.sessionmaker.begin() as session:
            connection = await self._held(session)
            now = self.services.now()
            if connection.team_id is not None:
                await self._write_team(session, connection, removed, records, now)
            elif records:
                outcome = await write_records(
                    session,
                    user_id=connection.user_id,
                    records=records,
                    imported_by=connection.user_id,
                    now=now,
                    origin=API,
                    source_name=connection.system,
                    system=CrmSystem(connection.system),
                )
                self.result.added += outcome.added
                self.result.changed += outcome.changed + outcome.reversed
                self.result.unchanged += outcome.unchanged
                connection.total_records += outcome.added
            if removed and connection.team_id is None:
                self.result.removed += await remove_records(
                    session, user_id=connection.user_id, system=CrmSystem(connection.system),
                    record_ids=list(removed), now=now,
                )  # fmt: skip
            if cursor is not None:
                if deleted:
                    connection.deleted_cursor = cursor
                else:
                    connection.cursor = cursor
            connection.updated_at = now
            self.result.pages += 1

    async def _write_team(
        self, session: AsyncSession, connection: CrmConnection, removed: tuple[str, ...],
        records: tuple[CrmRecord, ...], now: datetime,
    ) -> None:  # fmt: skip
        """A team connection's page: split by owner into the members (bot.services.crm_team_sync)."""
        if records:
            outcome = await write_team_page(session, connection, records, now)
            self.result.added += outcome.added
            self.result.changed += outcome.changed
            self.result.unchanged += outcome.unchanged
            self.result.held += outcome.held
            connection.total_records += outcome.added
        if removed:
            self.result.removed += await remove_team_records(session, connection, removed, now)

    async def _finish(self, problem: SyncProblem | None, retry_at: datetime | None) -> None:
        async with self.services.sessionmaker.begin() as session:
            try:
                connection = await self._held(session)
            except LostClaim:
                self.result.lost_claim = True
                return
            now = self.services.now()
            # What the pages wrote for a team's members is told once, whether the sync ended or stopped.
            await tell_pending(session, connection, now, self.services.settings.default_language)
            following = next_slot(self.slot, now, self.interval)
            if problem is None:
                connection.status = CONNECTIONS.move(connection.status, _C.CONNECTED)
                connection.last_slot, connection.next_sync_at = self.slot, following
                connection.last_sync_at, connection.last_error, connection.last_error_at = now, None, None
                connection.last_added = self.result.added
                connection.last_changed = self.result.changed
                connection.last_removed = self.result.removed
                self.result.finished = True
            else:
                connection.status = CONNECTIONS.move(connection.status, STATUS_OF_PROBLEM[problem])
                connection.last_error, connection.last_error_at = problem.value, now
                # Limits: when the CRM says, never later than the next slot; anything else: the next slot.
                connection.next_sync_at = (
                    min(retry_at, following) if retry_at and retry_at > now else following
                )
            connection.claimed_by, connection.claimed_until, connection.updated_at = None, None, now
