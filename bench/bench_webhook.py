"""/log latency in webhook mode at Telegram's broadcast rate (web15, webhook15): the emulator POSTs each update
to the real bot process's webhook; each update is timed from its push to the emulator receiving the reply.

The same users and load as bench_throughput.py's latency part (onboarded users with an open revenue goal
and a result on every working day so far, `/log 3 visits, 12 calls, 1 deal 50k`), run in webhook mode and,
for comparison in the same run, in polling mode. Where the time goes: the bot's CPU per update, each POST's
round trip (the inbox commit), each update's handling (the INFO line observe.py writes; --log-level INFO)
and how many updates the webhook stored in how many commits.

    .venv/bin/python bench/bench_webhook.py            # options: --users 200 --rate 30 --seconds 20
                                                       # --modes webhook,polling --database-url URL
                                                       # --log-level INFO --bot-tree PATH (another tree's bot)
"""

from __future__ import annotations

import argparse
import asyncio
import os
import re
import socket
import statistics
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from bench.bench_throughput import (
    REPO_ROOT,
    WAIT,
    Child,
    Load,
    Tracker,
    percentile,
    real_answer,
    seed,
    wait_done,
)
from bot.devtools.fake_bot_api import FakeBotApi
from bot.settings import load_settings
from tests.e2e.harness import TOKEN, bot_env
from tests.emulator import Emulator, run_emulator
from tests.emulator.webhook import WebhookDelivery

SECRET = "bench-webhook-secret"
# The line observe.py writes at INFO when an update is handled: "update 12 (message) done by x.y in 8.1 ms".
STORED = re.compile(rb"webhook: (\d+) updates stored in (\d+) commits")
HANDLED = re.compile(rb"update \d+ \(\w+\) \w+ by \S+ in ([0-9.]+) ms")


class PostTimer:
    """Times each of the emulator's webhook POSTs, from its request leaving to the bot's answer: the part
    of an update's latency that is the bot storing it (the rest is waiting to be POSTed, then handling)."""

    def __init__(self, delivery: WebhookDelivery) -> None:
        self.delivery, self.inner = delivery, delivery._post
        self.seconds: list[float] = []

    async def _post(self, client: httpx.AsyncClient, update: dict[str, object]) -> bool:
        began = time.perf_counter()
        try:
            return await self.inner(client, update)
        finally:
            self.seconds.append(time.perf_counter() - began)

    def __enter__(self) -> PostTimer:
        setattr(self.delivery, "_post", self._post)  # noqa: B010 (an instance attribute over the method)
        return self

    def __exit__(self, *_: object) -> None:
        delattr(self.delivery, "_post")  # the class's method again


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


@dataclass
class Row:
    """One mode's run: each update's push-to-reply latency (ms), replies/s, the bot's CPU per update (ms),
    each webhook POST's answer time (ms) and, with --log-level INFO, each update's handling time (ms)."""

    mode: str
    latencies: list[float]
    achieved: float
    cpu_ms: float
    posts: list[float] = field(default_factory=list)
    handled: list[float] = field(default_factory=list)
    commits: str = "-"  # webhook: updates stored / commits, over the whole run (warm-up included)


async def measure(
    emulator: Emulator, load: Load, child: WebhookChild, rate: float, seconds: float, warmup: int
) -> Row:
    tracker = Tracker(real_answer)
    emulator.api.listeners.append(tracker.on_call)  # beside the webhook delivery's own listener
    assert emulator.webhook is not None
    await child.start(emulator)
    try:
        tracker.expect_more(warmup)
        for _ in range(warmup):
            await load.api.push(load.update(tracker))
        await wait_done(tracker, child, "the warm-up")
        log_from = child.log_path.stat().st_size
        cpu = child.cpu_seconds()
        with PostTimer(emulator.webhook) as posts:
            latencies, achieved = await load.steady(tracker, child, rate, seconds)
        cpu_ms = 1000 * (child.cpu_seconds() - cpu) / len(latencies)
        if tracker.wrong:
            raise SystemExit(f"unexpected replies: {tracker.wrong}")
    finally:
        await child.stop()
        emulator.api.listeners.remove(tracker.on_call)
    with child.log_path.open("rb") as log:
        log.seek(log_from)
        text = log.read()
    handled = [float(match.group(1)) for match in HANDLED.finditer(text)]
    row = Row(child.name, latencies, achieved, cpu_ms, [1000 * s for s in posts.seconds], handled)
    if stored := STORED.search(text):
        row.commits = f"{int(stored.group(1))} / {int(stored.group(2))}"
    return row


def spread(values: list[float]) -> str:
    if not values:
        return "- | - | -"
    return f"{statistics.median(values):.1f} | {percentile(values, 0.99):.1f} | {max(values):.1f}"


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
            "LOG_LEVEL": args.log_level,
        }
        for mode in args.modes.split(","):
            settings = dict(base)
            if mode == "webhook":
                port = free_port()
                settings |= {"WEBHOOK_URL": f"http://127.0.0.1:{port}/hook", "WEBHOOK_SECRET": SECRET,
                             "WEBHOOK_LISTEN": "127.0.0.1", "WEBHOOK_PORT": str(port),
                             "WEBHOOK_MAX_CONNECTIONS": str(args.max_connections)}  # fmt: skip
            env = bot_env(url, **settings)
            child = WebhookChild(mode, [sys.executable, "-m", "bot", "run"], env, workdir, cwd=args.bot_tree)
            rows.append(await measure(emulator, load, child, args.rate, args.seconds, args.warmup))
            print(f"{mode}: measured (log {child.log_path})", file=sys.stderr, flush=True)
    backend = "PostgreSQL" if url.startswith("postgresql") else "SQLite"
    print(f"bot tree {args.bot_tree}")
    print(f"/log push to reply at {args.rate:g} updates/s for {args.seconds:g} s, {args.users} users, {backend}; "
          f"load average {load_before:.1f} before, {os.getloadavg()[0]:.1f} after")  # fmt: skip
    print("| mode | updates | replies/s | p50 ms | p90 ms | p99 ms | max ms | bot CPU ms/update "
          "| POST answered p50 / p99 / max ms | handled p50 / p99 / max ms | updates / commits |")  # fmt: skip
    print("| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |")
    for row in rows:
        lat = row.latencies
        print(f"| {row.mode} | {len(lat)} | {row.achieved:.1f} | {statistics.median(lat):.1f} | "
              f"{percentile(lat, 0.9):.1f} | {percentile(lat, 0.99):.1f} | {max(lat):.1f} | {row.cpu_ms:.1f} | "
              f"{spread(row.posts)} | {spread(row.handled)} | {row.commits} |")  # fmt: skip


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--users", type=int, default=200)
    parser.add_argument("--rate", type=float, default=30.0, help="updates pushed per second")
    parser.add_argument("--seconds", type=float, default=20.0)
    parser.add_argument("--warmup", type=int, default=50)
    parser.add_argument("--modes", default="webhook,polling")
    parser.add_argument("--database-url", help="PostgreSQL instead of a temporary SQLite file")
    parser.add_argument(
        "--bot-tree", type=Path, default=REPO_ROOT, help="run the bot of this source tree (before/after)"
    )
    parser.add_argument("--max-connections", type=int, default=40, help="setWebhook's max_connections")
    parser.add_argument("--log-level", default="WARNING", help="INFO adds each update's handling time")
    parser.add_argument("--reset-database", action="store_true", help="drop the PostgreSQL schema first")
    asyncio.run(main(parser.parse_args()))
