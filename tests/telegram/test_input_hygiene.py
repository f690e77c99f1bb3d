"""Input hygiene at the boundary: control characters never reach a handler or the database, profile texts
are cut to their columns, forged ids are refused before any query, amounts are read strictly.

PostgreSQL refuses a NUL in a text column (the save crashed, the wizard stuck at its summary); SQLite
stores it silently. So every test here also asserts that no stored text anywhere holds a control character.
"""

from __future__ import annotations

import copy
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession
from telegram import Update
from telegram.ext import ExtBot

from bot.storage.coaching_models import Setback
from bot.storage.models import Base, DialogState, User
from bot.telegram.callbacks import parse_dialog_callback
from bot.telegram.sanitize import (
    UNSAFE_CHARACTER,
    clean_data,
    clean_text,
    clean_update,
    is_unsafe,
    may_hold_unsafe_text,
)
from tests.auxil.chat import Chat, texts
from tests.auxil.clock import FakeClock
from tests.auxil.database import fetch, rows, snapshot
from tests.auxil.goals import goals_of, insert_goal, onboard

CONTROLS = "\x00\x01\x07\x0b\x0c\x1b\x7f\x85\ud800"  # NUL, bell, VT, FF, ESC, DEL, NEL, a lone surrogate


async def stored_texts(engine: AsyncEngine) -> list[str]:
    """Every text value in every table, JSON documents included (as their repr)."""
    found: list[str] = []
    async with AsyncSession(engine) as session:
        for table in Base.metadata.sorted_tables:
            for row in (await session.execute(select(table))).all():
                found.extend(value if isinstance(value, str) else repr(value) for value in row
                             if isinstance(value, (str, dict, list)))  # fmt: skip
    return found


async def assert_nothing_unsafe_stored(engine: AsyncEngine) -> None:
    for text in await stored_texts(engine):
        assert not any(is_unsafe(char) for char in text), f"a control character was stored: {text!r}"


# The cleaning itself -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "free_text", "clean"),
    [
        ("plain", True, "plain"),
        ("line one\nline\ttwo", True, "line one\nline\ttwo"),
        ("3\x0012 calls", True, "3 12 calls"),  # removal would make 312: a separator stays a separator
        ("gym \x00sessions", True, "gym sessions"),
        ("\x00\x00/start", True, "/start"),
        ("ends\x1b", True, "ends"),
        ("a\r\nb", True, "a\nb"),
        ("Li\x00\x07 Lei", False, "Li Lei"),
        ("Li\x00Lei", False, "LiLei"),
        ("zh-hans\x00", False, "zh-hans"),
        (CONTROLS, True, ""),
    ],
)
def test_control_characters_are_cleaned(raw: str, free_text: bool, clean: str) -> None:
    assert clean_text(raw, free_text=free_text)[0] == clean


def test_entities_stay_on_their_characters() -> None:
    message = {
        "text": "\x00/log 3\x00calls 🚀 #win",
        "entities": [
            {"type": "bot_command", "offset": 1, "length": 4},
            {"type": "hashtag", "offset": 17, "length": 4},  # after the emoji (two UTF-16 units)
        ],
        "from": {"first_name": "Li\x00", "username": "li\x07lei", "language_code": "en"},
    }
    cleaned, changed = clean_data({"update_id": 1, "message": message})
    assert changed
    text = cleaned["message"]["text"]
    assert text == "/log 3 calls 🚀 #win"
    command, hashtag = cleaned["message"]["entities"]
    assert (command["offset"], command["length"]) == (0, 4)
    utf16 = text.encode("utf-16-le")
    assert (
        utf16[2 * hashtag["offset"] : 2 * (hashtag["offset"] + hashtag["length"])].decode("utf-16-le")
        == "#win"
    )
    assert cleaned["message"]["from"] == {"first_name": "Li", "username": "lilei", "language_code": "en"}


def test_a_clean_update_is_not_copied() -> None:
    update = {"update_id": 1, "message": {"text": "fine", "from": {"first_name": "Li"}}}
    assert clean_data(update) == (update, False)


def test_the_one_search_finds_exactly_the_characters_cleaned() -> None:
    every_character = "".join(map(chr, range(0x110000)))
    found = {match.start() for match in UNSAFE_CHARACTER.finditer(every_character)}
    assert found == {code for code in range(0x110000) if is_unsafe(chr(code))}


