"""The daily review: the day's results in one line (confirmed), custom measures one by one, three reflections."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from bot.core.dialog import Answer, Outgoing, Reject
from bot.core.numbers import parse_amount
from bot.core.quick_log import Measure, QuickReport, parse_report
from bot.core.schedule import PromptKind
from bot.core.vocabulary import yes_no_choices
from bot.i18n import N_
from bot.services.coaching import record_and_coach, streak_nudge
from bot.services.dialogs import Flow, Question
from bot.services.dialogs.parsing import choice_of, not_kept, typed_or_chosen
from bot.services.flows.review_common import CANCELLED, ReviewAnswers, reflection, save_answers
from bot.services.flows.review_texts import not_counted, pace_lines, report_problem, report_text
from bot.services.goal_text import date_text
from bot.services.results import REVIEW
from bot.services.turn import Turn

DAILY_REVIEW = "daily_review"
CORRECT_OR_AGAIN = yes_no_choices(yes="yes", no="again") | {"again": "again"}


@dataclass
class DailyAnswers(ReviewAnswers):
    currency: str | None = None  # of the user's revenue goal, for showing amounts
    report: dict[Measure, Decimal] = field(default_factory=dict)
    unknown: list[str] = field(default_factory=list)  # what the report's line held that no measure took
    # Goals the one-line report cannot name (custom measures), asked one by one: (goal id, headline).
    pending: list[tuple[int, str]] = field(default_factory=list)
    goal_values: dict[int, Decimal] = field(default_factory=dict)  # goal id -> the day's result


def after_report(value: object, turn: Turn, answers: DailyAnswers) -> str:
    return "goal_result" if answers.pending else "went_well"


def report_question_text(turn: Turn, answers: DailyAnswers) -> str:
    return turn._(
        "📝 {date}: what did you get done? One line is enough, e.g. “3 visits, 12 calls, 1 deal 50k”.",
        date=date_text(answers.day, turn._),
    )


def parse_day_report(answer: Answer, turn: Turn, answers: DailyAnswers) -> QuickReport | None:
    if answer.choice == "none":
        return None
    report = parse_report(typed_or_chosen(answer), today=answers.day, lang=turn._.language)
    rejection = report_problem(report, turn._)
    if rejection is not None:
        raise rejection
    assert isinstance(report, QuickReport)
    return report


def keep_report(value: QuickReport | None, turn: Turn, answers: DailyAnswers) -> None:
    # The review is about its own day: a day named in the line does not move it.
    answers.report = dict(value.values) if value else {}
    answers.unknown = list(value.unknown) if value else []


def confirm_text(turn: Turn, answers: DailyAnswers) -> str:
    _ = turn._
    text = _("Got it: {report}. Correct?", report=report_text(answers.report, turn.user, answers.currency, _))
    return text + not_counted(answers.unknown, _)


def parse_confirmation(answer: Answer, turn: Turn, answers: DailyAnswers) -> str:
    return choice_of(
        answer, CORRECT_OR_AGAIN, lambda: Reject(turn._("Please tap “Correct” or “Type again”."))
    )


def goal_result_text(turn: Turn, answers: DailyAnswers) -> str:
    _goal_id, headline = answers.pending[0]
    return turn._("And your result for “{goal}” today? Type a number, or 0.", goal=headline)


def parse_goal_result(answer: Answer, turn: Turn, answers: DailyAnswers) -> Decimal:
    amount = parse_amount(typed_or_chosen(answer), lang=turn._.language)
    if amount is None or not amount.is_finite():
        raise Reject(turn._("Please type a number, for example 2 or 0."))
    if amount < 0:
        raise Reject(turn._("Results cannot be negative. Please type what you did, e.g. “3 visits”."))
    if amount > Decimal(10) ** 10:
        raise Reject(turn._("That number is far more than one day can hold; please check it."))
    return amount


def keep_goal_result(value: Decimal, turn: Turn, answers: DailyAnswers) -> None:
    goal_id, _headline = answers.pending[0]
    answers.goal_values = {**answers.goal_values, goal_id: value}
    answers.pending = answers.pending[1:]


async def finish_daily(turn: Turn, answers: DailyAnswers) -> Sequence[Outgoing]:
    _ = turn._
    day = answers.day
    views = await record_and_coach(turn, day, answers.report, source=REVIEW, goal_values=answers.goal_values)
    await save_answers(turn, answers, PromptKind.DAILY.value)
    await streak_nudge(turn.session, turn.user, day, turn.now)
    lines = [
        _("Thanks, your review for {date} is saved.", date=date_text(day, _)),
        *pace_lines(views, day, _),
    ]
    return [Outgoing("\n".join(lines))]


def daily_review_flow() -> Flow[DailyAnswers]:
    return Flow(DAILY_REVIEW, DailyAnswers, [
        Question(name="report", text=report_question_text, buttons=(((N_("Nothing to report"), "none"),),),
                 parser=parse_day_report, store=keep_report,
                 next=lambda value, turn, answers: "confirm" if value else after_report(value, turn, answers)),
        Question(name="confirm", text=confirm_text, buttons=(((N_("✔ Correct"), "yes"), (N_("✏️ Type again"), "again")),),
                 parser=parse_confirmation,
                 store=not_kept,
                 next=lambda value, turn, answers: "report" if value == "again" else after_report(value, turn, answers)),
        Question(name="goal_result", text=goal_result_text, parser=parse_goal_result, store=keep_goal_result,
                 next=after_report),
        reflection("went_well", N_("What went well today?")),
        reflection("problem", N_("What was the main problem you met?")),
        reflection("improve", N_("One thing to do better tomorrow?")),
    ], finish_daily, CANCELLED)  # fmt: skip
