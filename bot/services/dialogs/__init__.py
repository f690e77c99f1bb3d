"""The dialog engine and what flows are declared with; state lives in the database (`dialog_states`)."""

from bot.services.dialogs.answers import answers_from_data, answers_to_data
from bot.services.dialogs.engine import DialogEngine
from bot.services.dialogs.flow import (
    FINISH,
    FOLLOWING,
    ButtonRows,
    ChoiceRows,
    Flow,
    NoAnswers,
    Question,
    Route,
    Step,
)

__all__ = [
    "FINISH",
    "FOLLOWING",
    "ButtonRows",
    "ChoiceRows",
    "DialogEngine",
    "Flow",
    "NoAnswers",
    "Question",
    "Route",
    "Step",
    "answers_from_data",
    "answers_to_data",
]
