"""The goal wizard survives a SIGKILL between two steps: after the restart no answer is lost."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.storage.models import DialogState
from tests.auxil.database import fetch
from tests.auxil.goals import goals_of
from tests.e2e.harness import Harness
from tests.e2e.outbox_rows import after_crash

pytestmark = pytest.mark.e2e


async def test_sigkill_between_wizard_steps_loses_no_answer(harness: Harness, engine: AsyncEngine) -> None:
    chat = harness.chat(424_242_101, language_code="zh-hans", first_name="小张")
    await harness.start()
    await chat.send("/start", expect="你希望我用哪种语言？")
    await chat.press("中文", expect="你在哪个时区？")
    await chat.send("上海", expect="就用这些时间吗？")
    await chat.press("✔ 就用这些", expect="设置完成")
    await chat.send("/newgoal", expect="S — 具体")
    await chat.press("💰 销售额", expect="用一句话说明")
    await chat.send("向华东地区医院客户推广ERP升级版", expect="M — 可衡量")
    await chat.send("一百二十万", expect="T — 有时限")

    await harness.kill()
    dialog = await fetch(engine, DialogState, chat.id)
    assert isinstance(dialog, DialogState)
    assert (dialog.flow, dialog.step) == ("new_goal", "deadline")
    assert dialog.data["description"] == "向华东地区医院客户推广ERP升级版"
    assert dialog.data["target_value"] == "1200000"

    await harness.start(**after_crash(harness, 1))
    await chat.send("明年第二季度末", expect="A — 可实现")
    await chat.send("100万", expect="你的平均单额是多少")
    await chat.send("10万", expect="你有多大把握")
    await chat.press("8", expect="R — 相关性")
    sent = await chat.send("支撑公司今年销售额增长30%的目标", expect="你的目标")
    assert "在2027年6月30日前销售额达到 ¥1,200,000：向华东地区医院客户推广ERP升级版。" in sent[-1].text
    await chat.press("💾 保存", expect="已保存")

    [goal] = await goals_of(engine, chat.id)
    assert (goal.description, goal.target_value, goal.deadline, goal.baseline) == (
        "向华东地区医院客户推广ERP升级版",
        Decimal(1200000),
        date(2027, 6, 30),
        Decimal(1000000),
    )
    assert await fetch(engine, DialogState, chat.id) is None
