"""The daily review: the day's results in one line (confirmed), custom measures one by one, three reflections.

A day outside the dates of a goal the results would count for is told so once they are confirmed, with
/log's choice (bot.services.flows.out_of_window_log): another open goal whose dates hold the day, or none.
Nothing is stored before the review's end."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from bot.core.dialog import Answer, Button, Outgoing, Prompt, Reject
from bot.core.numbers import parse_amount
from bot.core.quick_log import Measure, QuickReport, parse_report
from bot.core.schedule import PromptKind
from bot.core.vocabulary import yes_no_choices
from bot.i18n import N_
from bot.services.coaching import record_and_coach, streak_nudge
from bot.services.dialogs import ButtonRows, Flow, Question, Step
from bot.services.dialogs.parsing import choice_of, typed_or_chosen
from bot.services.flows.out_of_window_log import (
    WindowChoice,
    choice_buttons,
    choice_text,
    chosen_goal_ids,
    gone_text,
    parse_choice,
    told_text,
    window_choice,
)
from bot.services.flows.review_common import CANCELLED, ReviewAnswers, reflection, save_answers
from bot.services.flows.review_texts import not_counted, pace_lines, report_problem, report_text
from bot.services.goal_text import date_text
from bot.services.results import REVIEW
from bot.services.turn import Turn
from bot.storage.repositories.goals import GoalRepository

DAILY_REVIEW = "daily_review"
CORRECT_OR_AGAIN = yes_no_choices(yes="yes", no="again") | {
    "correct": "yes",
    "正确": "yes",
    "again": "again",
    "重新输入": "again",
}


@dataclass
class DailyAnswers(ReviewAnswers):
    currency: str | None = None  # of the user's revenue goal, for showing amounts
    report: dict[Measure, Decimal] = field(default_factory=dict)
    unknown: list[str] = field(default_factory=list)  # what the report's line held that no measure took
    # Goals the one-line report cannot name (custom measures), asked one by one: (goal id, headline).
    pending: list[tuple[int, str]] = field(default_factory=list)
    goal_values: dict[int, Decimal] = field(default_factory=dict)  # goal id -> the day's result
    logged: dict[Measure, Decimal] = field(default_factory=dict)  # what /log recorded for the day already
    # Set when the confirmed report's day lies outside a goal's dates: where its figures go (goal 0: nowhere).
    window: WindowChoice | None = None


def after_report(value: object, turn: Turn, answers: DailyAnswers) -> str:
    return "goal_result" if answers.pending else "went_well"


def report_question_text(turn: Turn, answers: DailyAnswers) -> str:
    _ = turn._
    asked = _(
        "📝 {date}: what did you get done? One line is enough, e.g. “3 visits, 12 calls, 1 deal 50k”.",
        date=date_text(answers.day, _),
    )
    if not answers.logged:
        return asked
    logged = report_text(answers.logged, turn.user, answers.currency, _)
    return asked + "\n" + _("Already recorded with /log for this day: {report}. Type only what is not in it.",
                            report=logged)  # fmt: skip


def report_buttons(turn: Turn, answers: DailyAnswers) -> ButtonRows:
    # After a /log of the day, "nothing to report" would deny it: nothing more is what the button means.
    label = turn._("Nothing more to report") if answers.logged else turn._("Nothing to report")
    return ((Button(label, "none"),),)


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
    answers.window = None  # asked again once this report is confirmed


def confirm_text(turn: Turn, answers: DailyAnswers) -> str:
    _ = turn._
    text = _("Got it: {report}. Correct?", report=report_text(answers.report, turn.user, answers.currency, _))
    if answers.logged and answers.report:  # a day's total typed again would count the /log twice
        logged = report_text(answers.logged, turn.user, answers.currency, _)
        text += "\n" + _("It is added to what /log recorded for this day: {report}.", report=logged)
    return text + not_counted(answers.unknown, _)


class ConfirmReport(Step[DailyAnswers, str]):
    """“Correct?” under the report; once confirmed, a day outside a goal's dates is told (as /log tells it)."""

    name = "confirm"

    def prompt(self, turn: Turn, answers: DailyAnswers) -> Prompt:
        _ = turn._
        return Prompt(
            confirm_text(turn, answers),
            ((Button(_("✔ Correct"), "yes"), Button(_("✏️ Type again"), "again")),),
        )

    def parse(self, answer: Answer, turn: Turn, answers: DailyAnswers) -> str:
        return choice_of(
            answer, CORRECT_OR_AGAIN, lambda: Reject(turn._("Please tap “Correct” or “Type again”."))
        )

    async def save(self, value: str, turn: Turn, answers: DailyAnswers) -> str | None:
        answers.window = None
        if value != "yes":
            return None
        goals = await GoalRepository(turn.session).open_goals(turn.user.id)
        answers.window = window_choice(goals, answers.day, answers.report, turn._)
        if answers.window is None or answers.window.choices:
            return None  # counted as typed, or the next question asks where
        nowhere = turn._("These figures will not be recorded: none of your other open goals runs on {date}.",
                         date=date_text(answers.day, turn._))  # fmt: skip
        return told_text(turn, answers.window) + "\n" + nowhere

    def next_step(self, value: str, turn: Turn, answers: DailyAnswers) -> str:
        if value == "again":
            return "report"
        return "where" if answers.window and answers.window.choices else after_report(value, turn, answers)


