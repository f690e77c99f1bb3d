"""Updates per second of the real bot process against a bare PTB echo bot, and /log latency at a steady rate.

One HTTP Bot API emulator (tests/emulator) runs in this process on 127.0.0.1; the bots are child processes
long-polling it as in production, with TELEGRAM_RATE_LIMIT=0 and DISPATCHER_ENABLED=false (so only updates
are measured) and PTB's default one-update-at-a-time processing:

- real: `python -m bot run` on a fresh SQLite file (and on PostgreSQL with --database-url). N users are
  seeded as onboarded, each with one open revenue goal and a daily result on every working day so far;
  every update is "/log 3 visits, 12 calls, 1 deal 50k" (parse, DB write, reply with the goal's pace),
  round robin over the users.
- echo: bench/echo_bot.py, the same PTB, transport and emulator, one handler sending the text back.
- latency: the real bot fed at a steady rate; each update timed from its push to the emulator receiving
  its reply (replies matched per chat, in order).
- inprocess: the same /log updates through the real Application with the in-process transport (no HTTP),
  timed per stage of the handler, with the SQL statements it runs.
- profile: one more burst with `py-spy record --idle --threads` attached to the real bot (SQLite).

Throughput: after a warm-up (one update per user), all of a burst's updates are queued at once; updates/s
is counted from the first push to the moment the emulator receives the last reply (sendMessage).

    .venv/bin/python bench/bench_throughput.py            # SQLite and echo, about 2 minutes
    .venv/bin/python bench/bench_throughput.py --database-url postgresql://postgres@127.0.0.1:55433/bench_throughput \\
        --reset-database                                  # adds PostgreSQL, about 3 minutes
    options: --users 200 --updates 800 --repeat 3 --rate 50[,25] --seconds 20 --parts real,echo,latency,...
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import os
import re
import shutil
import signal
import statistics
import sys
import tempfile
import time
from collections import Counter, defaultdict, deque
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

from sqlalchemy import func, select, text
from sqlalchemy.ext.asyncio import AsyncSession

# `bot` from this tree (not from where the virtualenv's editable install points), and tests/ (the emulator,
# the end-to-end harness), which is not installed: run from anywhere.
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from bench.sqlite_drivers import DRIVERS, check_drivers, use_driver
from bot.core.goal_draft import GoalDraft
from bot.devtools.fake_bot_api import FakeBotApi, SentCall
from bot.services.goals import create_goal
from bot.settings import load_settings
from bot.storage.database import create_engine
from bot.storage.migrate import upgrade
from bot.storage.models import Entry, User
from tests.e2e.harness import REPO_ROOT, TOKEN, bot_env
from tests.emulator import Emulator, run_emulator

TEXT = "/log 3 visits, 12 calls, 1 deal 50k"
FIRST_USER_ID = 10_000_001
# bot_env's clock: Friday 2026-11-27, 10:00 in Shanghai. Goals run November-December, results since Nov 2.
NOW = datetime(2026, 11, 27, 2, 0, tzinfo=UTC)
GOAL_START, GOAL_END = date(2026, 11, 2), date(2026, 12, 31)
WAIT = 60.0
ALL_PARTS = ("real", "echo", "latency", "inprocess", "profile")


# --- the database ------------------------------------------------------------------------------------


async def seed(database_url: str, users: int, reset: bool) -> None:
    """Users onboarded with one open revenue goal each and a daily result on every working day so far."""
    engine = create_engine(database_url)
    if reset and engine.dialect.name == "postgresql":
        async with engine.begin() as connection:
            await connection.execute(text("DROP SCHEMA public CASCADE"))
            await connection.execute(text("CREATE SCHEMA public"))
    await upgrade(engine)
    async with AsyncSession(engine) as session, session.begin():
        if await session.scalar(select(func.count()).select_from(User)):
            raise SystemExit(
                f"{database_url}: the database already has users; give an empty one (or --reset-database)"
            )
        for index in range(users):
            user_id = FIRST_USER_ID + index
            user = User(
                id=user_id,
                first_name=f"Bench {index}",
                telegram_language="en",
                language="en",
                timezone="Asia/Shanghai",
                country="CN",
                created_at=NOW,
                updated_at=NOW,
                onboarded_at=NOW,
            )
            session.add(user)
            await session.flush()
            draft = GoalDraft(metric="revenue", kind="currency", unit="CNY", description="Q4 revenue",
                              target_value=Decimal(1_000_000), start_date=GOAL_START, deadline=GOAL_END,
                              confidence=7, relevance="Company target")  # fmt: skip
            goal = await create_goal(session, user, draft, NOW)
            day = GOAL_START
            while day < NOW.date():
                if day.isoweekday() <= 5:
                    session.add(Entry(user_id=user_id, goal_id=goal.id, day=day, amount=Decimal(15_000 + index),
                                      created_at=NOW, source="review"))  # fmt: skip
                day += timedelta(days=1)
    await engine.dispose()


# --- what the emulator sees ------------------------------------------------------------------------------


@dataclass
class Tracker:
    """Listens to the emulator's model: when each reply arrived, matched to its update per chat, in order."""

    expect: Callable[[str, str], bool]  # (update text, reply text) -> the reply is the right answer
    pushed: dict[int, deque[tuple[float, str]]] = field(default_factory=lambda: defaultdict(deque))
    latencies: list[float] = field(default_factory=list)
    wrong: list[str] = field(default_factory=list)
    replies: int = 0
    target: int = 0
    last: float = 0.0
    done: asyncio.Event = field(default_factory=asyncio.Event)

    def expect_more(self, count: int) -> None:
        self.target = self.replies + count
        self.done.clear()

    def note_push(self, chat_id: int, text: str) -> None:
        self.pushed[chat_id].append((time.perf_counter(), text))

    def on_call(self, call: SentCall) -> None:
        if call.method != "sendMessage":
            return
        now = time.perf_counter()
        self.replies += 1
        self.last = now
        waiting = self.pushed[call.chat_id or 0]
        if waiting:
            at, sent = waiting.popleft()
            self.latencies.append(now - at)
            if not self.expect(sent, call.text) and len(self.wrong) < 5:
                self.wrong.append(call.text)
        elif len(self.wrong) < 5:
            self.wrong.append(f"(unasked) {call.text}")
        if self.replies >= self.target:
            self.done.set()


