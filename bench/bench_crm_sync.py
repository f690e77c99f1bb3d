"""A CRM sync of 10,000 changed deals from the fake Zoho CRM (tests/fakes) into the database (issue 14).

    .venv/bin/python bench/bench_crm_sync.py [--deals 10000] [--database-url postgresql+asyncpg://...]

DATABASE_URL is read too; without either, a fresh SQLite file. Two syncs are timed: the first brings all
the deals (new records), the second the same deals after every one changed in the CRM (records replaced,
their results re-derived). The fake server runs in the same process and event loop, so its time (JSON
for 200 deals a page) is inside the figures; CPU is the process's. Prints a Markdown table.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import resource
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from cryptography.fernet import Fernet  # noqa: E402
from pydantic import SecretStr  # noqa: E402

from bot.scheduler.crm_sync import CrmSyncJobs  # noqa: E402
from bot.services.container import build_services  # noqa: E402
from bot.settings import load_settings  # noqa: E402
from bot.storage.database import create_engine  # noqa: E402
from bot.storage.migrate import upgrade  # noqa: E402
from tests.auxil.clock import FakeClock  # noqa: E402
from tests.auxil.database import wipe  # noqa: E402
from tests.crm_sync.helpers import insert_connection, insert_user, record_count, zoho_credentials  # noqa: E402
from tests.fakes.routing import RoutedTransport  # noqa: E402
from tests.fakes.zoho_server import serve_zoho  # noqa: E402

NOW = datetime(2026, 11, 27, 2, 0, tzinfo=UTC)


async def main(deals: int, url: str | None) -> None:
    directory = tempfile.mkdtemp(prefix="bench-crm-sync-")
    database_url = url or f"sqlite+aiosqlite:///{Path(directory) / 'bench.sqlite3'}"
    engine = create_engine(database_url)
    await upgrade(engine)
    await wipe(engine)
    key = Fernet.generate_key().decode()
    settings = load_settings(_env_file=None, database_url=database_url, telegram_bot_token=None,
                             crm_secret_key=SecretStr(key))  # fmt: skip
    clock = FakeClock(NOW)
    rows: list[tuple[str, float, float, int, int]] = []
    async with serve_zoho() as zoho:
        services = build_services(settings, clock, engine=engine)
        services.crm_transport = RoutedTransport(zoho.accounts_route)
        zoho.add_deals(deals, start=NOW - timedelta(days=60))
        user_id = await insert_user(engine, NOW)
        await insert_connection(engine, NOW, zoho_credentials(zoho), key=key)
        jobs = CrmSyncJobs(services)
        for label in ("first sync: all deals new", "second sync: every deal changed"):
            wall, cpu = time.perf_counter(), time.process_time()
            report = await jobs.tick()
            wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
            (result,) = report.results
            assert result.finished, result
            rows.append((label, wall, cpu, result.pages, result.added + result.changed))
            at = clock.advance(hours=1)
            for record_id in list(zoho.deals):  # every deal changes in the CRM before the next slot
                zoho.update_deal(
                    record_id, at - timedelta(minutes=5), Amount=zoho.deals[record_id]["Amount"] + 1
                )
        stored = await record_count(engine, user_id)
    await engine.dispose()
    backend = "PostgreSQL" if database_url.startswith("postgresql") else "SQLite"
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(
        f"{deals:,} deals from the fake Zoho into {backend}; {stored:,} records stored; peak RSS {peak:.0f} MiB\n"
    )
    print("| sync | wall s | CPU s | pages | records written | deals/s |")
    print("| --- | --- | --- | --- | --- | --- |")
    for label, wall, cpu, pages, written in rows:
        print(f"| {label} | {wall:.2f} | {cpu:.2f} | {pages} | {written:,} | {written / wall:,.0f} |")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--deals", type=int, default=10_000)
    parser.add_argument(
        "--database-url", default=os.environ.get("DATABASE_URL"), help="default: a fresh SQLite file"
    )
    arguments = parser.parse_args()
    asyncio.run(main(arguments.deals, arguments.database_url))
