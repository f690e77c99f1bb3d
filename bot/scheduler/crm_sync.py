"""The CRM sync job: each connection's due slot synced once, by one sync at a time (issue 14, sync14).

Woken on the dispatcher's interval (bot.app), a pass reads the connections whose slot has come (hourly by
default; "sync now" in /crm makes one due at once) and, for each, claims it with a conditional update:
the row must still be on that slot and held by no live sync. Only one of two racing dispatchers (two
processes on one PostgreSQL, whose read also skips rows locked by the other) gets a claim. The claim is a
lease renewed with every page written (bot/services/crm_sync.py): a sync killed midway leaves it to
lapse, and the next pass (here or elsewhere) resumes the slot from the last committed page. A slot ends
once its sync reached the end; the connection then waits for its next slot. Without CRM_SECRET_KEY
nothing runs: there is nothing to read the credentials with.
"""

from __future__ import annotations

import asyncio
import logging
import uuid
from dataclasses import dataclass, field
from datetime import datetime, timedelta

import httpx

from bot.services.container import Services
from bot.services.crm_api import new_http
from bot.services.crm_secrets import crm_secrets
from bot.services.crm_sync import ConnectionSync, SyncResult
from bot.storage.repositories.crm_connections import CrmConnectionRepository

log = logging.getLogger(__name__)


@dataclass
class CrmSyncConfig:
    batch: int = 20
    worker: str = field(default_factory=lambda: uuid.uuid4().hex[:12])


@dataclass
class CrmSyncReport:
    synced: int = 0  # slots run to their end
    stopped: int = 0  # syncs that met a CRM error (recorded on the connection)
    lost: int = 0  # claims lost to another sync
    results: list[SyncResult] = field(default_factory=list, repr=False)


class CrmSyncJobs:
    def __init__(self, services: Services, config: CrmSyncConfig | None = None) -> None:
        self.services = services
        self.config = config or CrmSyncConfig()
        self._lock = asyncio.Lock()
        self._task: asyncio.Task[None] | None = None

    @property
    def busy(self) -> bool:
        return self._lock.locked() or (self._task is not None and not self._task.done())

    def start_pass(self) -> None:
        """Run a pass as a task of its own (bot.app's job); its report is logged when it ends. Killed with
        the process, a pass leaves its connection to its lease, and the next process resumes it."""
        self._task = asyncio.create_task(self._logged_pass(), name="crm_sync")

    async def _logged_pass(self) -> None:
        try:
            report = await self.tick()
        except Exception:
            log.exception("crm sync pass failed")
            return
        if report.synced or report.stopped:
            log.info("crm sync pass: %s", report)

    async def tick(self, http: httpx.AsyncClient | None = None) -> CrmSyncReport:
        """Sync every connection due now, one after another. Passes never overlap within a process."""
        report = CrmSyncReport()
        secrets = crm_secrets(self.services.settings)
        if secrets is None:
            return report
        async with self._lock:
            now = self.services.now()
            async with self.services.sessionmaker.begin() as session:
                due = await CrmConnectionRepository(session).due(now, self.config.batch)
            if not due:
                return report
            owned = http is None
            http = http or new_http(self.services.crm_transport)
            try:
                for connection_id, slot in due:
                    if not await self._claim(connection_id, slot):
                        report.lost += 1
                        continue
                    sync = ConnectionSync(self.services, secrets, connection_id, slot, self.config.worker)
                    try:
                        result = await sync.run(http)
                    except Exception:
                        # A bug or the database going away: the others still sync; this one's lease lapses
                        # and its slot is tried again then, from its last committed page.
                        log.exception("crm connection %s: sync failed", connection_id)
                        continue
                    report.results.append(result)
                    report.synced += result.finished
                    report.stopped += result.problem is not None
                    report.lost += result.lost_claim
            finally:
                if owned:
                    await http.aclose()
            return report

    async def _claim(self, connection_id: int, slot: datetime) -> bool:
        now = self.services.now()
        lease = timedelta(seconds=self.services.settings.crm_sync_lease_seconds)
        async with self.services.sessionmaker.begin() as session:
            return await CrmConnectionRepository(session).claim(
                connection_id, slot, self.config.worker, now, now + lease
            )
