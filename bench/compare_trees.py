"""bench_throughput (real, in-process) and bench_dispatcher (claim, fanout) against two source trees in one run.

Each tree is measured with its own bench scripts (they import the bot's internals to seed and drive it, so
a tree's benches fit its code), run from the tree's root with PYTHONPATH set to it: the bench process, the
bot processes it starts (`python -m bot` from that root) and the emulator all import that tree's `bot`,
not the one the virtualenv's editable install points to. The benches alternate between the trees (A B,
then B A in the next round), so drift in the machine's load falls on both; with several rounds each
figure is the median of its rounds.

    .venv/bin/python bench/compare_trees.py /work/wt-baseline .            # the full sizes, ~13 minutes
    .venv/bin/python bench/compare_trees.py /work/wt-baseline . --quick    # reduced sizes, ~5 minutes
    options: --rounds N, --benches throughput,inprocess,claim,fanout, --throughput/--inprocess/--claim/
    --fanout "ARGS" (replace that bench's size options), --python PATH, --out DIR (raw outputs; default a
    temporary folder)

A figure worse by more than --tolerance (10%) in the second tree is marked; the last two columns give
each round's figure in run order, to show the spread and whether the two trees' rounds interleave.
"""

from __future__ import annotations

import argparse
import os
import re
import shlex
import statistics
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

# The sizes of a full run (each bench's defaults, named) and of a quick one.
FULL = {
    "throughput": "--users 200 --updates 800 --repeat 3 --rate 50 --seconds 20",
    "inprocess": "--users 200 --inprocess-updates 400",
    "claim": "--users 100000 --due 1000 --repeat 7",
    "fanout": "--users 100000 --messages 10000 --repeat 2",
}
QUICK = {
    "throughput": "--users 100 --updates 400 --repeat 3 --rate 50 --seconds 10",
    "inprocess": "--users 100 --inprocess-updates 200",
    "claim": "--users 20000 --due 1000 --repeat 5",
    "fanout": "--users 20000 --messages 2000 --repeat 1",
}
COMMANDS = {
    "throughput": ["bench/bench_throughput.py", "--parts", "real,echo,latency"],
    # The same /log in-process (no HTTP, no polling): its CPU and its SQL and aiosqlite counts say where
    # a throughput difference comes from, and vary less with the machine's load than updates/s.
    "inprocess": ["bench/bench_throughput.py", "--parts", "inprocess"],
    "claim": ["bench/bench_dispatcher.py", "claim"],
    "fanout": ["bench/bench_dispatcher.py", "fanout"],
}
DEFAULT_BENCHES = "throughput,inprocess,claim,fanout"


@dataclass(frozen=True)
class Figure:
    """One number to compare: where it is in a bench's output and which way is better."""

    bench: str
    name: str
    row: str  # the start of the table row's first cell
    column: str  # the start of the column's header
    higher_is_better: bool
    table: str = ""  # the start of the table's first header cell, where several tables share row names


FIGURES = (
    Figure(
        "throughput",
        "/log updates/s, real bot (SQLite)",
        "real bot, /log, SQLite",
        "updates/s",
        True,
        "bot (HTTP",
    ),
    Figure("throughput", "bot CPU ms per /log", "real bot, /log, SQLite", "bot CPU ms", False, "bot (HTTP"),
    Figure(
        "throughput", "echo bot updates/s (same run)", "bare PTB echo bot", "updates/s", True, "bot (HTTP"
    ),
    Figure("throughput", "ratio to echo", "real bot, /log, SQLite", "ratio to echo", True, "bot (HTTP"),
    Figure("throughput", "p50 at 50 updates/s (ms)", "real bot, /log, SQLite", "p50", False, "push to reply"),
    Figure("throughput", "p99 at 50 updates/s (ms)", "real bot, /log, SQLite", "p99", False, "push to reply"),
    *(
        Figure("inprocess", name, "in-process /log, SQLite", column, False, "in-process")
        for name, column in (
            ("in-process ms per /log", "ms per /log"),
            ("in-process CPU ms per /log", "CPU ms"),
            ("SQL statements per /log", "SQL statements"),
            ("aiosqlite calls per /log", "aiosqlite calls"),
        )
    ),
    Figure("claim", "claim median (ms)", "claim ", "median", False),
    Figure("claim", "claim CPU median (ms)", "claim ", "CPU median", False),
    Figure("fanout", "dispatcher messages/s", "dispatcher,", "messages/s", True),
    Figure("fanout", "dispatcher bot CPU ms/msg", "dispatcher,", "bot CPU", False),
    Figure("fanout", "bare loop messages/s (same run)", "bare loop, one at a time", "messages/s", True),
    Figure("fanout", "dispatcher ÷ bare loop", "bare loop, one at a time", "dispatcher's rate", True),
)


