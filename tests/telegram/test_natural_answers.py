"""Answers as people type them (issue 11, items 5 and 6), in Chinese and English through real updates.

Ratings as "7分" or "8 out of 10", dates refused where amounts are asked, typed choices, the /change note
and the new value, deadlines named after holidays, a bare "明年", and the wizard's one-line confirmations.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime
from decimal import Decimal

import pytest
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.scheduler.dispatcher import Dispatcher
from bot.storage.coaching_models import Reward, StrategyChange
from bot.storage.models import DialogState, ReviewAnswer
from bot.telegram.context import BotApplication
from tests.auxil.chat import Chat, labels
from tests.auxil.clock import FakeClock
from tests.auxil.database import fetch, rows, snapshot
from tests.auxil.goals import goals_of, insert_goal, onboard

ZH = "zh_CN"


def chat_in(make_chat: Callable[..., Chat], language: str) -> Chat:
    return make_chat(language_code="en" if language == "en" else "zh-hans")


async def revenue_goal(
    make_chat: Callable[..., Chat], engine: AsyncEngine, clock: FakeClock, language: str
) -> Chat:
    chat = chat_in(make_chat, language)
    await onboard(chat, language)
    await insert_goal(engine, chat.id, clock(), metric="revenue", kind="currency", unit="CNY",
                      target_value=Decimal(1_200_000), deadline=date(2027, 3, 31))  # fmt: skip
    return chat


async def wizard_at(chat: Chat, language: str, step: str) -> None:
    """A revenue goal through /newgoal up to the question `step` (target, deadline, baseline, average_deal,
    confidence)."""
    await onboard(chat, language)
    await chat.send("/newgoal")
    await chat.press("💰 Revenue" if language == "en" else "💰 销售额")
    await chat.send("Sell the ERP upgrade to hospital clients in East China")
    for name, answer in (
        ("target", "200万"),
        ("deadline", "2027-03-31"),
        ("baseline", "180万"),
        ("average_deal", "5万"),
    ):
        if name == step:
            return
        await chat.send(answer)


async def dialog_of(engine: AsyncEngine, chat: Chat) -> DialogState:
    state = await fetch(engine, DialogState, chat.id)
    assert isinstance(state, DialogState)
    return state


# Ratings and confidence ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("language", "typed", "value"),
    [
        (ZH, "7分", 7),
        (ZH, "七", 7),
        (ZH, "8/10", 8),
        ("en", "7/10", 7),
        ("en", "8 out of 10", 8),
        ("en", "seven", 7),
    ],
)
async def test_confidence_as_people_type_it(
    make_chat: Callable[..., Chat], engine: AsyncEngine, language: str, typed: str, value: int
) -> None:
    chat = chat_in(make_chat, language)
    await wizard_at(chat, language, "confidence")
    sent = await chat.send(typed)
    assert "1 到 10" not in sent[0].text and "from 1 to 10" not in sent[0].text
    assert ("R — 相关" if language == ZH else "R — Relevant") in sent[-1].text
    state = await dialog_of(engine, chat)
    assert (state.step, state.data["confidence"]) == ("relevance", value)


def dispatcher(app: BotApplication) -> Dispatcher:
    found = app.bot_data.dispatcher
    assert isinstance(found, Dispatcher)
    return found


@pytest.mark.parametrize(
    ("language", "typed", "value"), [(ZH, "4分", 4), (ZH, "四", 4), ("en", "4/5", 4), ("en", "3 out of 5", 3)]
)
async def test_weekly_rating_as_people_type_it(
    app: BotApplication,
    make_chat: Callable[..., Chat],
    engine: AsyncEngine,
    clock: FakeClock,
    language: str,
    typed: str,
    value: int,
) -> None:
    chat = await revenue_goal(make_chat, engine, clock, language)
    clock.set(datetime(2026, 11, 27, 9, 0, tzinfo=UTC))  # Friday 17:00 in Shanghai: the weekly evaluation
    await dispatcher(app).tick()
    await chat.press("✍️ Answer now" if language == "en" else "✍️ 现在回答")
    await chat.send(typed)
    sent = await chat.send("Visit the three clinics on Monday morning")
    assert f"{value}/5" in sent[-1].text
    [weekly] = await rows(engine, ReviewAnswer, user_id=chat.id, kind="weekly")
    assert weekly.answers["rating"] == value


# A date where an amount is asked ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("language", "step", "typed", "reply"),
    [
        (ZH, "baseline", "3月底前", "“3月底前”看起来是日期；这里需要一个金额，例如 50万。"),
        ("en", "baseline", "end of March", "“end of March” looks like a date; I need an amount here, e.g. 500k or 1.2M."),
        (ZH, "target", "下周五", "“下周五”看起来是日期；这里需要一个金额，例如 50万。"),
        ("en", "target", "2027-03-31", "“2027-03-31” looks like a date; I need an amount here, e.g. 500k or 1.2M."),
    ],
)  # fmt: skip
async def test_a_date_typed_as_an_amount_is_refused_with_a_hint(
    make_chat: Callable[..., Chat], engine: AsyncEngine, language: str, step: str, typed: str, reply: str
) -> None:
    chat = chat_in(make_chat, language)
    await wizard_at(chat, language, step)
    before = await snapshot(engine, chat.id)
    sent = await chat.send(typed)
    assert sent[0].text == reply
    assert "26666566" not in sent[0].text
    assert await snapshot(engine, chat.id) == before, "nothing stored"
    assert (await dialog_of(engine, chat)).step == step


@pytest.mark.parametrize(("language", "typed"), [(ZH, "下周五"), ("en", "next Friday")])
async def test_a_date_typed_as_the_reward_amount_is_refused(
    make_chat: Callable[..., Chat], engine: AsyncEngine, clock: FakeClock, language: str, typed: str
) -> None:
    chat = await revenue_goal(make_chat, engine, clock, language)
    await chat.send("/reward")
    sent = await chat.send(typed)
    assert ("看起来是日期" if language == ZH else "looks like a date") in sent[0].text
    assert (await dialog_of(engine, chat)).step == "amount"
    assert await rows(engine, Reward, user_id=chat.id) == []


# /change: a typed reason, the note kept, the new value stated ----------------------------------------


@pytest.mark.parametrize(
    ("language", "typed", "tactic", "note"),
    [
        (ZH, "竞争对手降价了", "打包培训和许可证", "打包培训和许可证（原因：竞争对手降价了）"),
        (
            "en",
            "A competitor cut prices",
            "Bundle training",
            "Bundle training (because: A competitor cut prices)",
        ),
    ],
)
async def test_a_typed_reason_is_matched_and_kept_as_the_note(
    make_chat: Callable[..., Chat], engine: AsyncEngine, clock: FakeClock, language: str, typed: str, tactic: str,
    note: str,
) -> None:  # fmt: skip
    chat = await revenue_goal(make_chat, engine, clock, language)
    await chat.send("/change")
    sent = await chat.send(typed)
    assert "请点选一个选项" not in sent[0].text and "tap one of the choices" not in sent[0].text
    assert ("你打算怎么应对？" if language == ZH else "What will you do about it?") in sent[-1].text
    await chat.press("目标不变，调整打法" if language == ZH else "Keep the target, change tactics")
    await chat.send(tactic)
    [change] = await rows(engine, StrategyChange, user_id=chat.id)
    assert (change.reason, change.decision, change.note) == ("competition", "tactics", note)


@pytest.mark.parametrize(
    ("language", "reply"),
    [(ZH, "目标已改为 ¥1,800,000。"), ("en", "Target is now CN¥1,800,000.")],
)
async def test_a_target_change_states_the_new_target_and_keeps_the_note(
    make_chat: Callable[..., Chat], engine: AsyncEngine, clock: FakeClock, language: str, reply: str
) -> None:
    chat = await revenue_goal(make_chat, engine, clock, language)
    await chat.send("/change 竞争对手降价了" if language == ZH else "/change a competitor cut prices")
    await chat.press("⚔️ 竞争" if language == ZH else "⚔️ Competition")
    await chat.press("调整目标值" if language == ZH else "Change the target")
    sent = await chat.send("180万")
    assert reply in sent[-1].text
    [goal] = await goals_of(engine, chat.id)
    assert goal.target_value == Decimal(1_800_000)
    [change] = await rows(engine, StrategyChange, user_id=chat.id)
    assert change.note == ("竞争对手降价了" if language == ZH else "a competitor cut prices")
    assert change.after["target_value"] == "1800000"


@pytest.mark.parametrize(
    ("language", "typed", "reply", "deadline"),
    [
        (ZH, "端午节前", "截止日期已改为 2027年6月8日。", date(2027, 6, 8)),
        ("en", "before Thanksgiving", "Deadline is now November 24, 2027.", date(2027, 11, 24)),
        ("en", "by Independence Day", "Deadline is now July 4, 2027.", date(2027, 7, 4)),
    ],
)
async def test_a_deadline_named_after_a_holiday_is_stated_back(
    make_chat: Callable[..., Chat], engine: AsyncEngine, clock: FakeClock, language: str, typed: str, reply: str,
    deadline: date,
) -> None:  # fmt: skip
    chat = await revenue_goal(make_chat, engine, clock, language)
    await chat.send("/change 客户需求变了" if language == ZH else "/change the client wants it later")
    await chat.press("🤝 客户需求变化" if language == ZH else "🤝 A client's needs changed")
    await chat.press("调整截止日期" if language == ZH else "Move the deadline")
    sent = await chat.send(typed)
    assert reply in sent[-1].text
    [goal] = await goals_of(engine, chat.id)
    assert goal.deadline == deadline
    [change] = await rows(engine, StrategyChange, user_id=chat.id)
    assert change.note == ("客户需求变了" if language == ZH else "the client wants it later")


# "明年" alone ------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("language", "typed", "question", "button"),
    [
        (ZH, "明年", "明年是一整年：具体到哪一天？", "明年底（2027年12月31日）"),
        (
            "en",
            "next year",
            "Next year is a whole year: by which day?",
            "End of next year (December 31, 2027)",
        ),
    ],
)
async def test_next_year_alone_asks_which_day_and_offers_its_end(
    make_chat: Callable[..., Chat], engine: AsyncEngine, language: str, typed: str, question: str, button: str
) -> None:
    chat = chat_in(make_chat, language)
    await wizard_at(chat, language, "deadline")
    sent = await chat.send(typed)
    assert question in sent[0].text
    assert labels(sent[-1])[0] == button
    state = await dialog_of(engine, chat)
    assert (state.step, state.data["deadline"]) == ("deadline", None), "nothing assumed"
    await chat.press(button)
    state = await dialog_of(engine, chat)
    assert (state.step, state.data["deadline"]) == ("baseline", "2027-12-31")


# The wizard says what it understood ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("language", "lines"),
    [
        (ZH, ("目标：¥2,000,000。", "截止日期：2027年3月31日。", "以往数据：¥1,800,000。")),
        ("en", ("Target: $2,000,000.", "Deadline: March 31, 2027.", "Earlier figure: $1,800,000.")),
    ],
)
async def test_the_wizard_confirms_target_deadline_and_baseline_in_one_line_each(
    make_chat: Callable[..., Chat], engine: AsyncEngine, language: str, lines: tuple[str, str, str]
) -> None:
    chat = chat_in(make_chat, language)
    await wizard_at(chat, language, "target")
    for answer, line in zip(("200万", "2027-03-31", "180万"), lines, strict=True):
        sent = await chat.send(answer)
        assert sent[0].text == line
    state = await dialog_of(engine, chat)
    assert (state.data["target_value"], state.data["deadline"], state.data["baseline"]) == (
        "2000000", "2027-03-31", "1800000",
    )  # fmt: skip


@pytest.mark.parametrize(
    ("language", "description", "target", "deadline"),
    [
        (ZH, "下季度把华东区销售额做到200万", "¥2,000,000", "下季度（2027年3月31日）"),
        ("en", "Sell 2M of ERP upgrades to hospitals in East China next quarter", "$2,000,000",
         "next quarter (March 31, 2027)"),
    ],
)  # fmt: skip
async def test_a_description_with_an_amount_and_a_period_offers_them(
    make_chat: Callable[..., Chat],
    engine: AsyncEngine,
    language: str,
    description: str,
    target: str,
    deadline: str,
) -> None:
    chat = chat_in(make_chat, language)
    await onboard(chat, language)
    await chat.send("/newgoal")
    await chat.press("💰 Revenue" if language == "en" else "💰 销售额")
    sent = await chat.send(description)
    assert labels(sent[-1])[0] == target
    sent = await chat.press(target)
    assert labels(sent[-1])[0] == deadline
    await chat.press(deadline)
    state = await dialog_of(engine, chat)
    assert (state.step, state.data["target_value"], state.data["deadline"]) == (
        "baseline",
        "2000000",
        "2027-03-31",
    )
