"""LOG_FORMAT=json holds for every line on stderr, tracebacks included (webhook15): what escapes the
main thread, another thread, the event loop and an object's __del__, a Python warning, and a handler's
failure that PTB's error handler logs, each one JSON object with the traceback in its `exception` field
and no secret."""

from __future__ import annotations

import io
import json
import logging
import subprocess
import sys
import textwrap
from collections.abc import Callable

from telegram import Update
from telegram.ext import CommandHandler

from bot.logs import JsonFormatter, RedactSecrets
from bot.telegram.context import BotApplication, BotContext
from tests.auxil.chat import Chat

TOKEN = "123456789:AAE-secret-half-of-the-token"

CRASHING = textwrap.dedent(
    f"""
    import asyncio, threading, warnings
    from bot.logs import configure_logging

    TOKEN = {TOKEN!r}
    configure_logging("INFO", [TOKEN, TOKEN.partition(":")[2]], log_format=LOG_FORMAT)

    def in_thread():
        raise ValueError("thread failed with " + TOKEN)

    thread = threading.Thread(target=in_thread, name="worker-1")
    thread.start()
    thread.join()

    def callback():
        raise KeyError("loop callback " + TOKEN)

    async def main():
        asyncio.get_running_loop().call_soon(callback)  # the loop's exception handler reports it
        await asyncio.sleep(0.01)

    asyncio.run(main())

    class Leaky:
        def __del__(self):
            raise OSError("in __del__ " + TOKEN)

    leaky = Leaky()
    del leaky
    warnings.warn("deprecated thing " + TOKEN, DeprecationWarning, stacklevel=1)
    raise RuntimeError("main failed with " + TOKEN)
    """
)


def run_crashing(log_format: str) -> subprocess.CompletedProcess[str]:
    script = f"LOG_FORMAT = {log_format!r}\n" + CRASHING
    return subprocess.run(
        [sys.executable, "-W", "always", "-c", script],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def test_every_uncaught_traceback_is_one_json_line_with_the_traceback_as_a_field() -> None:
    result = run_crashing("json")
    assert result.returncode == 1
    lines = [json.loads(line) for line in result.stderr.splitlines()]  # each line parses on its own
    by_logger = {(line["logger"], line["level"]): line for line in lines}
    thread = next(line for line in lines if "in thread" in line["message"])
    assert thread["message"].startswith("uncaught exception in thread worker-1: ValueError")
    assert "Traceback" in thread["exception"] and "ValueError: thread failed with" in thread["exception"]
    loop = by_logger[("asyncio", "ERROR")]
    assert loop["message"].startswith("Exception in callback")
    assert "KeyError: 'loop callback" in loop["exception"]
    unraisable = next(line for line in lines if "__del__" in line["message"])
    assert "OSError: in __del__" in unraisable["exception"]
    warning = by_logger[("py.warnings", "WARNING")]
    assert "DeprecationWarning: deprecated thing" in warning["message"]
    main = by_logger[("bot.uncaught", "CRITICAL")]
    assert main["message"].startswith("uncaught exception: RuntimeError: main failed with")
    assert "Traceback (most recent call last)" in main["exception"]
    assert len(lines) == 5, result.stderr
    assert TOKEN.partition(":")[2] not in result.stderr
    assert result.stderr.count("<redacted>") >= 5


def test_in_text_mode_the_traceback_is_printed_redacted_as_before() -> None:
    result = run_crashing("text")
    assert result.returncode == 1
    assert (
        "CRITICAL bot.uncaught: uncaught exception: RuntimeError: main failed with <redacted>"
        in result.stderr
    )
    assert "Traceback (most recent call last)" in result.stderr
    assert "ValueError: thread failed with <redacted>" in result.stderr
    assert TOKEN.partition(":")[2] not in result.stderr


async def test_a_handler_failure_that_the_error_handler_logs_is_one_json_line_with_its_traceback(
    app: BotApplication, make_chat: Callable[..., Chat]
) -> None:
    async def broken(update: Update, context: BotContext) -> None:
        raise RuntimeError(f"boom {TOKEN}")

    app.handlers[0].insert(0, CommandHandler("help", broken))
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(JsonFormatter())
    handler.addFilter(RedactSecrets([TOKEN, TOKEN.partition(":")[2]]))
    handler.setLevel(logging.ERROR)
    root = logging.getLogger()
    root.addHandler(handler)
    try:
        await make_chat(language_code="en").send("/help")
    finally:
        root.removeHandler(handler)
    [line] = [json.loads(text) for text in stream.getvalue().splitlines()]
    assert line["logger"] == "bot.telegram.errors" and line["level"] == "ERROR"
    assert "Traceback" in line["exception"] and "RuntimeError: boom <redacted>" in line["exception"]
    assert TOKEN.partition(":")[2] not in stream.getvalue()
