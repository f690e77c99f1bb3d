"""Bad configuration stops the bot with exit code 2 and one line naming the variable, never a traceback."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from tests.e2e.harness import REPO_ROOT, TOKEN, bot_env

pytestmark = pytest.mark.e2e


def migrate(tmp_path: Path, **settings: str) -> tuple[subprocess.CompletedProcess[str], Path]:
    """`python -m bot migrate` with good settings except `settings`; also the SQLite file it would use."""
    database = tmp_path / "startup.sqlite3"
    env = bot_env(f"sqlite+aiosqlite:///{database}", TELEGRAM_BOT_TOKEN=TOKEN, LOG_LEVEL="INFO")
    env.update(settings)
    result = subprocess.run(
        [sys.executable, "-m", "bot", "migrate"],
        cwd=REPO_ROOT,
        env=env,
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=60,
        check=False,
    )
    return result, database


@pytest.mark.parametrize(
    ("variable", "value", "reason"),
    [
        ("DATABASE_URL", "not a url", "not a database URL"),
        ("DATABASE_URL", "postgresql+asyncpg://u:p@127.0.0.1:1/nodb", "cannot open the database"),
        ("DATABASE_URL", "mysql://u:p@localhost/db", "driver must be one of"),
        ("DEFAULT_TIMEZONE", "Mars/Base", "not an IANA time zone name"),
        ("TELEGRAM_BOT_TOKEN", "abc", "expected the form 123456789:ABC"),
        ("TELEGRAM_BOT_TOKEN", "4242:short", "expected the form 123456789:ABC"),
        ("LOG_LEVEL", "LOUD", "LOG_LEVEL"),
        ("ADMIN_IDS", "alice,bob", "comma-separated list"),
    ],
    ids=[
        "not-a-url",
        "unreachable-postgres",
        "unsupported-driver",
        "bad-timezone",
        "short-token",
        "token-secret-too-short",
        "bad-log-level",
        "bad-admin-ids",
    ],
)
def test_bad_setting_is_one_line_naming_it(tmp_path: Path, variable: str, value: str, reason: str) -> None:
    result, database = migrate(tmp_path, **{variable: value})

    assert result.returncode == 2, result.stderr
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(lines) == 1, f"expected one line on stderr, got:\n{result.stderr}"
    assert variable in lines[0]
    assert reason in lines[0]
    assert "Traceback" not in result.stderr + result.stdout
    assert result.stdout == ""
    if variable == "TELEGRAM_BOT_TOKEN":
        assert value not in lines[0], "a rejected token is still a secret: it must not be echoed"
    if "@" in value:
        assert ":p@" not in lines[0], "the database password must not be shown"
    if variable != "DATABASE_URL":
        # Settings are checked before anything is touched.
        assert not database.exists()


def test_good_settings_migrate_and_say_so(tmp_path: Path) -> None:
    result, database = migrate(tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "database is up to date"
    assert database.exists()