def _window(answers: DailyAnswers) -> WindowChoice:
    assert answers.window is not None, "asked only when the confirmed day lies outside a goal's dates"
    return answers.window


def where_text(turn: Turn, answers: DailyAnswers) -> str:
    return choice_text(turn, _window(answers))


def where_buttons(turn: Turn, answers: DailyAnswers) -> ButtonRows:
    return choice_buttons(turn, _window(answers))


def parse_where(answer: Answer, turn: Turn, answers: DailyAnswers) -> int:
    return parse_choice(answer, turn, _window(answers))


def keep_where(value: int, turn: Turn, answers: DailyAnswers) -> str:
    window = _window(answers)
    window.goal = value
    headline = dict(window.choices).get(value)
    if headline is None:
        return turn._("Noted: these figures will not be recorded.")
    return turn._("Noted: these figures will count toward “{goal}”.", goal=headline)


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
    day, window = answers.day, answers.window
    values, goal_ids, gone = await _destination(turn, answers)
    views = await record_and_coach(
        turn, day, values, source=REVIEW, goal_values=answers.goal_values, goal_ids=goal_ids
    )
    await save_answers(turn, answers, PromptKind.DAILY.value)
    await streak_nudge(turn.session, turn.user, day, turn.now)
    told = {goal.goal_id for goal in window.outside} if window else set()  # said once, not again below
    lines = [
        *gone,
        _("Thanks, your review for {date} is saved.", date=date_text(day, _)),
        *pace_lines([view for view in views if view.goal.id not in told], day, _),
    ]
    return [Outgoing("\n".join(lines))]


async def _destination(
    turn: Turn, answers: DailyAnswers
) -> tuple[dict[Measure, Decimal], set[int] | None, list[str]]:
    """The figures to store and the goals they go to (None: every goal whose dates hold the day), after the
    choice made for a day outside a goal's dates; and a line when the chosen goal no longer runs that day."""
    window = answers.window
    if window is None:
        return answers.report, None, []
    chosen = await chosen_goal_ids(turn, window) if window.goal else None
    gone = [gone_text(turn, window)] if window.goal and chosen is None else []
    if chosen is None:
        return {}, None, gone  # the one-by-one results of custom measures still count
    return answers.report, chosen | set(answers.goal_values), gone


def daily_review_flow() -> Flow[DailyAnswers]:
    return Flow(DAILY_REVIEW, DailyAnswers, [
        Question(name="report", text=report_question_text, buttons=report_buttons,
                 parser=parse_day_report, store=keep_report,
                 next=lambda value, turn, answers: "confirm" if value else after_report(value, turn, answers)),
        ConfirmReport(),
        Question(name="where", text=where_text, buttons=where_buttons, parser=parse_where, store=keep_where,
                 next=after_report),
        Question(name="goal_result", text=goal_result_text, parser=parse_goal_result, store=keep_goal_result,
                 next=after_report),
        reflection("went_well", N_("What went well today?")),
        reflection("problem", N_("What was the main problem you met?")),
        reflection("improve", N_("One thing to do better tomorrow?")),
    ], finish_daily, CANCELLED)  # fmt: skip
