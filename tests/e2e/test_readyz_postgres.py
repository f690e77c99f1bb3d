"""/readyz while PostgreSQL stops and comes back (web15).

The shared test server must not be stopped, so this test starts a throwaway PostgreSQL of its own on a
free port (initdb + pg_ctl as user postgres, as .ci/run does) and stops that one; it is skipped where
the server binaries are absent.
"""

from __future__ import annotations

import asyncio
import glob
import os
import pwd
import shutil
import socket
import tempfile
from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest

from bot.app import build_application
from bot.devtools.fake_bot_api import FakeBotApi
from bot.devtools.inprocess_request import InProcessRequest
from bot.services.container import build_services
from bot.settings import load_settings
from bot.storage.database import create_engine
from bot.storage.migrate import upgrade
from bot.telegram.web import start_web_server
from tests.auxil.clock import FakeClock
from tests.conftest import DEFAULT_NOW

pytestmark = pytest.mark.e2e
PG_BINS = sorted(glob.glob("/usr/lib/postgresql/*/bin"))


def _postgres_user() -> bool:
    try:
        pwd.getpwnam("postgres")
    except KeyError:
        return False
    return os.geteuid() == 0 or pwd.getpwuid(os.geteuid()).pw_name == "postgres"


@dataclass
class Throwaway:
    bin: Path
    data: Path
    port: int

    @property
    def url(self) -> str:
        return f"postgresql+asyncpg://postgres@127.0.0.1:{self.port}/postgres"

    async def run(self, program: str, *args: str) -> None:
        command = [str(self.bin / program), *args]
        if os.geteuid() == 0:
            command = ["runuser", "-u", "postgres", "--", *command]
        process = await asyncio.create_subprocess_exec(
            *command, stdout=asyncio.subprocess.DEVNULL, stderr=asyncio.subprocess.PIPE
        )
        _, error = await process.communicate()
        assert process.returncode == 0, f"{program} failed: {error.decode()}"

    async def start(self) -> None:
        options = f"-c listen_addresses=127.0.0.1 -p {self.port} -k {self.data.parent} -c fsync=off"
        await self.run(
            "pg_ctl", "-D", str(self.data), "-l", str(self.data.parent / "log"), "-w", "-o", options, "start"
        )

    async def stop(self) -> None:
        await self.run("pg_ctl", "-D", str(self.data), "-m", "fast", "-w", "stop")


@pytest.fixture
async def postgres() -> AsyncIterator[Throwaway]:
    if not PG_BINS or not _postgres_user():
        pytest.skip("no PostgreSQL server binaries (or no postgres user) to start a throwaway server")
    folder = Path(tempfile.mkdtemp(prefix="qc-readyz-pg-"))
    shutil.chown(folder, "postgres")
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = int(probe.getsockname()[1])
    server = Throwaway(Path(PG_BINS[-1]), folder / "data", port)
    try:
        await server.run("initdb", "-D", str(server.data), "-U", "postgres", "--auth=trust", "-E", "UTF8")
        await server.start()
        yield server
    finally:
        if (server.data / "postmaster.pid").exists():
            await server.run("pg_ctl", "-D", str(server.data), "-m", "immediate", "stop")
        shutil.rmtree(folder, ignore_errors=True)


async def test_readyz_is_503_naming_the_database_while_postgresql_is_stopped_and_200_when_back(
    postgres: Throwaway, tmp_path: Path
) -> None:
    settings = load_settings(_env_file=None, database_url=postgres.url, telegram_bot_token=None,
                             shell_output_dir=tmp_path / "shell")  # fmt: skip
    engine = create_engine(settings.database_url)
    await upgrade(engine)
    services = build_services(settings, FakeClock(DEFAULT_NOW), engine=engine)
    app = build_application(
        settings, request=InProcessRequest(FakeBotApi()), rate_limited=False, services=services
    )
    running = start_web_server(app, "127.0.0.1", 0, None)
    base = f"http://127.0.0.1:{running.port}"
    try:
        async with httpx.AsyncClient(timeout=15) as client:
            ready = await client.get(f"{base}/readyz")
            assert ready.status_code == 200, ready.text

            await postgres.stop()
            down = await client.get(f"{base}/readyz")
            assert down.status_code == 503
            body = down.json()
            assert body["failing"] == ["database", "migrations", "inbox_lag"]
            assert body["checks"]["database"]["detail"].startswith("database unreachable: ")
            assert body["checks"]["dispatcher"]["ok"] is True
            scrape = await client.get(f"{base}/metrics")
            assert scrape.status_code == 200 and "quota_coach_database_up 0.0" in scrape.text
            assert (await client.get(f"{base}/healthz")).status_code == 200, "alive all the same"

            await postgres.start()
            back = await client.get(f"{base}/readyz")
            assert back.status_code == 200, back.text
            assert "quota_coach_database_up 1.0" in (await client.get(f"{base}/metrics")).text
    finally:
        await running.stop()
        await engine.dispose()
