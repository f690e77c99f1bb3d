"""Prompt occurrence rows: one review prompt for one user, kind and local day, and its status."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from datetime import date, datetime
from typing import Any, cast

from sqlalchemy import Table, and_, func, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from bot.core.lifecycle.prompts import (
    AWAITING_ANSWER,
    GOAL_INVITE,
    PROMPTS,
    SKIPPED_BY_USER,
    STOPPED_DURING_SEND,
    OccurrenceStatus,
)
from bot.core.schedule import PromptKind
from bot.storage.models import PromptOccurrence, User
from bot.storage.statements import insert_skipping_duplicates

OCCURRENCES = cast(Table, PromptOccurrence.__table__)
_S = OccurrenceStatus
# The bulk changes below, checked against the table of moves once, when the module loads.
_LOST = PROMPTS.move(_S.SENDING, _S.UNCONFIRMED)


class OccurrenceRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    # The dispatcher -----------------------------------------------------------------------------

    async def record(self, rows: list[dict[str, Any]], dialect: str) -> None:
        """New occurrences in one statement (executemany); the unique (user, kind, day) key makes a
        second record of the same day a no-op, whoever tries (each row ON CONFLICT DO NOTHING)."""
        await self.session.execute(
            insert_skipping_duplicates(OCCURRENCES, ["user_id", "kind", "day"], dialect), rows
        )

    async def expire_sends(self, now: datetime, started_before: datetime | None = None) -> None:
        """Sends started before `started_before` (all, without it) belong to a process that died
        mid-send: they may have arrived, so they are recorded unconfirmed and never repeated."""
        statement = update(PromptOccurrence).where(PromptOccurrence.status == _S.SENDING)
        if started_before is not None:
            statement = statement.where(PromptOccurrence.updated_at <= started_before)
        await self.session.execute(statement.values(status=_LOST, reason=STOPPED_DURING_SEND, updated_at=now))

    async def release_claims(self, now: datetime) -> None:
        """Claimed prompts of a process that stopped: free for the next sender."""
        await self.session.execute(
            update(PromptOccurrence)
            .where(PromptOccurrence.status == _S.CLAIMED)
            .values(worker=None, updated_at=now)
        )

    async def take_claimed(self, now: datetime, lease_start: datetime, worker: str, batch: int) -> list[int]:
        """Ids of up to `batch` claimed prompts due to go (free, or `worker`'s own, or of a lapsed
        lease), oldest first, locked and marked `worker`'s."""
        free = or_(
            PromptOccurrence.worker.is_(None),
            PromptOccurrence.updated_at <= lease_start,
            PromptOccurrence.worker == worker,
        )
        statement = (
            select(PromptOccurrence.id)
            .where(
                PromptOccurrence.status == _S.CLAIMED,
                free,
                or_(PromptOccurrence.wake_at.is_(None), PromptOccurrence.wake_at <= now),
            )
            .order_by(PromptOccurrence.due_at)
            .limit(batch)
            .with_for_update(skip_locked=True)
        )
        ids = list(await self.session.scalars(statement))
        if ids:
            await self.session.execute(
                update(PromptOccurrence)
                .where(PromptOccurrence.id.in_(ids))
                .values(worker=worker, updated_at=now)
            )
        return ids

    async def locked_with_users(self, ids: Sequence[int]) -> dict[int, tuple[PromptOccurrence, User | None]]:
        """The occurrences and their users in one query, the occurrences locked (PostgreSQL; SQLite's
        BEGIN IMMEDIATE already serialises): each is checked and moved by one writer only."""
        statement = (
            select(PromptOccurrence, User)
            .outerjoin(User, User.id == PromptOccurrence.user_id)
            .where(PromptOccurrence.id.in_(ids))
            .order_by(PromptOccurrence.id)
            .with_for_update(of=PromptOccurrence)
        )
        return {o.id: (o, u) for o, u in await self.session.execute(statement)}

    async def to_wake(self, now: datetime, batch: int) -> list[PromptOccurrence]:
        """Snoozes that ended and sent prompts whose reminder time came, locked (others skip them)."""
        statement = (
            select(PromptOccurrence)
            .where(
                PromptOccurrence.wake_at <= now,
                or_(
                    PromptOccurrence.status == _S.SNOOZED,
                    and_(PromptOccurrence.status == _S.SENT, PromptOccurrence.reminded.is_(False)),
                ),
            )
            .limit(batch)
            .with_for_update(skip_locked=True)
        )
        return list(await self.session.scalars(statement))

    async def last_goal_invites(self, user_ids: Collection[int]) -> dict[int, date]:
        """The day of each user's newest set-a-goal prompt (users never invited are absent)."""
        if not user_ids:
            return {}
        statement = (
            select(PromptOccurrence.user_id, func.max(PromptOccurrence.day))
            .where(PromptOccurrence.kind == GOAL_INVITE, PromptOccurrence.user_id.in_(user_ids))
            .group_by(PromptOccurrence.user_id)
        )
        return {user_id: day for user_id, day in await self.session.execute(statement)}

    # The user's buttons and answers -------------------------------------------------------------

    async def owned(self, user_id: int, occurrence_id: int) -> PromptOccurrence | None:
        """The occurrence if it is `user_id`'s."""
        occurrence = await self.session.get(PromptOccurrence, occurrence_id)
        return occurrence if occurrence is not None and occurrence.user_id == user_id else None

    def skip(self, occurrence: PromptOccurrence, now: datetime) -> bool:
        """ "Skip today"; False (nothing written) when its status does not allow it."""
        skipped = PROMPTS.next_or_none(occurrence.status, _S.SKIPPED)
        if skipped is None:
            return False
        occurrence.status, occurrence.reason, occurrence.wake_at = skipped, SKIPPED_BY_USER, None
        occurrence.updated_at = now
        return True

    def snooze(self, occurrence: PromptOccurrence, wake: datetime, now: datetime) -> bool:
        """Ask again at `wake`; False (nothing written) when its status does not allow it."""
        snoozed = PROMPTS.next_or_none(occurrence.status, _S.SNOOZED)
        if snoozed is None:
            return False
        occurrence.status, occurrence.wake_at, occurrence.updated_at = snoozed, wake, now
        return True

    async def answer(self, user_id: int, occurrence_id: int, now: datetime) -> None:
        """The review of `occurrence_id` was answered (if it is `user_id`'s)."""
        occurrence = await self.owned(user_id, occurrence_id)
        if occurrence is None:
            return
        answered = PROMPTS.next_or_none(occurrence.status, _S.ANSWERED)
        if answered is not None:
            occurrence.status, occurrence.answered_at, occurrence.wake_at = answered, now, None
            occurrence.updated_at = now

    async def latest_awaiting_answer(self, user_id: int, since: date) -> PromptOccurrence | None:
        """The user's newest prompt of a day from `since` on that is still waiting for its answer (sent,
        reminded or snoozed, not answered or skipped): a review, or a set-a-goal prompt sent after it."""
        statement = (
            select(PromptOccurrence)
            .where(
                PromptOccurrence.user_id == user_id,
                PromptOccurrence.kind.in_([*(kind.value for kind in PromptKind), GOAL_INVITE]),
                PromptOccurrence.status.in_(AWAITING_ANSWER),
                PromptOccurrence.day >= since,
            )
            .order_by(PromptOccurrence.due_at.desc(), PromptOccurrence.id.desc())
            .limit(1)
        )
        return (await self.session.scalars(statement)).first()

    async def daily_history(
        self, user_id: int, through: date, limit: int = 400
    ) -> Sequence[PromptOccurrence]:
        """The user's daily review prompts up to `through`, newest first (for review streaks)."""
        statement = (
            select(PromptOccurrence)
            .where(
                PromptOccurrence.user_id == user_id,
                PromptOccurrence.kind == PromptKind.DAILY,
                PromptOccurrence.day <= through,
            )
            .order_by(PromptOccurrence.day.desc())
            .limit(limit)
        )
        return (await self.session.scalars(statement)).all()
