"""A stop (SIGTERM, SIGINT) under one deadline: what runs may finish within it, the rest is cancelled.

`ShutdownDeadline` is armed the moment the stop is requested and gives every step of the shutdown what is
left of SHUTDOWN_DEADLINE_SECONDS: the last getUpdates that confirms what was stored, the handlers under
way (bot/telegram/inbox_worker.py), the JobQueue's jobs under way (the outbox's and the dispatcher's
sends, a broadcast batch). What has not finished by then is cancelled: a handler's transaction rolls back
(its update stays pending in the inbox), a send cut off mid-request stays `sending` (the next start
records it unconfirmed, never repeats it). The clean-up after that (releasing the inbox lanes, closing
the HTTP clients and the database) has CLEANUP_SECONDS of its own, and a watchdog thread ends the process
with exit code 0 should anything still hang WATCHDOG_SECONDS past the deadline (a database that does not
answer a rollback): everything the bot does is committed in transactions, so an exit then is a crash the
next start already recovers from.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import sys
import threading
import time
from collections.abc import Awaitable, Callable, Collection, Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, NoReturn, TypeVar

from bot.services.container import Services
from bot.services.metrics import Backlog, read_backlog
from bot.telegram.context import BotApplication

if TYPE_CHECKING:
    from bot.telegram.inbox_worker import InboxWorker

log = logging.getLogger(__name__)
T = TypeVar("T")

# After the deadline: how long cancelled work may take to unwind (a rollback), and the clean-up steps.
CANCEL_SECONDS = 1.0
CLEANUP_SECONDS = 2.0
# The last resort: the process exits this long after the deadline whatever still runs.
WATCHDOG_SECONDS = 5.0


class ShutdownDeadline:
    """SHUTDOWN_DEADLINE_SECONDS from the moment `arm()` is first called (the stop request)."""

    def __init__(
        self, seconds: float, clock: Callable[[], float] = time.monotonic, *, watchdog: bool = False
    ) -> None:
        self.seconds = seconds
        self.clock = clock
        self.watchdog = watchdog  # the process's own run (polling, webhook): exit whatever still hangs
        self.armed_at: float | None = None

    def arm(self) -> None:
        """Start the deadline now (and the watchdog, if asked for); later calls change nothing."""
        if self.armed_at is None:
            self.armed_at = self.clock()
            if self.watchdog:
                start_watchdog(self.seconds + WATCHDOG_SECONDS)

    def remaining(self) -> float:
        """Seconds left before the deadline (all of them until armed), never below 0."""
        if self.armed_at is None:
            return self.seconds
        return max(0.0, self.armed_at + self.seconds - self.clock())

    def elapsed(self) -> float:
        return 0.0 if self.armed_at is None else self.clock() - self.armed_at

    @property
    def expired(self) -> bool:
        return self.armed_at is not None and self.remaining() == 0.0

    def at_most(self, seconds: float) -> float:
        """`seconds`, or what is left of the deadline if that is less."""
        return min(seconds, self.remaining())

    async def finish(self, tasks: Collection[asyncio.Future[T]]) -> int:
        """Wait for `tasks` until the deadline, then cancel what is still running and let it unwind for
        up to CANCEL_SECONDS; how many were cancelled."""
        if not tasks:
            return 0
        _, late = await asyncio.wait(tasks, timeout=self.remaining())
        for task in late:
            task.cancel()
        if late:
            await asyncio.wait(late, timeout=CANCEL_SECONDS)
        return len(late)

    def arm_when_set(
        self, stop: asyncio.Event, stop_taking: Callable[[], None] = lambda: None
    ) -> asyncio.Task[None]:
        """A task that arms the deadline and calls `stop_taking` (no new work) the moment `stop` is set,
        before the last getUpdates or the web server's close; cancel it once the run is over."""

        async def arm_on_stop() -> None:
            await stop.wait()
            self.arm()
            stop_taking()

        return asyncio.create_task(arm_on_stop(), name="shutdown deadline")


