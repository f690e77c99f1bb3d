"""The README's example flow (example_flow.py) through real updates and the real dialog engine."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

import pytest
from sqlalchemy.ext.asyncio import AsyncEngine
from telegram import Update
from telegram.ext import ApplicationHandlerStop, CommandHandler

from bot.services.container import Services, build_services
from bot.services.dialogs import DialogEngine, answers_from_data, answers_to_data
from bot.settings import Settings
from bot.storage.models import DialogState
from bot.telegram.context import BotApplication, BotContext
from bot.telegram.turns import user_turn
from tests.auxil.chat import Chat, labels
from tests.auxil.clock import FakeClock
from tests.auxil.database import fetch
from tests.telegram.example_flow import DebriefAnswers, debrief_flow, start_debrief


@pytest.fixture
def services(settings: Settings, clock: FakeClock, engine: AsyncEngine) -> Services:
    """The bot's services with the example flow registered beside the real ones."""
    built = build_services(settings, clock, engine=engine)
    built.dialogs = DialogEngine([*built.dialogs.flows.values(), debrief_flow])
    return built


async def debrief(update: Update, context: BotContext) -> None:
    async with user_turn(update, context) as turn:
        messages = await start_debrief(turn)
        turn.reply(messages)
    raise ApplicationHandlerStop


@pytest.fixture
def chat(app: BotApplication, make_chat: Callable[..., Chat]) -> Chat:
    app.add_handler(CommandHandler("debrief", debrief), group=-1)
    return make_chat()


async def test_three_questions_then_the_finish(chat: Chat, engine: AsyncEngine) -> None:
    [asked] = await chat.send("/debrief")
    assert asked.text == "Which client did you visit?" and labels(asked) == ["✖ Cancel"]
    [asked] = await chat.send("Huaxia Hospital")
    assert asked.text == "How did it go?"
    assert labels(asked) == ["👍 Promising", "🤔 Unclear", "👎 Lost", "⬅ Back", "✖ Cancel"]
    dialog = await fetch(engine, DialogState, chat.id)
    assert isinstance(dialog, DialogState) and dialog.step == "outcome"
    assert dialog.data == {"client": "Huaxia Hospital", "outcome": "", "follow_up": None}
    [asked] = await chat.press("👍 Promising")
    assert asked.text == "When do you follow up?"
    rejected, again = await chat.send("yesterday")
    assert rejected.text == "A day after today, please, e.g. next Friday or 2027-03-31."
    assert again.text == "When do you follow up?"
    [done] = await chat.send("2027-03-31")
    assert done.text.startswith("Noted: Huaxia Hospital, 👍 Promising. Follow-up: ")
    assert await fetch(engine, DialogState, chat.id) is None


async def test_a_lost_visit_skips_the_follow_up(chat: Chat, engine: AsyncEngine) -> None:
    await chat.send("/debrief")
    await chat.send("Huaxia Hospital")
    [done] = await chat.press("👎 Lost")
    assert done.text == "Noted: Huaxia Hospital, 👎 Lost. Follow-up: none."
    assert await fetch(engine, DialogState, chat.id) is None


async def test_back_returns_to_the_previous_question_with_its_answer_kept(
    chat: Chat, engine: AsyncEngine
) -> None:
    await chat.send("/debrief")
    await chat.send("Huaxia Hospital")
    [asked] = await chat.press("⬅ Back")
    assert asked.text == "Which client did you visit?"
    dialog = await fetch(engine, DialogState, chat.id)
    assert isinstance(dialog, DialogState) and (dialog.step, dialog.data["client"]) == (
        "client",
        "Huaxia Hospital",
    )


def test_answers_round_trip_through_json() -> None:
    answers = DebriefAnswers(client="Huaxia Hospital", outcome="unclear", follow_up=date(2027, 3, 31))
    data = answers_to_data(answers)
    assert data == {"client": "Huaxia Hospital", "outcome": "unclear", "follow_up": "2027-03-31"}
    assert answers_from_data(DebriefAnswers, {**data, "renamed_long_ago": 1}) == answers
