"""What the three review dialogs share: their answers' base, the skippable reflection, saving the answers."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date

from bot.core.dialog import Answer
from bot.i18n import N_
from bot.services.dialogs import Question
from bot.services.dialogs.parsing import short_text
from bot.services.turn import Turn
from bot.storage.repositories.occurrences import OccurrenceRepository
from bot.storage.repositories.reviews import ReviewAnswerRepository

SKIP = "<skip>"
CANCELLED = N_("Review closed. What you answered so far is not saved; the prompt's buttons still work.")


@dataclass
class ReviewAnswers:
    day: date  # the day the review is about
    occurrence_id: int | None = None  # the prompt it answers, marked answered on save
    # The reflections and ratings, saved as the review's answers: {"went_well": "...", "rating": 4, ...}.
    answers: dict[str, str | int | None] = field(default_factory=dict)


@dataclass
class SummaryAnswers(ReviewAnswers):
    summary: str = ""  # the period's summary, made when the review starts and shown above its questions


def reflection(
    name: str, question: str, *, under_summary: bool = False
) -> Question[ReviewAnswers, str | None]:
    """A short free-text answer that may be skipped; `under_summary` shows it under the period's summary."""

    def text(turn: Turn, answers: ReviewAnswers) -> str:
        asked = turn._(question)
        return (
            answers.summary + "\n\n" + asked
            if under_summary and isinstance(answers, SummaryAnswers)
            else asked
        )

    def parse(answer: Answer, turn: Turn, answers: ReviewAnswers) -> str | None:
        if answer.choice == SKIP:
            return None
        return short_text(answer, turn, 500, turn._("A few words, please, or tap “Skip”."))

    return Question(
        name=name, text=text, buttons=(((N_("Skip"), SKIP),),), parser=parse, store=keep_in_answers(name)
    )


def keep_in_answers(name: str) -> Callable[[str | int | None, Turn, ReviewAnswers], None]:
    """The `store` of a review question: the value under `name` among the answers the review saves."""

    def store(value: str | int | None, turn: Turn, answers: ReviewAnswers) -> None:
        answers.answers = {**answers.answers, name: value}

    return store


async def save_answers(turn: Turn, answers: ReviewAnswers, kind: str) -> None:
    """The review's answers for its day (replacing earlier ones), and its prompt marked answered."""
    await ReviewAnswerRepository(turn.session).save(
        turn.user.id, kind, answers.day, dict(answers.answers), turn.now
    )
    if answers.occurrence_id is not None:
        await OccurrenceRepository(turn.session).answer(turn.user.id, int(answers.occurrence_id), turn.now)
