"""/export's files for a big history: 10,000, 50,000 and 100,000 result rows (plus as many activities
as a tenth of that, and the small sheets), the XLSX workbook and the CSV zip, each made in a fresh
process so its peak RSS is its own. Also the step before them: the export's rows through the outbox's
JSON (stored by the turn, read back by the courier), and, where XlsxWriter is importable (measured, not
a dependency), its constant_memory writer with the same cells, and openpyxl with a cell object per cell.

Run from the repository root: `python bench/bench_export.py [--rows 10000 50000 100000] [--what ...]`.
Prints a Markdown table: seconds (wall and CPU), peak RSS growth over the process before making the
rows, the file's size.
"""

from __future__ import annotations

import argparse
import io
import json
import resource
import subprocess
import sys
import time
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from pydantic import TypeAdapter  # noqa: E402

from bot.i18n import translator  # noqa: E402
from bot.services.export_files import (  # noqa: E402
    AboutLine,
    CellKind,
    ExportBook,
    cell_text,
    csv_zip_bytes,
    typed_value,
    workbook_bytes,
)
from bot.services.export_sheets import ACTIVITY_COLUMNS, ENTRY_COLUMNS, GOAL_COLUMNS, SheetMaker  # noqa: E402

WHATS = ("xlsx", "zip", "json", "openpyxl-cells", "xlsxwriter")
AT = datetime(2026, 11, 27, 10, 0, tzinfo=UTC)


def book(results: int) -> ExportBook:
    """A salesperson's history after a big CRM import: `results` results over 10 goals, a tenth as many
    activities, with the CRM's record ids, as export_sheets makes the rows (text cells)."""
    maker = SheetMaker(translator("en"), ZoneInfo("Asia/Shanghai"))
    first = date(2020, 1, 1)
    goals = [
        [n, f"Revenue {n}", "Revenue", "CNY", "absolute", Decimal(1_000_000), None, None, first, date(2026, 12, 31),
         7, "=why it matters", "active", AT, AT]
        for n in range(1, 11)
    ]  # fmt: skip
    entries = [
        [first + timedelta(days=n // 30), n % 10 + 1, f"Revenue {n % 10 + 1}", Decimal(n % 9_000) + Decimal("0.50"),
         "CRM import", "zoho", f"zcrm_{5_000_000_000 + n}", AT]
        for n in range(results)
    ]  # fmt: skip
    activities = [
        [first + timedelta(days=n // 10), "Calls", Decimal(1), "CRM import", "zoho", f"zcrm_{n}", AT]
        for n in range(results // 10)
    ]
    sheets = [
        maker.sheet("Goals", "goals", "goals", GOAL_COLUMNS, goals),
        maker.sheet("Results", "results", "results", ENTRY_COLUMNS, entries),
        maker.sheet("Activities", "activities", "activities", ACTIVITY_COLUMNS, activities),
    ]
    about = [AboutLine("Exported at", cell_text(AT), CellKind.DATETIME)]
    return ExportBook("About", ("What", "Value"), about, sheets)


def openpyxl_cells(made: ExportBook) -> bytes:
    """openpyxl write-only with a WriteOnlyCell for every cell (the slow way, for comparison)."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell

    workbook = Workbook(write_only=True)
    for sheet in made.sheets:
        kinds = [column.kind for column in sheet.columns]
        out = workbook.create_sheet(sheet.name)
        for row in sheet.rows:
            out.append([WriteOnlyCell(out, typed_value(t, k)) for t, k in zip(row, kinds, strict=True)])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def xlsxwriter_book(made: ExportBook) -> bytes:
    """XlsxWriter's constant_memory mode, the same typed cells (dates with a number format)."""
    import xlsxwriter

    buffer = io.BytesIO()
    workbook = xlsxwriter.Workbook(buffer, {"constant_memory": True, "in_memory": False})
    day = workbook.add_format({"num_format": "yyyy-mm-dd"})
    moment = workbook.add_format({"num_format": "yyyy-mm-dd hh:mm:ss"})
    for sheet in made.sheets:
        kinds = [column.kind for column in sheet.columns]
        out = workbook.add_worksheet(sheet.name)
        for index, row in enumerate(sheet.rows):
            for column, (text, kind) in enumerate(zip(row, kinds, strict=True)):
                value = typed_value(text, kind)
                if value is None:
                    continue
                if isinstance(value, datetime):
                    out.write_datetime(index, column, value, moment)
                elif isinstance(value, date):
                    out.write_datetime(index, column, datetime(value.year, value.month, value.day), day)
                elif isinstance(value, Decimal):
                    out.write_number(index, column, float(value))
                else:
                    out.write_string(index, column, value)
    workbook.close()
    return buffer.getvalue()


def json_round_trip(made: ExportBook) -> bytes:
    """What the outbox stores for one file (the rows as JSON) and what the courier reads back."""
    adapter = TypeAdapter(ExportBook)
    stored = json.dumps(adapter.dump_python(made, mode="json")).encode()
    adapter.validate_python(json.loads(stored))
    return stored


MAKERS: dict[str, Any] = {
    "xlsx": workbook_bytes,
    "zip": csv_zip_bytes,
    "json": json_round_trip,
    "openpyxl-cells": openpyxl_cells,
    "xlsxwriter": xlsxwriter_book,
}


def one(what: str, results: int) -> None:
    """Measure one file in this process; print a JSON line."""
    made = book(results)
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    wall, cpu = time.perf_counter(), time.process_time()
    content = MAKERS[what](made)
    wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    print(json.dumps({"wall": wall, "cpu": cpu, "growth_mb": (peak - before) / 1024, "bytes": len(content),
                      "rows": made.row_count}))  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rows", type=int, nargs="+", default=[10_000, 50_000, 100_000])
    parser.add_argument("--what", nargs="+", default=list(WHATS), choices=WHATS)
    parser.add_argument("--one", nargs=2, metavar=("WHAT", "ROWS"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.one:
        one(args.one[0], int(args.one[1]))
        return
    print("| result rows | all rows | file | wall s | CPU s | peak RSS growth MB | size MB |")
    print("| --- | --- | --- | --- | --- | --- | --- |")
    for results in args.rows:
        for what in args.what:
            run = subprocess.run(
                [sys.executable, __file__, "--one", what, str(results)], capture_output=True, text=True
            )
            if run.returncode != 0:
                print(f"| {results:,} | | {what} | failed: {run.stderr.strip().splitlines()[-1]} | | | |")
                continue
            got = json.loads(run.stdout)
            print(f"| {results:,} | {got['rows']:,} | {what} | {got['wall']:.2f} | {got['cpu']:.2f} | "
                  f"{got['growth_mb']:.0f} | {got['bytes'] / 1e6:.1f} |", flush=True)  # fmt: skip


if __name__ == "__main__":
    main()
