"""How long drawing a goal's progress chart takes: cold (fresh process) and warm (after warm_up).

Run from the repository root: `python bench/bench_chart.py [--repeat N] [--cold-runs N]`.
Prints a Markdown table.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import threading
import time
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from bot.services.charts import ChartData, ChartLabels

ROOT = Path(__file__).resolve().parents[1]

# In a fresh interpreter: the import, warm_up(), then the first chart (with or without warm_up).
_COLD_SCRIPT = """
import json, sys, time
sys.path.insert(0, {root!r})
sys.path.insert(0, {bench!r})
start = time.perf_counter()
from bot.services.charts import render_progress_chart, warm_up
imported = time.perf_counter()
{warm_call}
warmed = time.perf_counter()
from bench_chart import year_goal, labels
render_progress_chart(year_goal(labels("zh_CN")))
drawn = time.perf_counter()
print(json.dumps({{"import": imported - start, "warm_up": warmed - imported, "first": drawn - warmed}}))
"""


def labels(language: str) -> ChartLabels:
    from bot.services.charts import ChartLabels

    if language == "zh_CN":
        return ChartLabels(
            "销售额:2027年3月31日前 ¥1,200,000",
            "实际累计",
            "目标路径",
            "按当前速度预测",
            "截止日",
            "今天",
            "¥",
            "zh_CN",
        )
    return ChartLabels(
        "Revenue: ¥1,200,000 by March 31, 2027",
        "Actual (cumulative)",
        "Target path",
        "Forecast at current pace",
        "Deadline",
        "Today",
        "¥",
        "en",
    )


def year_goal(chart_labels: ChartLabels) -> ChartData:
    """A year-long revenue goal, eight months in: 365 planned points, 241 actual ones, a forecast."""
    from bot.services.charts import ChartData

    start, deadline, today = date(2026, 4, 1), date(2027, 3, 31), date(2026, 11, 27)
    days = (deadline - start).days + 1
    target = Decimal(1_200_000)
    path = [(start + timedelta(days=d), target * (d + 1) / days) for d in range(days)]
    actual, total = [], Decimal(0)
    for d in range((today - start).days + 1):
        day = start + timedelta(days=d)
        total += Decimal(4_100 if day.weekday() < 5 else 0)
        actual.append((day, total))
    return ChartData(target, start, deadline, today, path, actual, Decimal(1_050_000), chart_labels)


def _cold(warm: bool) -> dict[str, float]:
    script = _COLD_SCRIPT.format(
        root=str(ROOT), bench=str(ROOT / "bench"), warm_call="warm_up()" if warm else ""
    )
    output = subprocess.run([sys.executable, "-c", script], check=True, capture_output=True, text=True).stdout
    result: dict[str, float] = json.loads(output)
    return result


def _median_cold(runs: int, *, warm: bool) -> dict[str, float]:
    samples = [_cold(warm) for _ in range(runs)]
    return {key: statistics.median(sample[key] for sample in samples) for key in samples[0]}


def _warm(data: ChartData, repeat: int) -> tuple[float, float, int]:
    """(median, p99) in seconds of single renders, and the PNG's size in bytes."""
    from bot.services.charts import render_progress_chart

    timings: list[float] = []
    size = 0
    for _ in range(repeat):
        start = time.perf_counter()
        size = len(render_progress_chart(data))
        timings.append(time.perf_counter() - start)
    timings.sort()
    return statistics.median(timings), timings[min(len(timings) - 1, int(len(timings) * 0.99))], size


def _first_in_new_thread(data: ChartData) -> float:
    """matplotlib caches open fonts per thread: a new worker thread opens them again."""
    from bot.services.charts import render_progress_chart

    elapsed: list[float] = []

    def run() -> None:
        start = time.perf_counter()
        render_progress_chart(data)
        elapsed.append(time.perf_counter() - start)

    thread = threading.Thread(target=run)
    thread.start()
    thread.join()
    return elapsed[0]


def _ms(seconds: float) -> str:
    return f"{seconds * 1000:.1f}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=50, help="warm renders per language")
    parser.add_argument("--cold-runs", type=int, default=5, help="fresh processes per cold figure (median)")
    options = parser.parse_args()

    sys.path.insert(0, str(ROOT))
    import matplotlib

    from bot.services.charts import warm_up

    cold_rows = [
        ("first chart, no warm_up()", _median_cold(options.cold_runs, warm=False)),
        ("first chart after warm_up()", _median_cold(options.cold_runs, warm=True)),
    ]

    warm_up()
    zh, en = year_goal(labels("zh_CN")), year_goal(labels("en"))
    new_thread = statistics.median(_first_in_new_thread(zh) for _ in range(5))
    warm_rows = [
        ("year goal, Chinese labels", _warm(zh, options.repeat)),
        ("year goal, English labels", _warm(en, options.repeat)),
    ]

    print(
        f"Python {sys.version.split()[0]}, matplotlib {matplotlib.__version__}, "
        f"{options.cold_runs} cold runs (median), {options.repeat} warm renders per row\n"
    )
    print("| cold (fresh process) | import (ms) | warm_up() (ms) | first chart (ms) |")
    print("| --- | ---: | ---: | ---: |")
    for name, cold in cold_rows:
        warm_up_ms = _ms(cold["warm_up"]) if "after" in name else "-"
        print(f"| {name} | {_ms(cold['import'])} | {warm_up_ms} | {_ms(cold['first'])} |")
    print()
    print("| warm (after warm_up) | median (ms) | p99 (ms) | PNG (KiB) |")
    print("| --- | ---: | ---: | ---: |")
    for name, (median, p99, size) in warm_rows:
        print(f"| {name} | {_ms(median)} | {_ms(p99)} | {size / 1024:.0f} |")
    print(f"| first chart in a new thread (median of 5) | {_ms(new_thread)} | - | - |")


if __name__ == "__main__":
    main()
