"""The outbox courier: sends what the turns recorded, in order per chat, at most once each.

A turn records its replies as outbox rows in its own transaction (bot/telegram/render.py); after the
commit, `deliver(chat_id)` sends that chat's rows. Each send is one step, written through one code path:
the outcome of the chat's previous send and the start of its next (pending -> sending) in one transaction,
committed before the request leaves. So a crash leaves each row in one of two states:
- pending: never sent. A restart (or the next tick) sends it.
- sending: the request may have reached Telegram. It is recorded unconfirmed and never repeated, so a
  reply that arrived just before the crash does not arrive twice. The remaining window is the request
  itself: a crash after the start was committed and before Telegram received the message loses that one
  message (the next ones of the chat still go out). No message is sent twice.
A 429 puts the row back to pending for Telegram's retry_after (the flood gate holds every other send too),
not counted as an attempt; a group that became a supergroup gets the row (and its next ones) at its new id,
once; a 5xx or network error retries after a backoff, MAX_ATTEMPTS times; a 403 ends
the chat's waiting rows and marks the user blocked. Finished rows are pruned after the retention period.
A file stored as what makes it (an /export workbook) is made before its send starts, while its row is
still pending, and its bytes kept on the row: making one can outlast a send's lease, and a restart
meanwhile leaves it pending, to be made again and sent once. One that cannot be made is sent as it is,
so its failure is recorded once. Several processes may share PostgreSQL: a start is one conditional UPDATE of the chat's oldest open row
(pending and due), so one chat's messages leave one at a time and in order, whoever sends them.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import AsyncExitStack, asynccontextmanager
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy.ext.asyncio import AsyncSession

from bot.core.lifecycle.outbox import CHAT_MIGRATED, MAX_ATTEMPTS, OUTBOX, OutboxStatus, retry_delay_seconds
from bot.core.teams.group_rate import is_group_chat
from bot.scheduler.delivery import DeliveryError, Failure
from bot.scheduler.flood import FloodGate
from bot.services.container import Services
from bot.services.scheduling import stop_prompts
from bot.storage.message_models import OutboxMessage
from bot.storage.repositories.outbox import OutboxRepository
from bot.storage.repositories.team_groups import TeamGroupRepository
from bot.storage.repositories.users import UserRepository
from bot.telegram.limits import checked_document
from bot.telegram.render import draw

log = logging.getLogger(__name__)
_S = OutboxStatus
# Sends one outbox row and returns Telegram's message id; raises DeliveryError.
OutboxSender = Callable[[OutboxMessage], Awaitable[int | None]]
# What became of a send: the row as its start left it, and Telegram's message id or the failure.
Sent = tuple[OutboxMessage, int | DeliveryError | None]


@dataclass
class OutboxConfig:
    retention: timedelta = timedelta(hours=72)
    # A send under way longer than this belongs to a process that died (PostgreSQL; SQLite recovers at
    # start): longer than any request takes (PTB's timeouts are 5 s each way, 20 s for an upload), short
    # because that chat's replies wait behind it.
    lease: timedelta = timedelta(seconds=30)
    batch: int = 200
    concurrency: int = 8
    prune_every: timedelta = timedelta(minutes=10)


def _unmade(row: OutboxMessage) -> bool:
    """A file whose bytes are made at send time (export14b: before its send starts)."""
    return row.document_name is not None and row.document is None and row.drawing is not None


async def _unstart(session: AsyncSession, row: OutboxMessage, now: datetime) -> None:
    """Put a row this step started back as it was, in the same transaction: nobody sees it started."""
    pending = OUTBOX.move(row.status, _S.PENDING)
    await OutboxRepository(session).finish(row, now, pending, attempts=row.attempts - 1, reason=row.reason)


class Outbox:
    def __init__(
        self, services: Services, sender: OutboxSender, gate: FloodGate, config: OutboxConfig | None = None
    ) -> None:
        self.services = services
        self.sender = sender
        self.gate = gate
        self.config = config or OutboxConfig()
        self._pruned_at: datetime | None = None
        # The last send of a turn that arrived, per chat, not written down yet: it goes with the chat's
        # next step, or with the tick's flush.
        self._arrived: dict[int, tuple[OutboxMessage, int, datetime]] = {}
        # One sender per chat in this process (with how many want it): a second waits for the first,
        # instead of finding the chat's message under way and leaving its own to the next tick. Only the
        # holder writes the chat's arrived send, so no step starts before it is committed.
        self._chats: dict[int, tuple[asyncio.Lock, int]] = {}
        # shutdown15: set by `stop_taking()`; sends cut off mid-request (left `sending`) are counted.
        self.stopping = False
        self.cut = 0

    def stop_taking(self) -> None:
        """A stop: no new tick's batch, and no chat's next row beyond what a turn is sending of its own;
        the sends under way finish (or are cut off at the shutdown's deadline, left `sending`)."""
        self.stopping = True

    @asynccontextmanager
    async def _holding(self, chat_id: int) -> AsyncIterator[None]:
        lock, users = self._chats.get(chat_id, (asyncio.Lock(), 0))
        self._chats[chat_id] = (lock, users + 1)
        try:
            async with lock:
                yield
        finally:
            lock, users = self._chats[chat_id]
            if users == 1:
                del self._chats[chat_id]
            else:
                self._chats[chat_id] = (lock, users - 1)

    async def deliver(self, chat_id: int, most: int | None = None) -> int:
        """Send the chat's due messages in order until none is left, one has to wait, or `most` were
        tried (a turn sends its own; whatever else is due goes with the next tick); how many were sent.

        Each step is one transaction: the outcome of the send before and the start of the next. The
        last send of a turn that arrived is not worth a transaction of its own: it is written with the
        chat's next step, or by the tick within a second. Until then the row stays `sending`, which is
        what a crash meanwhile would leave anyway: unconfirmed, not repeated.
        """
        async with self._holding(chat_id):
            sent, tried, outcome = 0, 0, None
            unmakeable: set[int] = set()
            while True:
                if outcome is not None and most is not None and tried >= most and isinstance(outcome[1], int):
                    self._arrived[chat_id] = (outcome[0], outcome[1], self.services.now())
                    return sent + 1
                async with self.services.sessionmaker.begin() as session:
                    now = self.services.now()
                    await self._write_arrived(session, [chat_id])
                    if outcome is not None:
                        sent += await self._record(session, chat_id, outcome, now)
                    row = None
                    if (most is None or tried < most) and self.gate.is_open() and self._may_start(most):
                        row = await OutboxRepository(session).start_next(chat_id, now)
                        if row is not None and _unmade(row) and row.id not in unmakeable:
                            await _unstart(session, row, now)  # made first, while it is still pending
                if row is None:
                    return sent
                if _unmade(row) and row.id not in unmakeable:
                    outcome = None  # recorded with the step above
                    if not await self._make_document(row):
                        unmakeable.add(row.id)  # sent as it is: the sender fails it, recorded once
                    continue
                tried += 1
                outcome = (row, await self._send(row))

    async def _make_document(self, row: OutboxMessage) -> bool:
        """Make a file stored as what makes it (an /export workbook) and keep its bytes on the row, which
        is still pending: making it can take a minute, longer than a send's lease, and a restart meanwhile
        leaves the row pending, so it is made again and sent once. In a thread: others' replies go on."""
        try:
            content = await asyncio.to_thread(lambda: checked_document(draw(row.drawing or {})))
        except Exception as error:
            log.error("outbox file %s for chat %s could not be made", row.id, row.chat_id, exc_info=error)
            return False
        async with self.services.sessionmaker.begin() as session:
            await OutboxRepository(session).keep_document(row.id, content)
        return True

    def _may_start(self, most: int | None) -> bool:
        """After a stop only a turn's own replies (`most` given) still start; the rest stay pending."""
        return not self.stopping or most is not None

    async def _write_arrived(self, session: AsyncSession, chats: list[int]) -> None:
        """Write down the arrived sends of `chats` (held by the caller) in `session`."""
        arrived = {chat: self._arrived.pop(chat) for chat in chats if chat in self._arrived}
        try:
            outbox = OutboxRepository(session)
            for row, message_id, at in arrived.values():
                await outbox.finish(row, at, OUTBOX.move(row.status, _S.SENT), message_id=message_id)
        except BaseException:
            self._arrived.update(arrived)  # not written: kept for the next write
            raise

    async def flush(self) -> None:
        """Write down the arrived sends of the chats no one is sending to now (their sender writes its
        own with its next step), in one transaction: the tick and shutdown call it."""
        idle = [chat for chat in self._arrived if chat not in self._chats]
        if not idle:
            return
        async with AsyncExitStack() as held:
            for chat in idle:
                await held.enter_async_context(self._holding(chat))
            async with self.services.sessionmaker.begin() as session:
                await self._write_arrived(session, idle)

    async def _send(self, row: OutboxMessage) -> int | DeliveryError | None:
        try:
            return await self.sender(row)
        except asyncio.CancelledError:
            self.cut += 1  # a stop's deadline: the row stays `sending`, as a crash would leave it
            raise
        except DeliveryError as error:
            return error
        except Exception as error:  # A drawing that fails, a bug: recorded, the chat's next rows still go.
            log.error("outbox message %s to chat %s could not be sent", row.id, row.chat_id, exc_info=error)
            return DeliveryError(Failure.PERMANENT, f"{type(error).__name__}: {error}")

    async def _record(self, session: AsyncSession, chat_id: int, outcome: Sent, now: datetime) -> int:
        """Write what became of a send (the row as its start left it); 1 if it was sent."""
        row, result = outcome
        outbox = OutboxRepository(session)
        if not isinstance(result, DeliveryError):
            await outbox.finish(row, now, OUTBOX.move(row.status, _S.SENT), message_id=result)
            return 1
        failure, reason = result.failure, str(result)[:200]
        if failure is Failure.FLOOD:
            # Telegram's wait: the same message again after it, and the attempt not counted.
            again = now + timedelta(seconds=result.retry_after or 0)
            log.info("reply %s to chat %s waits: %s", row.id, chat_id, result.reason)
            pending = OUTBOX.move(row.status, _S.PENDING)
            await outbox.finish(
                row, now, pending, next_attempt_at=again, attempts=row.attempts - 1, reason=reason
            )
        elif failure is Failure.RETRY and row.attempts < MAX_ATTEMPTS:
            delay = retry_delay_seconds(row.attempts)
            log.warning("reply %s to chat %s not sent (%s); again in %g s", row.id, chat_id, result, delay)
            again = now + timedelta(seconds=delay)
            await outbox.finish(
                row, now, OUTBOX.move(row.status, _S.PENDING), next_attempt_at=again, reason=reason
            )
        elif failure is Failure.MIGRATED and result.new_chat_id is not None and row.reason != CHAT_MIGRATED:
            # The group became a supergroup: this message and the group's next ones go to its new id, once.
            log.info(
                "group %s became supergroup %s; reply %s follows it", chat_id, result.new_chat_id, row.id
            )
            pending = OUTBOX.move(row.status, _S.PENDING)
            await outbox.finish(
                row, now, pending, next_attempt_at=now, attempts=row.attempts - 1, reason=CHAT_MIGRATED
            )
            await outbox.retarget(chat_id, result.new_chat_id)
            await TeamGroupRepository(session).move_group(chat_id, result.new_chat_id, now)
        elif failure is Failure.UNCONFIRMED:
            await outbox.finish(row, now, OUTBOX.move(row.status, _S.UNCONFIRMED), reason=reason)
        else:
            await outbox.finish(row, now, OUTBOX.move(row.status, _S.FAILED), reason=reason)
            if failure is Failure.BLOCKED:
                await self._blocked(session, chat_id, result, now)
            else:
                log.warning("outbox message %s to chat %s failed: %s", row.id, chat_id, result)
        return 0

    async def _blocked(
        self, session: AsyncSession, chat_id: int, error: DeliveryError, now: datetime
    ) -> None:
        """The user blocked the bot: nothing more for this chat, no more prompts until they write again.
        For a group, the bot is no longer in it: its team has no group until it is linked again."""
        await OutboxRepository(session).end_chat(chat_id, now)
        if is_group_chat(chat_id):
            await TeamGroupRepository(session).forget_group(chat_id, now)
            log.info("the bot is no longer in group %s (%s)", chat_id, error.reason)
            return
        await UserRepository(session).mark_blocked(chat_id, now)
        await stop_prompts(session, chat_id, now)
        log.info("user %s blocked the bot (%s); marked inactive", chat_id, error.reason)

    async def tick(self) -> int:
        """Send what is due for every chat (rows left by a crash, retries, waits that ended); prune."""
        if self.stopping:
            return 0  # no new batch after a stop: what is pending goes at the next start
        now = self.services.now()
        await self.flush()
        async with self.services.sessionmaker.begin() as session:
            outbox = OutboxRepository(session)
            await outbox.expire_sends(now, started_before=now - self.config.lease)
            if self._pruned_at is None or now - self._pruned_at >= self.config.prune_every:
                await outbox.prune(now - self.config.retention)
                self._pruned_at = now
        if not self.gate.is_open():
            return 0
        async with self.services.sessionmaker() as session:
            chats = await OutboxRepository(session).chats_due(now, self.config.batch)
        if not chats:
            return 0
        slots = asyncio.Semaphore(self.config.concurrency)

        async def deliver(chat_id: int) -> int:
            async with slots:
                return 0 if self.stopping else await self.deliver(chat_id)

        # A task group: a failure (the database went away) cancels the rest, so no send outlives the tick.
        async with asyncio.TaskGroup() as group:
            tasks = [group.create_task(deliver(chat_id)) for chat_id in chats]
        return sum(task.result() for task in tasks)

    async def recover(self) -> int:
        """At start-up of a single process (SQLite): its sends left under way may have arrived."""
        now = self.services.now()
        async with self.services.sessionmaker.begin() as session:
            lost = await OutboxRepository(session).expire_sends(now)
        if lost:
            log.warning(
                "%s replies were being sent when the bot stopped: recorded unconfirmed, not repeated", lost
            )
        return lost
