"""How long understanding a deadline or an amount takes: cold (fresh process) and warm (after warm_up).

Run from the repository root: `python bench/bench_parsing.py [--repeat N] [--cold-runs N]`.
Prints a Markdown table.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
TODAY = date(2026, 11, 27)

# The examples the parsers must get right (the deadline and amount rows of the specification).
DEADLINE_PHRASES = [
    "下月底",
    "两个月内",
    "下周三",
    "今年年底",
    "明年第二季度末",
    "6月30日",
    "2027年1月15日",
    "90天内",
    "本季度末",
    "下个月15号",
    "尽快",
    "end of this month",
    "in 2 weeks",
    "by March 31",
    "end of Q2",
    "next Wednesday",
    "2027-01-15",
    "within 90 days",
    "end of next quarter",
    "June 2027",
    "asap",
]
AMOUNT_PHRASES = ["50万", "100万元", "1.5万", "三十万", "一百二十万", "¥80,000", "500k", "1.2M", "十个新客户"]
# Phrases no rule knows, so that they reach dateparser: shown apart, they are the slow path.
FALLBACK_PHRASES = ["in 36 hours", "2pm", "10:30"]

# Measured in a fresh interpreter: importing the module, then the first call (with or without warm_up).
_COLD_SCRIPT = """
import json, sys, time
from datetime import date
sys.path.insert(0, {root!r})
start = time.perf_counter()
from bot.core.{module} import {function}
{warm_import}
imported = time.perf_counter()
{warm_call}
warmed = time.perf_counter()
{function}({phrase!r}, {arguments})
called = time.perf_counter()
print(json.dumps({{"import": imported - start, "warm_up": warmed - imported, "first_call": called - warmed}}))
"""


def _cold(module: str, function: str, phrase: str, arguments: str, *, warm: bool) -> dict[str, float]:
    script = _COLD_SCRIPT.format(
        root=str(ROOT),
        module=module,
        function=function,
        phrase=phrase,
        arguments=arguments,
        warm_import="from bot.core.dates import warm_up" if warm else "",
        warm_call="warm_up()" if warm else "",
    )
    output = subprocess.run([sys.executable, "-c", script], check=True, capture_output=True, text=True).stdout
    result: dict[str, float] = json.loads(output)
    return result


def _median_cold(runs: int, *args: str, warm: bool) -> dict[str, float]:
    samples = [_cold(*args, warm=warm) for _ in range(runs)]
    return {key: statistics.median(sample[key] for sample in samples) for key in samples[0]}


def _warm(call: Callable[[str], object], phrases: list[str], repeat: int) -> tuple[float, float]:
    """(median, p99) in seconds of single calls, over every phrase `repeat` times, interleaved."""
    timings: list[float] = []
    for _ in range(repeat):
        for phrase in phrases:
            start = time.perf_counter()
            call(phrase)
            timings.append(time.perf_counter() - start)
    timings.sort()
    return statistics.median(timings), timings[min(len(timings) - 1, int(len(timings) * 0.99))]


def _ms(seconds: float) -> str:
    return f"{seconds * 1000:.3f}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=2000, help="warm repetitions of each phrase")
    parser.add_argument("--cold-runs", type=int, default=5, help="fresh processes per cold figure (median)")
    options = parser.parse_args()

    sys.path.insert(0, str(ROOT))
    from bot.core.dates import parse_deadline, warm_up
    from bot.core.numbers import parse_amount

    today = f"today=date({TODAY.year}, {TODAY.month}, {TODAY.day})"
    deadline_args = ("dates", "parse_deadline", "下月底", f"{today}, lang='zh_CN'")
    amount_args = ("numbers", "parse_amount", "50万", "lang='zh_CN'")
    # A phrase that reaches dateparser shows what warm_up saves the first user.
    fallback_args = ("dates", "parse_deadline", "in 36 hours", f"{today}, lang='en'")
    cold_rows = [
        ("parse_deadline (rule) cold", _median_cold(options.cold_runs, *deadline_args, warm=False)),
        ("parse_deadline (dateparser) cold", _median_cold(options.cold_runs, *fallback_args, warm=False)),
        (
            "parse_deadline (dateparser) after warm_up()",
            _median_cold(options.cold_runs, *fallback_args, warm=True),
        ),
        ("parse_amount cold", _median_cold(options.cold_runs, *amount_args, warm=False)),
    ]

    warm_up()

    def deadline_zh(text: str) -> object:
        return parse_deadline(text, today=TODAY, lang="zh_CN")

    def deadline_en(text: str) -> object:
        return parse_deadline(text, today=TODAY, lang="en")

    def amount(text: str) -> object:
        return parse_amount(text, lang="zh_CN")

    warm_rows = [
        (
            f"parse_deadline, {len(DEADLINE_PHRASES)} example phrases",
            _warm(deadline_zh, DEADLINE_PHRASES, options.repeat),
        ),
        (
            f"parse_amount, {len(AMOUNT_PHRASES)} example phrases",
            _warm(amount, AMOUNT_PHRASES, options.repeat),
        ),
        (
            f"parse_deadline, {len(FALLBACK_PHRASES)} dateparser-fallback phrases",
            _warm(deadline_en, FALLBACK_PHRASES, options.repeat),
        ),
    ]

    print(
        f"Python {sys.version.split()[0]}, {options.cold_runs} cold runs (median), {options.repeat} warm repeats\n"
    )
    print("| cold (fresh process) | import (ms) | warm_up() (ms) | first call (ms) |")
    print("| --- | ---: | ---: | ---: |")
    for name, cold in cold_rows:
        warm_up_ms = _ms(cold["warm_up"]) if "after" in name else "-"
        print(f"| {name} | {_ms(cold['import'])} | {warm_up_ms} | {_ms(cold['first_call'])} |")
    print()
    print("| warm (after warm_up) | median (ms) | p99 (ms) |")
    print("| --- | ---: | ---: |")
    for name, (median, p99) in warm_rows:
        print(f"| {name} | {_ms(median)} | {_ms(p99)} |")


if __name__ == "__main__":
    main()
