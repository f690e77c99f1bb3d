"""/log latency in webhook mode at Telegram's broadcast rate (web15): the emulator POSTs each update to the
real bot process's webhook; each update is timed from its push to the emulator receiving the reply.

The same users and load as bench_throughput.py's latency part (onboarded users with an open revenue goal
and a result on every working day so far, `/log 3 visits, 12 calls, 1 deal 50k`), run in webhook mode and,
for comparison in the same run, in polling mode.

    .venv/bin/python bench/bench_webhook.py            # options: --users 200 --rate 30 --seconds 20
                                                       # --modes webhook,polling --database-url URL
"""

from __future__ import annotations

import argparse
import asyncio
import os
import socket
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from bench.bench_throughput import WAIT, Child, Load, Tracker, percentile, real_answer, seed, wait_done
from bot.devtools.fake_bot_api import FakeBotApi
from bot.settings import load_settings
from tests.e2e.harness import TOKEN, bot_env
from tests.emulator import Emulator, run_emulator

SECRET = "bench-webhook-secret"


class WebhookChild(Child):
    """A bot process in webhook mode: started once it has called setWebhook."""

    async def start(self, emulator: Emulator) -> None:
        ready = "setWebhook" if "WEBHOOK_URL" in self.env else "deleteWebhook"
        before = sum(1 for method, _ in emulator.received if method == ready)
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
        while sum(1 for method, _ in emulator.received if method == ready) <= before:
            self.check()
            if time.monotonic() > deadline:
                self.fail(f"did not call {ready} within {WAIT:.0f} s")
            await asyncio.sleep(0.05)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


async def measure(
    emulator: Emulator, load: Load, child: WebhookChild, rate: float, seconds: float, warmup: int
) -> tuple[list[float], float]:
    tracker = Tracker(real_answer)
    emulator.api.listeners.append(tracker.on_call)  # beside the webhook delivery's own listener
    await child.start(emulator)
    try:
        tracker.expect_more(warmup)
        for _ in range(warmup):
            await load.api.push(load.update(tracker))
        await wait_done(tracker, child, "the warm-up")
        latencies, achieved = await load.steady(tracker, child, rate, seconds)
        if tracker.wrong:
            raise SystemExit(f"unexpected replies: {tracker.wrong}")
        return latencies, achieved
    finally:
        await child.stop()
        emulator.api.listeners.remove(tracker.on_call)


async def main(args: argparse.Namespace) -> None:
    workdir = Path(tempfile.mkdtemp(prefix="bench-webhook-"))
    url = (
        load_settings(_env_file=None, database_url=args.database_url).database_url
        if args.database_url
        else f"sqlite+aiosqlite:///{workdir / 'bench.sqlite3'}"
    )
    await seed(url, args.users, args.reset_database)
    api = FakeBotApi()
    load = Load(api, args.users)
    load_before = os.getloadavg()[0]
    rows = []
    async with run_emulator(api, token=TOKEN) as emulator:
        base = {
            "TELEGRAM_BOT_TOKEN": TOKEN,
            "TELEGRAM_BASE_URL": emulator.base_url,
            "TELEGRAM_BASE_FILE_URL": emulator.file_url,
            "TELEGRAM_RATE_LIMIT": "0",
            "DISPATCHER_ENABLED": "false",
            "LOG_LEVEL": "WARNING",
        }
        for mode in args.modes.split(","):
            settings = dict(base)
            if mode == "webhook":
                port = free_port()
                settings |= {"WEBHOOK_URL": f"http://127.0.0.1:{port}/hook", "WEBHOOK_SECRET": SECRET,
                             "WEBHOOK_LISTEN": "127.0.0.1", "WEBHOOK_PORT": str(port)}  # fmt: skip
            child = WebhookChild(
                mode, [sys.executable, "-m", "bot", "run"], bot_env(url, **settings), workdir
            )
            latencies, achieved = await measure(emulator, load, child, args.rate, args.seconds, args.warmup)
            rows.append((mode, latencies, achieved))
            print(f"{mode}: measured", file=sys.stderr, flush=True)
    backend = "PostgreSQL" if url.startswith("postgresql") else "SQLite"
    print(f"/log push to reply at {args.rate:g} updates/s for {args.seconds:g} s, {args.users} users, {backend}; "
          f"load average {load_before:.1f} before, {os.getloadavg()[0]:.1f} after")  # fmt: skip
    print("| mode | updates | replies/s | p50 ms | p90 ms | p99 ms | max ms |")
    print("| --- | --- | --- | --- | --- | --- | --- |")
    for mode, latencies, achieved in rows:
        print(f"| {mode} | {len(latencies)} | {achieved:.1f} | {statistics.median(latencies):.1f} | "
              f"{percentile(latencies, 0.9):.1f} | {percentile(latencies, 0.99):.1f} | {max(latencies):.1f} |")  # fmt: skip


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--users", type=int, default=200)
    parser.add_argument("--rate", type=float, default=30.0, help="updates pushed per second")
    parser.add_argument("--seconds", type=float, default=20.0)
    parser.add_argument("--warmup", type=int, default=50)
    parser.add_argument("--modes", default="webhook,polling")
    parser.add_argument("--database-url", help="PostgreSQL instead of a temporary SQLite file")
    parser.add_argument("--reset-database", action="store_true", help="drop the PostgreSQL schema first")
    asyncio.run(main(parser.parse_args()))
