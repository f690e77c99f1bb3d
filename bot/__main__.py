"""Command line: `python -m bot [run|shell|migrate]`."""

from __future__ import annotations

import argparse
import asyncio
import logging
import sys

from sqlalchemy.engine import make_url

from bot.logs import configure_logging
from bot.settings import Settings, SettingsError, load_settings
from bot.storage.database import create_engine
from bot.storage.migrate import upgrade

log = logging.getLogger("bot")
EXIT_CONFIG = 2


def fail(message: str) -> None:
    """Stop with one clear line and exit code 2: bad configuration is not a crash."""
    print(f"quota-coach: {message}", file=sys.stderr)
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


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(
        prog="python -m bot", description="Quota Coach, the sales goal coaching bot."
    )
    parser.add_argument(
        "command",
        nargs="?",
        default="run",
        choices=["run", "shell", "migrate"],
        help="run: Telegram if TELEGRAM_BOT_TOKEN is set, else the local shell (default); "
        "shell: chat in this terminal; migrate: apply database migrations and exit",
    )
    args = parser.parse_args(argv)
    try:
        settings = load_settings()
    except SettingsError as error:
        fail(str(error))
        return
    token = settings.telegram_bot_token.get_secret_value() if settings.telegram_bot_token else ""
    in_shell = args.command == "shell" or (args.command == "run" and not token)
    # The shell's screen is the conversation; only warnings belong beside it.
    configure_logging("WARNING" if in_shell else settings.log_level, secrets=[token])
    asyncio.run(prepare_database(settings))
    if args.command == "migrate":
        print("database is up to date")
        return
    if in_shell:
        from bot.devtools.shell import run_shell

        if args.command == "run":
            print(
                "No TELEGRAM_BOT_TOKEN is set, so nothing goes to Telegram: starting the local shell chat "
                f"(database: {make_url(settings.database_url).render_as_string(hide_password=True)}).\n"
                "Set TELEGRAM_BOT_TOKEN in .env to run on Telegram.\n"
            )
        asyncio.run(run_shell(settings))
        return
    from telegram import Update

    from bot.app import build_application

    application = build_application(settings)
    log.info("starting on %s with long polling", settings.telegram_base_url)
    application.run_polling(allowed_updates=Update.ALL_TYPES)


if __name__ == "__main__":
    main()
