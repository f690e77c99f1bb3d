"""Writing a 50,000-record CRM import (bot.services.crm_import.write_records) in one transaction: the
first import, the same import again (nothing to change), and one where every tenth deal changed.

Run from the repository root: `python bench/bench_crm_write.py [--records 50000] [--url DATABASE_URL]`
(default: a fresh SQLite file in /tmp; give a PostgreSQL URL of an empty scratch database to measure
that). Prints the seconds and the process's peak RSS after each step as a Markdown table.
"""

from __future__ import annotations

import argparse
import asyncio
import random
import resource
import sys
import tempfile
import time
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from sqlalchemy.ext.asyncio import AsyncSession  # noqa: E402

from bot.core.crm.records import CrmRecord, CrmSystem, DealState, RecordKind  # noqa: E402
from bot.services.crm_import import FILE, write_records  # noqa: E402
from bot.storage.database import create_engine  # noqa: E402
from bot.storage.migrate import upgrade  # noqa: E402
from tests.auxil.crm_imports import add_user  # noqa: E402

NOW = datetime(2026, 11, 27, 4, 0, tzinfo=UTC)


def records(count: int, *, changed_every: int = 0) -> list[CrmRecord]:
    """Deals (a third won) and calls, spread over a quarter, as a big export holds them."""
    rng = random.Random(14)
    made = []
    for index in range(count):
        day = date(2026, 9, 1) + timedelta(days=rng.randrange(91))
        if index % 4 == 3:
            made.append(
                CrmRecord(CrmSystem.ZOHO, RecordKind.CALL, f"call_{index}", day, title=f"Call {index}")
            )
            continue
        amount = Decimal(rng.randrange(1_000, 200_000))
        if changed_every and index % changed_every == 0:
            amount += 1
        state = DealState.WON if rng.random() < 0.35 else rng.choice((DealState.LOST, DealState.OPEN))
        made.append(CrmRecord(CrmSystem.ZOHO, RecordKind.DEAL, f"zcrm_{index}", day, amount, state, "Amy Chen",
                              f"Deal {index}"))  # fmt: skip
    return made


async def step(
    engine: object, user_id: int, batch: list[CrmRecord], now: datetime
) -> tuple[float, float, str]:
    started = time.perf_counter()
    async with AsyncSession(engine) as session, session.begin():  # type: ignore[call-overload]
        outcome = await write_records(session, user_id=user_id, records=batch, imported_by=user_id, now=now,
                                      origin=FILE)  # fmt: skip
    seconds = time.perf_counter() - started
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux
    counts = f"{outcome.added} added, {outcome.changed} changed, {outcome.unchanged} unchanged"
    return seconds, peak, counts


async def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--records", type=int, default=50_000)
    parser.add_argument("--url", default=None)
    args = parser.parse_args()
    url = args.url or f"sqlite+aiosqlite:///{tempfile.mkdtemp()}/bench.sqlite3"
    engine = create_engine(url)
    await upgrade(engine)
    async with AsyncSession(engine) as session, session.begin():
        user_id = (await add_user(session, metrics=("revenue", "deals", "calls"), start=date(2026, 9, 1))).id
    print(f"{args.records:,} records on {engine.dialect.name}\n")
    print("| step | seconds | peak RSS so far (MB) | outcome |\n| --- | ---: | ---: | --- |")
    for name, batch, minutes in [
        ("first import", records(args.records), 0),
        ("the same again", records(args.records), 1),
        ("every 10th deal changed", records(args.records, changed_every=10), 2),
    ]:
        seconds, peak, counts = await step(engine, user_id, batch, NOW + timedelta(minutes=minutes))
        print(f"| {name} | {seconds:.1f} | {peak:.0f} | {counts} |")
    await engine.dispose()


if __name__ == "__main__":
    asyncio.run(main())
