"""Command line: `python -m bot [run|shell|migrate|backup PATH]`.

`python -m bot` alone picks for a person at a terminal: Telegram with a token, else the local shell.
`python -m bot run` (the container's command) is for supervisors: without a token it exits 2 with one
line, rather than opening a shell nobody types into (it read end of input and exited 0).
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import logging
import signal
import sqlite3
import sys
from collections.abc import AsyncIterator
from pathlib import Path
from typing import TYPE_CHECKING, NoReturn

from sqlalchemy.engine import make_url

from bot.logs import configure_logging, fatal_line
from bot.settings import Settings, SettingsError, load_settings
from bot.storage.backup import BackupError, backup_sqlite, pg_dump_command
from bot.storage.database import create_engine
from bot.storage.migrate import upgrade

if TYPE_CHECKING:
    from bot.telegram.context import BotApplication

log = logging.getLogger("bot")
EXIT_CONFIG = 2
# Telegram kept refusing the token while polling: exit so that a supervisor restarts the bot (or shows why).
EXIT_TOKEN_REFUSED = 3
STOP_SIGNALS = (signal.SIGTERM, signal.SIGINT)
TOKEN_NEEDED = (
    "TELEGRAM_BOT_TOKEN: a token from @BotFather is needed to run on Telegram "
    "(`python -m bot shell` chats with the bot in a terminal instead)"
)


def fail(message: str) -> NoReturn:
    """Stop with one clear line and exit code 2: bad configuration is not a crash."""
    print(fatal_line(f"quota-coach: {message}"), file=sys.stderr)  # webhook15: JSON under LOG_FORMAT=json
    raise SystemExit(EXIT_CONFIG)


async def prepare_database(settings: Settings) -> None:
    """Open the database and apply migrations; any failure is one line naming DATABASE_URL."""
    engine = create_engine(settings.database_url)
    try:
        await upgrade(engine)
    except (
        Exception
    ) as error:  # Drivers raise many types (OSError, asyncpg, sqlite3): all mean the same here.
        where = make_url(settings.database_url).render_as_string(hide_password=True)
        reason = str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__
        fail(f"DATABASE_URL: cannot open the database at {where}: {reason}")
    finally:
        await engine.dispose()


async def run_on_telegram(settings: Settings) -> str | None:
    """Migrate, then poll until SIGTERM or SIGINT (exit 0, after the full shutdown). A token refused at
    start-up is returned as the line to fail with; refused for long while polling, EXIT_TOKEN_REFUSED."""
    from bot.app import build_application, shutdown, startup
    from bot.telegram.polling import (
        Outcome,
        RejectionWatch,
        TokenRejectedAtStartup,
        WatchedUpdatesRequest,
        run_polling,
    )
    from bot.telegram.web import CannotListen
    from bot.telegram.worker_mode import SQLITE_REFUSED

    if settings.bot_role == "worker" and settings.is_sqlite:
        return SQLITE_REFUSED
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for signum in STOP_SIGNALS:
        loop.add_signal_handler(signum, stop.set)
    await prepare_database(settings)
    outcome: list[Outcome] = []

    def give_up() -> None:
        outcome.append(Outcome.TOKEN_REJECTED)
        stop.set()

    grace = settings.telegram_unauthorized_grace_seconds
    watch = RejectionWatch(grace, give_up, stopping=stop.is_set)
    application = build_application(settings, updates_request=WatchedUpdatesRequest(watch))
    if settings.bot_role == "worker":  # workers15: no getUpdates, no webhook calls
        return await run_as_worker(application, stop)
    if settings.webhook_mode:  # web15
        return await run_by_webhook(application, stop)
    log.info("starting on %s with long polling", settings.telegram_base_url)
    try:
        async with health_server(application):  # web15: HEALTH_PORT
            result = await run_polling(
                application,
                where=settings.telegram_base_url,
                stop=stop,
                outcome=outcome,
                post_init=startup,
                post_shutdown=shutdown,
            )
    except TokenRejectedAtStartup as error:
        return f"TELEGRAM_BOT_TOKEN: {error}"
    except CannotListen as error:
        return str(error)
    if result is Outcome.TOKEN_REJECTED:
        print(
            f"quota-coach: TELEGRAM_BOT_TOKEN: the Bot API has refused the token for {grace:.0f} s "
            "(TELEGRAM_UNAUTHORIZED_GRACE_SECONDS) while polling; exiting so that a supervisor restarts the bot",
            file=sys.stderr,
        )
        raise SystemExit(EXIT_TOKEN_REFUSED)
    log.info("stopped")
    return None


async def run_by_webhook(application: BotApplication, stop: asyncio.Event) -> str | None:
    """Webhook mode (web15): the line to fail with, or None after a clean stop."""
    from bot.app import shutdown, startup
    from bot.telegram.polling import TokenRejectedAtStartup
    from bot.telegram.web import CannotListen
    from bot.telegram.webhook import run_webhook

    settings = application.bot_data.services.settings
    log.info("starting on %s by webhook", settings.telegram_base_url)
    try:
        await run_webhook(
            application,
            where=settings.telegram_base_url,
            stop=stop,
            post_init=startup,
            post_shutdown=shutdown,
        )
    except (TokenRejectedAtStartup, CannotListen) as error:
        return f"TELEGRAM_BOT_TOKEN: {error}" if isinstance(error, TokenRejectedAtStartup) else str(error)
    log.info("stopped")
    return None


async def run_as_worker(application: BotApplication, stop: asyncio.Event) -> str | None:
    """BOT_ROLE=worker (workers15): the line to fail with, or None after a clean stop."""
    from bot.app import shutdown, startup
    from bot.telegram.polling import TokenRejectedAtStartup
    from bot.telegram.web import CannotListen
    from bot.telegram.worker_mode import run_worker

    where = application.bot_data.services.settings.telegram_base_url
    log.info("starting on %s as a worker", where)
    try:
        async with health_server(application):
            await run_worker(application, where=where, stop=stop, post_init=startup, post_shutdown=shutdown)
    except TokenRejectedAtStartup as error:
        return f"TELEGRAM_BOT_TOKEN: {error}"
    except CannotListen as error:
        return str(error)
    log.info("stopped")
    return None


@contextlib.asynccontextmanager
async def health_server(application: BotApplication) -> AsyncIterator[None]:
    """/healthz, /readyz and /metrics on HEALTH_PORT while polling (nothing when it is unset)."""
    from bot.telegram.web import serve

    settings = application.bot_data.services.settings
    if settings.health_port is None:
        yield
        return
    server = serve(application, settings.webhook_listen, settings.health_port, None, setting="HEALTH_PORT")
    log.info("serving /healthz, /readyz and /metrics on %s:%s", settings.webhook_listen, server.port)
    try:
        yield
    finally:
        await server.stop()


def backup(settings: Settings, path: str) -> None:
    """A consistent copy of the SQLite database at `path`; for PostgreSQL, the pg_dump line (exit 2)."""
    if not settings.is_sqlite:
        print(
            f"quota-coach: PostgreSQL is backed up with pg_dump:\n{pg_dump_command(settings.database, path)}"
        )
        raise SystemExit(EXIT_CONFIG)
    try:
        size = backup_sqlite(settings.database, Path(path))
    except (BackupError, OSError, sqlite3.Error) as error:
        fail(f"backup: {error}")
    print(f"backed up {settings.database.database} to {path} ({size} bytes)")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(
        prog="python -m bot", description="Quota Coach, the sales goal coaching bot."
    )
    parser.add_argument(
        "command",
        nargs="?",
        choices=["run", "shell", "migrate", "backup"],
        help="none: Telegram if TELEGRAM_BOT_TOKEN is set, else the local shell; "
        "run: Telegram (exit 2 without a token: the container's command); shell: chat in this terminal; "
        "migrate: apply database migrations and exit; backup PATH: copy the SQLite database to PATH",
    )
    parser.add_argument("path", nargs="?", help="backup: where the copy goes")
    args = parser.parse_args(argv)
    if (args.command == "backup") != (args.path is not None):
        parser.error("PATH goes with backup, and backup needs a PATH")
    try:
        settings = load_settings()
    except SettingsError as error:
        fail(str(error))
    token = settings.telegram_bot_token.get_secret_value() if settings.telegram_bot_token else ""
    if args.command == "run" and not token:
        fail(TOKEN_NEEDED)
    in_shell = args.command == "shell" or (args.command is None and not token)
    # The shell's screen is the conversation; only warnings belong beside it.
    # The secret half too: it is what matters, should anything print the token split at its colon.
    secrets = [token, token.partition(":")[2]]
    if settings.webhook_secret is not None:
        secrets.append(settings.webhook_secret.get_secret_value())
    configure_logging(
        "WARNING" if in_shell else settings.log_level,
        secrets=secrets,
        log_format=settings.log_format,  # web15: LOG_FORMAT=json
        user_salt=settings.log_user_salt.get_secret_value(),
    )
    if args.command == "backup":
        backup(settings, args.path)
        return
    if args.command in ("run", None) and not in_shell:
        problem = asyncio.run(run_on_telegram(settings))
        if problem:
            fail(problem)
        from bot.telegram.shutdown import exit_now

        exit_now(0)  # shutdown15: all is closed; the interpreter's teardown would only delay the exit
    asyncio.run(prepare_database(settings))
    if args.command == "migrate":
        print("database is up to date")
        return
    from bot.devtools.shell import run_shell

    if args.command is None:
        print(
            "No TELEGRAM_BOT_TOKEN is set, so nothing goes to Telegram: starting the local shell chat "
            f"(database: {make_url(settings.database_url).render_as_string(hide_password=True)}).\n"
            "Set TELEGRAM_BOT_TOKEN in .env to run on Telegram.\n"
        )
    asyncio.run(run_shell(settings))


if __name__ == "__main__":
    main()
