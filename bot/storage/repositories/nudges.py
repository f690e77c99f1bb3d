"""Nudge rows: coaching messages, one per user and trigger key, ever."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import Row, and_, bindparam, func, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from bot.core.lifecycle.nudges import NUDGES, STOPPED_DURING_SEND, NudgeStatus
from bot.storage.models import Nudge
from bot.storage.statements import insert_skipping_duplicates

_LOST = NUDGES.move(NudgeStatus.SENDING, NudgeStatus.UNCONFIRMED)
# Built once (queue_nudges runs on most reports): the nudge keys given and the texts sent since a time,
# with each row's status and id, so a withdrawn key needs no query of its own.
_NUDGED_OR_SENT = select(Nudge.key, Nudge.text_id, Nudge.sent_at, Nudge.status, Nudge.id).where(
    Nudge.user_id == bindparam("user_id"),
    or_(
        Nudge.key.in_(bindparam("keys", expanding=True)),
        and_(Nudge.sent_at >= bindparam("since"), Nudge.text_id.is_not(None)),
    ),
)
_INSERT_NUDGES = {
    dialect: insert_skipping_duplicates(Nudge, ["user_id", "key"], dialect)
    for dialect in ("sqlite", "postgresql")
}


class NudgeRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def given_or_sent(
        self, user_id: int, keys: Sequence[str], since: datetime
    ) -> Sequence[Row[str, str | None, datetime | None, NudgeStatus, int]]:
        """(key, text id, sent at, status, id) of the user's nudges with one of `keys`, or sent since `since`."""
        params = {"user_id": user_id, "keys": list(keys), "since": since}
        return (await self.session.execute(_NUDGED_OR_SENT, params)).all()

    async def of_ids(self, nudge_ids: Sequence[int]) -> list[Nudge]:
        """The nudges with these ids (say those given_or_sent found withdrawn, to queue again)."""
        return list(await self.session.scalars(select(Nudge).where(Nudge.id.in_(list(nudge_ids)))))

    async def queue(self, rows: list[dict[str, Any]]) -> None:
        """New nudges in one statement; a key another transaction queued meanwhile is skipped."""
        bind = self.session.bind
        dialect = bind.dialect.name if bind is not None else "sqlite"
        await self.session.execute(_INSERT_NUDGES[dialect], rows)

    async def expire_sends(self) -> None:
        """A nudge left sending may have arrived: it is recorded unconfirmed, never repeated."""
        await self.session.execute(
            update(Nudge)
            .where(Nudge.status == NudgeStatus.SENDING)
            .values(status=_LOST, reason=STOPPED_DURING_SEND)
        )

    async def due(self, now: datetime, batch: int) -> list[Nudge]:
        """Pending nudges due by `now`, oldest first, locked (others skip them)."""
        statement = (
            select(Nudge)
            .where(Nudge.status == NudgeStatus.PENDING, Nudge.due_at <= now)
            .order_by(Nudge.due_at, Nudge.id)
            .limit(batch)
            .with_for_update(skip_locked=True)
        )
        return list(await self.session.scalars(statement))

    async def count_sent_since(self, user_id: int, since: datetime) -> int:
        statement = select(func.count()).where(Nudge.user_id == user_id, Nudge.sent_at >= since)
        return int(await self.session.scalar(statement) or 0)

    async def get(self, nudge_id: int) -> Nudge | None:
        return await self.session.get(Nudge, nudge_id)
