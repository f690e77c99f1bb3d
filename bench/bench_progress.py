"""/progress for a user with 10 goals and a year of daily actuals: the text cards and one chart.

Runs the real Application with the in-process Bot API on a fresh SQLite file (or DATABASE_URL):
the text timing is a whole /progress update minus chart rendering (DB reads, plans, progress math,
cards); the chart timing is render_progress_chart for one of those goals.

    .venv/bin/python bench/bench_progress.py [--repeat 30]
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import tempfile
import time
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from pathlib import Path

from sqlalchemy.ext.asyncio import AsyncSession
from telegram import Update

from bot.app import build_application, startup
from bot.core.goal_draft import GoalDraft
from bot.devtools.fake_bot_api import FakeBotApi
from bot.devtools.inprocess_request import InProcessRequest
from bot.i18n import translator
from bot.services import charts
from bot.services.goals import create_goal
from bot.services.plans import outlooks, user_calendar
from bot.services.progress_chart import chart_data
from bot.settings import load_settings
from bot.storage.database import create_engine
from bot.storage.migrate import upgrade
from bot.storage.models import Entry, User
from bot.storage.repositories.goals import GoalRepository
from bot.telegram.handlers import plans as plan_handlers

USER_ID = 1
START = date(2026, 1, 1)
NOW = datetime(2026, 12, 31, 10, 0, tzinfo=UTC)


async def seed(url: str) -> None:
    engine = create_engine(url)
    await upgrade(engine)
    async with AsyncSession(engine) as session, session.begin():
        user = User(id=USER_ID, first_name="Bench", language="zh_CN", timezone="Asia/Shanghai", country="CN",
                    created_at=NOW, updated_at=NOW, onboarded_at=NOW)  # fmt: skip
        session.add(user)
        await session.flush()
        for number in range(10):
            draft = GoalDraft(metric="revenue", kind="currency", unit="CNY", description=f"Goal {number} for the bench",
                              target_value=Decimal(1_200_000), start_date=START, deadline=date(2027, 3, 31),
                              confidence=7, relevance="Company target +30% this year")  # fmt: skip
            goal = await create_goal(session, user, draft, NOW)
            day = START
            while day < NOW.date():
                session.add(Entry(user_id=USER_ID, goal_id=goal.id, day=day, amount=Decimal(3000 + number),
                                  created_at=NOW))  # fmt: skip
                day += timedelta(days=1)
    await engine.dispose()


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


async def main(repeat: int, url: str | None) -> None:
    directory = tempfile.mkdtemp(prefix="bench-progress-")
    database_url = url or f"sqlite+aiosqlite:///{Path(directory) / 'bench.sqlite3'}"
    await seed(database_url)
    settings = load_settings(_env_file=None, database_url=database_url, telegram_bot_token=None)
    api = FakeBotApi()
    app = build_application(settings, request=InProcessRequest(api), rate_limited=False, clock=lambda: NOW)
    user = api.user(USER_ID, first_name="Bench", language_code="zh-hans")
    # Charts are timed on their own below: here the handler renders nothing, so the figure is the text path.
    plan_handlers.render_progress_chart = lambda data: b"\x89PNG"  # type: ignore[assignment]
    text_ms: list[float] = []
    async with app:
        await startup(app)
        for _ in range(repeat + 3):
            update = Update.de_json(api.message_update(user, "/progress"), app.bot)
            began = time.perf_counter()
            await app.process_update(update)
            text_ms.append((time.perf_counter() - began) * 1000)
        deps = app.bot_data.services
        async with deps.sessionmaker() as session:
            user_row = await session.get(User, USER_ID)
            assert user_row is not None
            goal = (await GoalRepository(session).open_goals(USER_ID))[0]
            calendar = await user_calendar(session, user_row, "zh_CN")
            [view] = await outlooks(session, user_row, [goal], calendar, NOW)
            data = chart_data(view, translator("zh_CN"))
    text_ms = text_ms[3:]
    charts.warm_up()
    chart_ms = []
    for _ in range(repeat):
        began = time.perf_counter()
        charts.render_progress_chart(data)
        chart_ms.append((time.perf_counter() - began) * 1000)
    print(f"| /progress text, 10 goals x 365 daily actuals (whole update) | {statistics.median(text_ms):.1f} | "
          f"{percentile(text_ms, 0.99):.1f} |")  # fmt: skip
    print(
        f"| chart of one goal (365 days) | {statistics.median(chart_ms):.1f} | {percentile(chart_ms, 0.99):.1f} |"
    )


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=30)
    parser.add_argument("--database-url", default=None, help="default: a fresh SQLite file")
    arguments = parser.parse_args()
    asyncio.run(main(arguments.repeat, arguments.database_url))
