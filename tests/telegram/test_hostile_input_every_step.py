"""Issue 12, item 6, at every step: control characters in every typed text, a text longer than any column
before every step, a 64-bit user id, and forged or oversized ids pressed between the steps, through each
conversation the bot has.

Each script runs twice, for a clean user and for a hostile one, on the same database (SQLite, and
PostgreSQL in CI, which refuses a NUL in a text column and an integer over int32 in an int column where
SQLite would not). The hostile user must be told exactly what the clean one is told, end with the same
rows, and every forged press between two steps must be refused as an old button with nothing stored,
half or whole.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from sqlalchemy import String, func, select
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession

from bot.core.dialog import MAX_ANSWER_LENGTH
from bot.devtools.fake_bot_api import SentCall
from bot.storage.message_models import InboxUpdate
from bot.storage.models import Base, User
from bot.telegram.context import BotApplication
from tests.auxil.chat import Chat
from tests.auxil.clock import FakeClock
from tests.auxil.goals import insert_goal
from tests.conftest import DEFAULT_NOW
from tests.telegram.test_input_hygiene import assert_nothing_unsafe_stored
from tests.telegram.test_reviews import FRIDAY_18_SHANGHAI, dispatcher

Step = tuple[str, str]  # ("send" | "press" | "edit", text), or ("tick", "") for the review dispatcher
ONBOARDING: list[Step] = [
    ("send", "/start"),
    ("press", "English"),
    ("send", "UTC+8"),
    ("press", "✔ Keep them"),
]
SCRIPTS: dict[str, list[Step]] = {
    "goal wizard": [
        ("send", "/newgoal"), ("press", "💰 Revenue"),
        ("send", "Sell the ERP upgrade to hospital clients in East China"), ("send", "50万"),
        ("send", "end of Q1 2027"), ("send", "40万"), ("send", "5万"), ("press", "8"),
        ("send", "Company target: +30% revenue this year"), ("press", "💾 Save"),
    ],
    "settings": [
        ("send", "/settings"), ("press", "Daily review"), ("send", "19:15"),
        ("send", "/settings"), ("press", "Quiet hours"), ("send", "21:30-07:00"),
        ("send", "/settings"), ("press", "Weekly evaluation"), ("send", "Monday 9am"),
    ],
    "lost": [
        ("send", "/lost"), ("send", "Lost the Acme deal to a cheaper bid"),
        ("send", "We talked price before value"), ("send", "Open with the ROI case study"),
    ],
    "change": [
        ("send", "/change competitor cut prices by 15%"), ("press", "⚔️ Competition"),
        ("press", "Keep the target, change tactics"), ("send", "Bundle training with the licence"),
    ],
    "reward": [("send", "/reward"), ("send", "100k"), ("send", "end of next month"),
               ("send", "A weekend in Hangzhou")],
    "vacation": [("send", "/vacation 2026-12-24 to 2026-12-28"), ("send", "/plan")],
    "log, edit, undo": [
        ("send", "/log 3 visits, 12 calls, 1 deal 50k"), ("edit", "/log 4 visits, 12 calls, 1 deal 60k"),
        ("send", "/progress"), ("send", "/undo"), ("edit", "/log 5 visits"),
    ],
    "results typed as text": [
        ("send", "3 visits, 1 deal 50k"), ("press", "✔ Record"), ("edit", "4 visits, 1 deal 50k"),
    ],
    "daily review": [
        ("tick", ""), ("press", "✍️ Answer now"), ("send", "3 visits, 12 calls, 1 deal 50k"),
        ("press", "✔ Correct"), ("send", "Closed the Hangzhou hospital deal"), ("press", "Skip"),
        ("send", "Call back the two leads before 10:00"), ("edit", "Call back everyone"),
    ],
}  # fmt: skip
# Pressed between every two steps: ids no row can have (over int32, zero), in each button family.
FORGED = ["d:2147483648:<back>", "g:open:9999999999", "r:answer:2147483648", "c:change:9223372036854775808"]
OLD_BUTTON = "That button is from an old message and no longer does anything."
OVERSIZED = "长" * (MAX_ANSWER_LENGTH - 1)
HOSTILE_ID = 2**52 + 7  # Telegram's user ids are 64-bit; this one is past int32 and float-exact doubles' edge


def hostile(text: str) -> str:
    """`text` with control characters around it and beside every space (commands keep their leading /)."""
    salted = text.replace(" ", " \x00\x1b")
    return salted + "\x07\x00" if text.startswith("/") else "\x00\ud800\x85" + salted + "\x7f\x00"


def normalised(row: dict[str, Any]) -> dict[str, Any]:
    """A row without what differs between two users by design: ids, batches, nudge keys, and the goal ids
    inside the results' audit (its figures stay)."""
    dropped = {"id", "batch", "key", "data", "last_update_id", "last_seen_at", "username", "first_name"}
    kept = {k: v for k, v in row.items() if k not in dropped and not k.endswith("_id")}
    for key in ("old_value", "new_value"):
        if isinstance(kept.get(key), str) and kept[key].startswith("{"):
            audit = json.loads(kept[key])
            if isinstance(audit, dict) and isinstance(audit.get("goals"), dict):
                kept[key] = {**audit, "goals": sorted(audit["goals"].values())}
    return kept


