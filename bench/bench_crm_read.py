"""Reading a 50,000-row Zoho Deals XLSX into CrmRecords: python-calamine (the bot's reader) against openpyxl.

Run from the repository root: `python bench/bench_crm_read.py [--rows 50000] [--repeat 3] [--file PATH]`.
Builds the workbook once (tests/auxil/crm_files.big_deals_xlsx, openpyxl write-only; cached in /tmp), then
for each reader runs fresh processes: one timing the whole reading (open_table's checks, the sheet read,
recognise, read_records) `--repeat` times (wall and CPU time: on a shared machine the CPU time is the steadier), one measuring peak memory: tracemalloc's peak (Python objects)
and the growth of the process's peak RSS over its RSS before reading (which counts calamine's own memory
too). Prints a Markdown table. openpyxl reads in read-only mode with data_only=False (formula text, never
the cached value), the way it would if it were the reader; it is measured here only.
"""

from __future__ import annotations

import argparse
import io
import json
import resource
import statistics
import subprocess
import sys
import time
import tracemalloc
from pathlib import Path
from zoneinfo import ZoneInfo

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bot.core.crm.files import FileProblem, Layout, Table, open_table, read_records, recognise  # noqa: E402
from bot.core.crm.files.problems import ROW_LIMIT  # noqa: E402
from bot.core.crm.files.tables import build_table  # noqa: E402
from bot.core.crm.files.workbook import cell_text  # noqa: E402

READERS = ("calamine", "openpyxl")
ZONE = ZoneInfo("Asia/Shanghai")


def openpyxl_table(data: bytes) -> Table | FileProblem:
    """The table openpyxl would give, through the same build_table as the bot's reader."""
    import openpyxl

    book = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=False)
    sheet = book.worksheets[0]
    rows = ([cell_text(value) for value in row] for row in sheet.iter_rows(values_only=True))
    table = build_table(sheet.title, rows, row_limit=ROW_LIMIT)
    book.close()
    return table


def read_all(reader: str, data: bytes) -> int:
    """Records read from the file by `reader`; raises if the file does not read."""
    table = open_table(data, "Deals.xlsx") if reader == "calamine" else openpyxl_table(data)
    assert isinstance(table, Table), table
    layout = recognise(table)
    assert isinstance(layout, Layout), layout
    return len(read_records(table, layout, zone=ZONE).records)


def max_rss_bytes() -> int:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024  # KiB on Linux


def current_rss_bytes() -> int:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) * 1024
    return 0


def child(reader: str, path: Path, mode: str, repeat: int) -> dict[str, float]:
    data = path.read_bytes()
    import openpyxl  # noqa: F401  # both libraries imported before measuring, whichever is measured
    import python_calamine  # noqa: F401

    if mode == "time":
        seconds, cpu, records = [], [], 0
        for _ in range(repeat):
            started, started_cpu = time.perf_counter(), time.process_time()
            records = read_all(reader, data)
            seconds.append(time.perf_counter() - started)
            cpu.append(time.process_time() - started_cpu)
        return {
            "median_s": statistics.median(seconds),
            "min_s": min(seconds),
            "cpu_s": statistics.median(cpu),
            "records": records,
        }
    before = current_rss_bytes()
    tracemalloc.start()
    records = read_all(reader, data)
    _current, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return {
        "traced_peak_mb": peak / 2**20,
        "rss_growth_mb": (max_rss_bytes() - before) / 2**20,
        "records": records,
    }


def run_child(reader: str, path: Path, mode: str, repeat: int) -> dict[str, float]:
    command = [
        sys.executable,
        __file__,
        "--child",
        reader,
        "--mode",
        mode,
        "--file",
        str(path),
        "--repeat",
        str(repeat),
    ]
    output = subprocess.run(command, check=True, capture_output=True, text=True, cwd=ROOT).stdout
    result: dict[str, float] = json.loads(output.strip().splitlines()[-1])
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rows", type=int, default=50_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--file", type=Path, default=None, help="the workbook (built there if missing)")
    parser.add_argument("--readers", default=",".join(READERS))
    parser.add_argument("--child", choices=READERS)
    parser.add_argument("--mode", choices=("time", "memory"), default="time")
    args = parser.parse_args()
    path = args.file or Path(f"/tmp/qc_bench_crm_deals_{args.rows}.xlsx")
    if args.child:
        print(json.dumps(child(args.child, path, args.mode, args.repeat)))
        return
    if not path.exists():
        from tests.auxil.crm_files import big_deals_xlsx

        started = time.perf_counter()
        path.write_bytes(big_deals_xlsx(args.rows))
        print(
            f"built {path} ({path.stat().st_size / 2**20:.1f} MiB) in {time.perf_counter() - started:.1f} s"
        )
    print(f"\n{args.rows:,} rows, {path.stat().st_size / 2**20:.1f} MiB XLSX, median of {args.repeat}\n")
    print(
        "| reader | read to records, median (min) | CPU, median | peak traced (Python) | peak RSS growth | records |"
    )
    print("| --- | --- | --- | --- | --- | --- |")
    for reader in args.readers.split(","):
        timing = run_child(reader, path, "time", args.repeat)
        memory = run_child(reader, path, "memory", 1)
        print(
            f"| {reader} | {timing['median_s']:.2f} s ({timing['min_s']:.2f}) | {timing['cpu_s']:.2f} s "
            f"| {memory['traced_peak_mb']:.0f} MB "
            f"| {memory['rss_growth_mb']:.0f} MB | {int(timing['records']):,} |"
        )


if __name__ == "__main__":
    main()
