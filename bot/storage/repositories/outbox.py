"""Outbox rows: the messages each turn decided to send, recorded with its effects, sent in order per chat."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import delete, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from bot.core.lifecycle.outbox import CHAT_BLOCKED, FINISHED, OPEN, OUTBOX, STOPPED_DURING_SEND, OutboxStatus
from bot.storage.models import OutboxMessage

_S = OutboxStatus
# The bulk changes below, checked against the table of moves once, when the module loads.
_LOST = OUTBOX.move(_S.SENDING, _S.UNCONFIRMED)
_ENDED = OUTBOX.move(_S.PENDING, _S.FAILED)


@dataclass(frozen=True, slots=True)
class NewMessage:
    """A message to record: a text (with its keyboard), or a photo (PNG, or a drawing) and its caption."""

    text: str
    buttons: list[list[list[str]]] | None = None
    photo: bytes | None = None
    drawing: dict[str, Any] | None = None


class OutboxRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    def add(self, chat_id: int, messages: Sequence[NewMessage], now: datetime) -> None:
        """Record `messages` for `chat_id`, in this order, due now; they commit with the session."""
        for message in messages:
            self.session.add(
                OutboxMessage(
                    chat_id=chat_id,
                    text=message.text,
                    buttons=message.buttons,
                    photo=message.photo,
                    drawing=message.drawing,
                    status=OUTBOX.initial,
                    attempts=0,
                    next_attempt_at=now,
                    created_at=now,
                    updated_at=now,
                )
            )

    async def first_open(self, chat_id: int) -> OutboxMessage | None:
        """The chat's oldest message not yet done with (pending or under way), locked: the only one of the
        chat that may start, so its messages leave in order and one at a time, whichever process sends."""
        statement = (
            select(OutboxMessage)
            .where(OutboxMessage.chat_id == chat_id, OutboxMessage.status.in_(OPEN))
            .order_by(OutboxMessage.id)
            .limit(1)
            .with_for_update()
        )
        return (await self.session.scalars(statement)).first()

    async def locked(self, message_id: int) -> OutboxMessage | None:
        statement = select(OutboxMessage).where(OutboxMessage.id == message_id).with_for_update()
        return (await self.session.scalars(statement)).first()

    async def chats_due(self, now: datetime, batch: int) -> list[int]:
        """Chats with a pending message due by `now` (their first open one decides whether it goes)."""
        statement = (
            select(OutboxMessage.chat_id)
            .where(OutboxMessage.status == _S.PENDING, OutboxMessage.next_attempt_at <= now)
            .group_by(OutboxMessage.chat_id)
            .order_by(OutboxMessage.chat_id)
            .limit(batch)
        )
        return list(await self.session.scalars(statement))

    async def end_chat(self, chat_id: int, now: datetime) -> None:
        """The chat blocked the bot: what still waits for it will never be sent."""
        await self.session.execute(
            update(OutboxMessage)
            .where(OutboxMessage.chat_id == chat_id, OutboxMessage.status == _S.PENDING)
            .values(status=_ENDED, reason=CHAT_BLOCKED, updated_at=now)
        )

    async def expire_sends(self, now: datetime, started_before: datetime | None = None) -> int:
        """Sends started before `started_before` (all, without it) belong to a process that stopped
        mid-send: they may have arrived, so they are recorded unconfirmed and never repeated."""
        statement = update(OutboxMessage).where(OutboxMessage.status == _S.SENDING)
        if started_before is not None:
            statement = statement.where(OutboxMessage.updated_at <= started_before)
        result = await self.session.execute(
            statement.values(status=_LOST, reason=STOPPED_DURING_SEND, updated_at=now)
        )
        return int(getattr(result, "rowcount", 0) or 0)

    async def prune(self, finished_before: datetime) -> int:
        """Delete messages done with (sent, failed, unconfirmed) before `finished_before`."""
        result = await self.session.execute(
            delete(OutboxMessage).where(
                OutboxMessage.status.in_(FINISHED), OutboxMessage.updated_at < finished_before
            )
        )
        return int(getattr(result, "rowcount", 0) or 0)
