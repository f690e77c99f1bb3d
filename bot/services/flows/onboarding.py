"""First contact: language, time zone and review times, then a summary."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from bot.core.dialog import Answer, Button, Outgoing, Reject
from bot.core.vocabulary import yes_no_choices
from bot.i18n import N_
from bot.services.dialogs import FINISH, ButtonRows, Flow, Question
from bot.services.dialogs.parsing import choice_of
from bot.services.flows.profile_steps import DAILY_TIME, LANGUAGE, MONTHLY_TIME, TIMEZONE, WEEKLY
from bot.services.profile_summary import settings_text
from bot.services.scheduling import sync_schedules
from bot.services.turn import Turn

ONBOARDING = "onboarding"
SCHEDULE_WORDS = yes_no_choices(yes="keep", no="change") | {
    "keep": "keep",
    "保持": "keep",
    "就用这些": "keep",
    "change": "change",
    "修改时间": "change",
    "改": "change",
    "修改": "change",
    "更改": "change",
}


@dataclass
class OnboardingAnswers:
    """Everything else is stored on the user as it is answered."""

    schedule: str | None = None  # "keep" the default review times or "change" them


def schedule_text(turn: Turn, answers: object) -> str:
    _ = turn._
    return _(
        "Here is how I would check in with you:\n{settings}\n\nKeep these times?",
        settings=settings_text(turn.user, _),
    )


def schedule_buttons(turn: Turn, answers: object) -> ButtonRows:
    return ((Button(turn._("✔ Keep them"), "keep"), Button(turn._("Change times"), "change")),)


def parse_schedule(answer: Answer, turn: Turn, answers: object) -> str:
    return choice_of(
        answer, SCHEDULE_WORDS, lambda: Reject(turn._("Please tap “Keep them” or “Change times”."))
    )


# Show the default review times and let the user keep them in one tap.
SCHEDULE = Question(
    name="schedule",
    text=schedule_text,
    buttons=schedule_buttons,
    parser=parse_schedule,
    next=lambda value, turn, answers: FINISH if value == "keep" else "daily_time",
)


async def finish(turn: Turn, answers: OnboardingAnswers) -> Sequence[Outgoing]:
    turn.user.onboarded_at = turn.user.onboarded_at or turn.now
    await sync_schedules(turn)
    _ = turn._
    return [
        Outgoing(
            _(
                "All set, {name}! Next, set your first goal with /newgoal: it takes about two minutes.\n"
                "/settings changes your set-up any time; /help lists everything I can do.",
                name=turn.user.first_name or "👋",
            )
        )
    ]


def onboarding_flow() -> Flow[OnboardingAnswers]:
    return Flow(
        name=ONBOARDING,
        answers=OnboardingAnswers,
        steps=[LANGUAGE, TIMEZONE, SCHEDULE, DAILY_TIME, WEEKLY, MONTHLY_TIME],
        finish=finish,
        cancelled_message=N_(
            "Setup stopped. What you already answered is kept; /settings changes it any time."
        ),
    )


async def start_onboarding(turn: Turn, preface: Sequence[Outgoing] = ()) -> list[Outgoing]:
    """The first question of the set-up, after the `preface` (the greeting)."""
    return await turn.services.dialogs.start(turn, ONBOARDING, preface=preface)