def real_answer(sent: str, reply: str) -> bool:
    return reply.startswith("Logged for ")


def echo_answer(sent: str, reply: str) -> bool:
    return reply == sent


# --- the bot processes ----------------------------------------------------------------------------------


class Child:
    """A bot process with its output in a file (a full pipe would stall it)."""

    def __init__(self, name: str, argv: Sequence[str], env: dict[str, str], workdir: Path) -> None:
        self.name, self.argv, self.env = name, list(argv), env
        self.log_path = workdir / f"{name}.log"
        self.process: asyncio.subprocess.Process | None = None

    @property
    def pid(self) -> int:
        assert self.process is not None
        return self.process.pid

    async def start(self, emulator: Emulator) -> None:
        before = sum(1 for method, _ in emulator.received if method == "deleteWebhook")
        with self.log_path.open("wb") as log:
            self.process = await asyncio.create_subprocess_exec(
                *self.argv,
                cwd=REPO_ROOT,
                env=self.env,
                stdin=asyncio.subprocess.DEVNULL,
                stdout=log,
                stderr=log,
            )
        # run_polling removes the webhook right before its first getUpdates: from then on it is polling.
        deadline = time.monotonic() + WAIT
        while sum(1 for method, _ in emulator.received if method == "deleteWebhook") <= before:
            self.check()
            if time.monotonic() > deadline:
                self.fail("did not start polling within 60 s")
            await asyncio.sleep(0.05)

    def cpu_seconds(self) -> float:
        """User and system CPU time of the process so far, all its threads (Linux /proc)."""
        try:
            fields = Path(f"/proc/{self.pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            return float("nan")
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")

    def check(self) -> None:
        if self.process is not None and self.process.returncode is not None:
            self.fail(f"exited with {self.process.returncode}")

    def fail(self, why: str) -> None:
        tail = "".join(self.log_path.read_text(errors="replace").splitlines(keepends=True)[-30:])
        raise SystemExit(f"{self.name} {why}; last lines of {self.log_path}:\n{tail}")

    async def stop(self) -> None:
        if self.process is None or self.process.returncode is not None:
            return
        self.process.send_signal(signal.SIGTERM)
        try:
            await asyncio.wait_for(self.process.wait(), 20)
        except TimeoutError:
            self.process.kill()
            await self.process.wait()


async def wait_done(tracker: Tracker, child: Child, what: str, timeout: float = 300.0) -> None:  # noqa: ASYNC109
    deadline = time.monotonic() + timeout
    while not tracker.done.is_set():
        child.check()
        if time.monotonic() > deadline:
            child.fail(
                f"gave {tracker.replies} of {tracker.target} replies for {what} within {timeout:.0f} s"
            )
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(tracker.done.wait(), 0.5)


# --- the load ---------------------------------------------------------------------------------------------


@dataclass
class Burst:
    rate: float  # updates/s
    bot_cpu_ms: float  # the bot process's CPU time per update, all threads
    emulator_cpu_ms: float  # this process's (the emulator's) CPU time per update


class Load:
    def __init__(self, api: FakeBotApi, users: int) -> None:
        self.api = api
        self.users = [api.user(FIRST_USER_ID + index, first_name=f"Bench {index}") for index in range(users)]
        self.next_user = 0

    def update(self, tracker: Tracker) -> dict[str, Any]:
        user = self.users[self.next_user % len(self.users)]
        self.next_user += 1
        tracker.note_push(user["id"], TEXT)
        return self.api.message_update(user, TEXT)

    async def burst(self, tracker: Tracker, child: Child, count: int) -> Burst:
        """Queue `count` updates at once and time them from the first push to the last reply."""
        tracker.expect_more(count)
        bot_cpu, own_cpu = child.cpu_seconds(), time.process_time()
        began = time.perf_counter()
        for _ in range(count):
            await self.api.push(self.update(tracker))
        await wait_done(tracker, child, f"a burst of {count}")
        seconds = tracker.last - began
        bot_ms = 1000 * (child.cpu_seconds() - bot_cpu) / count
        return Burst(count / seconds, bot_ms, 1000 * (time.process_time() - own_cpu) / count)

    async def steady(
        self, tracker: Tracker, child: Child, rate: float, seconds: float
    ) -> tuple[list[float], float]:
        """Push `rate` updates a second for `seconds`: each update's latency in ms, and replies/s achieved."""
        count = round(rate * seconds)
        tracker.expect_more(count)
        first = len(tracker.latencies)
        began = time.perf_counter()
        for index in range(count):
            delay = began + index / rate - time.perf_counter()
            if delay > 0:
                await asyncio.sleep(delay)
            await self.api.push(self.update(tracker))
        await wait_done(tracker, child, f"{count} updates at {rate}/s")
        return [1000 * value for value in tracker.latencies[first:]], count / (tracker.last - began)


# --- where the time of one /log goes, in this process ---------------------------------------------------

# (module or "module:Class", attribute, label): bot functions timed around each call (one called inside another
# counts for the outer one); a name a tree does not have drops out. What they leave over of an update is PTB's
# dispatch, Update objects and the handler's own code.
STAGES = (
    (
        "bot.telegram.context",
        "meet_for_update",
        "user_turn: BEGIN, the user and last_update_id (UPDATE ... RETURNING)",
    ),
    ("bot.telegram.context", "clean_update", "clean_update (bot/telegram/sanitize.py)"),
    ("bot.telegram.handlers.reviews", "parse_report", "parse_report (bot/core/quick_log.py)"),
    (
        "bot.storage.repositories.plans:PlanRepository",
        "open_goals_with_plans",
        "log_report: the open goals with their plan rows (one SELECT, read once)",
    ),
    ("bot.services.coaching", "open_goal_inputs", "open_goal_inputs (the rest: results, rarer rows)"),
    ("bot.services.coaching", "build_outlooks", "build_outlooks, twice (plans and pace before and after)"),
    ("bot.services.coaching", "record_report", "record_report (INSERT entries, activities, audit)"),
    ("bot.services.coaching", "triggers_after", "triggers_after (milestones, best week, off track)"),
    ("bot.services.coaching", "reward_triggers", "reward_triggers"),
    ("bot.services.coaching", "queue_nudges", "queue_nudges"),
    ("bot.telegram.handlers.reviews", "report_text", "reply text (report_text, pace_lines)"),
    ("bot.telegram.handlers.reviews", "pace_lines", "reply text (report_text, pace_lines)"),
    ("bot.services.flows.out_of_window_log", "report_text", "reply text (report_text, pace_lines)"),
    ("bot.services.flows.out_of_window_log", "pace_lines", "reply text (report_text, pace_lines)"),
    ("bot.telegram.handlers.reviews", "reply", "reply: sendMessage (in-process, no HTTP)"),
)
FLUSH, COMMIT = "flush in record_and_coach (INSERTs)", "COMMIT (user_turn exit)"


@dataclass
class Breakdown:
    what: str
    updates: int
    ms_per_update: float
    cpu_ms: float  # CPU time of this process per update, all threads (the SQLite thread included)
    statements: Counter[str]
    handoffs: int
    handoff_ms: float  # per update, awaiting aiosqlite's thread (its SQLite work and the hand-over both ways)
    stages: dict[str, tuple[float, float]]  # label -> (ms per update, of it awaiting AsyncSession calls)


def statement_key(statement: str) -> str:
    """ "SELECT goals" for a SELECT ... FROM goals: the first table outside parentheses (subqueries)."""
    words = statement.split()
    verb, table, depth = words[0].upper(), "", 0
    for i, word in enumerate(words[:-1]):
        if depth == 0 and word.upper() in ("FROM", "INTO", "UPDATE"):
            table = words[i + 1]
            break
        depth += word.count("(") - word.count(")")
    table = table.strip('"')
    return f"{verb} {table}".strip()


REST = "the rest: PTB dispatch, Update objects, the handler's own code"
SESSION_CALLS = ("execute", "scalars", "scalar", "get", "flush", "commit", "refresh")


class Clocks:
    """Wall time per stage and, inside it, time spent awaiting AsyncSession calls (ORM, driver, database).

    Updates run one at a time here, so a call inside another (scalars calling execute) is told by depth.
    """

    def __init__(self) -> None:
        self.wall: Counter[str] = Counter()
        self.db: Counter[str] = Counter()
        self.db_total = 0.0
        self.depth = 0
        self.in_stage = False
        self.restore: list[tuple[Any, str, Any]] = []

    def stage(self, function: Callable[..., Any], label: str) -> Callable[..., Any]:
        clocks = self
        if asyncio.iscoroutinefunction(function):

            async def run_async(*args: Any, **kwargs: Any) -> Any:
                if clocks.in_stage:  # a stage inside another (a flush inside open_goal_outlooks) is its part
                    return await function(*args, **kwargs)
                clocks.in_stage = True
                began, db = time.perf_counter(), clocks.db_total
                try:
                    return await function(*args, **kwargs)
                finally:
                    clocks.in_stage = False
                    clocks.wall[label] += time.perf_counter() - began
                    clocks.db[label] += clocks.db_total - db

            return run_async

        def run(*args: Any, **kwargs: Any) -> Any:
            if clocks.in_stage:
                return function(*args, **kwargs)
            clocks.in_stage = True
            began = time.perf_counter()
            try:
                return function(*args, **kwargs)
            finally:
                clocks.in_stage = False
                clocks.wall[label] += time.perf_counter() - began

        return run

    def session_call(self, function: Callable[..., Any]) -> Callable[..., Any]:
        clocks = self

        async def run(*args: Any, **kwargs: Any) -> Any:
            clocks.depth += 1
            began = time.perf_counter()
            try:
                return await function(*args, **kwargs)
            finally:
                clocks.depth -= 1
                if clocks.depth == 0:
                    clocks.db_total += time.perf_counter() - began

        return run

    def patch(self, owner: Any, name: str, wrap: Callable[[Callable[..., Any]], Callable[..., Any]]) -> None:
        original = getattr(owner, name, None)
        if original is not None:  # a renamed function drops out of the table rather than break the bench
            self.restore.append((owner, name, original))
            setattr(owner, name, wrap(original))

    def undo(self) -> None:
        for owner, name, original in reversed(self.restore):
            setattr(owner, name, original)


async def in_process(database_url: str, api: FakeBotApi, load: Load, count: int, warmup: int) -> Breakdown:
    """The real Application and handlers with the in-process transport: no HTTP, no polling, one at a time."""
    import importlib

    import aiosqlite.core
    from sqlalchemy import event
    from sqlalchemy.ext.asyncio import AsyncSession as Async
    from sqlalchemy.orm import Session
    from telegram import Update

    from bot.app import build_application, startup
    from bot.devtools.inprocess_request import InProcessRequest

    settings = load_settings(_env_file=None, database_url=database_url, telegram_bot_token=None, default_language="en",
                             default_timezone="Asia/Shanghai", dispatcher_enabled=False, telegram_rate_limit=0,
                             clock_start=NOW)  # fmt: skip
    app = build_application(settings, request=InProcessRequest(api), rate_limited=False)
    clocks = Clocks()
    statements: Counter[str] = Counter()
    handoffs, handoff_seconds = 0, 0.0
    commit_began: list[tuple[float, float]] = []

    def before_commit(session: Session) -> None:
        commit_began.append((time.perf_counter(), clocks.db_total))

    def after_commit(session: Session) -> None:
        if commit_began:
            # COMMIT runs when user_turn's transaction block ends, outside any AsyncSession call: all of it
            # is database work.
            wall = time.perf_counter() - commit_began.pop()[0]
            clocks.wall[COMMIT] += wall
            clocks.db[COMMIT] += wall
            clocks.db_total += wall

    def on_statement(conn: Any, cursor: Any, statement: str, *args: Any) -> None:
        statements[statement_key(statement)] += 1

    original_execute = aiosqlite.core.Connection._execute

    async def counted_execute(self: Any, fn: Any, *args: Any, **kwargs: Any) -> Any:
        nonlocal handoffs, handoff_seconds
        handoffs += 1
        began = time.perf_counter()
        try:
            return await original_execute(self, fn, *args, **kwargs)
        finally:
            handoff_seconds += time.perf_counter() - began

    try:
        async with app:
            await startup(app)
            engine = app.bot_data.services.engine
            updates = [
                Update.de_json(load.update(Tracker(echo_answer)), app.bot) for _ in range(warmup + count)
            ]
            for update in updates[:warmup]:
                await app.process_update(update)
            for where, name, label in STAGES:
                module, _, owner = where.partition(":")
                try:
                    found: Any = importlib.import_module(module)
                except ImportError:  # a module this tree does not have
                    continue
                clocks.patch(
                    getattr(found, owner, None) if owner else found,
                    name,
                    lambda f, label=label: clocks.stage(f, label),
                )
            for name in SESSION_CALLS:
                clocks.patch(Async, name, clocks.session_call)
            clocks.patch(Async, "flush", lambda f: clocks.stage(f, FLUSH))
            clocks.patch(aiosqlite.core.Connection, "_execute", lambda f: counted_execute)
            event.listen(engine.sync_engine, "before_cursor_execute", on_statement)
            event.listen(Session, "before_commit", before_commit)
            event.listen(Session, "after_commit", after_commit)
            began, cpu_began = time.perf_counter(), time.process_time()
            for update in updates[warmup:]:
                await app.process_update(update)
            seconds, cpu = time.perf_counter() - began, time.process_time() - cpu_began
    finally:
        clocks.undo()
        for name, listener in (("before_commit", before_commit), ("after_commit", after_commit)):
            if event.contains(Session, name, listener):
                event.remove(Session, name, listener)
    total = 1000 * seconds / count
    stages = {
        label: (1000 * clocks.wall[label] / count, 1000 * clocks.db[label] / count) for label in clocks.wall
    }
    rest_db = 1000 * clocks.db_total / count - sum(db for _, db in stages.values())
    stages[REST] = (total - sum(wall for wall, _ in stages.values()), rest_db)
    what = f"in-process /log, {database_label(database_url)}"
    return Breakdown(
        what, count, total, 1000 * cpu / count, statements, handoffs, 1000 * handoff_seconds / count, stages
    )


def counted(statements: Counter[str]) -> int:
    """Statements per /log as the earlier drivers were counted: the transaction's BEGIN IMMEDIATE, which
    SQLAlchemy sees only when the driver gets it as a statement (it then rides with the next one), aside."""
    return sum(count for key, count in statements.items() if key != "BEGIN")


def breakdown_tables(breakdowns: Sequence[Breakdown]) -> str:
    lines = ["| in-process (no HTTP) | updates | ms per /log | updates/s | CPU ms per /log (all threads) "
             "| SQL statements per /log | aiosqlite calls per /log | ms per /log awaiting aiosqlite |",
             "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"]  # fmt: skip
    for item in breakdowns:
        calls = f"{item.handoffs / item.updates:.1f}" if item.handoffs else "-"
        waited = f"{item.handoff_ms:.2f}" if item.handoffs else "-"
        lines.append(f"| {item.what} | {item.updates} | {item.ms_per_update:.2f} | {1000 / item.ms_per_update:.0f} | "
                     f"{item.cpu_ms:.2f} | {counted(item.statements) / item.updates:.1f} | {calls} | {waited} |")  # fmt: skip
    labels = list(dict.fromkeys(label for item in breakdowns for label in item.stages))
    header = " | ".join(f"{item.what}: ms (share) | of it awaiting the DB session" for item in breakdowns)
    lines += ["", f"| stage of one /log | {header} |", "| --- |" + " ---: | ---: |" * len(breakdowns)]
    for label in sorted(labels, key=lambda label: -breakdowns[0].stages.get(label, (0.0, 0.0))[0]):
        cells = []
        for item in breakdowns:
            wall, db = item.stages.get(label, (0.0, 0.0))
            cells += [f"{wall:.2f} ({100 * wall / item.ms_per_update:.0f}%)", f"{db:.2f}"]
        lines.append(f"| {label} | " + " | ".join(cells) + " |")
    cells = []
    for item in breakdowns:
        db = sum(db for _, db in item.stages.values())
        cells += [f"{item.ms_per_update:.2f} (100%)", f"{db:.2f} ({100 * db / item.ms_per_update:.0f}%)"]
    lines.append("| whole update | " + " | ".join(cells) + " |")
    keys = sorted(
        {key for item in breakdowns for key in item.statements},
        key=lambda key: -breakdowns[0].statements[key],
    )
    lines += ["", "| SQL statements per /log | " + " | ".join(item.what for item in breakdowns) + " |",
              "| --- |" + " ---: |" * len(breakdowns)]  # fmt: skip
    for key in keys:
        lines.append(
            f"| {key} | "
            + " | ".join(f"{item.statements[key] / item.updates:.1f}" for item in breakdowns)
            + " |"
        )
    return "\n".join(lines)


# --- profiling the bot process ---------------------------------------------------------------------------

FRAME = re.compile(r"^(?P<function>.*) \((?P<file>[^()]*?)(?::(?P<line>\d+))?\)$")


def worker_wait_line() -> int:
    """The line where aiosqlite's worker thread waits for work (a sample there is an idle thread)."""
    import inspect

    import aiosqlite.core

    source, first = inspect.getsourcelines(aiosqlite.core._connection_worker_thread)
    return first + next((index for index, line in enumerate(source) if "tx.get()" in line), 0)


def short(file: str) -> str:
    """py-spy already writes most paths relative to sys.path ("sqlalchemy/orm/session.py"); cut the rest."""
    path = file.replace("\\", "/")
    for marker in ("/site-packages/", "/lib/python3.11/"):
        path = path.split(marker, 1)[-1]
    return path.removeprefix(str(REPO_ROOT) + "/")


HTTP = "HTTP client (httpx, httpcore, h11, anyio)"
SQLALCHEMY = "SQLAlchemy (ORM, Core, its aiosqlite/asyncpg adapters, greenlet)"
CATEGORIES = (
    ("sqlalchemy/", SQLALCHEMY),
    ("greenlet/", SQLALCHEMY),
    ("aiosqlite/", "aiosqlite: queueing each call to its thread (GIL hand-over)"),
    ("asyncpg/", "asyncpg"),
    ("bot/", "bot/ code"),
    ("telegram/", "python-telegram-bot"),
    ("httpx/", HTTP),
    ("httpcore/", HTTP),
    ("h11/", HTTP),
    ("anyio/", HTTP),
    ("asyncio/", "asyncio event loop (busy)"),
    ("selectors.py", "asyncio event loop (busy)"),
    ("<frozen importlib", "importlib (httpcore retries `import sniffio` per request)"),
    ("babel/", "babel (number and date formatting)"),
)
IDLE = "idle: the event loop waits (epoll) for the SQLite thread or the emulator"
NO_FRAME = "no Python frame (in C: GIL hand-over, greenlet switch)"


@dataclass
class Profile:
    threads: Counter[str] = field(default_factory=Counter)
    busy: Counter[str] = field(default_factory=Counter)
    main: Counter[str] = field(default_factory=Counter)  # category -> samples of the main thread
    main_self: Counter[str] = field(default_factory=Counter)  # busy main thread: the running function
    bot_inclusive: Counter[str] = field(default_factory=Counter)


def read_profile(path: Path) -> Profile:
    """py-spy's raw stacks (--idle --threads): the main thread's time by what it runs, threads' busy share.

    SQLAlchemy runs each statement in a greenlet, which py-spy shows as a stack of its own (starting at
    Session.execute, say) rather than under the bot function that asked for it; categories by the running
    frame's file are right either way.
    """
    profile = Profile()
    wait_line = f"aiosqlite/core.py:{worker_wait_line()})"
    for line in path.read_text(errors="replace").splitlines():
        stack, _, count_text = line.rpartition(" ")
        if not count_text.isdigit():
            continue
        count = int(count_text)
        frames = stack.split(";")
        thread = next((frame for frame in frames[:2] if frame.startswith("thread ")), "thread ?")
        thread = re.sub(r"^thread \(\d+\): ", "", thread).removeprefix("thread ")
        code = [frame for frame in frames if not frame.startswith(("process ", "thread "))]
        profile.threads[thread] += count
        leaf = code[-1] if code else ""
        idle = leaf.endswith(wait_line) or (" (selectors.py:" in leaf and "select" in leaf)
        if not idle:
            profile.busy[thread] += count
        if thread != "MainThread":
            continue
        match = FRAME.match(leaf)
        function, file = (match["function"], short(match["file"])) if match else (leaf, "")
        if idle:
            profile.main[IDLE] += count
            continue
        if not code:
            profile.main[NO_FRAME] += count
            continue
        category = next((label for prefix, label in CATEGORIES if file.startswith(prefix)), None)
        category = category or "other Python (stdlib enum, json, contextlib, logging, ...)"
        profile.main[category] += count
        profile.main_self[f"{function} ({file})"] += count
        for key in {f"{m['function']} ({short(m['file'])})" for frame in code if (m := FRAME.match(frame))}:
            if " (bot/" in key and not key.startswith(("main ", "<module> ")):
                profile.bot_inclusive[key] += count
    return profile


def profile_tables(profile: Profile, top: int) -> str:
    lines = ["| thread | samples | busy |", "| --- | ---: | ---: |"]
    for thread, count in profile.threads.most_common(4):
        lines.append(f"| {thread} | {count} | {100 * profile.busy[thread] / max(count, 1):.0f}% |")
    total = max(sum(profile.main.values()), 1)
    busy = max(total - profile.main[IDLE], 1)
    lines += ["", "| main thread wall time, by the running frame | share of all | share of busy |",
              "| --- | ---: | ---: |"]  # fmt: skip
    for category, count in profile.main.most_common():
        share_busy = "-" if category == IDLE else f"{100 * count / busy:.1f}%"
        lines.append(f"| {category} | {100 * count / total:.1f}% | {share_busy} |")
    lines += ["", "| busy main thread: function running (self) | share of busy |", "| --- | ---: |"]
    for name, count in profile.main_self.most_common(top):
        lines.append(f"| {name} | {100 * count / busy:.1f}% |")
    lines += ["", "| bot/ functions on the stack (inclusive, SQL in greenlets not counted) | share of busy |",
              "| --- | ---: |"]  # fmt: skip
    for name, count in profile.bot_inclusive.most_common(top):
        lines.append(f"| {name} | {100 * count / busy:.1f}% |")
    return "\n".join(lines)


# --- the run ----------------------------------------------------------------------------------------------


def percentile(values: Sequence[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


@dataclass
class Result:
    what: str
    rate: float = 0.0  # median of the bursts
    bursts: list[Burst] = field(default_factory=list)
    latencies: list[float] = field(default_factory=list)
    offered: float = 0.0  # updates/s pushed, in a latency run (where `rate` is the replies/s achieved)
    wrong: list[str] = field(default_factory=list)


@dataclass
class Report:
    throughput: list[Result] = field(default_factory=list)
    latency: list[Result] = field(default_factory=list)
    breakdowns: list[Breakdown] = field(default_factory=list)
    profile: tuple[Result, Path] | None = None


async def measure_process(
    emulator: Emulator, load: Load, child: Child, expect: Callable[[str, str], bool], args: argparse.Namespace,
    report: Report, what: str, *, throughput: bool, latency: bool, profile_to: Path | None = None,
) -> None:  # fmt: skip
    tracker = Tracker(expect)
    emulator.api.listeners[:] = [tracker.on_call]
    await child.start(emulator)
    try:
        await load.burst(tracker, child, args.warmup)
        if throughput:
            bursts = [await load.burst(tracker, child, args.updates) for _ in range(args.repeat)]
            rate = statistics.median(burst.rate for burst in bursts)
            report.throughput.append(Result(what, rate, bursts, wrong=list(tracker.wrong)))
            progress(f"{what}: {' '.join(f'{burst.rate:.0f}' for burst in bursts)} updates/s")
        if latency:
            for rate in args.rate:
                latencies, achieved = await load.steady(tracker, child, rate, args.seconds)
                report.latency.append(
                    Result(what, achieved, latencies=latencies, offered=rate, wrong=list(tracker.wrong))
                )
                progress(f"{what}: latency at {rate:g}/s measured")
        if profile_to is not None:
            profiled = await profile_burst(load, tracker, child, args, profile_to)
            profiled.what = f"{what}, under py-spy"
            report.throughput.append(profiled)
            report.profile = (profiled, profile_to)
    finally:
        await child.stop()
        emulator.api.listeners.clear()


async def profile_burst(
    load: Load, tracker: Tracker, child: Child, args: argparse.Namespace, out: Path
) -> Result:
    py_spy = shutil.which("py-spy", path=str(Path(sys.executable).parent)) or shutil.which("py-spy")
    if py_spy is None:
        raise SystemExit(
            "py-spy is not installed: .venv/bin/pip install py-spy (or leave out --parts profile)"
        )
    spy = await asyncio.create_subprocess_exec(
        py_spy, "record", "--pid", str(child.pid), "--rate", str(args.profile_rate), "--idle", "--threads",
        "--format", "raw", "--output", str(out), stdout=asyncio.subprocess.DEVNULL, stderr=asyncio.subprocess.PIPE,
    )  # fmt: skip
    await asyncio.sleep(1.0)  # py-spy attaches
    try:
        burst = await load.burst(tracker, child, args.profile_updates)
    finally:
        spy.send_signal(signal.SIGINT)
        _, errors = await asyncio.wait_for(spy.communicate(), 60)
    if not await asyncio.to_thread(out.exists):
        raise SystemExit(f"py-spy wrote no profile: {errors.decode(errors='replace')}")
    return Result("", burst.rate, [burst])


def database_label(url: str) -> str:
    return "PostgreSQL" if url.startswith("postgresql") else "SQLite"


def progress(message: str) -> None:
    print(f"  {message}", file=sys.stderr, flush=True)


async def main(args: argparse.Namespace) -> None:
    parts = set(args.parts.split(","))
    if unknown := parts - set(ALL_PARTS):
        raise SystemExit(f"unknown parts: {', '.join(sorted(unknown))}; choose from {', '.join(ALL_PARTS)}")
    drivers = args.sqlite_drivers.split(",")
    check_drivers(drivers)
    workdir = Path(tempfile.mkdtemp(prefix="bench-throughput-"))
    databases = database_runs(drivers, args.rounds, workdir)
    if args.database_url:
        url = load_settings(_env_file=None, database_url=args.database_url).database_url
        databases.append(("PostgreSQL", url, "project"))
    load_before = os.getloadavg()[0]
    api = FakeBotApi()
    load = Load(api, args.users)
    report = Report()
    async with run_emulator(api, token=TOKEN) as emulator:
        settings = {
            "TELEGRAM_BOT_TOKEN": TOKEN,
            "TELEGRAM_BASE_URL": emulator.base_url,
            "TELEGRAM_BASE_FILE_URL": emulator.file_url,
            "TELEGRAM_RATE_LIMIT": "0",
            "DISPATCHER_ENABLED": "false",
            "LOG_LEVEL": args.log_level,
        }
        for label, database_url, driver in (
            databases if parts & {"real", "latency", "profile", "inprocess"} else []
        ):
            progress(f"seeding {args.users} users on {label}")
            await seed(database_url, args.users, args.reset_database)
            if "inprocess" in parts:
                # The same model makes the updates, so their ids keep rising for the bot process after it.
                with use_driver(driver):
                    breakdown = await in_process(database_url, api, load, args.inprocess_updates, args.warmup)
                breakdown.what = f"in-process /log, {label}"
                report.breakdowns.append(breakdown)
                progress(f"in-process /log on {label}: {breakdown.ms_per_update:.1f} ms")
            if not parts & {"real", "latency", "profile"}:
                continue
            # The project's driver is what `python -m bot run` uses; another is put in by bench/sqlite_drivers.py.
            argv = (
                ["-m", "bot", "run"]
                if driver == "project"
                else [str(REPO_ROOT / "bench" / "sqlite_drivers.py"), driver, "run"]
            )
            name = re.sub(r"[^a-z]+", "-", label.lower())
            child = Child(f"real-{name}", [sys.executable, *argv], bot_env(database_url, **settings), workdir)
            profiled = "profile" in parts and report.profile is None and label.startswith("SQLite")
            profile_to = workdir / "real-bot.pyspy.txt" if profiled else None
            await measure_process(emulator, load, child, real_answer, args, report, f"real bot, /log, {label}",
                                  throughput="real" in parts, latency="latency" in parts,
                                  profile_to=profile_to)  # fmt: skip
        if "echo" in parts:
            child = Child("echo", [sys.executable, str(REPO_ROOT / "bench" / "echo_bot.py")],
                          bot_env(databases[0][1], **settings), workdir)  # fmt: skip
            latency = "latency" in parts and args.echo_latency
            await measure_process(
                emulator,
                load,
                child,
                echo_answer,
                args,
                report,
                "bare PTB echo bot",
                throughput=True,
                latency=latency,
            )
    report.throughput, report.latency = merged(report.throughput), merged(report.latency)
    print_report(report, args, load_before, os.getloadavg()[0])
    print(f"\nlogs and profile: {workdir}", file=sys.stderr)


def database_runs(drivers: Sequence[str], rounds: int, workdir: Path) -> list[tuple[str, str, str]]:
    """(label, database URL, SQLite driver) of each real-bot run, a fresh SQLite file for each.

    Round after round the drivers' order turns by one, so that none is always first (the machine's load
    drifts, and the first bot of a run starts on colder caches); merged() pools each driver's rounds.
    """
    runs = []
    for number in range(rounds):
        turn = number % len(drivers)
        for driver in [*drivers[turn:], *drivers[:turn]]:
            label = f"SQLite, {driver} driver" if len(drivers) > 1 else "SQLite"
            runs.append(
                (label, f"sqlite+aiosqlite:///{workdir / f'bench-{driver}-{number}.sqlite3'}", driver)
            )
    return runs


def merged(results: Sequence[Result]) -> list[Result]:
    """One result per bot (and rate): its rounds' bursts and latencies pooled.

    A throughput result's rate is the median of all its bursts; a latency result's (replies/s achieved)
    the mean of its rounds'.
    """
    groups: dict[tuple[str, float], list[Result]] = defaultdict(list)
    for result in results:
        groups[(result.what, result.offered)].append(result)
    pooled = []
    for (what, offered), group in groups.items():
        bursts = [burst for result in group for burst in result.bursts]
        rate = statistics.median(b.rate for b in bursts) if bursts else statistics.mean(r.rate for r in group)
        pooled.append(
            Result(
                what,
                rate,
                bursts,
                [value for result in group for value in result.latencies],
                offered,
                [text for result in group for text in result.wrong],
            )
        )
    return pooled


def print_report(report: Report, args: argparse.Namespace, load_before: float, load_after: float) -> None:
    import telegram

    print(f"\n{args.users} users, {args.repeat} bursts of {args.updates} updates after {args.warmup} warm-up "
          f"updates, python-telegram-bot {telegram.__version__}, {os.cpu_count()} CPUs, 1-minute load average "
          f"{load_before:.1f} before the run and {load_after:.1f} after it\n")  # fmt: skip
    echo = next((result for result in report.throughput if result.what == "bare PTB echo bot"), None)
    if report.throughput:
        print("| bot (HTTP emulator, long polling) | bursts x updates | updates/s (median) | each burst "
              "| ratio to echo | bot CPU ms/update | emulator CPU ms/update |")  # fmt: skip
        print("| --- | ---: | ---: | ---: | ---: | ---: | ---: |")
        for result in report.throughput:
            ratio = f"{result.rate / echo.rate:.2f}" if echo is not None else "-"
            profiled = result.what.endswith("py-spy")
            shape = f"1 x {args.profile_updates}" if profiled else f"{len(result.bursts)} x {args.updates}"
            each = " / ".join(f"{burst.rate:.0f}" for burst in result.bursts)
            bot_cpu = statistics.median(burst.bot_cpu_ms for burst in result.bursts)
            own_cpu = statistics.median(burst.emulator_cpu_ms for burst in result.bursts)
            print(f"| {result.what} | {shape} | {result.rate:.0f} | {each} | {ratio} | {bot_cpu:.2f} "
                  f"| {own_cpu:.2f} |")  # fmt: skip
    if report.latency:
        print(f"\n| push to reply, steady rate for {args.seconds:g} s | updates/s pushed | replies/s | updates "
              "| p50 (ms) | p90 (ms) | p99 (ms) | max (ms) |")  # fmt: skip
        print("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
        for result in report.latency:
            values = result.latencies
            print(f"| {result.what} | {result.offered:g} | {result.rate:.1f} | {len(values)} "
                  f"| {statistics.median(values):.1f} | {percentile(values, 0.9):.1f} | {percentile(values, 0.99):.1f} "
                  f"| {max(values):.1f} |")  # fmt: skip
    wrong = {result.what: result.wrong for result in [*report.throughput, *report.latency] if result.wrong}
    for what, replies in wrong.items():
        print(f"\nWARNING: {what} gave unexpected replies, e.g. {replies[:3]}")
    if report.breakdowns:
        print()
        print(breakdown_tables(report.breakdowns))
    if report.profile is not None:
        profiled_result, path = report.profile
        print(f"\nProfile of the real bot process (SQLite): py-spy at {args.profile_rate} Hz, --idle, during a "
              f"burst of {args.profile_updates} updates ({profiled_result.rate:.0f} updates/s while sampled); "
              f"raw stacks in {path}\n")  # fmt: skip
        print(profile_tables(read_profile(path), args.top))


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--users", type=int, default=200, help="seeded users, updates go round robin (200)")
    parser.add_argument("--updates", type=int, default=800, help="updates per throughput burst (800)")
    parser.add_argument("--warmup", type=int, help="updates before each measurement (default: one per user)")
    parser.add_argument(
        "--repeat", type=int, default=3, help="throughput bursts per bot, the median counts (3)"
    )
    parser.add_argument("--rate", default="50", help="updates/s of the latency run, or several: 50,25 (50)")
    parser.add_argument("--seconds", type=float, default=20.0, help="length of the latency run (20)")
    parser.add_argument(
        "--parts", default=",".join(ALL_PARTS), help=f"comma-separated, of {','.join(ALL_PARTS)}"
    )
    parser.add_argument("--echo-latency", action="store_true", help="also time the echo bot at --rate")
    parser.add_argument(
        "--database-url", help="also measure the real bot on this (empty) PostgreSQL database"
    )
    parser.add_argument(
        "--reset-database", action="store_true", help="drop and recreate --database-url's schema"
    )
    parser.add_argument(
        "--rounds",
        type=int,
        default=1,
        help="real bot on SQLite: runs per driver, the drivers' order turning each round (1)",
    )
    parser.add_argument(
        "--sqlite-drivers",
        default="project",
        help=f"measure the real bot on SQLite once with each of these drivers, comma-separated, of "
        f"{','.join(DRIVERS)} (bench/sqlite_drivers.py; default: project)",
    )
    parser.add_argument("--log-level", default="INFO", help="the bots' LOG_LEVEL (INFO, as deployed)")
    parser.add_argument("--inprocess-updates", type=int, default=400, help="updates timed in-process (400)")
    parser.add_argument(
        "--profile-updates", type=int, default=1000, help="updates in the profiled burst (1000)"
    )
    parser.add_argument("--profile-rate", type=int, default=100, help="py-spy samples per second (100)")
    parser.add_argument("--top", type=int, default=12, help="rows per profile table (12)")
    arguments = parser.parse_args()
    arguments.warmup = arguments.users if arguments.warmup is None else arguments.warmup
    arguments.rate = [float(rate) for rate in arguments.rate.split(",")]
    asyncio.run(main(arguments))
