"""Bad configuration stops the bot with exit code 2 and one line naming the variable, never a traceback;
a token Telegram refuses, at start-up or while polling, and an unreachable Bot API are handled the same way:
one line, a clear exit code, never the token, never a process left alive and deaf."""

from __future__ import annotations

import asyncio
import re
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.e2e.harness import REPO_ROOT, TOKEN, BotProcess, Harness, bot_env

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


# Telegram, and the emulator on a wrong token, answer 401; a malformed token (or a base URL that is not a
# Bot API server) gets 404. Either way the bot stops at once: retrying would only hide the mistake.
REJECTIONS = [(401, "Unauthorized"), (404, "Not Found")]
SECRET = TOKEN.partition(":")[2]


def assert_no_token(process: BotProcess) -> None:
    output = process.output
    for form in (TOKEN, SECRET, TOKEN.replace(":", "%3A")):
        assert form not in output, f"the token ({form[:6]}...) appears in the bot's output"


async def exit_code_of(process: BotProcess) -> int:
    """Wait for the process to end by itself; its exit code (its output is then complete)."""
    assert process.process is not None
    code = await asyncio.wait_for(process.process.wait(), 30)
    await process.kill()  # only reaps: it has exited
    return code


def problem_lines(process: BotProcess) -> list[str]:
    """What is not a DEBUG or INFO log line: warnings, errors, tracebacks, the final one-liner."""
    return [line for line in process.lines if line.strip() and not re.search(r" (DEBUG|INFO) ", line)]


@pytest.mark.parametrize("level", ["DEBUG", "INFO"])
@pytest.mark.parametrize(("status", "description"), REJECTIONS, ids=["401", "404"])
async def test_a_rejected_token_at_startup_is_one_line_and_exit_2(
    harness: Harness, level: str, status: int, description: str
) -> None:
    harness.api.fail(status, description, method="getMe", count=100)
    bot = BotProcess({**harness.env, "LOG_LEVEL": level})
    harness.started.append(bot)
    await bot.start()
    exit_code = await exit_code_of(bot)

    assert exit_code == 2, bot.tail()
    assert problem_lines(bot) == [bot.stderr[-1]], bot.tail()
    assert "rejected TELEGRAM_BOT_TOKEN" in bot.stderr[-1]
    assert "Traceback" not in bot.output
    assert_no_token(bot)


async def test_a_wrong_token_is_refused_by_the_emulator_without_being_echoed(harness: Harness) -> None:
    wrong = "987654321:ZZZthis-is-not-the-token-you-want"
    bot = BotProcess({**harness.env, "TELEGRAM_BOT_TOKEN": wrong})
    harness.started.append(bot)
    await bot.start()
    assert await exit_code_of(bot) == 2, bot.tail()
    assert wrong.partition(":")[2] not in bot.output
    assert "Traceback" not in bot.output


async def test_an_unreachable_bot_api_is_retried_one_line_each_time_and_sigterm_exits_0(
    harness: Harness,
) -> None:
    closed = socket.socket()
    closed.bind(("127.0.0.1", 0))  # bound, never listening: connections are refused
    port = closed.getsockname()[1]
    try:
        bot = BotProcess(
            {**harness.env, "LOG_LEVEL": "INFO", "TELEGRAM_BASE_URL": f"http://127.0.0.1:{port}/bot"}
        )
        harness.started.append(bot)
        await bot.start()
        await bot.wait_for_output(r"cannot reach the Bot API .*\(attempt 2\)", timeout=30)
        exit_code = await bot.terminate()
    finally:
        closed.close()

    assert exit_code == 0, bot.tail()
    problems = problem_lines(bot)
    assert problems and all("cannot reach the Bot API" in line for line in problems), bot.tail()
    assert "Traceback" not in bot.output
    assert_no_token(bot)


async def test_a_bot_api_that_comes_back_at_startup_is_used(harness: Harness) -> None:
    harness.api.fail(502, "Bad Gateway", method="getMe", count=2)
    chat = harness.chat(424_242_701)
    bot = await harness.start()
    await chat.send("/start", expect="Which language shall I use?")
    assert len(re.findall(r"cannot reach the Bot API", bot.output)) == 2
    assert await bot.terminate() == 0, bot.tail()


async def test_a_401_window_while_polling_is_waited_out_and_polling_resumes(harness: Harness) -> None:
    chat = harness.chat(424_242_702)
    bot = await harness.start()
    refused = harness.api.fail(401, "Unauthorized", method="getUpdates", count=10**6)
    after = len(bot.lines)
    await harness.api.push(harness.api.message_update(chat.user, "/help"))  # ends the current long poll
    await bot.wait_for_output(r"refused the token", after=after, timeout=20)
    await asyncio.sleep(6)
    refused.count = 0

    await chat.send("/start", expect="Which language shall I use?")
    assert bot.returncode is None
    assert await bot.terminate() == 0, bot.tail()
    assert "the token is accepted again" in bot.output
    assert "Traceback" not in bot.output
    assert "Event loop is closed" not in bot.output
    assert_no_token(bot)


async def test_a_401_that_lasts_past_the_grace_ends_the_process_with_one_line(harness: Harness) -> None:
    bot = await harness.start(TELEGRAM_UNAUTHORIZED_GRACE_SECONDS="2", LOG_LEVEL="INFO")
    harness.api.fail(401, "Unauthorized", method="getUpdates", count=10**6)
    await harness.api.push(harness.api.message_update(harness.chat(424_242_703).user, "/help"))
    exit_code = await exit_code_of(bot)

    assert exit_code == 3, bot.tail()
    assert "TELEGRAM_UNAUTHORIZED_GRACE_SECONDS" in bot.stderr[-1]
    assert not [line for line in problem_lines(bot) if "Traceback" in line or " ERROR " in line[:40]][1:]
    assert "Traceback" not in bot.output
    assert_no_token(bot)


async def test_sigterm_during_a_401_backoff_exits_0_at_once(harness: Harness) -> None:
    bot = await harness.start()
    harness.api.fail(401, "Unauthorized", method="getUpdates", count=10**6)
    after = len(bot.lines)
    await harness.api.push(harness.api.message_update(harness.chat(424_242_704).user, "/help"))
    await bot.wait_for_output(r"refused the token", after=after, timeout=20)
    started = time.monotonic()
    assert await bot.terminate() == 0, bot.tail()
    assert time.monotonic() - started < 5
    assert "Traceback" not in bot.output
