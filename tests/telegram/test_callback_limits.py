"""Every keyboard the bot builds fits Telegram's 64 bytes of callback data, checked where keyboards are built."""

from __future__ import annotations

import pytest

from bot.core.dialog import BACK, CANCEL, Button, Outgoing
from bot.services.container import build_services
from bot.services.dialogs.flow import Question
from bot.services.flows.out_of_window_log import log_goal_value
from bot.settings import Settings
from bot.telegram.callbacks import (
    INTEGER_IDS,
    MAX_DIALOG_VALUE,
    GoalButton,
    PlanButton,
    ReviewButton,
    StartButton,
    change_callback,
    goal_callback,
    plan_callback,
    review_callback,
    start_callback,
    vacation_callback,
)
from bot.telegram.limits import MAX_CALLBACK_DATA_BYTES, LimitExceeded
from bot.telegram.render import keyboard, keyboard_rows

LARGEST = INTEGER_IDS[-1]  # the largest id any button carries (an Integer column)


def every_family_at_its_largest() -> list[str]:
    return [
        *(goal_callback(button, None if button is GoalButton.LIST else LARGEST) for button in GoalButton),
        *(plan_callback(button, None if button is PlanButton.BLOCKS else LARGEST) for button in PlanButton),
        *(review_callback(button, LARGEST) for button in ReviewButton),
        vacation_callback(LARGEST),
        change_callback(LARGEST),
        *(start_callback(button) for button in StartButton),
    ]


def test_every_button_family_fits_with_the_largest_ids() -> None:
    datas = every_family_at_its_largest()
    message = Outgoing("Buttons", tuple((Button(data, data),) for data in datas))
    markup = keyboard(message)
    assert markup is not None
    built = [button.callback_data for row in markup.inline_keyboard for button in row]
    assert built == datas
    assert max(len(str(data).encode()) for data in built) <= MAX_CALLBACK_DATA_BYTES


def test_dialog_buttons_fit_at_the_largest_version() -> None:
    values = [BACK, CANCEL, log_goal_value(LARGEST), log_goal_value(None), "x" * MAX_DIALOG_VALUE]
    rows = keyboard_rows(Outgoing("Q", (tuple(Button(v, v) for v in values),), dialog_version=LARGEST))
    assert rows is not None and all(len(data.encode()) <= MAX_CALLBACK_DATA_BYTES for _, data in rows[0])


def test_every_declared_dialog_button_fits_at_the_largest_version(settings: Settings) -> None:
    """The static buttons of every flow's questions, as the engine stamps them with the dialog's version."""
    engine = build_services(settings).dialogs
    buttons = [
        Button(label, value)
        for flow in engine.flows.values()
        for step in flow.steps
        if isinstance(step, Question) and not callable(step.buttons)
        for row in step.buttons
        for label, value in row
    ]
    assert buttons, "the flows declare buttons"
    rows = keyboard_rows(Outgoing("Q", tuple((button,) for button in buttons), dialog_version=LARGEST))
    assert rows is not None and len(rows) == len(buttons)


def test_a_keyboard_with_data_over_64_bytes_is_refused_where_it_is_built() -> None:
    with pytest.raises(LimitExceeded):
        keyboard(Outgoing("Q", ((Button("Too long", "g:open:" + "9" * 60),),)))
    with pytest.raises(LimitExceeded):
        keyboard(Outgoing("Q", ((Button("签单", "签" * 22),),)))  # 66 bytes in UTF-8
    with pytest.raises(ValueError, match="1 to 50 characters"):
        keyboard(Outgoing("Q", ((Button("Too long", "x" * 51),),), dialog_version=1))
