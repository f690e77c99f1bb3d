"""The review dispatcher at scale: claim phase, fan-out over HTTP, rate-limited fan-out, bot memory.

Each part seeds its own database (a fresh SQLite file, or --database-url) with core bulk inserts:
onboarded, active users with one active goal and three schedule rows each; some daily rows are due.

    .venv/bin/python bench/bench_dispatcher.py claim   [--users 100000] [--due 1000] [--repeat 7]
    .venv/bin/python bench/bench_dispatcher.py fanout  [--users 100000] [--messages 10000]
    .venv/bin/python bench/bench_dispatcher.py rate    [--users 100000] [--messages 600]
    .venv/bin/python bench/bench_dispatcher.py rss     [--users 100000] [--due 1000]
    .venv/bin/python bench/bench_dispatcher.py all

--database-url postgresql+asyncpg://... runs a part on PostgreSQL: the database is wiped (schema
`public` dropped) and migrated again, so give it one made for the bench. Parts that send start the
HTTP Bot API emulator (`python -m tests.emulator`) as a separate process.
"""

from __future__ import annotations

import argparse
import asyncio
import cProfile
import importlib.util
import os
import pstats
import sqlite3
import statistics
import sys
import tempfile
import time
from collections.abc import AsyncIterator, Awaitable, Iterator
from contextlib import asynccontextmanager, closing, contextmanager
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from datetime import time as wall_time
from decimal import Decimal
from pathlib import Path
from typing import Any, TypeVar
from zoneinfo import ZoneInfo

from sqlalchemy import delete, insert, text, update
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import AsyncEngine

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))  # run as a script from anywhere: `bot` and `tests` are importable

from bot.core.goal_draft import GoalDraft  # noqa: E402
from bot.core.schedule import PromptKind, PromptRule, QuietHours, local_due, next_occurrence  # noqa: E402
from bot.core.work_calendar import WorkCalendar  # noqa: E402
from bot.services.goals import goal_columns  # noqa: E402
from bot.settings import Settings, load_settings  # noqa: E402
from bot.storage.database import create_engine  # noqa: E402
from bot.storage.migrate import upgrade  # noqa: E402
from bot.storage.models import Goal, PromptOccurrence, PromptSchedule, User, Vacation  # noqa: E402

# Friday 2026-11-27 18:00 in Shanghai: the daily reviews of the due users fall in the minutes before.
NOW = datetime(2026, 11, 27, 10, 0, tzinfo=UTC)
TODAY = date(2026, 11, 27)
ONBOARDED = datetime(2026, 10, 1, 2, 0, tzinfo=UTC)
FIRST_ID = 100_000_000
TOKEN = "1000000001:bench-token-for-the-emulator"
# Where users live (weights out of 10); the due ones are all in Shanghai at the same hour.
ZONES = ("Asia/Shanghai",) * 7 + ("Asia/Singapore", "Europe/Berlin", "America/New_York")
QUIET = QuietHours(wall_time(22, 0), wall_time(8, 0))
CHUNK = 10_000
T = TypeVar("T")


# --- seeding ------------------------------------------------------------------------------------------


