"""A button step's typed words (`choice_of`): the labels as shown, their words, and the ambiguous refused."""

from __future__ import annotations

import pytest

from bot.core.dialog import Answer, Reject
from bot.core.vocabulary import yes_no_choices
from bot.services.dialogs.parsing import choice_of
from bot.services.flows.goal_wizard import SAVE_OR_EDIT, USE_OR_KEEP
from bot.services.flows.onboarding import SCHEDULE_WORDS


def refused() -> Reject:
    return Reject("Please tap a button.")


@pytest.mark.parametrize(
    ("choices", "typed", "value"),
    [
        (SCHEDULE_WORDS, "Keep them", "keep"),
        (SCHEDULE_WORDS, "✔ Keep them", "keep"),
        (SCHEDULE_WORDS, "  change times. ", "change"),
        (SCHEDULE_WORDS, "就用这些", "keep"),
        (USE_OR_KEEP, "Use the milestone", "use"),
        (USE_OR_KEEP, "Keep my goal", "keep"),
        (USE_OR_KEEP, "保留原目标", "keep"),
        (SAVE_OR_EDIT, "💾 Save", "save"),
        (SAVE_OR_EDIT, "✏️ Edit a part", "edit"),
        (SAVE_OR_EDIT, "✏️ 修改某一项", "edit"),
    ],
)
def test_a_label_typed_as_shown_or_its_words_name_its_value(
    choices: dict[str, str], typed: str, value: str
) -> None:
    assert choice_of(Answer(text=typed), choices, refused) == value


@pytest.mark.parametrize("typed", ["no, keep them", "maybe", "", "✔", "keep or change"])
def test_words_that_name_two_values_or_none_are_refused(typed: str) -> None:
    with pytest.raises(Reject):
        choice_of(Answer(text=typed), SCHEDULE_WORDS, refused)


def test_a_pressed_button_wins_over_its_text() -> None:
    choices = yes_no_choices(yes="yes", no="no")
    assert choice_of(Answer(text="whatever", choice="no"), choices, refused) == "no"
