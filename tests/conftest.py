"""Fixtures every test can use: a migrated database, a fake clock, the app on an in-process Bot API."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Callable, Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.app import build_application, startup
from bot.devtools.fake_bot_api import FakeBotApi
from bot.devtools.inprocess_request import InProcessRequest
from bot.services.container import Services, build_services
from bot.settings import Settings, load_settings
from bot.storage.database import create_engine
from bot.storage.migrate import upgrade
from bot.telegram.context import BotApplication
from tests.auxil.chat import Chat
from tests.auxil.clock import FakeClock
from tests.auxil.database import test_database_url, wipe

# Friday 2026-11-27 10:00 in Shanghai: the "today" of the project's examples.
DEFAULT_NOW = datetime(2026, 11, 27, 2, 0, tzinfo=UTC)


@pytest.fixture(scope="session")
def database_url(tmp_path_factory: pytest.TempPathFactory) -> str:
    """Migrated once per run; each test empties the tables after itself."""
    url = test_database_url(tmp_path_factory.mktemp("db"))

    async def migrate() -> None:
        engine = create_engine(url)
        await upgrade(engine)
        await wipe(engine)
        await engine.dispose()

    asyncio.run(migrate())
    return url


@pytest.fixture
def settings(database_url: str, tmp_path: Path) -> Settings:
    return load_settings(
        _env_file=None,
        database_url=database_url,
        telegram_bot_token=None,
        default_language="en",
        default_timezone="Asia/Shanghai",
        shell_output_dir=tmp_path / "shell-files",
    )


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock(DEFAULT_NOW)


@pytest.fixture
async def engine(settings: Settings) -> AsyncIterator[AsyncEngine]:
    engine = create_engine(settings.database_url)
    yield engine
    await wipe(engine)
    await engine.dispose()


@pytest.fixture
def services(settings: Settings, clock: FakeClock, engine: AsyncEngine) -> Services:
    return build_services(settings, clock, engine=engine)


@pytest.fixture
def bot_api() -> FakeBotApi:
    return FakeBotApi()


@pytest.fixture
async def app(settings: Settings, services: Services, bot_api: FakeBotApi) -> AsyncIterator[BotApplication]:
    application = build_application(
        settings, request=InProcessRequest(bot_api), rate_limited=False, services=services
    )
    async with application:
        await startup(application)
        yield application


@pytest.fixture
def make_chat(app: BotApplication, bot_api: FakeBotApi) -> Callable[..., Chat]:
    """A chat with a new user: make_chat(language_code="zh-hans", user_id=...)."""
    counter = iter(range(100_001, 200_000))

    def make(
        language_code: str | None = "en", user_id: int | None = None, first_name: str = "Li", **extra: Any
    ) -> Chat:
        user = bot_api.user(
            user_id or next(counter), first_name=first_name, language_code=language_code, **extra
        )
        return Chat(app, bot_api, user)

    return make


@pytest.fixture
def repo_root() -> Iterator[Path]:
    yield Path(__file__).resolve().parent.parent
