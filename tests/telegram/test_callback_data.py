"""Callback data: every family encodes and decodes through one module, ids inside the database's range.

A forged or out-of-range id is an old button: refused before any query (PostgreSQL would reject an integer
over 2**31-1 with an error rather than find nothing) and nothing changes.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.telegram.callbacks import (
    INTEGER_IDS,
    ChangePress,
    DialogPress,
    GoalButton,
    GoalPress,
    PlanButton,
    PlanPress,
    ReviewButton,
    ReviewPress,
    VacationPress,
    change_callback,
    dialog_callback,
    goal_callback,
    parse_change_callback,
    parse_dialog_callback,
    parse_goal_callback,
    parse_plan_callback,
    parse_review_callback,
    parse_vacation_callback,
    plan_callback,
    review_callback,
    vacation_callback,
)
from bot.telegram.limits import MAX_CALLBACK_DATA_BYTES
from tests.auxil.chat import Chat
from tests.auxil.clock import FakeClock
from tests.auxil.database import snapshot
from tests.auxil.goals import insert_goal, onboard

LARGEST = INTEGER_IDS[-1]  # 2**31 - 1


def test_every_family_round_trips_at_the_edges_of_the_id_range() -> None:
    for row_id in (1, LARGEST):
        assert parse_dialog_callback(dialog_callback(row_id, "zh_CN")) == DialogPress(row_id, "zh_CN")
        for goal_button in set(GoalButton) - {GoalButton.LIST}:
            assert parse_goal_callback(goal_callback(goal_button, row_id)) == GoalPress(goal_button, row_id)
        for plan_button in set(PlanButton) - {PlanButton.BLOCKS}:
            assert parse_plan_callback(plan_callback(plan_button, row_id)) == PlanPress(plan_button, row_id)
        for review_button in ReviewButton:
            data = review_callback(review_button, row_id)
            assert parse_review_callback(data) == ReviewPress(review_button, row_id)
        assert parse_vacation_callback(vacation_callback(row_id)) == VacationPress(row_id)
        assert parse_change_callback(change_callback(row_id)) == ChangePress(row_id)
    assert parse_goal_callback(goal_callback(GoalButton.LIST)) == GoalPress(GoalButton.LIST, None)
    assert parse_plan_callback(plan_callback(PlanButton.BLOCKS)) == PlanPress(PlanButton.BLOCKS, None)


def test_buttons_already_in_chats_keep_working() -> None:
    """The data written before this module: the same strings decode to the same presses."""
    assert goal_callback(GoalButton.LIST) == "g:list:0"
    assert plan_callback(PlanButton.BLOCKS) == "p:blocks:0"
    assert review_callback(ReviewButton.SNOOZE_30_MINUTES, 7) == "r:30m:7"
    assert goal_callback(GoalButton.DELETE_CONFIRMED, 3) == "g:delete!:3"
    assert change_callback(5) == "c:change:5" and vacation_callback(2) == "v:del:2"
    assert dialog_callback(4, "en") == "d:4:en"


@pytest.mark.parametrize(
    "data",
    ["g:open:9999999999", "g:open:0", "g:open:2147483648", "g:open:-1", "g:open:01", "g:list:1", "g:open:1 ",
     "p:split:0", "p:blocks:3", "p:split:99999999999999999999", "v:del:-1", "v:del:0", "v:del:2147483648",
     "r:skip:0", "r:snooze:1", "r:answer:2147483648", "c:change:0", "c:change:1:2", "d:0:en", "d:2147483648:en",
     "x:open:1", "", None],
)  # fmt: skip
def test_forged_data_decodes_to_nothing(data: str | None) -> None:
    parsers = (parse_dialog_callback, parse_goal_callback, parse_plan_callback, parse_vacation_callback,
               parse_review_callback, parse_change_callback)  # fmt: skip
    assert [parser(data) for parser in parsers] == [None] * len(parsers)


def test_encoding_refuses_what_could_not_come_back() -> None:
    with pytest.raises(ValueError, match="64 bytes"):
        dialog_callback(1, "长" * 21)  # 63 bytes of value
    assert len(dialog_callback(LARGEST, "x" * 50).encode()) <= MAX_CALLBACK_DATA_BYTES
    for bad_id in (0, -1, LARGEST + 1):
        with pytest.raises(ValueError, match="range"):
            goal_callback(GoalButton.OPEN, bad_id)
        with pytest.raises(ValueError, match="range"):
            vacation_callback(bad_id)
    with pytest.raises(ValueError, match="1 to 50 characters"):
        dialog_callback(1, "x" * 51)
    with pytest.raises(ValueError, match="names no row"):
        goal_callback(GoalButton.LIST, 1)


@pytest.mark.parametrize(
    "data",
    ["g:open:9999999999", "g:open:0", "g:pause:2147483648", "p:split:9999999999", "p:funnel:0", "v:del:-1",
     "v:del:9999999999", "r:skip:9999999999", "r:answer:0", "c:change:9999999999", "c:change:0"],
)  # fmt: skip
async def test_out_of_range_ids_get_the_old_button_reply_and_change_nothing(
    make_chat: Callable[..., Chat], engine: AsyncEngine, clock: FakeClock, data: str
) -> None:
    chat = make_chat()
    await onboard(chat)
    await insert_goal(engine, chat.id, clock())
    before = await snapshot(engine, chat.id)
    sent = await chat.press_data(data, on=chat.api.last_sent_to(chat.id))
    assert "That button is from an old message and no longer does anything." in sent[-1].text
    assert await snapshot(engine, chat.id) == before


async def test_a_funnel_button_for_a_goal_without_a_funnel_is_an_old_button(
    make_chat: Callable[..., Chat], engine: AsyncEngine, clock: FakeClock
) -> None:
    chat = make_chat()
    await onboard(chat)
    # Calls are not worked back through a funnel: the plan card offers no "deal size & rates" button.
    goal_id = await insert_goal(engine, chat.id, clock(), metric="calls")
    before = await snapshot(engine, chat.id)
    sent = await chat.press_data(plan_callback(PlanButton.FUNNEL, goal_id), on=chat.api.last_sent_to(chat.id))
    assert "That button is from an old message" in sent[-1].text
    assert await snapshot(engine, chat.id) == before
