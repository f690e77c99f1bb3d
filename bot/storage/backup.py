"""`python -m bot backup PATH`: a consistent copy of the SQLite database, taken while the bot runs.

SQLite's online backup API copies the pages inside one read transaction, so the copy is one committed
state of the database, never a torn file (copying the file and its -wal while the bot writes is not).
All pages go in one step: in WAL mode that read does not block the bot's writer, whereas a copy in
several steps restarts whenever another connection writes, and a busy bot would keep it from ending. PostgreSQL has its own tool:
`pg_dump`; the bot only prints the line for it.
"""

from __future__ import annotations

import shlex
import sqlite3
from pathlib import Path

from sqlalchemy.engine import URL

# Every page in one step (see above).
ALL_PAGES = -1


class BackupError(Exception):
    """The backup cannot be made; the message is one line, safe to print."""


def backup_sqlite(database: URL, target: Path) -> int:
    """Copy the SQLite database of `database` to `target` (replaced if present); the copy's size."""
    if not database.database or database.database == ":memory:":
        raise BackupError("DATABASE_URL: an in-memory SQLite database has nothing to back up")
    source_path = Path(database.database)
    if not source_path.is_file():
        raise BackupError(f"DATABASE_URL: no SQLite database at {source_path}")
    if target.resolve() == source_path.resolve():
        raise BackupError("the backup path is the database itself")
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_name(target.name + ".partial")
    partial.unlink(missing_ok=True)
    # Read-only URI: the backup never writes to the live database (nor creates it by mistake).
    source = sqlite3.connect(f"{source_path.resolve().as_uri()}?mode=ro", uri=True, timeout=30)
    try:
        copy = sqlite3.connect(partial)
        try:
            source.backup(copy, pages=ALL_PAGES)
            copy.execute("PRAGMA journal_mode=DELETE")  # one self-contained file, no -wal beside it
        finally:
            copy.close()
    finally:
        source.close()
    partial.replace(target)  # a reader of PATH sees the old backup or the whole new one
    return target.stat().st_size


def pg_dump_command(database: URL, target: str) -> str:
    """The pg_dump line that backs up this PostgreSQL database to `target` (the password left out:
    pg_dump reads PGPASSWORD or ~/.pgpass)."""
    parts = ["pg_dump", "--format=custom", "--no-owner"]
    if database.host:
        parts.append(f"--host={database.host}")
    if database.port:
        parts.append(f"--port={database.port}")
    if database.username:
        parts.append(f"--username={database.username}")
    parts += [f"--file={target}", str(database.database)]
    return shlex.join(parts)