async def bounded(awaitable: Awaitable[T], seconds: float, what: str) -> T | None:
    """`awaitable`'s result, or None (one WARNING line) when it takes longer than `seconds` or fails:
    a clean-up step must not keep the process from exiting."""
    try:
        return await asyncio.wait_for(awaitable, max(seconds, 0.0))
    except TimeoutError:
        log.warning("shutdown: %s did not finish within %.1f s; going on", what, seconds)
    except Exception as error:  # the database or the network going away: stopping goes on
        log.warning("shutdown: %s failed: %s: %s", what, type(error).__name__, error)
    return None


def start_watchdog(seconds: float) -> None:
    """End the process with exit code 0 after `seconds` if it is still running by then."""

    def overran() -> None:
        log.warning("shutdown: still running %.1f s after the stop request; exiting now", seconds)
        for handler in logging.getLogger().handlers:
            with contextlib.suppress(Exception):
                handler.flush()
        with contextlib.suppress(Exception):
            sys.stdout.flush()
            sys.stderr.flush()
        os._exit(0)

    timer = threading.Timer(seconds, overran)
    timer.daemon = True  # a clean exit before then does not wait for it
    timer.start()


def exit_now(code: int) -> NoReturn:
    """End the process after a clean shutdown without the interpreter's teardown: with everything closed
    it does nothing useful, and on a loaded machine it can take seconds (the stop must end in time)."""
    logging.shutdown()  # flushes and closes the log handlers
    with contextlib.suppress(Exception):
        sys.stdout.flush()
        sys.stderr.flush()
    os._exit(code)


# --- the sequence ------------------------------------------------------------------------------------------


async def shut_down(
    application: BotApplication,
    worker: InboxWorker | None,
    consuming: asyncio.Task[None] | None,
    post_shutdown: Callable[[BotApplication], Awaitable[None]],
    deadline: ShutdownDeadline | None = None,
) -> None:
    """The end of a run, polling or webhook, under one deadline (the module's docstring): no new work
    starts; the handlers and the jobs (sends) under way finish until the deadline, the rest is cancelled;
    then the application stops, and one line says what was left for the next start."""
    if deadline is None:
        deadline = ShutdownDeadline(application.bot_data.services.settings.shutdown_deadline_seconds)
    deadline.arm()
    stop_taking_work(application)
    if worker is not None:
        worker.stop_taking()
    left = LeftOver()
    handlers = asyncio.ensure_future(worker.stop(deadline)) if worker is not None else None
    left.jobs = await finish_jobs(application, deadline)
    if handlers is not None:
        # Bounded by the deadline itself; the margin covers only releasing the lanes after it.
        await bounded(handlers, deadline.remaining() + 2 * CANCEL_SECONDS, "stopping the inbox consumer")
    if consuming is not None:
        await deadline.finish([consuming])  # its round under way (a claim in the database)
    if worker is not None:
        left.updates, left.updates_cut = worker.left, worker.cut_off
    outbox = application.bot_data.outbox
    await bounded(outbox.flush(), CLEANUP_SECONDS, "writing down the last sent replies")
    left.replies = outbox.cut
    dispatcher = application.bot_data.dispatcher
    left.prompts = dispatcher.cut if dispatcher is not None else 0
    await left.read_backlog(application.bot_data.services)
    if application.running:
        await bounded(application.stop(), CLEANUP_SECONDS, "stopping the application")
    await bounded(application.shutdown(), CLEANUP_SECONDS, "shutting the application down")
    await bounded(application.bot.shutdown(), CLEANUP_SECONDS, "closing the Bot API clients")
    await post_shutdown(application)
    left.report(deadline)


# --- PTB's JobQueue ---------------------------------------------------------------------------------------


