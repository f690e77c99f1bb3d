"""Inbox lanes (inbox_lanes): which consumer handles a lane's updates now, until its lease runs out.

A lane is one user's updates (see InboxUpdate.lane_id). A consumer claims free lanes that have pending
updates with `FOR UPDATE SKIP LOCKED` (PostgreSQL; SQLite, one process with one writer at a time, needs
no lock), handles their updates one at a time, and releases a lane once nothing is pending in it.
"""

from __future__ import annotations

from collections.abc import Collection
from datetime import datetime
from typing import cast

from sqlalchemy import Table, bindparam, exists, func, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from bot.core.lifecycle.inbox import INBOX
from bot.storage.message_models import InboxLane, InboxUpdate
from bot.storage.statements import insert_skipping_duplicates

LANES = cast(Table, InboxLane.__table__)
_UPDATES = cast(Table, InboxUpdate.__table__)
_PENDING = INBOX.initial
_L, _U = LANES.c, _UPDATES.c

_HEADS = (
    select(_U.lane_id, func.min(_U.update_id).label("head"))
    .where(_U.status == _PENDING)
    .group_by(_U.lane_id)
    .subquery("heads")
)
# Free lanes with something pending, the longest-waiting first; rows another consumer is claiming are
# skipped rather than waited for. A statement of its own: as a subquery of the UPDATE, PostgreSQL may run
# it once per row it scans, each run skipping other rows, and so claim more lanes than the limit.
_CANDIDATES = (
    select(_L.lane_id)
    .join(_HEADS, _HEADS.c.lane_id == _L.lane_id)
    .where(or_(_L.claimed_by.is_(None), _L.claimed_until < bindparam("now")))
    .order_by(_HEADS.c.head)
    .limit(bindparam("limit"))
    .with_for_update(of=LANES, skip_locked=True)
)
_CLAIM = (
    update(LANES)
    .where(_L.lane_id.in_(bindparam("lanes", expanding=True)))
    .values(claimed_by=bindparam("worker"), claimed_until=bindparam("until"))
)
_NOTHING_PENDING = ~exists().where(_U.lane_id == _L.lane_id, _U.status == _PENDING)
_RELEASE_IDLE = (
    update(LANES)
    .where(_L.lane_id.in_(bindparam("lanes", expanding=True)), _L.claimed_by == bindparam("worker"))
    .where(_NOTHING_PENDING)
    .values(claimed_by=None, claimed_until=None)
    .returning(_L.lane_id)
)
_RENEW = (
    update(LANES)
    .where(_L.lane_id.in_(bindparam("lanes", expanding=True)), _L.claimed_by == bindparam("worker"))
    .values(claimed_until=bindparam("until"))
    .returning(_L.lane_id)
)


class LaneRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def ensure(self, lane_ids: Collection[int], dialect: str) -> None:
        """A row for each lane (the first update of a user makes theirs), in one statement."""
        if lane_ids:
            statement = insert_skipping_duplicates(LANES, ["lane_id"], dialect)
            await self.session.execute(statement, [{"lane_id": lane_id} for lane_id in sorted(lane_ids)])

    async def claim(self, worker: str, now: datetime, until: datetime, limit: int) -> list[int]:
        """Up to `limit` free lanes (never claimed, released, or of a lapsed lease) that have pending
        updates, longest-waiting first, now `worker`'s until `until`."""
        if limit <= 0:
            return []
        found = list(await self.session.scalars(_CANDIDATES, {"now": now, "limit": limit}))
        if found:
            await self.session.execute(_CLAIM, {"lanes": found, "worker": worker, "until": until})
        return found

    async def release_idle(self, worker: str, lane_ids: Collection[int]) -> set[int]:
        """Release those of `worker`'s lanes in which nothing is pending; the ones released."""
        if not lane_ids:
            return set()
        params = {"worker": worker, "lanes": list(lane_ids)}
        return set(await self.session.scalars(_RELEASE_IDLE, params))

    async def renew(self, worker: str, lane_ids: Collection[int], until: datetime) -> set[int]:
        """Extend `worker`'s lease on these lanes; the ones still its own (a lapsed lease may be gone)."""
        if not lane_ids:
            return set()
        params = {"worker": worker, "lanes": list(lane_ids), "until": until}
        return set(await self.session.scalars(_RENEW, params))

    async def release_all(self, workers: Collection[str] | None = None) -> None:
        """Release the lanes of `workers` (a clean stop, or claimers known to be dead), or every claimed
        lane (SQLite's one process starting: any claim left is of a process that died)."""
        statement = update(InboxLane).values(claimed_by=None, claimed_until=None)
        if workers is not None:
            statement = statement.where(InboxLane.claimed_by.in_(list(workers)))
        else:
            statement = statement.where(InboxLane.claimed_by.is_not(None))
        await self.session.execute(statement)

    async def claimers(self) -> set[str]:
        """Who holds lanes now (leases lapsed or not)."""
        statement = select(InboxLane.claimed_by).where(InboxLane.claimed_by.is_not(None)).distinct()
        return {name for name in await self.session.scalars(statement) if name is not None}
