"""Incoming updates (inbox_updates): stored per getUpdates batch, handled once, pruned after the retention."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from datetime import datetime
from typing import Any, NamedTuple, cast

from sqlalchemy import Table, bindparam, delete, func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from bot.core.lifecycle.inbox import GAVE_UP, HANDLED, INBOX
from bot.storage.message_models import InboxUpdate
from bot.storage.statements import insert_skipping_duplicates

UPDATES = cast(Table, InboxUpdate.__table__)
_PENDING = INBOX.initial
_C = UPDATES.c


class PendingUpdate(NamedTuple):
    """A stored update waiting for its handler, as the consumer reads it."""

    update_id: int
    lane_id: int
    chat_id: int | None
    payload: dict[str, Any]
    attempts: int


# Built once (the statements of every update: building and keying them costs more than running them).
_HANDLED_IN_TURN = (
    update(UPDATES)
    .where(_C.update_id == bindparam("id"), _C.status == _PENDING)
    .values(status=HANDLED, handled_at=bindparam("now"))
)
_FINISH = (
    update(UPDATES)
    .where(_C.update_id == bindparam("id"), _C.status == _PENDING)
    .values(status=bindparam("new"), handled_at=bindparam("now"), reason=bindparam("why"))
)
_PENDING_OF_LANES = (
    select(_C.update_id, _C.lane_id, _C.chat_id, _C.payload, _C.attempts)
    .where(_C.status == _PENDING, _C.lane_id.in_(bindparam("lanes", expanding=True)))
    .order_by(_C.update_id)
    .limit(bindparam("limit"))
)
_COUNT_ATTEMPT = (
    update(UPDATES)
    .where(_C.update_id.in_(bindparam("ids", expanding=True)), _C.status == _PENDING)
    .values(attempts=_C.attempts + 1)
)


class InboxRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    # Polling ------------------------------------------------------------------------------------

    async def store(self, rows: Sequence[dict[str, Any]], dialect: str) -> None:
        """A getUpdates batch in one statement (executemany); an update stored before (fetched again
        after a crash) is left as it is, whatever its status."""
        statement = insert_skipping_duplicates(UPDATES, ["update_id"], dialect)
        await self.session.execute(statement, [{**row, "status": _PENDING, "attempts": 0} for row in rows])

    # The turn ---------------------------------------------------------------------------------

    async def mark_handled(self, update_id: int, now: datetime) -> bool:
        """Move a pending update to done in the turn's transaction; False when it is not pending."""
        result = await self.session.execute(_HANDLED_IN_TURN, {"id": update_id, "now": now})
        return bool(getattr(result, "rowcount", 0))

    async def redact(self, update_id: int) -> None:
        """Drop a stored update's JSON (sync14: the message held a CRM secret); its id and status stay."""
        await self.session.execute(
            update(InboxUpdate).where(InboxUpdate.update_id == update_id).values(payload={"redacted": True})
        )

    async def record_handled(self, row: dict[str, Any], dialect: str) -> bool:
        """Insert an update that did not come through the inbox as done; False when it is stored already
        (handled or failed before: a re-delivery)."""
        statement = insert_skipping_duplicates(UPDATES, ["update_id"], dialect).returning(_C.update_id)
        values = {**row, "status": HANDLED, "attempts": 0, "handled_at": row["received_at"]}
        return (await self.session.execute(statement, values)).first() is not None

    # The consumer -----------------------------------------------------------------------------

    async def pending_of(self, lane_ids: Collection[int], limit: int) -> list[PendingUpdate]:
        """The lanes' pending updates, oldest update_id first (all lanes together, up to `limit`)."""
        if not lane_ids:
            return []
        result = await self.session.execute(_PENDING_OF_LANES, {"lanes": list(lane_ids), "limit": limit})
        return [PendingUpdate(*row) for row in result]

    async def count_attempt(self, update_ids: Collection[int]) -> None:
        """One more attempt for each of these pending updates (the heads of the lanes just claimed)."""
        if update_ids:
            await self.session.execute(_COUNT_ATTEMPT, {"ids": list(update_ids)})

    async def finish(self, update_id: int, now: datetime, reason: str | None = None) -> bool:
        """Done (no reason) or failed (why) for an update its handler did not mark; False when it is not
        pending any more (its turn committed the move, or another consumer's did)."""
        params = {"id": update_id, "now": now, "new": GAVE_UP if reason else HANDLED, "why": reason}
        result = await self.session.execute(_FINISH, params)
        return bool(getattr(result, "rowcount", 0))

    # Housekeeping -----------------------------------------------------------------------------

    async def prune(self, handled_before: datetime) -> int:
        """Delete updates handled (or failed) before `handled_before`; how many went."""
        result = await self.session.execute(
            delete(InboxUpdate).where(InboxUpdate.status != _PENDING, InboxUpdate.handled_at < handled_before)
        )
        return int(getattr(result, "rowcount", 0) or 0)

    async def newest_update_id(self) -> int | None:
        return await self.session.scalar(select(func.max(InboxUpdate.update_id)))

    async def pending_count(self) -> int:
        return int(
            await self.session.scalar(select(func.count()).select_from(UPDATES).where(_C.status == _PENDING))
            or 0
        )
