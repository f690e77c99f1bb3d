"""A 50,000-row Zoho CRM Deals workbook imported the whole way, as the import dialog does it: the file read
into records and previewed (the first answer the user sees), then read again and written at Import (the
dialog keeps the file id, not the bytes, and reads the file again). One process, a fresh database.

Run from the repository root: `python bench/bench_crm_import.py [--rows 50000] [--url DATABASE_URL]`
(default: a fresh SQLite file in /tmp; the workbook is built once with tests/auxil/crm_files.big_deals_xlsx
and cached in /tmp). Prints the seconds of each step, the CPU seconds, and the process's peak RSS.
"""

from __future__ import annotations

import argparse
import asyncio
import resource
import sys
import tempfile
import time
from datetime import UTC, date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from sqlalchemy.ext.asyncio import AsyncSession  # noqa: E402

from bot.core.crm.files import Layout, RecordsRead, Table, open_table, read_records, recognise  # noqa: E402
from bot.services.crm_import import FILE, preview_records, write_records  # noqa: E402
from bot.storage.database import create_engine  # noqa: E402
from bot.storage.migrate import upgrade  # noqa: E402
from tests.auxil.crm_imports import add_user  # noqa: E402

NOW = datetime(2026, 11, 27, 4, 0, tzinfo=UTC)
ZONE = ZoneInfo("Asia/Shanghai")


def read_file(data: bytes) -> RecordsRead:
    table = open_table(data, "Deals_001.xlsx")
    assert isinstance(table, Table), table
    layout = recognise(table)
    assert isinstance(layout, Layout), layout
    return read_records(table, layout, zone=ZONE)


def workbook(rows: int) -> tuple[Path, bytes]:
    """The bench workbook, built once and kept in /tmp (openpyxl's write-only mode takes a minute or two)."""
    path = Path(f"/tmp/qc_bench_crm_deals_{rows}.xlsx")
    if not path.exists():
        from tests.auxil.crm_files import big_deals_xlsx

        path.write_bytes(big_deals_xlsx(rows))
    return path, path.read_bytes()


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux


async def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=50_000)
    parser.add_argument("--url", default=None)
    args = parser.parse_args()
    path, data = workbook(args.rows)
    url = args.url or f"sqlite+aiosqlite:///{tempfile.mkdtemp()}/bench.sqlite3"
    engine = create_engine(url)
    await upgrade(engine)
    async with AsyncSession(engine) as session, session.begin():
        metrics = ("revenue", "deals")
        user_id = (
            await add_user(session, metrics=metrics, start=date(2020, 1, 1), deadline=date(2027, 12, 31))
        ).id
    before = peak_mb()
    print(f"{args.rows:,}-row workbook ({len(data) / 2**20:.1f} MiB) on {engine.dialect.name}\n")
    print(
        "| step | seconds | CPU seconds | peak RSS so far (MB) | outcome |\n| --- | ---: | ---: | ---: | --- |"
    )
    started, cpu = time.perf_counter(), time.process_time()
    read = read_file(data)
    async with AsyncSession(engine) as session, session.begin():
        preview = await preview_records(session, user_id=user_id, records=read.records, now=NOW)
    print(f"| read + preview | {time.perf_counter() - started:.1f} | {time.process_time() - cpu:.1f} | "
          f"{peak_mb():.0f} | {preview.rows:,} rows, {preview.won:,} won, {len(read.skipped)} skipped |")  # fmt: skip
    del read
    step, step_cpu = time.perf_counter(), time.process_time()
    read = read_file(data)
    async with AsyncSession(engine) as session, session.begin():
        outcome = await write_records(session, user_id=user_id, records=read.records, imported_by=user_id,
                                      now=NOW, origin=FILE, source_name=path.name)  # fmt: skip
    print(f"| read again + write (Import) | {time.perf_counter() - step:.1f} | "
          f"{time.process_time() - step_cpu:.1f} | {peak_mb():.0f} | {outcome.added:,} added |")  # fmt: skip
    print(f"| the whole import | {time.perf_counter() - started:.1f} | {time.process_time() - cpu:.1f} | "
          f"{peak_mb():.0f} (before reading: {before:.0f}) | |")  # fmt: skip
    await engine.dispose()


if __name__ == "__main__":
    asyncio.run(main())
