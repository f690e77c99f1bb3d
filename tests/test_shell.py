"""The local shell chat: `python -m bot` with no token, typed into as a newcomer would."""

from __future__ import annotations

import io
import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession

from bot.devtools.fake_bot_api import FakeBotApi
from bot.devtools.shell import SHELL_USER_ID, ShellScreen, run_shell
from bot.settings import Settings
from bot.storage.message_models import InboxUpdate
from bot.storage.models import InboxStatus
from tests.auxil.crm_files import zoho_deals_csv


async def inbox_rows(engine: AsyncEngine) -> list[InboxUpdate]:
    async with AsyncSession(engine) as session:
        return list(await session.scalars(select(InboxUpdate).order_by(InboxUpdate.update_id)))


def test_no_token_opens_the_shell_and_onboarding_works(
    database_url: str, engine: AsyncEngine, repo_root: Path, tmp_path: Path
) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("TELEGRAM_", "DATABASE_"))}
    env.update(DATABASE_URL=database_url, LANG="en_US.UTF-8", DEFAULT_LANGUAGE="en")
    typed = "/start\n1\nUTC+8\n1\n/help\n/newgoal\n3\nWin 30 new hospital clients in East China\n30\n:quit\n"
    done = subprocess.run(
        [sys.executable, "-m", "bot"],
        input=typed,
        capture_output=True,
        text=True,
        cwd=repo_root,
        env=env,
        timeout=60,
    )
    out = done.stdout
    assert done.returncode == 0, done.stderr
    assert "No TELEGRAM_BOT_TOKEN is set" in out
    assert "bot> Hello," in out
    assert "[1] English  [2] 中文  [3] ✖ Cancel" in out
    assert "Time zone set to Etc/GMT-8" in out
    assert "All set" in out
    assert "How many new customers by the deadline?" in out
    assert "T — Time-bound. By when?" in out, "a number with no such button is sent as text"
    assert "/cancel — Leave the current question" in out
    assert "Traceback" not in done.stderr


async def test_photos_and_documents_are_saved_and_their_paths_printed(tmp_path: Path) -> None:
    api = FakeBotApi()
    out = io.StringIO()
    screen = ShellScreen(tmp_path / "files", out)
    api.listeners.append(screen.show)
    await api.call("sendPhoto", {"chat_id": 1, "caption": "Progress"}, {"photo": b"\x89PNG fake"})
    await api.call("sendDocument", {"chat_id": 1}, {"document": b"a,b\n1,2\n"})
    saved = sorted((tmp_path / "files").iterdir())
    assert [path.read_bytes() for path in saved] == [b"\x89PNG fake", b"a,b\n1,2\n"]
    assert f"photo saved to {saved[0]}" in out.getvalue()
    assert f"document saved to {saved[1]}" in out.getvalue()
    assert "bot> Progress" in out.getvalue()


def _scripted(lines: list[str]) -> Callable[[], str]:
    typed = iter(lines)

    def read_line() -> str:
        line = next(typed, None)
        if line is None:
            raise EOFError
        return line

    return read_line


async def test_a_restarted_shell_goes_on_from_the_update_ids_the_database_remembers(
    settings: Settings, engine: AsyncEngine
) -> None:
    first = io.StringIO()
    await run_shell(settings, _scripted(["/start", "1", "UTC+8", "1", "/help"]), first)
    assert "All set" in first.getvalue()
    # The inbox remembers every update the shell sent, each handled once.
    assert [(row.update_id, row.user_id, row.status) for row in await inbox_rows(engine)] == [
        (n, SHELL_USER_ID, InboxStatus.DONE) for n in range(1, 6)
    ]

    second = io.StringIO()
    await run_shell(settings, _scripted(["/help", "/settings"]), second)
    out = second.getvalue()
    assert "/cancel — Leave the current question" in out, "the first message after the restart is answered"
    assert "Time zone: Etc/GMT-8" in out
    assert [row.update_id for row in await inbox_rows(engine)] == list(range(1, 8))


async def test_a_file_is_sent_from_the_shell_and_a_missing_one_is_not(
    settings: Settings, engine: AsyncEngine, tmp_path: Path
) -> None:
    export = tmp_path / "Deals_001.csv"
    export.write_bytes(zoho_deals_csv(12))
    out = io.StringIO()
    missing = tmp_path / "nowhere.csv"
    await run_shell(
        settings, _scripted(["/start", "1", "UTC+8", "1", f":file {export}", f":file {missing}"]), out
    )
    assert "bot> Preview of Deals_001.csv: 12 rows read." in out.getvalue()
    assert f"(no file at {missing}: nothing sent)" in out.getvalue()
    # The missing file was never an update: the inbox holds the four onboarding answers and the one file.
    assert len(await inbox_rows(engine)) == 5
