"""Running the real bot (`python -m bot run`) against the HTTP emulator and talking to it as users do.

Every wait is an event wait with a timeout (the model's `wait_for`, or a line of the bot's output),
raced against the bot process exiting, so a crashed bot fails the test at once with its log.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import re
import signal
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

from bot.devtools.fake_bot_api import FakeBotApi, SentCall
from tests.emulator import Emulator

REPO_ROOT = Path(__file__).resolve().parents[2]
TOKEN = "123456789:AAE2e-test-token-abcdefghijklmnop"
# Variables passed through from the test run: what Python itself needs, nothing the bot reads.
PASSED_THROUGH = ("PATH", "HOME", "TMPDIR", "SYSTEMROOT")
WAIT = 10.0
STARTUP_WAIT = 60.0
# DEBUG chatter of the HTTP client and the SQLite driver, left out of the excerpts shown on failure.
NOISE = re.compile(r" DEBUG (httpcore|aiosqlite)[.:]")


def bot_env(database_url: str, **settings: str) -> dict[str, str]:
    """A clean environment for `python -m bot`: every setting is given, so neither a .env in the repo
    (pydantic-settings lets variables win over it) nor the test run's own variables leak in."""
    env = {name: os.environ[name] for name in PASSED_THROUGH if name in os.environ}
    env.update(
        PYTHONUTF8="1",  # The bot logs and prints Chinese; the test decodes its output as UTF-8.
        PYTHONUNBUFFERED="1",
        TELEGRAM_BOT_TOKEN="",
        TELEGRAM_BASE_URL="https://api.telegram.org/bot",
        TELEGRAM_BASE_FILE_URL="https://api.telegram.org/file/bot",
        DATABASE_URL=database_url,
        DEFAULT_TIMEZONE="Asia/Shanghai",
        DEFAULT_LANGUAGE="en",
        LOG_LEVEL="INFO",
        ADMIN_IDS="",
        SHELL_OUTPUT_DIR=str(Path(os.environ.get("TMPDIR", "/tmp")) / "quota-coach-e2e-shell"),
        # The bot's clock starts at the project's "today" (Friday 2026-11-27, 10:00 in Shanghai), so
        # relative dates such as 明年第二季度末 mean the same on any day the suite runs.
        CLOCK_START="2026-11-27T02:00:00+00:00",
    )
    env.update(settings)
    return env


class BotProcess:
    """`python -m bot <command>` as a child process; stdout and stderr are collected line by line."""

    def __init__(self, env: dict[str, str], command: str = "run") -> None:
        self.env, self.command = env, command
        self.process: asyncio.subprocess.Process | None = None
        self.stdout: list[str] = []
        self.stderr: list[str] = []
        self.lines: list[str] = []  # Both streams, in the order the lines arrived.
        self._readers: list[asyncio.Task[None]] = []
        self._output = asyncio.Condition()
        self._reaped = False

    @property
    def pid(self) -> int:
        assert self.process is not None
        return self.process.pid

    @property
    def returncode(self) -> int | None:
        return self.process.returncode if self.process else None

    @property
    def output(self) -> str:
        return "".join(self.lines)

    async def start(self) -> None:
        self.process = await asyncio.create_subprocess_exec(
            sys.executable,
            "-m",
            "bot",
            self.command,
            cwd=REPO_ROOT,
            env=self.env,
            stdin=asyncio.subprocess.DEVNULL,
            stdout=asyncio.subprocess.PIPE,
            stderr=asyncio.subprocess.PIPE,
            limit=2**20,  # DEBUG lines (whole updates, SQL) can be longer than the default 64 KiB.
        )
        assert self.process.stdout is not None and self.process.stderr is not None
        self._readers = [
            asyncio.create_task(self._collect(self.process.stdout, self.stdout)),
            asyncio.create_task(self._collect(self.process.stderr, self.stderr)),
        ]

    async def _collect(self, stream: asyncio.StreamReader, lines: list[str]) -> None:
        # Reading continuously also keeps a chatty DEBUG log from filling the pipe and stalling the bot.
        async for raw in stream:
            line = raw.decode("utf-8", errors="replace")
            async with self._output:
                lines.append(line)
                self.lines.append(line)
                self._output.notify_all()
        async with self._output:
            self._output.notify_all()

    def _closed(self) -> bool:
        return all(reader.done() for reader in self._readers)

    async def wait_for_output(self, pattern: str, after: int = 0, timeout: float = WAIT) -> str:  # noqa: ASYNC109
        """The first output line matching the regular expression `pattern`, waiting for it if needed.

        `after` skips the lines before it (take len(process.lines) before the action that should log).
        """
        regex = re.compile(pattern)

        def found() -> str | None:
            return next((line for line in self.lines[after:] if regex.search(line)), None)

        async with self._output:
            try:
                await asyncio.wait_for(
                    self._output.wait_for(lambda: found() is not None or self._closed()), timeout
                )
            except TimeoutError:
                raise AssertionError(
                    f"no output line matched {pattern!r} within {timeout}s\n{self.tail()}"
                ) from None
        line = found()
        if line is None:
            raise AssertionError(
                f"the bot exited ({self.returncode}) before printing {pattern!r}\n{self.tail()}"
            )
        return line

    async def wait_for_calls(
        self,
        api: FakeBotApi,
        predicate: Callable[[list[SentCall]], bool],
        what: str,
        timeout: float = WAIT,  # noqa: ASYNC109
    ) -> None:
        """Wait until the bot's calls satisfy `predicate`; fail at once, with the log, if the bot exits."""
        assert self.process is not None
        waiting = asyncio.ensure_future(api.wait_for(predicate, timeout))
        exiting = asyncio.ensure_future(self.process.wait())
        try:
            await asyncio.wait({waiting, exiting}, return_when=asyncio.FIRST_COMPLETED)
            answered = waiting.done()
        finally:
            exiting.cancel()
            if not waiting.done():
                waiting.cancel()
        if not answered:
            raise AssertionError(
                f"the bot exited ({self.returncode}) while waiting for {what}\n{self.tail()}"
            )
        if waiting.exception() is not None:
            raise AssertionError(f"waited {timeout}s for {what} in vain\n{self.tail()}")

    async def kill(self) -> None:
        """SIGKILL: no shutdown code runs, as in a crash or an OOM kill. Safe to call twice."""
        if self.process is None:
            return
        if self.process.returncode is None:
            with contextlib.suppress(ProcessLookupError):  # It may have exited a moment ago.
                self.process.kill()
        await self._reap()

    async def terminate(self, timeout: float = WAIT) -> int:  # noqa: ASYNC109
        """SIGTERM, the way a service manager stops the bot; returns the exit code."""
        assert self.process is not None
        if self.process.returncode is None:
            with contextlib.suppress(ProcessLookupError):
                self.process.send_signal(signal.SIGTERM)
        try:
            await asyncio.wait_for(self.process.wait(), timeout)
        except TimeoutError:
            with contextlib.suppress(ProcessLookupError):
                self.process.kill()
        await self._reap()
        assert self.process.returncode is not None
        return self.process.returncode

    async def _reap(self) -> None:
        assert self.process is not None
        await self.process.wait()
        if self._reaped:
            return
        self._reaped = True
        await asyncio.gather(*self._readers)
        # Shown by pytest only when the test fails: the log of every bot process it started.
        print(
            f"--- bot process {self.pid} exited with {self.returncode} (HTTP and SQLite chatter left out) ---"
        )
        print("".join(self.readable()))

    def readable(self) -> list[str]:
        return [line for line in self.lines if not NOISE.search(line)]

    def tail(self, lines: int = 30) -> str:
        return "--- last lines of the bot's output ---\n" + "".join(self.readable()[-lines:])


