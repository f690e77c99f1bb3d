"""The Dockerfile's steps without Docker (no engine runs here): build the wheel, install it into a fresh
virtual environment, add the catalogs where the image puts them, then run what the containers run:
`python -m bot migrate` on SQLite, and `python -m bot run` without a token (exit 2, one line)."""

from __future__ import annotations

import subprocess
import sys
import sysconfig
import venv
from pathlib import Path

import pytest

from tests.e2e.harness import bot_env

pytestmark = pytest.mark.e2e  # builds a wheel and a venv: some seconds


def run(
    args: list[str | Path], cwd: Path, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(arg) for arg in args], cwd=cwd, env=env, capture_output=True, text=True, timeout=300, check=False
    )


def test_the_wheel_in_a_fresh_venv_migrates_and_refuses_to_run_without_a_token(
    repo_root: Path, tmp_path: Path
) -> None:
    wheels = tmp_path / "wheels"
    # The build stage: `pip wheel --no-deps .`, as the Dockerfile runs it (setuptools comes from the index).
    built = run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "-w", wheels, "."],
        repo_root,
    )
    assert built.returncode == 0, built.stderr
    (wheel,) = wheels.glob("quota_coach-*.whl")

    # The runtime stage: a fresh venv with the wheel. Its dependencies come from the test run's own
    # environment through a .pth file (the image installs them from the build stage's wheels instead).
    target = tmp_path / "venv"
    venv.EnvBuilder(with_pip=True).create(target)
    python = target / "bin" / "python"
    purelib = Path(
        run([python, "-c", "import sysconfig; print(sysconfig.get_path('purelib'))"], tmp_path).stdout.strip()
    )
    (purelib / "outer-dependencies.pth").write_text(sysconfig.get_path("purelib") + "\n")
    installed = run([python, "-m", "pip", "install", "--no-deps", "--no-index", wheel], tmp_path)
    assert installed.returncode == 0, installed.stderr
    # As the Dockerfile does: the catalogs beside the package.
    run(["cp", "-r", repo_root / "locales", purelib / "locales"], tmp_path)

    workdir = tmp_path / "app"  # no bot/ here: what runs is the installed wheel, not the work tree
    workdir.mkdir()
    where = run([python, "-c", "import bot; print(bot.__file__)"], workdir)
    assert where.stdout.startswith(str(purelib)), where

    env = bot_env(f"sqlite+aiosqlite:///{workdir / 'data' / 'bot.sqlite3'}")
    migrated = run([python, "-m", "bot", "migrate"], workdir, env)
    assert migrated.returncode == 0, migrated.stderr
    assert migrated.stdout.strip() == "database is up to date"
    assert (workdir / "data" / "bot.sqlite3").is_file()

    chinese = run(
        [python, "-c", "from bot.i18n import translator; print(translator('zh_CN')('✖ Cancel'))"],
        workdir,
        env,
    )
    assert chinese.returncode == 0, chinese.stderr
    assert chinese.stdout.strip() not in ("", "✖ Cancel"), (
        "the catalogs are where the installed package reads them"
    )

    no_token = subprocess.run(
        [str(python), "-m", "bot", "run"],
        cwd=workdir,
        env=env,
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert no_token.returncode == 2
    assert no_token.stdout == ""
    assert no_token.stderr.splitlines() == [
        "quota-coach: TELEGRAM_BOT_TOKEN: a token from @BotFather is needed to run on Telegram "
        "(`python -m bot shell` chats with the bot in a terminal instead)"
    ]


def test_run_without_a_token_exits_2_at_once_rather_than_opening_a_shell(
    repo_root: Path, tmp_path: Path
) -> None:
    """The container's command (`run`, no terminal): it used to read end of input, print "bye", exit 0."""
    env = bot_env(f"sqlite+aiosqlite:///{tmp_path / 'bot.sqlite3'}")
    done = subprocess.run(
        [sys.executable, "-m", "bot", "run"],
        cwd=repo_root,
        env=env,
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert (done.returncode, done.stdout) == (2, "")
    assert (
        len(done.stderr.splitlines()) == 1
        and "TELEGRAM_BOT_TOKEN: a token from @BotFather is needed" in done.stderr
    )
    assert not (tmp_path / "bot.sqlite3").exists(), "it stops before touching the database"
