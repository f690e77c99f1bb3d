"""/team for the manager of a team of 50 members with a year of data: the whole update, in process.

Seeds the same team as bench/bench_digest.py (50 salespeople and a manager, a year of daily results, the
team goal split into 50 parts, prompts, ratings, shares), then feeds "/team" from the manager through the
real Application with the in-process Bot API (no HTTP) and times each update from the moment it is handed
to PTB until its replies are sent. The card's own part, the team goals' part and the group's part all run.

    .venv/bin/python bench/bench_team.py [--repeat 30] [--database-url postgresql+asyncpg://...]
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import sys
import tempfile
import time
from pathlib import Path

from telegram import Update

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # this tree's `bot` and `bench`, not an installed copy

from bench.bench_digest import MANAGER, MEMBERS, NOW, percentile, seed  # noqa: E402
from bot.app import build_application, startup  # noqa: E402
from bot.devtools.fake_bot_api import FakeBotApi  # noqa: E402
from bot.devtools.inprocess_request import InProcessRequest  # noqa: E402
from bot.settings import load_settings  # noqa: E402


async def main(repeat: int, url: str | None) -> None:
    directory = tempfile.mkdtemp(prefix="bench-team-")
    database_url = url or f"sqlite+aiosqlite:///{Path(directory) / 'bench.sqlite3'}"
    await seed(database_url)
    settings = load_settings(_env_file=None, database_url=database_url, telegram_bot_token=None)
    api = FakeBotApi()
    app = build_application(settings, request=InProcessRequest(api), rate_limited=False, clock=lambda: NOW)
    manager = api.user(MANAGER, first_name="Manager", language_code="zh-hans")
    timings: list[float] = []
    cpu: list[float] = []
    async with app:
        await startup(app)
        for _ in range(repeat + 3):
            update = Update.de_json(api.message_update(manager, "/team"), app.bot)
            began, began_cpu = time.perf_counter(), time.process_time()
            await app.process_update(update)
            timings.append((time.perf_counter() - began) * 1000)
            cpu.append((time.process_time() - began_cpu) * 1000)
    card = api.last_sent_to(MANAGER)
    timings, cpu = timings[3:], cpu[3:]
    backend = "PostgreSQL" if database_url.startswith("postgresql") else "SQLite"
    print(
        f"card: {len(card.text)} characters, {sum(len(row) for row in card.buttons)} buttons; {card.text.splitlines()[0]}"
    )
    print(f"| /team, manager of {MEMBERS} members x a year of data, whole update ({backend}) | "
          f"{statistics.median(timings):.1f} ms median | p95 {percentile(timings, 0.95):.1f} ms | "
          f"CPU {statistics.median(cpu):.1f} ms median |")  # fmt: skip


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=30)
    parser.add_argument("--database-url", default=None, help="default: a fresh SQLite file")
    arguments = parser.parse_args()
    asyncio.run(main(arguments.repeat, arguments.database_url))
