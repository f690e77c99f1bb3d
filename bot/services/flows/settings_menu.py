"""/settings: pick one setting, change it, see the result."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace

from bot.core.dialog import Answer, Button, Outgoing, Reject
from bot.i18n import N_
from bot.services.dialogs import FINISH, ButtonRows, Flow, Question
from bot.services.dialogs.parsing import in_rows
from bot.services.flows.profile_steps import (
    COUNTRY,
    DAILY_TIME,
    LANGUAGE,
    MONTHLY_TIME,
    NUDGES,
    QUIET_HOURS,
    TIMEZONE,
    WEEKLY,
    WORKING_DAYS,
)
from bot.services.profile_summary import settings_text
from bot.services.scheduling import sync_schedules
from bot.services.turn import Turn

SETTINGS = "settings"
MENU_ITEMS = (
    ("language", N_("Language")),
    ("timezone", N_("Time zone")),
    ("working_days", N_("Working days")),
    ("country", N_("Public holidays")),
    ("daily_time", N_("Daily review")),
    ("weekly", N_("Weekly evaluation")),
    ("monthly_time", N_("Monthly summary")),
    ("quiet_hours", N_("Quiet hours")),
    ("nudges", N_("Coaching messages")),
)


@dataclass
class SettingsAnswers:
    """The setting being changed; its new value is stored on the user."""

    menu: str | None = None


def menu_text(turn: Turn, answers: object) -> str:
    _ = turn._
    return _(
        "Your settings:\n{settings}\n\nWhat would you like to change?", settings=settings_text(turn.user, _)
    )


def menu_buttons(turn: Turn, answers: object) -> ButtonRows:
    return in_rows([Button(turn._(label), value) for value, label in MENU_ITEMS], 2)


def parse_menu(answer: Answer, turn: Turn, answers: object) -> str:
    chosen = answer.choice or (answer.text or "").strip()
    by_label = {turn._(label).casefold(): value for value, label in MENU_ITEMS}
    value = chosen if chosen in dict(MENU_ITEMS) else by_label.get(chosen.casefold())
    if value is None:
        raise Reject(turn._("Please tap the setting you want to change."))
    return value


MENU = Question(
    name="menu",
    text=menu_text,
    buttons=menu_buttons,
    parser=parse_menu,
    next=lambda value, turn, answers: value,  # the chosen setting's own question
)


async def finish(turn: Turn, answers: SettingsAnswers) -> Sequence[Outgoing]:
    _ = turn._
    # Time zone, review times, working days, holidays and quiet hours all move the next prompts.
    await sync_schedules(turn)
    return [Outgoing(_("Saved. Your settings now:\n{settings}", settings=settings_text(turn.user, _)))]


def settings_flow() -> Flow[SettingsAnswers]:
    settings = (
        LANGUAGE,
        TIMEZONE,
        WORKING_DAYS,
        COUNTRY,
        DAILY_TIME,
        WEEKLY,
        MONTHLY_TIME,
        QUIET_HOURS,
        NUDGES,
    )
    return Flow(
        name=SETTINGS,
        answers=SettingsAnswers,
        # One setting per visit: each question finishes the dialog.
        steps=[MENU, *(replace(question, next=FINISH) for question in settings)],
        finish=finish,
        cancelled_message=N_("Settings closed. Nothing else was changed."),
    )


async def start_settings(turn: Turn) -> list[Outgoing]:
    return await turn.services.dialogs.start(turn, SETTINGS)