class RunStop:
    """One run's stop, shared by polling, webhook and worker runs: the moment `stop` is set the deadline is
    armed and no new work is taken (the jobs, and the inbox consumer once `worker` is set)."""

    def __init__(self, application: BotApplication, stop: asyncio.Event) -> None:
        self.application = application
        self.worker: InboxWorker | None = None
        seconds = application.bot_data.services.settings.shutdown_deadline_seconds
        self.deadline = ShutdownDeadline(seconds, watchdog=True)
        self._arming = self.deadline.arm_when_set(stop, self._stop_taking)

    def _stop_taking(self) -> None:
        stop_taking_work(self.application)
        if self.worker is not None:
            self.worker.stop_taking()

    def run_over(self) -> None:
        """The run has ended (stopped or not): the watch on `stop` is no longer needed."""
        self._arming.cancel()


def stop_taking_work(application: BotApplication) -> None:
    """At a stop request no job starts (an outbox batch, a dispatcher tick, ...) and the running ones
    take no further work; what they are sending may finish (`finish_jobs`)."""
    queue = application.job_queue
    if queue is not None and queue.scheduler.running:
        queue.scheduler.pause()
    application.bot_data.outbox.stop_taking()
    if application.bot_data.dispatcher is not None:
        application.bot_data.dispatcher.stop_taking()


async def finish_jobs(application: BotApplication, deadline: ShutdownDeadline) -> int:
    """Wait for the jobs under way until the deadline (PTB's `stop` would wait for ever), cancel the rest;
    how many were cancelled. Application.stop() then finds none left."""
    queue = application.job_queue
    if queue is None:
        return 0
    running: set[asyncio.Future[object]] = set(_pending_jobs(queue))
    cut = await deadline.finish(running)
    await bounded(queue.stop(wait=False), CANCEL_SECONDS, "stopping the job queue")
    return cut


def _pending_jobs(queue: object) -> Iterator[asyncio.Future[object]]:
    # APScheduler's AsyncIOExecutor keeps the futures of running jobs here; PTB's own stop reads it too.
    executor = getattr(queue, "_executor", None)
    for future in list(getattr(executor, "_pending_futures", ())):
        if isinstance(future, asyncio.Future) and not future.done():
            yield future


# --- what was left ----------------------------------------------------------------------------------------


@dataclass
class LeftOver:
    """What a stop could not finish, for its one log line."""

    updates: int = 0  # handed to this process's handlers and not handled (pending in the inbox)
    updates_cut: int = 0  # of those, cut off under way by the deadline (rolled back)
    replies: int = 0  # replies cut off mid-request (left `sending`: unconfirmed at the next start)
    prompts: int = 0  # review prompts cut off mid-request (the same rule)
    jobs: int = 0  # JobQueue jobs cancelled at the deadline
    backlog: Backlog | None = None  # what waits in the database as the process leaves (None: unread)

    @property
    def cut(self) -> bool:
        """Whether the deadline (or the stop) left work of this process unfinished."""
        return bool(self.updates_cut or self.replies or self.prompts or self.jobs)

    async def read_backlog(self, services: Services) -> None:
        """What waits in the inbox and the outbox for the next start, unless the database is slow."""
        self.backlog = await bounded(read_backlog(services), CANCEL_SECONDS, "counting what waits")

    def report(self, deadline: ShutdownDeadline) -> None:
        """The one line: WARNING when the stop cut work off, INFO otherwise."""
        waiting = (
            f"{self.backlog.inbox_depth} updates wait in the inbox and {self.backlog.outbox_depth} "
            "replies in the outbox"
            if self.backlog is not None
            else "the inbox and the outbox could not be counted"
        )
        log.log(
            logging.WARNING if self.cut else logging.INFO,
            "shutdown finished in %.1f s (SHUTDOWN_DEADLINE_SECONDS=%g): %d updates left unhandled "
            "(%d cut off under way, rolled back), %d replies and %d prompts cut off while being sent "
            "(not repeated), %d jobs cancelled; for the next start %s",
            deadline.elapsed(), deadline.seconds, self.updates, self.updates_cut, self.replies, self.prompts,
            self.jobs, waiting,
        )  # fmt: skip
