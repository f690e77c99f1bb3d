"""Broadcasts: an admin's drafts, their audience, one outbox row per recipient, and the tally for the report."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import cast

from sqlalchemy import Table, func, insert, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from bot.core.lifecycle.broadcasts import BROADCASTS, QUEUE, REPORT, BroadcastStatus
from bot.core.lifecycle.outbox import OPEN, OUTBOX, OutboxStatus
from bot.core.lifecycle.teams import MembershipStatus, TeamStatus
from bot.storage.broadcast_models import Broadcast, BroadcastDelivery
from bot.storage.message_models import OutboxMessage
from bot.storage.models import User
from bot.storage.team_models import Team, TeamMember

_OUTBOX = cast(Table, OutboxMessage.__table__)
_DELIVERIES = cast(Table, BroadcastDelivery.__table__)
# Outbox rows go in with their ids back, in the recipients' order (one statement, "insertmanyvalues").
_INSERT_OUTBOX = insert(_OUTBOX).returning(_OUTBOX.c.id, sort_by_parameter_order=True)


@dataclass(frozen=True, slots=True)
class Audience:
    recipients: list[int]  # user ids who get a row
    blocked: int  # who had blocked the bot: skipped


@dataclass(frozen=True, slots=True)
class Tally:
    open: int  # not finished yet
    sent: int
    blocked: int  # failed because the user blocked the bot
    failed: int  # any other failure
    unconfirmed: int  # under way when a process stopped: they may have arrived (never repeated)


class BroadcastRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def add_draft(self, admin_id: int, text: str, now: datetime) -> Broadcast:
        draft = Broadcast(admin_id=admin_id, text=text, created_at=now, skipped_blocked=0)
        self.session.add(draft)
        await self.session.flush()
        return draft

    async def draft_of(self, admin_id: int, broadcast_id: int) -> Broadcast | None:
        """The admin's own broadcast with that id (a forged id finds nothing)."""
        found = await self.session.get(Broadcast, broadcast_id)
        return found if found is not None and found.admin_id == admin_id else None

    async def active_teams(self, most: int) -> Sequence[tuple[Team, int]]:
        """Active teams with their number of current members, largest first."""
        members = func.count(TeamMember.id)
        statement = (
            select(Team, members)
            .join(TeamMember, TeamMember.team_id == Team.id)
            .where(Team.status == TeamStatus.ACTIVE, TeamMember.status == MembershipStatus.MEMBER)
            .group_by(Team.id)
            .order_by(members.desc(), Team.id)
            .limit(most)
        )
        return [(team, count) for team, count in (await self.session.execute(statement)).all()]

    async def audience(self, team_id: int | None) -> Audience:
        """Every user, or the team's current members, oldest first; who blocked the bot is counted apart."""
        statement = select(User.id, User.is_active).order_by(User.id)
        if team_id is not None:
            statement = statement.join(TeamMember, TeamMember.user_id == User.id).where(
                TeamMember.team_id == team_id, TeamMember.status == MembershipStatus.MEMBER
            )
        rows = (await self.session.execute(statement)).all()
        return Audience(
            [user_id for user_id, active in rows if active], sum(1 for _, active in rows if not active)
        )

    async def queue(self, broadcast: Broadcast, audience: Audience, now: datetime) -> bool:
        """Record one outbox row per recipient and its delivery, with the move to queued, in this
        transaction; False when the broadcast was queued (or dropped) already: a second press."""
        moved = await self.session.execute(
            update(Broadcast)
            .where(Broadcast.id == broadcast.id, Broadcast.status == BroadcastStatus.DRAFT)
            .values(status=QUEUE, queued_at=now, skipped_blocked=audience.blocked)
            .execution_options(synchronize_session=False)
        )
        if not getattr(moved, "rowcount", 0):
            return False
        if audience.recipients:
            rows = [
                {"chat_id": user_id, "text": broadcast.text, "status": OUTBOX.initial, "attempts": 0,
                 "next_attempt_at": now, "created_at": now, "updated_at": now}
                for user_id in audience.recipients
            ]  # fmt: skip
            outbox_ids = (await self.session.execute(_INSERT_OUTBOX, rows)).scalars().all()
            deliveries = [
                {"broadcast_id": broadcast.id, "user_id": user_id, "outbox_id": outbox_id}
                for user_id, outbox_id in zip(audience.recipients, outbox_ids, strict=True)
            ]
            await self.session.execute(insert(_DELIVERIES), deliveries)
        return True

    async def drop(self, broadcast: Broadcast) -> None:
        broadcast.status = BROADCASTS.move(broadcast.status, BroadcastStatus.DROPPED)

    async def queued(self) -> Sequence[Broadcast]:
        statement = select(Broadcast).where(Broadcast.status == BroadcastStatus.QUEUED).order_by(Broadcast.id)
        return (await self.session.scalars(statement)).all()

    async def tally(self, broadcast_id: int) -> Tally:
        """Where the broadcast's rows stand; a row the outbox pruned already had finished, as sent or not."""
        statement = (
            select(OutboxMessage.status, User.is_active, func.count())
            .select_from(BroadcastDelivery)
            .join(OutboxMessage, OutboxMessage.id == BroadcastDelivery.outbox_id)
            .join(User, User.id == BroadcastDelivery.user_id)
            .where(BroadcastDelivery.broadcast_id == broadcast_id)
            .group_by(OutboxMessage.status, User.is_active)
        )
        open_, sent, blocked, failed, unconfirmed = 0, 0, 0, 0, 0
        for status, active, count in (await self.session.execute(statement)).all():
            if status in OPEN:
                open_ += count
            elif status == OutboxStatus.SENT:
                sent += count
            elif status == OutboxStatus.UNCONFIRMED:
                unconfirmed += count
            elif not active:
                blocked += count
            else:
                failed += count
        return Tally(open_, sent, blocked, failed, unconfirmed)

    async def mark_reported(self, broadcast_id: int, now: datetime) -> bool:
        """The move to reported, once: False when another process reported it first."""
        moved = await self.session.execute(
            update(Broadcast)
            .where(Broadcast.id == broadcast_id, Broadcast.status == BroadcastStatus.QUEUED)
            .values(status=REPORT, reported_at=now)
            .execution_options(synchronize_session=False)
        )
        return bool(getattr(moved, "rowcount", 0))