def as_telegram_has_it(call: SentCall) -> SentCall:
    """The message as Telegram hands it back: a keyboard the bot took away is no reply_markup at all (the
    in-memory API keeps an empty one, which PTB's to_dict/de_json round trip in clean_update cannot read)."""
    result = {key: value for key, value in call.result.items() if key != "reply_markup"}
    return SentCall(call.method, call.params, call.files, result)


async def stored_rows(engine: AsyncEngine, user_id: int) -> dict[str, list[dict[str, Any]]]:
    """Every row of the user in every table, in id order; not the inbox, which keeps each update as it came
    (a forged press is an update too; that it is stored and done is the inbox tests' concern)."""
    found: dict[str, list[dict[str, Any]]] = {}
    async with AsyncSession(engine) as session:
        for table in Base.metadata.sorted_tables:
            if table.name == InboxUpdate.__tablename__:
                continue
            key = table.c.get("user_id")
            if key is None:
                key = table.c["id"] if table.name == User.__tablename__ else None
            if key is None:
                continue
            order = table.c.get("id", key)
            result = await session.execute(select(table).where(key == user_id).order_by(order))
            found[table.name] = [dict(row._mapping) for row in result]
    return found


async def run(chat: Chat, steps: list[Step], app: BotApplication, clock: FakeClock, *, attack: bool,
              engine: AsyncEngine) -> list[str]:  # fmt: skip
    """What the bot said to each step; with `attack`, every text salted and forged presses in between."""
    said: list[str] = []
    previous = ""
    typed_message: dict[str, Any] = {}  # the user's last step message (the one an "edit" step edits)
    for action, text in steps:
        # Text typed under a fresh review prompt answers it: the probe would open the review itself.
        if attack and action in ("send", "press") and previous != "tick":
            # Longer than any text column, shorter than what a dialog refuses outright: each step's own
            # limit must turn it away (a clear reply, nothing stored), as PostgreSQL would refuse to store it.
            probe = await chat.send(OVERSIZED)
            assert probe and not [call for call in probe if "Sorry, something went wrong" in call.text]
        previous = action
        typed = hostile(text) if attack else text
        if action == "send":
            sent = await chat.send(typed)
            typed_message = chat.messages[-1]
        elif action == "edit":
            sent = await chat.edit(typed, typed_message)
        elif action == "press":
            sent = await chat.press(text)
        else:
            clock.set(FRIDAY_18_SHANGHAI)
            await dispatcher(app).tick()
            sent = chat.api.sent_to(chat.id)[-1:]
        said += [call.text for call in sent]
        if attack:
            before = await stored_rows(engine, chat.id)
            # Pressed on the bot's first message: the press retires that message's keyboard, not the question's.
            first = as_telegram_has_it(chat.api.sent_to(chat.id)[0])
            for data in FORGED:
                [refused] = await chat.press_data(data, on=first)
                assert refused.text == OLD_BUTTON, (data, refused.text)
            after = await stored_rows(engine, chat.id)
            # Each press is an update of its own: only the user's last handled update id (if kept) and when
            # they were last seen (at most hourly, for /admin's active users) move.
            for rows_now in (before, after):
                rows_now["users"][0].pop("last_update_id", None)
                rows_now["users"][0].pop("last_seen_at", None)
            assert after == before, f"a forged press after {action} {text!r} changed what is stored"
    return said


@pytest.mark.parametrize("script", list(SCRIPTS))
async def test_a_hostile_user_is_told_and_stored_exactly_what_a_clean_one_is(
    app: BotApplication, make_chat: Callable[..., Chat], engine: AsyncEngine, clock: FakeClock, script: str
) -> None:
    replies, stored = [], []
    for attack in (False, True):
        clock.set(DEFAULT_NOW)
        if attack:
            chat = make_chat(user_id=HOSTILE_ID, first_name="L\x00i\x07", username="li\x00lei",
                             language_code="en\x00")  # fmt: skip
        else:
            chat = make_chat(first_name="Li", username="lilei", language_code="en")
        said = await run(chat, ONBOARDING, app, clock, attack=attack, engine=engine)
        await insert_goal(engine, chat.id, clock(), metric="revenue", kind="currency", unit="CNY",
                          target_value=Decimal(1_200_000), start_date=date(2026, 11, 1),
                          deadline=date(2027, 3, 31))  # fmt: skip
        said += await run(chat, SCRIPTS[script], app, clock, attack=attack, engine=engine)
        assert not [text for text in said if "Sorry, something went wrong" in text], said
        replies.append(said)
        stored.append(
            {t: [normalised(r) for r in rs] for t, rs in (await stored_rows(engine, chat.id)).items()}
        )
    clean, attacked = replies
    assert attacked == clean
    assert stored[1] == stored[0]
    [user] = (await stored_rows(engine, HOSTILE_ID))["users"]
    assert (user["first_name"], user["username"], user["telegram_language"]) == ("Li", "lilei", "en")
    await assert_nothing_unsafe_stored(engine)
    await assert_every_text_fits_its_column(engine)


async def assert_every_text_fits_its_column(engine: AsyncEngine) -> None:
    """What PostgreSQL enforces and SQLite does not: no stored text longer than its column."""
    async with AsyncSession(engine) as session:
        for table in Base.metadata.sorted_tables:
            bounded = [c for c in table.columns if isinstance(c.type, String) and c.type.length]
            for column in bounded:
                longest = await session.scalar(select(func.max(func.length(column))))
                assert (longest or 0) <= column.type.length, (
                    f"{table.name}.{column.name}: {longest} characters"
                )
