"""The inbox's consumer: takes users' lanes and feeds their stored updates through the Application.

Each lane (one user's updates) is worked by one task, one update at a time, oldest update_id first;
up to INBOX_CONCURRENCY lanes at once. Updates go through `Application.process_update`, the way every
update enters (CleanInputApplication cleans them first); the turn moves each to done inside its own
transaction, and what reaches no turn is finished here afterwards. Rounds (bot/services/inbox.py
`claim_round`) are woken by polling when it stored a batch, by a lane running out of work while more
may be waiting, and by a timer that renews the leases and picks up what other processes stored.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import socket
import uuid
from collections.abc import Iterable, Sequence
from datetime import timedelta

from telegram import Update
from telegram.error import TelegramError

from bot.i18n import translator
from bot.services import inbox
from bot.services.container import Clock, system_clock
from bot.services.inbox import CURRENT_DELIVERY, Delivery
from bot.services.users import user_language
from bot.storage.repositories.inbox import PendingUpdate
from bot.telegram.arrivals import arrival_of
from bot.telegram.context import BotApplication, BotContext
from bot.telegram.observe import count_received, observe_update
from bot.telegram.shutdown import CANCEL_SECONDS, ShutdownDeadline, bounded

log = logging.getLogger(__name__)

# Updates read per round for all the lanes it hands out (a lane with more is read again when done).
FETCH = 500
# A round also runs this often without being woken: leases are renewed, other processes' updates seen.
TICK_SECONDS = 1.0
MAX_BACKOFF_SECONDS = 15.0


def worker_name() -> str:
    """host:pid:random, unique per process start: a restarted process must not take a dead one's claims
    for its own, yet can tell which claims are of dead processes on its own host (`dead_claimers`)."""
    return f"{socket.gethostname()[:30]}:{os.getpid()}:{uuid.uuid4().hex[:8]}"


def dead_claimers(claimers: Iterable[str], me: str) -> set[str]:
    """Claimers that are processes of this host no longer running (or an earlier process that had this
    one's pid, as in a restarted container), whose lanes need not wait for their leases to lapse."""
    host, pid, _ = me.split(":")
    dead = set()
    for claimer in claimers:
        parts = claimer.split(":")
        if claimer == me or len(parts) != 3 or parts[0] != host or not parts[1].isdigit():
            continue
        if parts[1] == pid or not _running(int(parts[1])):
            dead.add(claimer)
    return dead


def _running(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # someone else's process: alive
    return True


async def note_inbox_error(update: object, context: BotContext) -> None:
    """An error handler (after the one that tells the user): the update being delivered is failed."""
    inbox.note_error(context.error)


class InboxWorker:
    """One process's consumer of the inbox. `run()` until `stop()`; `wake()` when updates were stored."""

    def __init__(
        self,
        application: BotApplication,
        *,
        name: str | None = None,
        concurrency: int | None = None,
        lease_clock: Clock = system_clock,
    ) -> None:
        self.application = application
        self.services = application.bot_data.services
        settings = self.services.settings
        self.name = name or worker_name()
        self.concurrency = concurrency or settings.inbox_concurrency
        self.lease = timedelta(seconds=settings.inbox_lease_seconds)
        self.tick = min(TICK_SECONDS, settings.inbox_lease_seconds / 3)
        self.working: dict[int, asyncio.Task[None]] = {}  # lane -> the task working it
        self.idle: set[int] = set()  # lanes still claimed, their work done: released next round
        self.handled = 0
        self._wake = asyncio.Event()
        self._more_to_claim = True
        self._stopping = False
        self.left = 0  # updates handed out and not handled at a stop: not begun, or cut off by its deadline
        self.cut_off = 0  # of those, cut off by the deadline (their transactions rolled back)
        # Leases are kept in real time: CLOCK_START's clock starts over in each process.
        self.lease_clock = lease_clock
        self._renewed_at = lease_clock()

    # Control ------------------------------------------------------------------------------------

    def wake(self) -> None:
        """New updates may be waiting (polling stored a batch): run a round that claims."""
        self._more_to_claim = True
        self._wake.set()

    async def run(self) -> None:
        """Rounds until `stop()`; a failing round (the database away) is logged in one line and retried."""
        failures, recovered = 0, False
        self._wake.set()  # the first round at once: what a previous run left pending
        while not self._stopping:
            try:
                await asyncio.wait_for(self._wake.wait(), self.tick)
            except TimeoutError:
                # Nobody woke us: look for what other processes stored and for leases that lapsed.
                self._more_to_claim = True
            self._wake.clear()
            if self._stopping:
                break
            try:
                if not recovered:
                    await self.recover()
                    recovered = True
                await self.round()
                failures = 0
            except Exception as error:  # drivers raise many types; all mean "try again"
                failures += 1
                delay = min(MAX_BACKOFF_SECONDS, 2.0 ** (failures - 1))
                log.warning(
                    "inbox round failed: %s: %s; retrying in %.0f s", type(error).__name__, error, delay
                )
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(self._wake.wait(), delay)

    async def recover(self) -> None:
        """At start: release the lanes of processes known to be dead (on SQLite, all claims: it runs one
        process); other claims are taken over once their lease lapses."""
        if self.services.settings.is_sqlite:
            await inbox.release_lanes(self.services, None)
            return
        dead = dead_claimers(await inbox.lane_claimers(self.services), self.name)
        if dead:
            await inbox.release_lanes(self.services, dead)
            log.info("released the inbox lanes of %d stopped processes of this host", len(dead))

    def stop_taking(self) -> None:
        """A stop request: no lane is claimed any more and no lane starts its next update."""
        self._stopping = True
        self._wake.set()

    async def stop(self, deadline: ShutdownDeadline | None = None) -> int:
        """Let the updates under way finish until the shutdown's deadline (SHUTDOWN_DEADLINE_SECONDS from
        now if none is given), cancel the rest (their transactions roll back: pending in the inbox), and
        release the lanes; how many updates handed to this consumer were left unhandled."""
        if deadline is None:
            deadline = ShutdownDeadline(self.services.settings.shutdown_deadline_seconds)
            deadline.arm()
        self.stop_taking()
        # A round under way may still hand out lanes: their tasks end at once (stopping), so wait again.
        while self.working and not deadline.expired:
            await asyncio.wait(list(self.working.values()), timeout=deadline.remaining())
        await deadline.finish(list(self.working.values()))
        await bounded(
            inbox.release_lanes(self.services, [self.name]), CANCEL_SECONDS, "releasing the inbox lanes"
        )
        log.info("inbox consumer %s stops: %d updates handled, %d left", self.name, self.handled, self.left)
        return self.left

    async def drain(self) -> None:
        """Rounds until nothing is pending for this consumer and no lane is being worked (tests)."""
        while True:
            self._more_to_claim = True
            claimed = await self.round()
            if self.working:
                await asyncio.gather(*self.working.values())
                continue
            if not claimed and not self.idle:
                return

    # Rounds -------------------------------------------------------------------------------------

    async def round(self) -> bool:
        """Release, renew, claim and start work; whether any lane was handed out."""
        now = self.lease_clock()
        renew_due = now - self._renewed_at >= self.lease / 3
        slots = max(self.concurrency - len(self.working), 0) if self._more_to_claim else 0
        idle = set(self.idle)
        result = await inbox.claim_round(
            self.services,
            self.name,
            idle=idle,
            renew=set(self.working) if renew_due else set(),
            slots=slots,
            lease=self.lease,
            fetch=FETCH,
            now=now,
        )
        if result.work or result.released:
            log.debug("inbox round: %d lanes released, %d claimed, %d updates handed out",
                      len(result.released), result.claimed, sum(map(len, result.work.values())))  # fmt: skip
        if renew_due:
            self._renewed_at = now
        self.idle -= idle
        if result.claimed < result.wanted:
            self._more_to_claim = False  # everything claimable was claimed
        for lane_id in result.lost:
            log.warning("inbox lane %s was taken over by another consumer (lease lapsed)", lane_id)
        for given_up in result.given_up:
            await self._tell_given_up(given_up)
        for lane_id, updates in result.work.items():
            if lane_id in self.working:
                continue  # our lease lapsed and we claimed it again: its task goes on, then reads again
            if updates:
                self.working[lane_id] = asyncio.create_task(self._work(lane_id, updates))
            else:
                self.idle.add(lane_id)
        self.idle |= result.empty
        return bool(result.work)

    async def _work(self, lane_id: int, updates: list[PendingUpdate]) -> None:
        begun = 0
        try:
            for pending in updates:
                if self._stopping:
                    break
                begun += 1
                await self._deliver(pending)
        finally:
            if self._stopping:
                self.left += len(updates) - begun  # not begun at a stop: pending, for the next start
            self.working.pop(lane_id, None)
            self.idle.add(lane_id)
            if self._more_to_claim:
                self._wake.set()

    async def _deliver(self, pending: PendingUpdate) -> None:
        """One update through the Application; finished here if its turn did not move it."""
        update = Update.de_json(pending.payload, self.application.bot)
        delivery = Delivery(pending.update_id)
        token = CURRENT_DELIVERY.set(delivery)
        metrics = self.application.bot_data.metrics
        try:
            async with observe_update(metrics, update, failed=lambda: delivery.error is not None):  # web15
                await self.application.process_update(update)
        except asyncio.CancelledError:
            if not delivery.committed:
                self.left += 1  # cut off by a stop's deadline before its turn committed: rolled back
                self.cut_off += 1
            raise
        finally:
            CURRENT_DELIVERY.reset(token)
        self.handled += 1
        if delivery.marked and delivery.error is None:
            return
        try:
            await inbox.finish_update(self.services, pending.update_id, delivery.error)
        except Exception as error:  # left pending: handled (or finished) again later
            log.warning("could not finish update %s: %s: %s", pending.update_id, type(error).__name__, error)

    async def _tell_given_up(self, pending: PendingUpdate) -> None:
        """The update was under way each time the process died: say once that it was not handled."""
        log.error("update %s was under way at %d crashes; marked failed", pending.update_id, pending.attempts)
        sender = Update.de_json(pending.payload, self.application.bot).effective_user
        if pending.chat_id is None:
            return
        user_id, code = (sender.id, sender.language_code) if sender is not None else (None, None)
        _ = translator(await user_language(self.services, user_id, code))
        text = _("Sorry, something went wrong on my side. What you saved before is safe; please try again.")
        try:
            await self.application.bot.send_message(pending.chat_id, text)
        except TelegramError as error:
            log.warning(
                "could not tell chat %s about update %s: %s", pending.chat_id, pending.update_id, error
            )


# --- in a polling process --------------------------------------------------------------------------------

PRUNE_EVERY_SECONDS = 3600.0


def start_inbox(application: BotApplication) -> InboxWorker:
    """The process's consumer (its `run()` is the caller's to start) and the hourly prune job."""
    worker = InboxWorker(application)
    if application.job_queue is not None:
        application.job_queue.run_repeating(
            _prune, interval=PRUNE_EVERY_SECONDS, first=60, name="inbox prune"
        )
    return worker


async def store_updates(application: BotApplication, worker: InboxWorker, updates: Sequence[Update]) -> None:
    """A getUpdates batch into the inbox (one commit), then the consumer woken to handle it."""
    await inbox.store_batch(application.bot_data.services, [arrival_of(update) for update in updates])
    count_received(application.bot_data.metrics, updates)  # web15
    worker.wake()


async def _prune(context: BotContext) -> None:
    pruned = await inbox.prune(context.services)
    if pruned:
        log.info("pruned %d handled updates from the inbox", pruned)
