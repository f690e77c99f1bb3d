"""Issue 11's formatting rule through real updates, in both languages: what the user reads and what is stored."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date
from decimal import Decimal

import pytest
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.storage.models import Entry, User
from tests.auxil.chat import Chat
from tests.auxil.clock import FakeClock
from tests.auxil.database import rows
from tests.auxil.goals import goals_of, insert_entries, insert_goal, onboard, plan_row

TELEGRAM_CODE = {"en": "en", "zh_CN": "zh-hans"}


@pytest.mark.parametrize("language", ["en", "zh_CN"])
async def test_the_end_of_set_up_suggests_newgoal_instead_of_repeating_the_settings(
    make_chat: Callable[..., Chat], engine: AsyncEngine, language: str
) -> None:
    chat = make_chat(language_code=TELEGRAM_CODE[language], first_name="Li")
    await chat.send("/start")
    await chat.press("English" if language == "en" else "中文")
    await chat.send("UTC+8")
    sent = await chat.press("✔ Keep them" if language == "en" else "✔ 就用这些")

    expected = {
        "en": "All set, Li! Next, set your first goal with /newgoal: it takes about two minutes.\n"
        "/settings changes your set-up any time; /help lists everything I can do.",
        "zh_CN": "设置完成，Li！下一步：用 /newgoal 定下你的第一个目标，大约两分钟。\n"
        "随时用 /settings 修改设置；/help 查看我能做的所有事。",
    }[language]
    assert sent[-1].text == expected
    [user] = await rows(engine, User, id=chat.id)
    assert user.onboarded_at is not None and user.language == language


@pytest.mark.parametrize("language", ["en", "zh_CN"])
async def test_saving_a_goal_suggests_plan(
    make_chat: Callable[..., Chat], engine: AsyncEngine, language: str
) -> None:
    chat = make_chat(language_code=TELEGRAM_CODE[language])
    await onboard(chat, language)
    en = language == "en"
    await chat.send("/newgoal")
    await chat.press("💰 Revenue" if en else "💰 销售额")
    await chat.send(
        "Sell the ERP upgrade to hospital clients in East China" if en else "向华东地区医院客户推广ERP升级版"
    )
    await chat.send("50万" if not en else "500k")
    await chat.send("2027-03-31")
    await chat.send("40万" if not en else "400k")
    await chat.send("5万" if not en else "50k")  # the average deal size
    await chat.press("8")
    await chat.send("Company target: +30% revenue this year" if en else "公司今年销售额增长 30% 的目标")
    sent = await chat.press("💾 Save" if en else "💾 保存")

    if en:
        assert sent[-1].text.startswith("Saved! By March 31, 2027, reach $500,000 (revenue)")
        assert sent[-1].text.endswith(
            "Next: /plan shows what this month, this week and today need. /goals lets you change the goal."
        )
    else:
        assert sent[-1].text.startswith("已保存！在2027年3月31日前销售额达到 ¥500,000：")
        assert sent[-1].text.endswith("下一步：/plan 会列出本月、本周和今天要完成多少。/goals 可以修改目标。")
    [goal] = await goals_of(engine, chat.id)
    assert goal.target_value == Decimal(500_000) and goal.baseline == Decimal(400_000)
    plan = await plan_row(engine, goal.id)
    assert getattr(plan, "average_deal", None) == Decimal(50_000)


@pytest.mark.parametrize("language", ["en", "zh_CN"])
async def test_progress_shows_half_up_percentages_and_whole_amounts(
    make_chat: Callable[..., Chat], engine: AsyncEngine, clock: FakeClock, language: str
) -> None:
    chat = make_chat(language_code=TELEGRAM_CODE[language])
    await onboard(chat, language)
    goal_id = await insert_goal(
        engine,
        chat.id,
        clock(),
        metric="revenue",
        kind="currency",
        unit="USD",
        target_value=Decimal(120_000),
        start_date=date(2026, 12, 1),
        deadline=date(2027, 3, 31),
        description="Sell the ERP upgrade to hospitals",
    )
    clock.set(clock().replace(year=2026, month=12, day=8))
    # 50,000 of 120,000 is 41.666…%: half-up to one decimal is 41.7% (truncation said 41.6%).
    await insert_entries(
        engine,
        chat.id,
        goal_id,
        {date(2026, 12, 1): Decimal("20000.40"), date(2026, 12, 2): Decimal("29999.60")},
        clock(),
    )
    text = (await chat.send("/progress"))[0].text

    if language == "en":
        assert "Done: $50,000 of $120,000 (41.7%)" in text
        needed = re.search(
            r"Needed per remaining working day: (\S+) \((\d+) working days left, (\d+) days", text
        )
        symbol = "$"
    else:
        assert "已完成：US$50,000 / US$120,000（41.7%）" in text
        needed = re.search(r"剩余每个工作日需完成：(\S+)（还剩 (\d+) 个工作日，距截止 (\d+) 天）", text)
        symbol = "US$"
    assert needed is not None, text
    amount, days_left = needed.group(1), int(needed.group(2))
    # 70,000 over the working days left is not whole, and is shown in whole dollars.
    assert re.fullmatch(re.escape(symbol) + r"\d{1,3}(,\d{3})*", amount), amount
    assert Decimal(70_000) % days_left != 0
    stored = await rows(engine, Entry, goal_id=goal_id)
    assert sum(entry.amount for entry in stored) == Decimal(50_000)
