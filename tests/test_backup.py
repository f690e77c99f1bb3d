"""`python -m bot backup PATH`: a consistent copy of a SQLite database while a writer writes; for
PostgreSQL the pg_dump line and exit 2."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
import threading
from pathlib import Path

from sqlalchemy.engine import make_url

from bot.storage.backup import backup_sqlite, pg_dump_command
from tests.e2e.harness import bot_env

PAIRS = 5_000  # enough pages that a copy takes a while


def live_database(path: Path) -> None:
    with sqlite3.connect(path) as db:
        db.execute("PRAGMA journal_mode=WAL")
        db.execute("CREATE TABLE entries (id INTEGER PRIMARY KEY, pair INTEGER, body TEXT)")
        db.executemany(
            "INSERT INTO entries (pair, body) VALUES (?, ?)",
            [(n // 2, "x" * 300) for n in range(2 * PAIRS)],
        )


def write_pairs(path: Path, stop: threading.Event, written: list[int]) -> None:
    """Each transaction adds two rows: a consistent copy always holds an even number of them."""
    db = sqlite3.connect(path, isolation_level=None, timeout=30)
    db.execute("PRAGMA journal_mode=WAL")
    pair = PAIRS
    while not stop.is_set():
        db.execute("BEGIN IMMEDIATE")
        db.executemany("INSERT INTO entries (pair, body) VALUES (?, ?)", [(pair, "y" * 300)] * 2)
        db.execute("COMMIT")
        pair += 1
        written.append(pair)
    db.close()


def test_copies_taken_while_a_writer_writes_are_each_one_committed_state(tmp_path: Path) -> None:
    source = tmp_path / "live.sqlite3"
    live_database(source)
    stop, written = threading.Event(), list[int]()
    writer = threading.Thread(target=write_pairs, args=(source, stop, written))
    writer.start()
    counts = []
    try:
        for attempt in range(5):
            target = tmp_path / f"copy-{attempt}.sqlite3"
            backup_sqlite(make_url(f"sqlite+aiosqlite:///{source}"), target)
            with sqlite3.connect(target) as copy:
                assert copy.execute("PRAGMA integrity_check").fetchone() == ("ok",)
                (rows,) = copy.execute("SELECT count(*) FROM entries").fetchone()
                assert copy.execute("PRAGMA journal_mode").fetchone() == ("delete",)
            assert rows % 2 == 0, "a copy holds only whole transactions"
            counts.append(rows)
    finally:
        stop.set()
        writer.join()
    assert written, "the writer wrote while the copies were taken"
    assert counts == sorted(counts) and counts[0] >= 2 * PAIRS
    assert not list(tmp_path.glob("*.partial"))


def test_the_command_backs_up_the_bots_database(repo_root: Path, tmp_path: Path) -> None:
    env = bot_env(f"sqlite+aiosqlite:///{tmp_path / 'bot.sqlite3'}")
    run = [sys.executable, "-m", "bot"]
    migrated = subprocess.run(
        [*run, "migrate"], cwd=repo_root, env=env, capture_output=True, text=True, check=False
    )
    assert migrated.returncode == 0, migrated.stderr
    target = tmp_path / "backups" / "bot-copy.sqlite3"
    done = subprocess.run(
        [*run, "backup", str(target)], cwd=repo_root, env=env, capture_output=True, text=True, check=False
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith(f"backed up {tmp_path / 'bot.sqlite3'} to {target}")
    with sqlite3.connect(target) as copy:
        tables = {name for (name,) in copy.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    assert {"users", "goals", "inbox_updates", "outbox", "alembic_version"} <= tables


def test_postgresql_gets_the_pg_dump_line_and_exit_2(repo_root: Path, tmp_path: Path) -> None:
    env = bot_env("postgresql+asyncpg://quota:secret@db.internal:5433/quota_coach")
    done = subprocess.run(
        [sys.executable, "-m", "bot", "backup", "/backups/qc.dump"],
        cwd=repo_root,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 2
    line = (
        "pg_dump --format=custom --no-owner --host=db.internal --port=5433 --username=quota "
        "--file=/backups/qc.dump quota_coach"
    )
    assert done.stdout.splitlines() == ["quota-coach: PostgreSQL is backed up with pg_dump:", line]
    assert "secret" not in done.stdout + done.stderr
    assert pg_dump_command(make_url("postgresql+asyncpg://u@h/db"), "a b") == (
        "pg_dump --format=custom --no-owner --host=h --username=u '--file=a b' db"
    )


def test_backup_without_a_path_is_a_usage_error(repo_root: Path, tmp_path: Path) -> None:
    env = bot_env(f"sqlite+aiosqlite:///{tmp_path / 'bot.sqlite3'}")
    done = subprocess.run(
        [sys.executable, "-m", "bot", "backup"],
        cwd=repo_root,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 2
    assert "backup needs a PATH" in done.stderr
