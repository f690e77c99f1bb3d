"""The review dialogs: the daily review (daily_review.py), the weekly evaluation and the monthly summary.

`start_review` opens the dialog for a prompt occurrence with what its questions show.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any

from bot.core.dates import week_start
from bot.core.dialog import Answer, Button, Outgoing, Reject
from bot.core.lifecycle.prompts import OccurrenceStatus, excuses_streak
from bot.core.numbers import parse_small_number
from bot.core.quick_log import Measure
from bot.core.schedule import PromptKind
from bot.core.vocabulary import yes_no_choices
from bot.i18n import N_, Translator
from bot.services.dialogs import Flow, Question
from bot.services.dialogs.flow import ButtonRows
from bot.services.dialogs.parsing import choice_of, typed_or_chosen
from bot.services.flows.daily_review import DAILY_REVIEW, DailyAnswers, daily_review_flow
from bot.services.flows.review_common import (
    CANCELLED,
    SummaryAnswers,
    keep_in_answers,
    reflection,
    save_answers,
)
from bot.services.flows.review_more import (
    SUMMARY_BUDGET,
    DetailedAnswers,
    FittedSummary,
    fitted_summary,
    show_more,
    show_more_row,
)
from bot.services.flows.review_texts import monthly_summary, next_month_text, revenue_currency, weekly_summary
from bot.services.goal_text import goal_headline
from bot.services.goals import draft_of
from bot.services.paging import Section, shorten
from bot.services.plans import open_goal_outlooks, outlooks, user_calendar
from bot.services.results import GOAL_MEASURES, in_window
from bot.services.turn import Turn
from bot.storage.database import Session
from bot.storage.models import PromptOccurrence, User
from bot.storage.repositories.goals import GoalRepository
from bot.storage.repositories.occurrences import OccurrenceRepository
from bot.storage.repositories.results import ResultRepository
from bot.storage.repositories.setbacks import SetbackRepository
from bot.storage.repositories.strategy import StrategyChangeRepository

MEASURE_VALUES = {measure.value for measure in Measure}
WEEKLY_REVIEW, MONTHLY_REVIEW = "weekly_review", "monthly_review"
FLOWS = {PromptKind.DAILY: DAILY_REVIEW, PromptKind.WEEKLY: WEEKLY_REVIEW, PromptKind.MONTHLY: MONTHLY_REVIEW}


# The weekly evaluation ---------------------------------------------------------------------------


@dataclass
class WeeklyAnswers(DetailedAnswers):
    """The weekly evaluation: its summary (made when it starts, fitting above the question) and the week's
    setbacks and tactics in full for "📖 Show more"."""


def rating_text(turn: Turn, answers: SummaryAnswers) -> str:
    return answers.summary + "\n\n" + turn._("How would you rate the week, from 1 to 5?")


def rating_buttons(turn: Turn, answers: WeeklyAnswers) -> ButtonRows:
    ratings = tuple(Button(str(n), str(n)) for n in range(1, 6))
    return (ratings, *show_more_row(turn, answers))


def parse_rating(answer: Answer, turn: Turn, answers: WeeklyAnswers) -> int:
    show_more(answer, turn, answers)
    rating = parse_small_number(typed_or_chosen(answer), out_of=5)
    if rating is None or not 1 <= rating <= 5:
        raise Reject(turn._("Please pick a number from 1 to 5."))
    return rating


@dataclass(frozen=True, slots=True)
class WeekReflections:
    setbacks: list[str]  # "Setback: … · lesson: … · next: …", oldest first
    tactics: list[str]  # "New tactic since last week: …", oldest first


async def week_reflections(session: Session, user: User, day: date, _: Translator) -> WeekReflections:
    """The week's setbacks and lessons, and the tactics chosen since the last evaluation, brought back."""
    monday = week_start(day)
    setbacks = await SetbackRepository(session).between(user.id, monday, day)
    since = datetime.combine(monday - timedelta(days=7), datetime.min.time(), UTC)
    tactics = await StrategyChangeRepository(session).decided_since(user.id, "tactics", since)
    return WeekReflections(
        [_("Setback: {what} · lesson: {lesson} · next: {next}", what=setback.summary,
           lesson=setback.answers.get("lesson", ""), next=setback.answers.get("next", "")) for setback in setbacks],
        [_("New tactic since last week: {tactic}. Did it help?", tactic=change.note or "") for change in tactics],
    )  # fmt: skip


def week_summary(goals_part: str, reflections: WeekReflections, _: Translator) -> FittedSummary:
    """The week's goals, then how many setbacks and tactics it brought back and the first lines of each, as
    many as fit; all of them in full for "📖 Show more" when that had to leave anything out."""
    setbacks, tactics = reflections.setbacks, reflections.tactics
    if not setbacks and not tactics:
        return FittedSummary(goals_part, [])
    counts = []
    if setbacks:
        counts.append(_.plural("{count} setback this week", "{count} setbacks this week", len(setbacks)))
    if tactics:
        counts.append(
            _.plural(
                "{count} new tactic since last week", "{count} new tactics since last week", len(tactics)
            )
        )
    head = [goals_part, "", _("Brought back: {items}.", items=_("; ").join(counts))]
    details = [
        Section(_("Setbacks this week:"), numbered(setbacks), _("Setbacks this week (continued):")),
        Section(_("New tactics since last week:"), numbered(tactics), _("New tactics (continued):")),
    ]
    return fitted_summary(head, [*setbacks, *tactics], details, _)