def tables(output: str) -> list[tuple[list[str], list[list[str]]]]:
    """The markdown tables in a bench's output: (header cells, rows of cells)."""
    found: list[tuple[list[str], list[list[str]]]] = []
    lines = [line.strip() for line in output.splitlines()]
    for index, line in enumerate(lines):
        following = lines[index + 1] if index + 1 < len(lines) else ""
        if line.startswith("|") and following.startswith("| ---"):
            header, rows = cells(line), []
            for row in lines[index + 2 :]:
                if not row.startswith("|"):
                    break
                rows.append(cells(row))
            found.append((header, rows))
    return found


def cells(line: str) -> list[str]:
    return [cell.strip() for cell in line.strip().strip("|").split("|")]


def number(cell: str) -> float | None:
    match = re.match(r"-?[\d,]*\.?\d+", cell.replace("**", ""))
    return float(match.group().replace(",", "")) if match else None


def read_figure(figure: Figure, output: str) -> float | None:
    for header, rows in tables(output):
        if figure.table and not header[0].startswith(figure.table):
            continue
        column = next((i for i, name in enumerate(header) if name.startswith(figure.column)), None)
        if column is None:
            continue
        for row in rows:
            if row[0].startswith(figure.row) and column < len(row):
                return number(row[column])
    return None


def describe(tree: Path) -> str:
    def git(*args: str) -> str:
        done = subprocess.run(["git", "-C", str(tree), *args], capture_output=True, text=True, check=False)
        return done.stdout.strip()

    dirty = " + uncommitted changes" if git("status", "--porcelain", "--untracked-files=no") else ""
    return f"{git('rev-parse', '--short', 'HEAD') or '?'} {git('log', '-1', '--format=%s')[:60]}{dirty}"


def run_bench(python: str, tree: Path, bench: str, sizes: str, out: Path) -> tuple[str, float]:
    """Run one bench against `tree`; its output (also saved under `out`) and its wall time."""
    command = [python, *COMMANDS[bench], *shlex.split(sizes)]
    env = {**os.environ, "PYTHONPATH": str(tree)}
    began = time.perf_counter()
    done = subprocess.run(command, cwd=tree, env=env, capture_output=True, text=True, check=False)
    seconds = time.perf_counter() - began
    out.write_text(f"$ cd {tree} && PYTHONPATH={tree} {shlex.join(command)}\n\n{done.stdout}\n{done.stderr}")
    if done.returncode != 0:
        raise SystemExit(f"{bench} on {tree} failed ({done.returncode}); its output: {out}")
    return done.stdout, seconds


