"""/log updates per second with 1, 2 and 3 bot processes on one PostgreSQL, in one run (workers15).

Each round starts from a fresh database (the users of bench_throughput.py: onboarded, an open revenue goal,
a result on every working day so far), starts one polling process (BOT_ROLE=all) and 0, 1 or 2 workers
(BOT_ROLE=worker) against the HTTP emulator, waits until each is up, then queues the whole load in the
emulator's getUpdates queue at once (3,000 `/log 3 visits, 12 calls, 1 deal 50k` from 300 users by
default) and times it from the first push, and from the first reply, to the last reply. Every reply is
checked to be the right answer, in each user's order. The rate limiter is off (TELEGRAM_RATE_LIMIT=0):
this measures the bot, not Telegram's 30 messages/s; the dispatcher too (nothing is due).

    .venv/bin/python bench/bench_workers.py --database-url postgresql+asyncpg://USER@HOST:PORT/DB
                                            # options: --users 300 --updates 3000 --processes 1,2,3
The database is emptied (its public schema dropped) before each round.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import os
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from bench.bench_throughput import WAIT, Child, Load, Tracker, real_answer, seed
from bot.devtools.fake_bot_api import FakeBotApi
from tests.e2e.harness import TOKEN, bot_env
from tests.emulator import Emulator, run_emulator

WORKING = "working as a worker"


class WorkerChild(Child):
    """A BOT_ROLE=worker process: it never polls, so it is up once it says so in its log."""

    async def start(self, emulator: Emulator) -> None:
        with self.log_path.open("wb") as log:
            self.process = await asyncio.create_subprocess_exec(
                *self.argv,
                cwd=self.cwd,
                env=self.env,
                stdin=asyncio.subprocess.DEVNULL,
                stdout=log,
                stderr=log,
            )
        deadline = time.monotonic() + WAIT
        while WORKING not in self.log_path.read_text(errors="replace"):
            self.check()
            if time.monotonic() > deadline:
                self.fail(f"did not start working within {WAIT:.0f} s")
            await asyncio.sleep(0.05)


@dataclass
class Round:
    processes: int
    from_push: float  # updates/s, first push to last reply
    from_first_reply: float  # updates/s, first reply to last reply
    cpu_ms: float  # the bot processes' CPU time per update, all of them
    wrong: list[str]


async def one_round(database_url: str, processes: int, users: int, updates: int, workdir: Path) -> Round:
    await seed(database_url, users, reset=True)
    api = FakeBotApi()
    async with run_emulator(api, token=TOKEN) as emulator:
        env = bot_env(
            database_url,
            TELEGRAM_BOT_TOKEN=TOKEN,
            TELEGRAM_BASE_URL=emulator.base_url,
            TELEGRAM_BASE_FILE_URL=emulator.file_url,
            TELEGRAM_RATE_LIMIT="0",
            # The nudges' dispatcher would message these users too: only the /log replies are counted.
            DISPATCHER_ENABLED="false",
        )
        argv = [sys.executable, "-m", "bot", "run"]
        children = [Child(f"all-{processes}", argv, {**env, "LOG_LEVEL": "INFO"}, workdir)]
        children += [
            WorkerChild(
                f"worker-{processes}-{n}", argv, {**env, "BOT_ROLE": "worker", "LOG_LEVEL": "INFO"}, workdir
            )
            for n in range(1, processes)
        ]
        try:
            await asyncio.gather(*(child.start(emulator) for child in children))
            tracker = Tracker(real_answer)
            first_reply: list[float] = []
            api.listeners.append(
                lambda call: first_reply.append(time.perf_counter()) if not first_reply else None
            )
            api.listeners.append(tracker.on_call)
            load = Load(api, users)
            cpu_before = sum(child.cpu_seconds() for child in children)
            tracker.expect_more(updates)
            began = time.perf_counter()
            for _ in range(updates):
                await api.push(load.update(tracker))
            deadline = time.monotonic() + 600
            while not tracker.done.is_set():
                for child in children:
                    child.check()
                if time.monotonic() > deadline:
                    raise SystemExit(f"{tracker.replies} of {updates} replies within 600 s")
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(tracker.done.wait(), 0.5)
            cpu = sum(child.cpu_seconds() for child in children) - cpu_before
        finally:
            for child in children:
                await child.stop()
    return Round(
        processes,
        updates / (tracker.last - began),
        (updates - 1) / (tracker.last - first_reply[0]),
        1000 * cpu / updates,
        tracker.wrong,
    )


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", default=os.environ.get("BENCH_DATABASE_URL", ""))
    parser.add_argument("--users", type=int, default=300)
    parser.add_argument("--updates", type=int, default=3000)
    parser.add_argument("--processes", default="1,2,3")
    args = parser.parse_args()
    if not args.database_url.startswith("postgresql"):
        raise SystemExit("--database-url: a PostgreSQL URL (several processes share PostgreSQL only)")
    print(f"{os.cpu_count()} CPUs; {args.updates} /log updates from {args.users} users per round")
    print(
        "| processes | updates/s (push to last reply) | updates/s (first to last reply) | bot CPU ms/update |"
    )
    print("| --- | --- | --- | --- |")
    with tempfile.TemporaryDirectory(prefix="bench-workers-") as workdir:
        for processes in (int(part) for part in args.processes.split(",")):
            result = await one_round(args.database_url, processes, args.users, args.updates, Path(workdir))
            if result.wrong:
                raise SystemExit(f"wrong replies with {processes} processes: {result.wrong}")
            print(
                f"| {processes} | {result.from_push:.0f} | {result.from_first_reply:.0f} | {result.cpu_ms:.1f} |"
            )


if __name__ == "__main__":
    asyncio.run(main())