def numbered(lines: Sequence[str]) -> list[str]:
    return [f"{number}. {line}" for number, line in enumerate(lines, 1)]


async def _streak(turn: Turn, through: date) -> int:
    """Answered daily reviews in a row, counting back from `through` (days the bot did not ask do not break it)."""
    streak = 0
    for row in await OccurrenceRepository(turn.session).daily_history(turn.user.id, through):
        if row.status == OccurrenceStatus.ANSWERED:
            streak += 1
        elif not excuses_streak(row.status, row.reason):
            break
    return streak


async def finish_weekly(turn: Turn, answers: WeeklyAnswers) -> Sequence[Outgoing]:
    _ = turn._
    await save_answers(turn, answers, PromptKind.WEEKLY.value)
    streak = await _streak(turn, answers.day)
    views = await open_goal_outlooks(turn)
    summary = weekly_summary(views, answers.day, _)
    rating = answers.answers.get("rating")
    return [
        Outgoing(
            "\n".join(
                [
                    summary,
                    _(
                        "Your rating: {rating}/5. Daily reviews answered in a row: {streak}.",
                        rating=rating,
                        streak=streak,
                    ),
                ]
            )
        )
    ]


def weekly_review_flow() -> Flow[WeeklyAnswers]:
    return Flow(WEEKLY_REVIEW, WeeklyAnswers, [
        Question(name="rating", text=rating_text, buttons=rating_buttons, parser=parse_rating,
                 store=keep_in_answers("rating")),
        reflection("change", N_("What will you change next week?")),
    ], finish_weekly, CANCELLED)  # fmt: skip


# The monthly summary -----------------------------------------------------------------------------


@dataclass
class MonthlyAnswers(SummaryAnswers):
    next_month: str = ""  # next month's targets, shown to be confirmed


def parse_next_month(answer: Answer, turn: Turn, answers: object) -> str:
    return choice_of(
        answer,
        yes_no_choices(yes="yes", no="adjust")
        | {"confirm": "yes", "确认": "yes", "adjust": "adjust", "调整": "adjust"},
        lambda: Reject(turn._("Please tap “Confirm” or “Adjust in /plan”.")),
    )


async def finish_monthly(turn: Turn, answers: MonthlyAnswers) -> Sequence[Outgoing]:
    _ = turn._
    await save_answers(turn, answers, PromptKind.MONTHLY.value)
    adjust = answers.answers.get("next_month") == "adjust"
    tail = (
        _("/plan lets you change a month's share.")
        if adjust
        else _("Next month's targets confirmed. Good luck!")
    )
    return [Outgoing(_("Thanks, your monthly summary is saved.") + "\n" + tail)]


def monthly_review_flow() -> Flow[MonthlyAnswers]:
    return Flow(MONTHLY_REVIEW, MonthlyAnswers, [
        reflection("lessons", N_("What did this month teach you? Wins, lessons, lost deals."), under_summary=True),
        Question(name="next_month", text=lambda turn, answers: answers.next_month,
                 buttons=(((N_("✔ Confirm"), "yes"), (N_("Adjust in /plan"), "adjust")),),
                 parser=parse_next_month, store=keep_in_answers("next_month")),
    ], finish_monthly, CANCELLED)  # fmt: skip


def review_flows() -> list[Flow[Any]]:
    return [daily_review_flow(), weekly_review_flow(), monthly_review_flow()]


# Starting a review -------------------------------------------------------------------------------


async def review_start_answers(
    turn: Turn, kind: PromptKind, day: date, occurrence_id: int | None
) -> SummaryAnswers | DailyAnswers:
    """What a review dialog starts with: its day, the occurrence, and the summaries its questions show."""
    _ = turn._
    session, user = turn.session, turn.user
    goals = await GoalRepository(session).open_goals(user.id)
    if kind is PromptKind.DAILY:
        # Goals the one-line report cannot name (custom measures) are asked one by one, if the day counts there.
        pending = [(g.id, goal_headline(draft_of(g), _)) for g in goals
                   if g.metric not in GOAL_MEASURES and in_window(g, day)]  # fmt: skip
        logged = {Measure(measure): total for measure, total in (await ResultRepository(session).logged_on(user.id, day)).items()
                  if measure in MEASURE_VALUES}  # fmt: skip
        return DailyAnswers(
            day, occurrence_id, currency=revenue_currency(goals), pending=pending, logged=logged
        )
    calendar = await user_calendar(session, user, turn.default_language)
    views = await outlooks(session, user, goals, calendar, turn.now)
    if kind is PromptKind.WEEKLY:
        reflections = await week_reflections(session, user, day, _)
        week = week_summary(weekly_summary(views, day, _), reflections, _)
        return WeeklyAnswers(day, occurrence_id, summary=week.text, more=week.more)
    # A month lists each open goal (ten at most) on a line: shortened only should that ever not fit.
    summary = shorten(monthly_summary(views, day, _), SUMMARY_BUDGET)
    next_month = shorten(next_month_text(views, day, _), SUMMARY_BUDGET)
    return MonthlyAnswers(day, occurrence_id, summary=summary, next_month=next_month)


async def start_review(
    turn: Turn, occurrence: PromptOccurrence, preface: Sequence[Outgoing] = ()
) -> list[Outgoing]:
    """The review the prompt `occurrence` asks for, about its day; answering it marks the prompt answered."""
    kind = PromptKind(occurrence.kind)
    answers = await review_start_answers(turn, kind, occurrence.day, occurrence.id)
    return await turn.services.dialogs.start(turn, FLOWS[kind], answers=answers, preface=preface)