def change(before: float, after: float, higher_is_better: bool, tolerance: float) -> tuple[str, str]:
    if before == 0:
        return "-", ""
    relative = (after - before) / before
    worse = -relative if higher_is_better else relative
    return f"{relative:+.1%}", "WORSE" if worse > tolerance else ""


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("before", type=Path, help="the first tree (the baseline)")
    parser.add_argument("after", type=Path, help="the second tree")
    parser.add_argument("--rounds", type=int, default=1, help="runs of each bench per tree (1)")
    parser.add_argument("--benches", default=DEFAULT_BENCHES)
    parser.add_argument("--quick", action="store_true", help="reduced sizes (see QUICK in this file)")
    for bench in FULL:
        parser.add_argument(f"--{bench}", default=None, metavar="ARGS", help=f"default: {FULL[bench]!r}")
    parser.add_argument("--python", default=sys.executable, help="the interpreter (this one)")
    parser.add_argument("--tolerance", type=float, default=0.10)
    parser.add_argument("--out", type=Path, default=None, help="folder for the raw outputs")
    args = parser.parse_args(argv)
    trees = [args.before.resolve(), args.after.resolve()]
    for tree in trees:
        if not (tree / "bot").is_dir() or not (tree / "bench").is_dir():
            raise SystemExit(f"{tree}: not a source tree of the bot (no bot/ and bench/)")
    benches = args.benches.split(",")
    if unknown := set(benches) - set(COMMANDS):
        raise SystemExit(f"unknown benches: {', '.join(sorted(unknown))}")
    sizes = {bench: getattr(args, bench) or (QUICK if args.quick else FULL)[bench] for bench in benches}
    out = args.out or Path(tempfile.mkdtemp(prefix="compare-trees-"))
    out.mkdir(parents=True, exist_ok=True)

    values: dict[tuple[int, str], list[float]] = defaultdict(list)  # (tree, figure name) -> per round
    seconds: dict[tuple[int, str], list[float]] = defaultdict(list)
    load_before = os.getloadavg()[0]
    began = time.perf_counter()
    for number_ in range(args.rounds):
        for bench in benches:
            order = [0, 1] if number_ % 2 == 0 else [1, 0]
            for index in order:
                print(f"round {number_ + 1}, {bench}, tree {'AB'[index]} ...", file=sys.stderr, flush=True)
                where = out / f"{bench}-{'AB'[index]}-{number_ + 1}.txt"
                output, took = run_bench(args.python, trees[index], bench, sizes[bench], where)
                seconds[(index, bench)].append(took)
                for figure in FIGURES:
                    if figure.bench == bench and (value := read_figure(figure, output)) is not None:
                        values[(index, figure.name)].append(value)
    total = time.perf_counter() - began

    print(f"\nA = {trees[0]}: {describe(trees[0])}")
    print(f"B = {trees[1]}: {describe(trees[1])}")
    print(f"{args.rounds} round(s), {os.cpu_count()} CPUs, 1-minute load average {load_before:.1f} before and "
          f"{os.getloadavg()[0]:.1f} after, {total / 60:.1f} minutes in all; raw outputs in {out}")  # fmt: skip
    for bench in benches:
        print(f"  {bench}: {sizes[bench]}; seconds per run A {statistics.median(seconds[(0, bench)]):.0f}, "
              f"B {statistics.median(seconds[(1, bench)]):.0f}")  # fmt: skip
    print("\n| bench | figure | A | B | B vs A | better | > 10% worse | A, each round | B, each round |")
    print("| --- | --- | ---: | ---: | ---: | --- | --- | ---: | ---: |")
    for figure in (figure for figure in FIGURES if figure.bench in benches):
        a, b = values.get((0, figure.name)), values.get((1, figure.name))
        if not a or not b:
            print(f"| {figure.bench} | {figure.name} | {'-' if not a else f'{statistics.median(a):.2f}'} | "
                  f"{'-' if not b else f'{statistics.median(b):.2f}'} | not found | | | | |")  # fmt: skip
            continue
        first, second = statistics.median(a), statistics.median(b)
        relative, flag = change(first, second, figure.higher_is_better, args.tolerance)
        better = "higher" if figure.higher_is_better else "lower"
        print(
            f"| {figure.bench} | {figure.name} | {first:.2f} | {second:.2f} | {relative} | {better} | {flag} | "
            f"{rounds_text(a)} | {rounds_text(b)} |"
        )


def rounds_text(values: Sequence[float]) -> str:
    """Each round's figure in run order, so a reader sees whether the two trees' rounds interleave."""
    return " / ".join(f"{value:.4g}" for value in values)


if __name__ == "__main__":
    main()