def count(api: FakeBotApi, method: str) -> int:
    return sum(1 for call in api.calls if call.method == method)


class Harness:
    """One emulator, the bot processes started against it (one at a time) and the users talking to it."""

    def __init__(self, emulator: Emulator, env: dict[str, str]) -> None:
        self.emulator, self.api, self.env = emulator, emulator.api, env
        self.bot: BotProcess | None = None
        self.started: list[BotProcess] = []

    async def start(self, *, ready: str = "deleteWebhook", **env: str) -> BotProcess:
        """Start `python -m bot run` and wait until it polls for updates (it has removed any webhook), or
        with ready="setWebhook" until it has set its webhook (web15)."""
        assert self.bot is None or self.bot.returncode is not None, "stop the running bot first"
        before = count(self.api, ready)
        self.bot = BotProcess({**self.env, **env})
        self.started.append(self.bot)
        await self.bot.start()
        # A ceiling, not a figure: a loaded machine (CI sharing its cores) can take well over 20 s to import
        # and start the bot; the wait still ends the moment the bot polls, or fails at once if it exits.
        await self.bot.wait_for_calls(
            self.api, lambda _: count(self.api, ready) > before, "startup", STARTUP_WAIT
        )
        return self.bot

    async def kill(self) -> None:
        if self.bot is not None:
            await self.bot.kill()

    async def close(self) -> None:
        """Kill every process still running: called in the fixture's finally."""
        for process in self.started:
            await process.kill()

    def chat(self, user_id: int, language_code: str | None = "en", first_name: str = "Li") -> RemoteChat:
        return RemoteChat(self, self.api.user(user_id, first_name=first_name, language_code=language_code))


class RemoteChat:
    """One user's private chat with the bot process: updates go to its queue, answers come back."""

    def __init__(self, harness: Harness, user: dict[str, Any]) -> None:
        self.harness, self.api, self.user = harness, harness.api, user

    @property
    def id(self) -> int:
        return int(self.user["id"])

    def sent(self) -> list[SentCall]:
        return self.api.sent_to(self.id)

    async def send(self, text: str, *, expect: str) -> list[SentCall]:
        """Send `text` and wait until the bot answers with a message containing `expect`."""
        return await self.feed(self.api.message_update(self.user, text), expect)

    async def press(self, label: str, *, expect: str, on: SentCall | None = None) -> list[SentCall]:
        """Press the button `label` on `on` (default: the newest message with buttons), then as send."""
        return await self.feed(self.api.press(self.user, on or self.last_with_buttons(), label), expect)

    async def feed(self, update: dict[str, Any], expect: str) -> list[SentCall]:
        """Queue `update` for getUpdates; the messages sent to this chat since, once one contains `expect`.

        Expect the last message of an answer (the next question), so nothing more is on its way.
        """
        before = len(self.sent())
        await self.api.push(update)
        bot = self.harness.bot
        assert bot is not None, "start the bot first"

        def answered(_calls: list[SentCall]) -> bool:
            return any(expect in call.text for call in self.sent()[before:])

        try:
            await bot.wait_for_calls(self.api, answered, f"a message containing {expect!r}")
        except AssertionError as error:
            said = "\n".join(f"  {call.text!r}" for call in self.sent()[before:]) or "  (nothing)"
            raise AssertionError(f"{error}\n--- the bot sent this chat ---\n{said}") from None
        return self.sent()[before:]

    def last_with_buttons(self) -> SentCall:
        for call in reversed(self.sent()):
            if call.buttons:
                return call
        raise LookupError("the bot has sent no buttons to this chat")
