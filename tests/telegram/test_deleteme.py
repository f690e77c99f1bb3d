"""/deleteme through real updates, in English and Chinese: the confirmation names what will go, the press
deletes every row of the person (every table of the metadata is walked), a manager hands over first."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal

import pytest
from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.storage.message_models import OutboxMessage
from bot.storage.models import User
from bot.storage.repositories.user_data import erasure_plan
from bot.storage.team_models import Team, TeamMember
from tests.auxil.chat import Chat, texts
from tests.auxil.clock import FakeClock
from tests.auxil.database import rows
from tests.auxil.goals import insert_entries, insert_goal
from tests.auxil.teams import insert_team

MANAGER, MEMBER = 610_001, 610_002
LANGUAGE_CODES = {"en": "en", "zh": "zh-hans"}
WORDS = {
    "en": {
        "intro": "This deletes everything I keep about you, at once and for good:",
        "items": ["• 1 goal", "• 3 recorded results", "• 0 reviews", "• 1 team membership"],
        "delete": "🗑 Delete everything",
        "keep": "Keep my data",
        "kept": "Nothing was deleted. Your data stays as it is.",
        "done": "Done: everything I kept about you is deleted. Goodbye, and good luck with your sales! /start begins anew.",
        "manager": "You manage East China KA. Hand each team over or archive it in /team first, then /deleteme again.",
        "old": "That confirmation is too old: nothing was deleted. Send /deleteme again.",
    },
    "zh": {
        "intro": "这会立即、永久删除我保存的你的全部数据：",
        "items": ["• 1 个目标", "• 3 条业绩记录", "• 0 次回顾", "• 1 个团队成员身份"],
        "delete": "🗑 全部删除",
        "keep": "保留我的数据",
        "kept": "什么都没有删除，你的数据保持不变。",
        "done": "完成：我保存的你的全部数据都已删除。再见，祝你业绩长红！发送 /start 可以重新开始。",
        "manager": "你是 East China KA 的经理。请先在 /team 中把每个团队移交或归档，然后再发送 /deleteme。",
        "old": "这个确认已经过期：什么都没有删除。请重新发送 /deleteme。",
    },
}


async def rows_naming(engine: AsyncEngine, person: int) -> dict[str, list[object]]:
    """Every row of every table whose person columns (the erasure's plan, from the metadata) name `person`."""
    found: dict[str, list[object]] = {}
    plan = erasure_plan()
    async with engine.connect() as connection:
        for column in (*plan.owned, *plan.team_authored, *plan.others_authored):
            hits = (await connection.execute(select(column.table).where(column == person))).all()
            if hits:
                found.setdefault(f"{column.table.name}.{column.name}", []).extend(hits)
    return found


async def a_member_with_data(
    engine: AsyncEngine, clock: FakeClock, make_chat: Callable[..., Chat], language: str
) -> Chat:
    now = clock()
    await insert_team(engine, MANAGER, (MEMBER,), now)
    async with engine.begin() as connection:  # insert_team makes them English speakers
        await connection.execute(update(User).values(language="en" if language == "en" else "zh_CN"))
    goal = await insert_goal(engine, MEMBER, now)
    await insert_entries(
        engine, MEMBER, goal, {now.date(): Decimal(3), now.date().replace(day=26): Decimal(2)}, now
    )
    return make_chat(language_code=LANGUAGE_CODES[language], user_id=MEMBER)


@pytest.mark.parametrize("language", ["en", "zh"])
async def test_the_confirmation_names_what_goes_and_the_press_deletes_every_row_of_the_person(
    make_chat: Callable[..., Chat], engine: AsyncEngine, clock: FakeClock, language: str
) -> None:
    w = WORDS[language]
    member = await a_member_with_data(engine, clock, make_chat, language)
    await member.send("/goals")  # a turn of theirs: inbox and outbox rows too
    await member.send("/log 4 calls")  # an activity: counted with the results the confirmation names
    assert await rows_naming(engine, MEMBER)
    manager_rows_before = await rows_naming(engine, MANAGER)

    confirmation = (await member.send("/deleteme"))[-1]
    lines = confirmation.text.splitlines()
    assert lines[0] == w["intro"]
    assert all(item in lines for item in w["items"])
    assert [b["text"] for row in confirmation.buttons for b in row] == [w["delete"], w["keep"]]

    assert texts(await member.press(w["delete"], on=confirmation)) == w["done"]
    left = await rows_naming(engine, MEMBER)
    # The farewell itself is the one row: recorded after the erasure, it is how the person is told.
    farewell = [row for row in await rows(engine, OutboxMessage) if row.chat_id == MEMBER]
    assert [row.text for row in farewell] == [w["done"]]
    assert set(left) == {"outbox.chat_id"} and len(left["outbox.chat_id"]) == 1
    assert await rows_naming(engine, MANAGER) == manager_rows_before, "the manager's rows are untouched"
    (team,) = await rows(engine, Team)
    assert [seat.user_id for seat in await rows(engine, TeamMember)] == [MANAGER]
    assert team.created_by == MANAGER


@pytest.mark.parametrize("language", ["en", "zh"])
async def test_a_manager_hands_over_first_and_keep_or_an_old_confirmation_deletes_nothing(
    make_chat: Callable[..., Chat], engine: AsyncEngine, clock: FakeClock, language: str
) -> None:
    w = WORDS[language]
    member = await a_member_with_data(engine, clock, make_chat, language)
    manager = make_chat(language_code=LANGUAGE_CODES[language], user_id=MANAGER)
    assert texts(await manager.send("/deleteme")) == w["manager"]

    confirmation = (await member.send("/deleteme"))[-1]
    assert texts(await member.press(w["keep"], on=confirmation)) == w["kept"]
    clock.advance(minutes=11)
    assert texts(await member.press(w["delete"], on=confirmation)) == w["old"]
    assert len(await rows(engine, TeamMember)) == 2
    left = await rows_naming(engine, MEMBER)
    assert {"goals.user_id", "entries.user_id", "team_members.user_id", "users.id"} <= set(left)
