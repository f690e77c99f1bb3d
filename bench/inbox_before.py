"""bench_throughput's `--before REV`: the same real-bot runs with the code before the durable inbox, in one run.

The tree at REV (a git revision, exported with `git archive` into the run's folder, or a directory holding
a source tree) seeds its own database with its own bench_throughput.seed() and migrations, and its bot
runs from its root with PYTHONPATH set to it, so that process imports that tree's `bot`. The bench, the
emulator and the load stay this tree's. On PostgreSQL the before run drops and recreates the schema of
--database-url after this tree's run.
"""

from __future__ import annotations

import asyncio
import io
import subprocess
import sys
import tarfile
from collections.abc import Awaitable, Callable, Sequence
from pathlib import Path
from typing import Any

BEFORE = "before the inbox"


def before_tree(revision: str, workdir: Path, repo_root: Path) -> Path:
    """The source tree at `revision`: a directory as it is, else `git archive` into `workdir`."""
    given = Path(revision)
    if given.is_dir():
        return given.resolve()
    target = workdir / f"tree-{revision.replace('/', '-')}"
    archive = subprocess.run(
        ["git", "-C", str(repo_root), "archive", "--format=tar", revision],
        capture_output=True,
        check=True,
    ).stdout
    with tarfile.open(fileobj=io.BytesIO(archive)) as tar:
        tar.extractall(target, filter="data")
    return target


async def seed_in(tree: Path, database_url: str, users: int, reset: bool) -> None:
    """That tree's bench seed() (its own models and migrations) on `database_url`."""
    code = (
        "import asyncio, sys; sys.path.insert(0, sys.argv[1]); from bench.bench_throughput import seed; "
        "asyncio.run(seed(sys.argv[2], int(sys.argv[3]), sys.argv[4] == 'reset'))"
    )
    process = await asyncio.create_subprocess_exec(
        sys.executable, "-c", code, str(tree), database_url, str(users), "reset" if reset else "keep",
        cwd=tree, env=_env_for(tree, {}),
    )  # fmt: skip
    if await process.wait() != 0:
        raise SystemExit(f"seeding {database_url} with the tree in {tree} failed")


def _env_for(tree: Path, env: dict[str, str]) -> dict[str, str]:
    import os

    passed = {name: os.environ[name] for name in ("PATH", "HOME", "TMPDIR") if name in os.environ}
    return {**passed, **env, "PYTHONPATH": str(tree)}


async def measure_before(
    tree: Path,
    label: str,
    database_url: str,
    workdir: Path,
    bot_env: Callable[..., dict[str, str]],
    settings: dict[str, str],
    users: int,
    make_child: Callable[[str, Sequence[str], dict[str, str], Path, Path], Any],
    measure: Callable[[Any, str], Awaitable[None]],
) -> None:
    """Seed a database with the before tree and measure its `python -m bot run` like this tree's."""
    if database_url.startswith("sqlite"):
        database_url = database_url.replace(".sqlite3", "-before.sqlite3")
    await seed_in(tree, database_url, users, reset=not database_url.startswith("sqlite"))
    env = _env_for(tree, bot_env(database_url, **settings))
    name = "before-" + "".join(c if c.isalnum() else "-" for c in label.lower())
    child = make_child(name, [sys.executable, "-m", "bot", "run"], env, workdir, tree)
    await measure(child, f"real bot, /log, {label}, {BEFORE}")


def comparison(throughput: Sequence[Any], latency: Sequence[Any], percentile: Callable[..., float]) -> str:
    """One row per database: the inbox's updates/s and p99 against the before tree's, same run."""
    rows = ["| /log, real bot | updates/s with the inbox | before it | inbox's cost | p99 at the rate, inbox "
            "(ms) | before (ms) |", "| --- | ---: | ---: | ---: | ---: | ---: |"]  # fmt: skip
    for result in throughput:
        if result.what.endswith(BEFORE):
            continue
        before = next((r for r in throughput if r.what == f"{result.what}, {BEFORE}"), None)
        if before is None:
            continue
        after_p99 = [percentile(r.latencies, 0.99) for r in latency if r.what == result.what]
        before_p99 = [percentile(r.latencies, 0.99) for r in latency if r.what == before.what]
        cost = 1 - result.rate / before.rate
        p99 = f"{after_p99[0]:.1f}" if after_p99 else "-"
        p99_before = f"{before_p99[0]:.1f}" if before_p99 else "-"
        rows.append(
            f"| {result.what.removeprefix('real bot, /log, ')} | {result.rate:.0f} | {before.rate:.0f} "
            f"| {100 * cost:+.1f}% | {p99} | {p99_before} |"
        )
    return "\n".join(rows)
