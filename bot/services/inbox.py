"""The durable inbox: every update is stored before Telegram is told it arrived, and handled exactly once.

Polling stores each getUpdates batch in one transaction (`store_batch`) before the next getUpdates call
confirms it. Consumers (bot/telegram/inbox_worker.py) take whole lanes, one user's updates, in rounds
(`claim_round`): one transaction releases the lanes they are done with, claims free ones that have
pending updates, reads those updates oldest first and counts an attempt for each lane's head. An update
is moved to done inside its handler's own transaction (`mark_handled`, from the turn), so its effects and
the move commit together or not at all; updates that reach no turn are finished by the consumer
(`finish_update`). Done and failed rows are pruned after INBOX_RETENTION_HOURS (`prune`).
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Sequence
from contextvars import ContextVar
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from sqlalchemy.ext.asyncio import AsyncSession

from bot.core.lifecycle.inbox import DIED_UNDER_IT, GAVE_UP, after_claim
from bot.storage.repositories.inbox import InboxRepository, PendingUpdate
from bot.storage.repositories.inbox_lanes import LaneRepository

if TYPE_CHECKING:
    from bot.services.container import Services

# The lane of updates with neither a user nor a chat (polls, say): handled in order among themselves.
NO_LANE = 0
REASON_LENGTH = 200


@dataclass(frozen=True, slots=True)
class Arrival:
    """What the inbox keeps of an update: its id, who sent it, where, and its JSON (read only if stored)."""

    update_id: int
    user_id: int | None
    chat_id: int | None
    payload: Callable[[], dict[str, Any]]

    @property
    def lane_id(self) -> int:
        """One user's updates are one lane; without a user, the chat's; without either, NO_LANE."""
        if self.user_id is not None:
            return self.user_id
        return self.chat_id if self.chat_id is not None else NO_LANE

    def row(self, now: datetime) -> dict[str, Any]:
        return {
            "update_id": self.update_id,
            "lane_id": self.lane_id,
            "user_id": self.user_id,
            "chat_id": self.chat_id,
            "payload": self.payload(),
            "received_at": now,
        }


# --- storing -------------------------------------------------------------------------------------------


async def store_batch(services: Services, arrivals: Sequence[Arrival]) -> None:
    """One getUpdates batch in one commit: its updates (any already stored are left alone) and a lane for
    each sender. Returns once it is durable; only then may the offset move past it."""
    if not arrivals:
        return
    now, dialect = services.now(), services.engine.dialect.name
    async with services.sessionmaker.begin() as session:
        await LaneRepository(session).ensure({arrival.lane_id for arrival in arrivals}, dialect)
        await InboxRepository(session).store([arrival.row(now) for arrival in arrivals], dialect)


# --- the turn ---------------------------------------------------------------------------------------------


@dataclass(slots=True)
class Delivery:
    """One stored update being fed to the application by a consumer: what became of it."""

    update_id: int
    marked: bool = False  # its turn moved it to done (committed unless `error` says otherwise)
    committed: bool = False  # shutdown15: that turn's transaction has committed (a stop may cut it off after)
    error: BaseException | None = None  # a handler raised (the error handler has told the user)


# The consumer's update of the running task; the turn and the error handler, called inside
# Application.process_update in the same task, report to it.
CURRENT_DELIVERY: ContextVar[Delivery | None] = ContextVar("current_delivery", default=None)


async def mark_handled(session: AsyncSession, arrival: Arrival, now: datetime) -> bool:
    """Move the update to done in the turn's transaction, so it commits with the handler's effects;
    an update not stored (fed to the application directly: the shell, handler tests) is recorded done.
    False when it was stored done or failed already: a re-delivery, to be ignored."""
    inbox = InboxRepository(session)
    marked = await inbox.mark_handled(arrival.update_id, now)
    if not marked:
        dialect = session.get_bind().dialect.name
        marked = await inbox.record_handled(arrival.row(now), dialect)
    delivery = CURRENT_DELIVERY.get()
    if marked and delivery is not None and delivery.update_id == arrival.update_id:
        delivery.marked = True
    return marked


def note_committed() -> None:
    """The turn of the update being delivered has committed: cut off now, it is handled all the same."""
    delivery = CURRENT_DELIVERY.get()
    if delivery is not None and delivery.marked:
        delivery.committed = True


def note_error(error: BaseException | None) -> None:
    """A handler of the update being delivered raised: its consumer marks it failed."""
    delivery = CURRENT_DELIVERY.get()
    if delivery is not None and error is not None:
        delivery.error = error


# --- consuming ---------------------------------------------------------------------------------------------


@dataclass
class Round:
    """What one consumer round decided: lanes released, lanes now this consumer's with their updates
    (oldest first), updates given up (each lane's head that was under way when the process died too often)."""

    released: set[int] = field(default_factory=set)
    lost: set[int] = field(default_factory=set)  # lanes whose lease lapsed and another consumer took
    work: dict[int, list[PendingUpdate]] = field(default_factory=dict)
    empty: set[int] = field(default_factory=set)  # held lanes in which nothing is pending any more
    given_up: list[PendingUpdate] = field(default_factory=list)
    claimed: int = 0
    wanted: int = 0  # how many lanes the claim asked for


async def claim_round(
    services: Services,
    worker: str,
    *,
    idle: Collection[int],
    renew: Collection[int],
    slots: int,
    lease: timedelta,
    fetch: int,
    now: datetime,
) -> Round:
    """One transaction: release `idle` lanes with nothing pending (the others stay, to be worked again),
    renew the lease on `renew` and on the idle lanes kept, claim more lanes to fill `slots` (the lanes
    kept take their share), and read the pending updates of every lane this round hands out."""
    now = services.now()
    until = now + lease
    result = Round()
    async with services.sessionmaker.begin() as session:
        lanes, inbox = LaneRepository(session), InboxRepository(session)
        result.released = await lanes.release_idle(worker, idle)
        kept = set(idle) - result.released
        held = set(renew) | kept
        still_mine = await lanes.renew(worker, held, until)
        result.lost = held - still_mine
        kept &= still_mine
        claimed = await lanes.claim(worker, now, until, slots - len(kept))
        result.claimed, result.wanted = len(claimed), max(slots - len(kept), 0)
        handed_out = kept | set(claimed)
        for pending in await inbox.pending_of(handed_out, fetch):
            result.work.setdefault(pending.lane_id, []).append(pending)
        result.empty = handed_out - set(result.work)
        heads = [updates[0] for updates in result.work.values()]
        await inbox.count_attempt([head.update_id for head in heads])
        for head in heads:
            if after_claim(head.attempts + 1) == GAVE_UP:
                await inbox.finish(head.update_id, services.now(), DIED_UNDER_IT)
                result.work[head.lane_id].pop(0)
                result.given_up.append(head)
    return result


async def finish_update(services: Services, update_id: int, error: BaseException | None) -> None:
    """After Application.process_update: an update its turn did not move is done (nothing handles it,
    or a handler without a turn did), or failed when a handler raised."""
    reason = None if error is None else f"{type(error).__name__}: {error}"[:REASON_LENGTH]
    async with services.sessionmaker.begin() as session:
        await InboxRepository(session).finish(update_id, services.now(), reason)


async def release_lanes(services: Services, workers: Collection[str] | None) -> None:
    """Release the lanes of `workers` (a consumer stopping, or claimers known to be dead); with None
    (SQLite's single process starting), every lane: a claim left behind is of a process that died."""
    async with services.sessionmaker.begin() as session:
        await LaneRepository(session).release_all(workers)


async def lane_claimers(services: Services) -> set[str]:
    async with services.sessionmaker() as session:
        return await LaneRepository(session).claimers()


async def prune(services: Services) -> int:
    """Delete updates handled or failed more than INBOX_RETENTION_HOURS ago; how many went."""
    retention = timedelta(hours=services.settings.inbox_retention_hours)
    async with services.sessionmaker.begin() as session:
        return await InboxRepository(session).prune(services.now() - retention)


async def newest_update_id(services: Services) -> int:
    """The highest update id the inbox holds (0 when empty): where a restarted local shell goes on."""
    async with services.sessionmaker() as session:
        return await InboxRepository(session).newest_update_id() or 0
