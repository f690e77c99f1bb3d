"""Outbox rows: the messages each turn decided to send, recorded with its effects, sent in order per chat."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, cast

from sqlalchemy import Boolean, Table, and_, bindparam, case, delete, func, insert, null, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from bot.core.lifecycle.outbox import CHAT_BLOCKED, FINISHED, OPEN, OUTBOX, STOPPED_DURING_SEND, OutboxStatus
from bot.core.teams.group_rate import MESSAGES_PER_WINDOW, WINDOW, is_group_chat, window_opens
from bot.storage.message_models import OutboxMessage

_S = OutboxStatus
_T = cast(Table, OutboxMessage.__table__)
# The bulk changes below, checked against the table of moves once, when the module loads.
_LOST = OUTBOX.move(_S.SENDING, _S.UNCONFIRMED)
_ENDED = OUTBOX.move(_S.PENDING, _S.FAILED)
_STARTED = OUTBOX.move(_S.PENDING, _S.SENDING)
# A finished row's file (its bytes, or the export data it is made from) is dropped with the move.
_FILE_DROPPED: dict[str, Any] = {
    "document": None,
    "drawing": case((_T.c.document_name.is_not(None), null()), else_=_T.c.drawing),
}
# The statements of every turn, built once (Core, bound parameters): building and caching an ORM statement
# per call cost more than the database did.
_INSERT = insert(_T)
_FIRST_OPEN = (
    select(func.min(_T.c.id))
    .where(_T.c.chat_id == bindparam("chat"), _T.c.status.in_(sorted(OPEN)))
    .scalar_subquery()
)
_START = (
    update(_T)
    .where(_T.c.id == _FIRST_OPEN, _T.c.status == _S.PENDING, _T.c.next_attempt_at <= bindparam("now"))
    .values(status=_STARTED, attempts=_T.c.attempts + 1, updated_at=bindparam("now"))
    .returning(*_T.c)
)
# A group's sends that count toward its per-minute limit: under way, or done (or maybe done) since `since`.
_COUNTED = and_(
    _T.c.chat_id == bindparam("chat"),
    or_(
        _T.c.status == _S.SENDING,
        and_(_T.c.status.in_([_S.SENT, _S.UNCONFIRMED]), _T.c.updated_at > bindparam("since")),
    ),
)
# A group's start also needs room in its window, read in the same statement as its first open row: only
# one of a chat's rows is ever under way, so no other process can start one between the count and the start.
_START_IN_GROUP = _START.where(select(func.count()).where(_COUNTED).scalar_subquery() < bindparam("limit"))
_FINISH = (
    update(_T)
    .where(_T.c.id == bindparam("row"), _T.c.status == _S.SENDING)
    .values(
        status=bindparam("new_status"),
        updated_at=bindparam("now"),
        message_id=bindparam("new_message_id"),
        sent_at=bindparam("new_sent_at"),
        next_attempt_at=bindparam("new_next_attempt_at"),
        attempts=bindparam("new_attempts"),
        reason=bindparam("new_reason"),
        # A finished row's file is not needed again: the user's data does not wait out the retention here.
        document=case((bindparam("finished", type_=Boolean), null()), else_=_T.c.document),
        drawing=case(
            (and_(bindparam("finished", type_=Boolean), _T.c.document_name.is_not(None)), null()),
            else_=_T.c.drawing,
        ),
    )
)


@dataclass(frozen=True, slots=True)
class NewMessage:
    """A message to record: a text (with its keyboard), or a photo (PNG, or a drawing) and its caption."""

    text: str
    buttons: list[list[list[str]]] | None = None
    photo: bytes | None = None
    drawing: dict[str, Any] | None = None
    edit_message_id: int | None = None  # an edit of the chat's message with this id, to read `text`
    document: bytes | None = None  # a file sent by sendDocument, `text` its caption
    document_name: str | None = None


class OutboxRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def add(self, chat_id: int, messages: Sequence[NewMessage], now: datetime) -> None:
        """Record `messages` for `chat_id`, in this order (ids grow with it), due now; they commit with
        the session. One statement, no ORM objects: the turn's transaction stays as short as it can."""
        rows = [
            {
                "chat_id": chat_id,
                "text": message.text,
                "buttons": message.buttons,
                "photo": message.photo,
                "drawing": message.drawing,
                "edit_message_id": message.edit_message_id,
                "document": message.document,
                "document_name": message.document_name,
                "status": OUTBOX.initial,
                "attempts": 0,
                "next_attempt_at": now,
                "created_at": now,
                "updated_at": now,
            }
            for message in messages
        ]
        if rows:
            await self.session.execute(_INSERT, rows)

    async def start_next(self, chat_id: int, now: datetime) -> OutboxMessage | None:
        """The chat's oldest open message, moved to sending and returned (detached), if it is pending and
        due; else None (nothing left, one under way, or one waiting out a retry). One conditional UPDATE:
        whichever process gets there first starts it, so a chat's messages leave one at a time, in order.
        A group's message also waits for room in the group's minute (bot.core.teams.group_rate): held
        until then, it is not due before the window opens."""
        if not is_group_chat(chat_id):
            row = (await self.session.execute(_START, {"chat": chat_id, "now": now})).first()
            return None if row is None else OutboxMessage(**row._mapping)
        params = {"chat": chat_id, "now": now, "since": now - WINDOW, "limit": MESSAGES_PER_WINDOW}
        row = (await self.session.execute(_START_IN_GROUP, params)).first()
        if row is not None:
            return OutboxMessage(**row._mapping)
        await self._hold_for_window(chat_id, now)
        return None

    async def _hold_for_window(self, chat_id: int, now: datetime) -> None:
        """The group's window is full: its next message is due when the window has room again."""
        sends = select(_T.c.updated_at).where(_COUNTED)
        times = list(await self.session.scalars(sends, {"chat": chat_id, "since": now - WINDOW}))
        opens = window_opens(times, now)
        if opens is None:
            return
        await self.session.execute(
            update(_T)
            .where(_T.c.id == _FIRST_OPEN, _T.c.status == _S.PENDING, _T.c.next_attempt_at < opens)
            .values(next_attempt_at=opens),
            {"chat": chat_id},
        )

    async def keep_document(self, row_id: int, content: bytes) -> bool:
        """A pending file's bytes, made before its send (export14b): kept instead of what makes them;
        False if the row was started or made meanwhile (by another process)."""
        result = await self.session.execute(
            update(_T)
            .where(_T.c.id == row_id, _T.c.status == _S.PENDING, _T.c.document.is_(None))
            .values(document=content, drawing=None)
        )
        return bool(getattr(result, "rowcount", 0))

    async def retarget(self, old_chat_id: int, new_chat_id: int) -> None:
        """The group became a supergroup: what still waits for it goes to the new id, in the same order.
        An edit of a message in the old group becomes a message of its own: ids do not carry over."""
        await self.session.execute(
            update(_T)
            .where(_T.c.chat_id == old_chat_id, _T.c.status == _S.PENDING)
            .values(chat_id=new_chat_id, edit_message_id=None)
        )

    async def pending_for(self, chat_id: int) -> list[OutboxMessage]:
        """The chat's messages not yet started, oldest first (to update one before it goes)."""
        statement = (
            select(OutboxMessage)
            .where(OutboxMessage.chat_id == chat_id, OutboxMessage.status == _S.PENDING)
            .order_by(OutboxMessage.id)
        )
        return list((await self.session.scalars(statement)).all())

    async def get(self, row_id: int) -> OutboxMessage | None:
        return await self.session.get(OutboxMessage, row_id)

    async def add_one(self, chat_id: int, message: NewMessage, now: datetime) -> OutboxMessage:
        """Record one message and return its row (its id known), for a caller that refers to it later."""
        row = OutboxMessage(
            chat_id=chat_id, text=message.text, buttons=message.buttons, photo=message.photo,
            drawing=message.drawing, edit_message_id=message.edit_message_id, document=message.document,
            document_name=message.document_name, status=OUTBOX.initial,
            attempts=0, next_attempt_at=now, created_at=now, updated_at=now,
        )  # fmt: skip
        self.session.add(row)
        await self.session.flush()
        return row

    async def finish(
        self,
        started: OutboxMessage,
        now: datetime,
        status: OutboxStatus,
        *,
        message_id: int | None = None,
        next_attempt_at: datetime | None = None,
        attempts: int | None = None,
        reason: str | None = None,
    ) -> bool:
        """What became of the send of `started` (the row as start_next returned it; `status` as the
        lifecycle moved it); False if it is no longer under way (recorded unconfirmed meanwhile)."""
        params = {
            "row": started.id,
            "now": now,
            "new_status": status,
            "new_message_id": message_id,
            "new_sent_at": now if status == _S.SENT else None,
            "new_next_attempt_at": next_attempt_at or started.next_attempt_at,
            "new_attempts": started.attempts if attempts is None else attempts,
            "new_reason": reason,
            "finished": status in FINISHED,
        }
        result = await self.session.execute(_FINISH, params)
        return bool(getattr(result, "rowcount", 0))

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

    async def end_chat(self, chat_id: int, now: datetime, reason: str = CHAT_BLOCKED) -> None:
        """The chat blocked the bot (or the bot left the group): what still waits for it is never sent."""
        await self.session.execute(
            update(OutboxMessage)
            .where(OutboxMessage.chat_id == chat_id, OutboxMessage.status == _S.PENDING)
            .values(status=_ENDED, reason=reason, updated_at=now, **_FILE_DROPPED)
        )

    async def expire_sends(self, now: datetime, started_before: datetime | None = None) -> int:
        """Sends started before `started_before` (all, without it) belong to a process that stopped
        mid-send: they may have arrived, so they are recorded unconfirmed and never repeated."""
        statement = update(OutboxMessage).where(OutboxMessage.status == _S.SENDING)
        if started_before is not None:
            statement = statement.where(OutboxMessage.updated_at <= started_before)
        result = await self.session.execute(
            statement.values(status=_LOST, reason=STOPPED_DURING_SEND, updated_at=now, **_FILE_DROPPED)
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