def due_indexes(users: int, due: int) -> list[int]:
    """Which users are due: spread evenly over the id range, so their rows are not neighbours."""
    step = max(1, users // max(due, 1))
    return list(range(0, users, step))[:due]


def user_row(index: int, due: bool) -> dict[str, Any]:
    chinese = index % 2 == 0
    return {
        "id": FIRST_ID + index,
        "first_name": f"User {index}",
        "username": None,
        "telegram_language": "zh-hans" if chinese else "en",
        "language": "zh_CN" if chinese else "en",
        "timezone": "Asia/Shanghai" if due else ZONES[index % len(ZONES)],
        "working_days": "123456" if index % 10 == 3 else "12345",
        # Due users answer at 17:54 to 17:59: a tick that catches up a few minutes of reviews.
        "daily_review_time": wall_time(17, 54 + index % 6) if due else wall_time(18, 0),
        "weekly_review_weekday": 5,
        "weekly_review_time": wall_time(17, 0),
        "monthly_review_time": wall_time(17, 0),
        "quiet_start": QUIET.start,
        "quiet_end": QUIET.end,
        "country": None,
        "prompts_paused": False,
        "day_template": None,
        "is_active": True,
        "last_update_id": None,
        "blocked_at": None,
        "onboarded_at": ONBOARDED,
        "created_at": ONBOARDED,
        "updated_at": ONBOARDED,
    }


GOAL = goal_columns(
    GoalDraft(
        metric="revenue",
        kind="currency",
        unit="CNY",
        description="Sell the ERP upgrade in East China",
        target_value=Decimal(1_200_000),
        start_date=date(2026, 10, 1),
        deadline=date(2027, 3, 31),
        confidence=7,
        relevance="Company target +30% this year",
    )
)


def rules_for(row: dict[str, Any]) -> list[PromptRule]:
    return [
        PromptRule(PromptKind.DAILY, row["daily_review_time"]),
        PromptRule(PromptKind.WEEKLY, row["weekly_review_time"], weekday=row["weekly_review_weekday"]),
        PromptRule(PromptKind.MONTHLY, row["monthly_review_time"]),
    ]


_next_cache: dict[tuple[Any, ...], tuple[date, datetime]] = {}


def next_after_now(rule: PromptRule, row: dict[str, Any]) -> tuple[date, datetime]:
    """The schedule of a row that is not due: its next occurrence after NOW (cached per setting)."""
    key = (rule, row["timezone"], row["working_days"])
    if key not in _next_cache:
        calendar = WorkCalendar(country=None, weekdays=frozenset(int(d) for d in row["working_days"]))
        _next_cache[key] = next_occurrence(rule, calendar, ZoneInfo(row["timezone"]), QUIET, NOW)
    return _next_cache[key]


def schedule_rows(row: dict[str, Any], due: bool) -> list[dict[str, Any]]:
    rows = []
    for rule in rules_for(row):
        if due and rule.kind is PromptKind.DAILY:
            day, due_at = TODAY, local_due(TODAY, rule.at, ZoneInfo(row["timezone"]))
            served: date | None = TODAY - timedelta(days=1)
        else:
            (day, due_at), served = next_after_now(rule, row), None
        rows.append(
            {
                "user_id": row["id"],
                "kind": rule.kind.value,
                "next_day": day,
                "next_due_at": due_at,
                "last_served_day": served,
                "active": True,
                "updated_at": ONBOARDED,
            }
        )
    return rows


def chunks(rows: list[dict[str, Any]]) -> Iterator[list[dict[str, Any]]]:
    for start in range(0, len(rows), CHUNK):
        yield rows[start : start + CHUNK]


def remove_sqlite_file(url: str) -> None:
    database = make_url(url).database
    if url.startswith("sqlite") and database:
        for suffix in ("", "-wal", "-shm"):
            Path(database + suffix).unlink(missing_ok=True)


async def fresh_schema(engine: AsyncEngine) -> None:
    """An empty, migrated database: SQLite's file starts over, PostgreSQL's schema `public` is dropped."""
    remove_sqlite_file(engine.url.render_as_string(hide_password=False))
    if engine.dialect.name == "postgresql":
        async with engine.begin() as connection:
            await connection.execute(text("DROP SCHEMA public CASCADE"))
            await connection.execute(text("CREATE SCHEMA public"))
    await upgrade(engine)


async def seed(url: str, users: int, due: int) -> float:
    """A migrated database with `users` users, `due` of them with a daily review due at NOW; seconds taken."""
    began = time.perf_counter()
    engine = create_engine(url)
    await fresh_schema(engine)
    due_set = set(due_indexes(users, due))
    for start in range(0, users, CHUNK):
        indexes = range(start, min(users, start + CHUNK))
        user_rows = [user_row(i, i in due_set) for i in indexes]
        goals = [
            {
                "user_id": r["id"],
                "start_date": date(2026, 10, 1),
                "status": "active",
                "created_at": ONBOARDED,
                "updated_at": ONBOARDED,
                **GOAL,
            }
            for r in user_rows
        ]
        schedules = [
            s for r, i in zip(user_rows, indexes, strict=True) for s in schedule_rows(r, i in due_set)
        ]
        # One user in twenty has a vacation booked over Christmas.
        vacations = [
            {
                "user_id": r["id"],
                "start_date": date(2026, 12, 21),
                "end_date": date(2026, 12, 25),
                "created_at": ONBOARDED,
            }
            for r in user_rows
            if r["id"] % 20 == 7
        ]
        async with engine.begin() as connection:
            await connection.execute(insert(User.__table__), user_rows)
            await connection.execute(insert(Goal.__table__), goals)
            for part in chunks(schedules):
                await connection.execute(insert(PromptSchedule.__table__), part)
            if vacations:
                await connection.execute(insert(Vacation.__table__), vacations)
    async with engine.begin() as connection:
        await connection.execute(text("ANALYZE"))
    await engine.dispose()
    checkpoint(url)
    return time.perf_counter() - began


async def reset_due(engine: AsyncEngine, users: int, due: int) -> None:
    """Make the due daily rows due again and forget every occurrence (between repetitions)."""
    ids = [FIRST_ID + i for i in due_indexes(users, due)]
    async with engine.begin() as connection:
        await connection.execute(delete(PromptOccurrence.__table__))
        for minute in range(6):
            group = [user_id for user_id in ids if (user_id - FIRST_ID) % 6 == minute]
            due_at = local_due(TODAY, wall_time(17, 54 + minute), ZoneInfo("Asia/Shanghai"))
            for start in range(0, len(group), 500):
                await connection.execute(
                    update(PromptSchedule.__table__)
                    .where(
                        PromptSchedule.user_id.in_(group[start : start + 500]), PromptSchedule.kind == "daily"
                    )
                    .values(
                        next_day=TODAY,
                        next_due_at=due_at,
                        last_served_day=TODAY - timedelta(days=1),
                        active=True,
                    )
                )


def checkpoint(url: str) -> None:
    """SQLite: move the WAL into the database file, so a timed run does not pay for the set-up's writes."""
    database = make_url(url).database
    if url.startswith("sqlite") and database:
        with closing(sqlite3.connect(database, isolation_level=None)) as connection:
            connection.execute("PRAGMA wal_checkpoint(RESTART)")


# --- shared -------------------------------------------------------------------------------------------


def default_url(directory: str) -> str:
    return f"sqlite+aiosqlite:///{Path(directory) / 'bench.sqlite3'}"


def backend(url: str) -> str:
    return "PostgreSQL" if url.startswith("postgres") else "SQLite"


def bench_settings(url: str, **overrides: Any) -> Settings:
    return load_settings(_env_file=None, database_url=url, default_language="zh_CN", **overrides)


def frozen_clock() -> datetime:
    return NOW


@contextmanager
def profiled(path: str | None) -> Iterator[None]:
    """cProfile the block when `path` is given; prints the top entries and keeps the stats file."""
    if path is None:
        yield
        return
    profile = cProfile.Profile()
    profile.enable()
    try:
        yield
    finally:
        profile.disable()
        profile.dump_stats(path)
        pstats.Stats(path, stream=sys.stderr).sort_stats("cumulative").print_stats(40)


def median_ms(values: list[float]) -> str:
    return f"{statistics.median(values) * 1000:.1f}"


def dispatcher_class(path: str | None) -> Any:
    """The Dispatcher class under test: bot's own, or one loaded from a file (an older version, to compare)."""
    if path is None:
        from bot.scheduler.dispatcher import Dispatcher

        return Dispatcher
    spec = importlib.util.spec_from_file_location("dispatcher_under_test", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up there
    spec.loader.exec_module(module)
    return module.Dispatcher


def app_dispatcher(app: Any, path: str | None) -> Any:
    """As bot.app.build_dispatcher: the dispatcher of `app`, sending through its bot, configured from settings."""
    from bot.scheduler.dispatcher import DispatcherConfig
    from bot.telegram.prompts import telegram_sender

    services = app.bot_data.services
    settings = services.settings
    config = DispatcherConfig(
        grace=timedelta(hours=settings.review_grace_hours),
        reminder_delay=timedelta(minutes=settings.reminder_delay_minutes),
    )
    return dispatcher_class(path)(services, telegram_sender(app.bot, settings.default_language), config)


# --- 1. claim -----------------------------------------------------------------------------------------


async def claim_part(
    url: str, users: int, due: int, repeat: int, profile: str | None, implementation: str | None
) -> None:
    from bot.scheduler.dispatcher import TickReport
    from bot.services.container import build_services

    seconds = await seed(url, users, due)
    print(f"seeded {users:,} users ({due:,} due) on {backend(url)} in {seconds:.1f} s", file=sys.stderr)
    services = build_services(bench_settings(url), clock=frozen_clock)

    async def never_send(*_: object) -> int:
        raise AssertionError("the claim phase sends nothing")

    dispatcher = dispatcher_class(implementation)(services, never_send)
    timings: list[float] = []
    cpu: list[float] = []
    reports: list[TickReport] = []
    for run in range(repeat + 1):
        await reset_due(services.engine, users, due)
        checkpoint(url)
        report = TickReport()
        with profiled(profile if run == repeat else None):
            began, cpu_began = time.perf_counter(), time.process_time()
            while await dispatcher._claim_due(NOW, report):
                pass
            timings.append(time.perf_counter() - began)
            cpu.append(time.process_time() - cpu_began)
        reports.append(report)
    await services.engine.dispose()
    assert all(r.recorded == due for r in reports), reports
    cold, warm = timings[0], timings[1:]
    print(
        f"| claim {due:,} due of {users:,} users, {backend(url)} | {cold * 1000:.1f} | {median_ms(warm)} | "
        f"{min(warm) * 1000:.1f} | {max(warm) * 1000:.1f} | {median_ms(cpu[1:])} | {len(warm)} |"
    )


# --- 2. and 3. fan-out over HTTP ---------------------------------------------------------------------


@asynccontextmanager
async def emulator_process() -> AsyncIterator[tuple[str, int]]:
    """The HTTP Bot API emulator in its own process (its own CPU); yields its base URL and pid."""
    process = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "tests.emulator", "--port", "0", "--token", TOKEN,
        cwd=ROOT, stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.DEVNULL,
    )  # fmt: skip
    assert process.stdout is not None
    base_url = (await process.stdout.readline()).decode().strip()
    if not base_url.startswith("http"):
        raise RuntimeError(f"the emulator did not start: {base_url!r}")
    try:
        yield base_url, process.pid
    finally:
        process.terminate()
        await process.wait()


def cpu_seconds(pid: int) -> float:
    """User + system CPU time of process `pid` so far (all its threads)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


@dataclass
class Run:
    """One timed fan-out: wall seconds, and CPU seconds of the bot and of the emulator."""

    wall: float
    bot_cpu: float
    emulator_cpu: float


async def timed(work: Awaitable[T], emulator_pid: int) -> tuple[Run, T]:
    """Await `work`, timing it; its result too."""
    bot, emulator = cpu_seconds(os.getpid()), cpu_seconds(emulator_pid)
    began = time.perf_counter()
    result = await work
    wall = time.perf_counter() - began
    return Run(wall, cpu_seconds(os.getpid()) - bot, cpu_seconds(emulator_pid) - emulator), result


def http_settings(url: str, base_url: str, rate_limit: float) -> Settings:
    from tests.emulator import file_url

    return bench_settings(
        url,
        telegram_bot_token=TOKEN,
        telegram_base_url=base_url,
        telegram_base_file_url=file_url(base_url),
        telegram_rate_limit=rate_limit,
    )


def bare_messages(users: int, count: int) -> list[tuple[int, str, Any]]:
    """(chat id, text, keyboard) of the prompts the dispatcher sends to the `count` due users."""
    from bot.i18n import translator
    from bot.telegram.prompts import prompt_message
    from bot.telegram.render import keyboard

    messages = []
    for number, index in enumerate(due_indexes(users, count), start=1):
        row = user_row(index, True)
        occurrence = PromptOccurrence(id=number, kind="daily", day=TODAY)
        message = prompt_message(occurrence, translator(row["language"]))
        messages.append((row["id"], message.text, keyboard(message)))
    return messages


async def bare_loop(bot: Any, messages: list[tuple[int, str, Any]], concurrency: int) -> None:
    """Send `messages` with `concurrency` tasks, each doing `await bot.send_message(...)` in a loop."""
    pending = iter(messages)

    async def worker() -> None:
        for chat_id, text_, markup in pending:
            await bot.send_message(chat_id, text_, reply_markup=markup)

    await asyncio.gather(*(worker() for _ in range(concurrency)))


async def dispatcher_fanout(dispatcher: Any, count: int) -> int:
    """Tick until `count` prompts are sent; the number of ticks it took."""
    sent = ticks = 0
    while sent < count:
        report = await dispatcher.tick()
        ticks += 1
        if report.sent == 0 or report.failed:
            raise RuntimeError(f"tick {ticks} stalled after {sent} sends: {report}")
        sent += report.sent
    return ticks


def rate(count: int, seconds: float) -> str:
    return f"{count / seconds:,.0f}"


async def fanout_part(
    url: str, users: int, count: int, repeat: int, profile: str | None, implementation: str | None
) -> None:
    from bot.app import build_application
    from bot.services.container import build_services, clock_from

    seconds = await seed(url, users, count)
    print(f"seeded {users:,} users ({count:,} due) on {backend(url)} in {seconds:.1f} s", file=sys.stderr)
    messages = bare_messages(users, count)
    async with emulator_process() as (base_url, emulator):
        settings = http_settings(url, base_url, rate_limit=0)
        services = build_services(settings, clock=clock_from(NOW))
        app = build_application(settings, rate_limited=False, services=services)
        async with app:
            dispatcher = app_dispatcher(app, implementation)
            concurrency = dispatcher.config.concurrency
            await bare_loop(app.bot, messages[:200], concurrency)  # warm: connections, PTB's code paths
            runs: dict[str, list[Run]] = {"sequential": [], "concurrent": [], "dispatcher": []}
            for number in range(repeat):
                if number:
                    await reset_due(services.engine, users, count)
                    checkpoint(url)
                runs["sequential"].append((await timed(bare_loop(app.bot, messages, 1), emulator))[0])
                runs["concurrent"].append(
                    (await timed(bare_loop(app.bot, messages, concurrency), emulator))[0]
                )
                with profiled(profile if number == repeat - 1 else None):
                    run, ticks = await timed(dispatcher_fanout(dispatcher, count), emulator)
                runs["dispatcher"].append(run)
                print(
                    f"run {number + 1}: " + ", ".join(f"{k} {v[-1].wall:.2f} s" for k, v in runs.items()),
                    file=sys.stderr,
                )
    labels = {
        "sequential": "bare loop, one at a time (`await bot.send_message(...)` in a loop)",
        "concurrent": f"bare loop, {concurrency} tasks sending (the dispatcher's concurrency)",
        "dispatcher": f"dispatcher, {ticks} tick(s): claim, then {concurrency} concurrent sends",
    }
    dispatched = statistics.median(r.wall for r in runs["dispatcher"])
    for name, label in labels.items():
        wall = statistics.median(r.wall for r in runs[name])
        bot_cpu = statistics.median(r.bot_cpu for r in runs[name]) / count * 1000
        emulator_cpu = statistics.median(r.emulator_cpu for r in runs[name]) / count * 1000
        print(f"| {label} | {count:,} | {wall:.2f} | {rate(count, wall)} | {bot_cpu:.2f} | {emulator_cpu:.2f} | "
              f"{wall / dispatched:.2f} |")  # fmt: skip


async def rate_part(url: str, users: int, count: int, limit: float, implementation: str | None) -> None:
    from bot.app import build_application
    from bot.services.container import build_services, clock_from

    await seed(url, users, count)
    async with emulator_process() as (base_url, emulator):
        settings = http_settings(url, base_url, rate_limit=limit)
        services = build_services(settings, clock=clock_from(NOW))
        app = build_application(settings, rate_limited=True, services=services)
        async with app:
            dispatcher = app_dispatcher(app, implementation)
            await asyncio.sleep(2)  # getMe went through the limiter: let its bucket drain again
            run, ticks = await timed(dispatcher_fanout(dispatcher, count), emulator)
    ideal = count / limit
    # aiolimiter's bucket holds `limit` messages: the first second's worth leaves at once.
    schedule = (count - limit) / limit
    print(
        f"| {count:,} prompts at {limit:g}/s, {backend(url)} | {ideal:.1f} | {run.wall:.2f} | "
        f"{(run.wall - ideal) / ideal:+.1%} | {schedule:.1f} | {(run.wall - schedule) / schedule:+.1%} | "
        f"{count / run.wall:.1f} | {ticks} |"
    )


# --- 4. memory ----------------------------------------------------------------------------------------


def memory_kib() -> dict[str, int]:
    """VmRSS and VmHWM (peak) of this process, in KiB."""
    values = {}
    for line in Path("/proc/self/status").read_text().splitlines():
        name, _, rest = line.partition(":")
        if name in ("VmRSS", "VmHWM"):
            values[name] = int(rest.split()[0])
    return values


async def rss_child(url: str, base_url: str) -> None:
    """In a fresh process: build the Application as `python -m bot` does, start it up, run one tick."""
    from bot.app import build_application, startup
    from bot.services.container import build_services, clock_from

    imported = memory_kib()["VmRSS"]
    settings = http_settings(url, base_url, rate_limit=0)
    app = build_application(settings, services=build_services(settings, clock=clock_from(NOW)))
    async with app:
        await startup(app)  # warm-ups (i18n, time zones, dateparser, matplotlib), commands, dispatcher
        started = memory_kib()["VmRSS"]
        dispatcher = app.bot_data.dispatcher
        assert dispatcher is not None  # startup built it (DISPATCHER_ENABLED)
        report = await dispatcher.tick()
        ticked = memory_kib()
    print(f"{imported} {started} {ticked['VmRSS']} {ticked['VmHWM']} {report.sent}")


async def rss_part(url: str, users: int, due: int) -> None:
    await seed(url, users, due)
    async with emulator_process() as (base_url, _):
        command = [sys.executable, __file__, "rss-child", "--database-url", url, "--base-url", base_url]
        child = await asyncio.create_subprocess_exec(*command, stdout=asyncio.subprocess.PIPE)
        out, _ = await child.communicate()
    imported, started, ticked, peak, sent = (int(v) for v in out.decode().split())
    assert sent == due, f"the tick sent {sent} of {due}"
    print(f"| after imports (`bot.app`) | {imported / 1024:.0f} |")
    print(f"| after build_application + startup | {started / 1024:.0f} |")
    print(
        f"| after a tick sending {due:,} prompts, {users:,} users in {backend(url)} | {ticked / 1024:.0f} |"
    )
    print(f"| peak (VmHWM) | {peak / 1024:.0f} |")


# --- main ---------------------------------------------------------------------------------------------


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("part", choices=["claim", "fanout", "rate", "rss", "all", "rss-child"])
    parser.add_argument("--users", type=int, default=100_000)
    parser.add_argument("--due", type=int, default=1_000, help="claim, rss: due daily reviews")
    parser.add_argument(
        "--repeat", type=int, default=None, help="claim: 7 timed runs after a cold one; fanout: 2"
    )
    parser.add_argument(
        "--messages",
        type=int,
        nargs="+",
        default=None,
        help="fanout: 10000 prompts; rate: 600 (several: one run each)",
    )
    parser.add_argument("--rate", type=float, default=30.0, help="rate: messages per second")
    parser.add_argument("--database-url", default=None, help="default: a fresh SQLite file per part")
    parser.add_argument("--base-url", default=None, help=argparse.SUPPRESS)
    parser.add_argument(
        "--dispatcher",
        default=None,
        metavar="FILE",
        help="claim, fanout, rate: the Dispatcher class of this file instead of bot's (e.g. an older version)",
    )
    parser.add_argument("--profile", default=None, help="claim, fanout: cProfile the last run into this file")
    arguments = parser.parse_args()
    if arguments.part == "rss-child":
        asyncio.run(rss_child(arguments.database_url, arguments.base_url))
        return
    parts = ["claim", "fanout", "rate", "rss"] if arguments.part == "all" else [arguments.part]
    for part in parts:
        with tempfile.TemporaryDirectory(prefix="bench-dispatcher-") as directory:
            url = arguments.database_url or default_url(directory)
            run_part(part, url, arguments)
        print()


def run_part(part: str, url: str, arguments: argparse.Namespace) -> None:
    users = arguments.users
    if part == "claim":
        print("| measurement | cold (ms) | median (ms) | min (ms) | max (ms) | CPU median (ms) | runs |")
        print("| --- | ---: | ---: | ---: | ---: | ---: | ---: |")
        asyncio.run(
            claim_part(
                url, users, arguments.due, arguments.repeat or 7, arguments.profile, arguments.dispatcher
            )
        )
    elif part == "fanout":
        print(
            "| sender | prompts | seconds | messages/s | bot CPU ms/msg | emulator CPU ms/msg | dispatcher's rate ÷ this |"
        )
        print("| --- | ---: | ---: | ---: | ---: | ---: | ---: |")
        asyncio.run(
            fanout_part(
                url,
                users,
                (arguments.messages or [10_000])[0],
                arguments.repeat or 2,
                arguments.profile,
                arguments.dispatcher,
            )
        )
    elif part == "rate":
        print(
            "| measurement | N / rate (s) | measured (s) | vs N / rate | (N − rate) / rate (s) | vs that "
            "| messages/s | ticks |"
        )
        print("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
        for count in arguments.messages or [600]:
            asyncio.run(rate_part(url, users, count, arguments.rate, arguments.dispatcher))
    else:
        print("| bot process | RSS (MiB) |")
        print("| --- | ---: |")
        asyncio.run(rss_part(url, users, arguments.due))


if __name__ == "__main__":
    main()
