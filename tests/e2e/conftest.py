"""Fixtures for end-to-end tests: the HTTP emulator in the test's loop and the real bot process."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.devtools.fake_bot_api import FakeBotApi
from tests.e2e.harness import TOKEN, Harness, bot_env
from tests.emulator import Emulator, run_emulator


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers",
        "e2e: starts the real bot process (python -m bot); deselect with -m 'not e2e' for a quick run",
    )


@pytest.fixture
async def emulator(bot_api: FakeBotApi) -> AsyncIterator[Emulator]:
    """`bot_api` served on a free port of 127.0.0.1, in the test's loop; other tokens get 401."""
    async with run_emulator(bot_api, token=TOKEN) as running:
        yield running


@pytest.fixture
async def harness(
    emulator: Emulator, database_url: str, engine: AsyncEngine, tmp_path: Path
) -> AsyncIterator[Harness]:
    """Starts bot processes on demand and kills them all at the end.

    It depends on `engine` so that it is torn down first: no bot is left writing while the tables are wiped.
    """
    env = bot_env(
        database_url,
        TELEGRAM_BOT_TOKEN=TOKEN,
        TELEGRAM_BASE_URL=emulator.base_url,
        TELEGRAM_BASE_FILE_URL=emulator.file_url,
        LOG_LEVEL="DEBUG",
        SHELL_OUTPUT_DIR=str(tmp_path / "shell-files"),
    )
    harness = Harness(emulator, env)
    try:
        yield harness
    finally:
        await harness.close()