# A message and a button press with a string in most places one can be (an unknown field included).
_USER = {"id": 7, "is_bot": False, "first_name": "Li", "username": "li", "language_code": "en"}
_CHAT = {"id": 7, "type": "private", "first_name": "Li", "title": "Sales"}
_SENT = {
    "message_id": 3,
    "date": 1764208800,
    "chat": _CHAT,
    "from": {"id": 1, "is_bot": True, "first_name": "Coach"},
    "text": "Pick one",
    "link_preview_options": {"url": "https://example.com/a"},
    "reply_markup": {
        "inline_keyboard": [[{"text": "A", "callback_data": "d:1:a"}, {"text": "B", "url": "https://x.y"}]]
    },
}
RICH_UPDATES = [
    {
        "update_id": 1,
        "message": {
            "message_id": 4,
            "date": 1764208800,
            "chat": _CHAT,
            "from": _USER,
            "text": "/log 3 visits #win",
            "entities": [
                {"type": "bot_command", "offset": 0, "length": 4},
                {"type": "hashtag", "offset": 14, "length": 4},
            ],
            "reply_to_message": {
                **{key: value for key, value in _SENT.items() if key != "text"},
                "caption": "a chart",
                "photo": [{"file_id": "f", "file_unique_id": "u", "width": 9, "height": 9}],
            },
            "location": {"latitude": 31.2, "longitude": 121.5},
            "a_future_field": {"note": "kept by PTB as api_kwargs"},
        },
    },
    {
        "update_id": 2,
        "callback_query": {"id": "9", "from": _USER, "chat_instance": "7", "message": _SENT, "data": "d:1:a"},
    },
]


def _string_paths(value: Any, path: tuple[Any, ...] = ()) -> Iterator[tuple[Any, ...]]:
    if isinstance(value, str):
        yield path
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from _string_paths(item, (*path, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _string_paths(item, (*path, index))


def _with_nul(data: dict[str, Any], path: tuple[Any, ...]) -> dict[str, Any]:
    changed = copy.deepcopy(data)
    place: Any = changed
    for step in path[:-1]:
        place = place[step]
    place[path[-1]] = "x\x00" + place[path[-1]]
    return changed


@pytest.mark.parametrize("data", RICH_UPDATES, ids=["message", "button press"])
def test_a_clean_update_is_passed_on_without_the_json_round_trip(data: dict[str, Any]) -> None:
    update = Update.de_json(copy.deepcopy(data), ExtBot("1:x"))
    assert update is not None
    assert not may_hold_unsafe_text(update)
    assert clean_update(update, ExtBot("1:x")) is update


@pytest.mark.parametrize("data", RICH_UPDATES, ids=["message", "button press"])
def test_a_control_character_in_any_string_of_an_update_is_found_and_cleaned(data: dict[str, Any]) -> None:
    bot = ExtBot("1:x")
    paths = list(_string_paths(data))
    assert len(paths) >= 16
    for path in paths:
        update = Update.de_json(_with_nul(data, path), bot)
        assert update is not None
        assert may_hold_unsafe_text(update), path
        cleaned = clean_update(update, bot)
        assert clean_data(cleaned.to_dict()) == (cleaned.to_dict(), False), path


# Through the application, in both languages ---------------------------------------------------------


@pytest.mark.parametrize("language", ["en", "zh"])
async def test_nul_in_a_custom_measure_and_a_description_is_cleaned_and_the_goal_saved(
    make_chat: Callable[..., Chat], engine: AsyncEngine, language: str
) -> None:
    chat = make_chat(language_code="en" if language == "en" else "zh-hans")
    await onboard(chat, language)
    await chat.send("/newgoal")
    await chat.press("✏️ My own measure" if language == "en" else "✏️ 自定义指标")
    await chat.send("gym\x00sessions, count" if language == "en" else "健身\x00次数, 次")
    await chat.send("Go to the gym\x00 before work to keep energy for client meetings\x00")
    await chat.send("40")
    await chat.send("end of February 2027")
    await chat.press("I have no such figure" if language == "en" else "没有这个数据")
    await chat.press("9")
    await chat.send("More energy means more client visits\x07 each afternoon")
    sent = await chat.press("💾 Save" if language == "en" else "💾 保存")

    [goal] = await goals_of(engine, chat.id)
    assert goal.metric_name == ("gym sessions" if language == "en" else "健身 次数"), texts(sent)
    assert goal.description == "Go to the gym before work to keep energy for client meetings"
    assert goal.relevance == "More energy means more client visits each afternoon"
    await assert_nothing_unsafe_stored(engine)


@pytest.mark.parametrize("language", ["en", "zh"])
async def test_nul_in_a_lost_answer_is_cleaned(
    make_chat: Callable[..., Chat], engine: AsyncEngine, clock: FakeClock, language: str
) -> None:
    chat = make_chat(language_code="en" if language == "en" else "zh-hans")
    await onboard(chat, language)
    await insert_goal(engine, chat.id, clock())
    await chat.send("/lost")
    await chat.send("Lost the\x00Acme deal\x00" if language == "en" else "客户\x00拒绝签单")
    await chat.send("We talked price\x1b before value")
    await chat.send("Open with the ROI case study\x00")
    [setback] = await rows(engine, Setback, user_id=chat.id)
    assert setback.summary == ("Lost the Acme deal" if language == "en" else "客户 拒绝签单")
    await assert_nothing_unsafe_stored(engine)


@pytest.mark.parametrize("language", ["en", "zh"])
async def test_a_first_name_with_nul_and_300_characters_is_cleaned_and_cut(
    make_chat: Callable[..., Chat], engine: AsyncEngine, language: str
) -> None:
    code = "en\x00" + "-x" * 20 if language == "en" else "zh-hans\x07"
    chat = make_chat(language_code=code, first_name="小\x00张" + "长" * 300, username="li\x00" + "u" * 100)
    sent = await chat.send("/start")
    assert ("Which language shall I use?" if language == "en" else "你希望我用哪种语言？") in texts(sent)
    user = await fetch(engine, User, chat.id)
    assert isinstance(user, User)
    assert user.first_name == ("小张" + "长" * 300)[:128]
    assert user.username == ("li" + "u" * 100)[:64]
    assert user.telegram_language == ("en" + "-x" * 20)[:16] if language == "en" else "zh-hans"
    # The same user again, same profile: nothing to refresh, no error from the longer-than-column values.
    await chat.send("/help")
    assert await fetch(engine, User, chat.id) is not None
    await assert_nothing_unsafe_stored(engine)


@pytest.mark.parametrize("language", ["en", "zh"])
@pytest.mark.parametrize("amount", ["1e-400", "alert(1)", "5e3", "<b>40</b>"])
async def test_exponents_and_wrapped_numbers_are_refused_at_the_target_step(
    make_chat: Callable[..., Chat], engine: AsyncEngine, language: str, amount: str
) -> None:
    chat = make_chat(language_code="en" if language == "en" else "zh-hans")
    await onboard(chat, language)
    await chat.send("/newgoal")
    await chat.press("🤝 Deals signed" if language == "en" else "🤝 签单")
    await chat.send("Sign three-year contracts with chain supermarkets in Jiangsu")
    before = await snapshot(engine, chat.id)
    sent = await chat.send(amount)
    assert await snapshot(engine, chat.id) == before, "a refused amount changed what is stored"
    dialog = await fetch(engine, DialogState, chat.id)
    assert isinstance(dialog, DialogState) and dialog.step == "target"
    assert ("number" in sent[-1].text) if language == "en" else ("数" in sent[-1].text), texts(sent)
    sent = await chat.send("12")
    assert (await fetch(engine, DialogState, chat.id)).step != "target"  # type: ignore[union-attr]


@pytest.mark.parametrize("data", ["d:9999999999:ok", "d:2147483648:ok", "d:0:ok", "d:01:ok", "d:-1:ok"])
def test_dialog_versions_outside_the_integer_range_are_forged(data: str) -> None:
    assert parse_dialog_callback(data) is None


def test_a_dialog_value_with_nul_is_cleaned_where_the_update_enters() -> None:
    update = {
        "update_id": 1,
        "callback_query": {"id": "1", "data": "d:1:a\x00b", "from": {"first_name": "Li"}},
    }
    assert clean_data(update)[0]["callback_query"]["data"] == "d:1:a b"
