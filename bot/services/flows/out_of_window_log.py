"""/log for a day outside a goal's dates: told before anything is stored, then recorded for another goal
whose dates hold the day, or not at all. The daily review asks with the same pieces (`window_choice`, the
choice's text, buttons and parser, `chosen_goal_ids`) as one of its steps.

A result outside a goal's window would count nowhere in /progress, so it is never stored for that goal.
When another open goal that counts the same results runs on that day, the user chooses (one tap, the
pending report kept in `dialog_states` so it survives a restart); when none does, nothing is stored.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from bot.core.dialog import Answer, Button, Outgoing, Reject
from bot.core.quick_log import Measure, QuickReport
from bot.core.vocabulary import read_yes_no
from bot.i18n import N_, Translator
from bot.services.coaching import record_and_coach
from bot.services.dialogs import ButtonRows, Flow, Question
from bot.services.dialogs.parsing import typed_or_chosen
from bot.services.flows.review_texts import not_counted, pace_lines, report_text, revenue_currency
from bot.services.goal_text import date_text, goal_headline
from bot.services.goals import draft_of
from bot.services.plans import GoalOutlook, local_today
from bot.services.results import LOG, counted_measures, in_window
from bot.services.turn import Turn
from bot.storage.models import Goal
from bot.storage.repositories.goals import GoalRepository
from bot.storage.repositories.plans import OpenGoals, PlanRepository
from bot.storage.types import INTEGER_IDS

OUT_OF_WINDOW_LOG = "out_of_window_log"
NOT_RECORDED = N_("Not recorded: nothing was stored.")
# The choice buttons' values, inside the dialog's own button data: "lg:<goal id>", "lg:0" for none.
LOG_GOAL = "lg"
_NO_GOAL = "0"
# Digits only, no sign and no leading zero; at most 19 of them so int() never sees a huge number.
_LOG_GOAL_VALUE = re.compile(rf"{LOG_GOAL}:(0|[1-9]\d{{0,18}})")


@dataclass(frozen=True, slots=True)
class LogGoalChoice:
    goal_id: int | None  # None: record the /log for no goal at all


def log_goal_value(goal_id: int | None) -> str:
    """The value of a choice button that records the pending /log for `goal_id` (None: for no goal)."""
    if goal_id is None:
        return f"{LOG_GOAL}:{_NO_GOAL}"
    if goal_id not in INTEGER_IDS:
        raise ValueError(f"id outside the database's range: {goal_id!r}")
    return f"{LOG_GOAL}:{goal_id}"


def parse_log_goal_value(value: str | None) -> LogGoalChoice | None:
    """The goal a choice names, or None for anything log_goal_value would not have written (forged);
    whether the presser may choose that goal is parse_choice's check."""
    match = _LOG_GOAL_VALUE.fullmatch(value) if value is not None else None
    if match is None:
        return None
    if match[1] == _NO_GOAL:
        return LogGoalChoice(None)
    goal_id = int(match[1])
    return LogGoalChoice(goal_id) if goal_id in INTEGER_IDS else None


@dataclass
class OutsideGoal:
    """A goal the report would count for but whose dates do not hold its day."""

    goal_id: int
    headline: str
    start: date
    deadline: date


@dataclass
class WindowChoice:
    """A report's day lies outside the dates of goals it would count for: which, and what may take it instead.

    /log asks with it in its own dialog (`OutOfWindowAnswers`), the daily review as one of its steps."""

    day: date = date.min
    outside: list[OutsideGoal] = field(default_factory=list)
    choices: list[tuple[int, str]] = field(default_factory=list)  # (goal id, headline) the user may choose
    keep: list[int] = field(default_factory=list)  # goals that count whichever is chosen (other results)
    goal: int = 0  # the chosen goal; 0 for none
    message_id: int | None = None  # the /log message, which an edit may later correct


@dataclass
class OutOfWindowAnswers(WindowChoice):
    values: dict[Measure, Decimal] = field(default_factory=dict)
    unknown: list[str] = field(default_factory=list)


def window_choice(
    goals: Sequence[Goal], day: date, values: Mapping[Measure, Decimal], _: Translator
) -> WindowChoice | None:
    """None when every open goal the report counts for runs on `day`; else the goals outside whose dates it
    lies and the other open goals whose dates hold it that could take the same results."""
    counting = [goal for goal in goals if counted_measures(goal, values)]
    outside = [goal for goal in counting if not in_window(goal, day)]
    if not outside:
        return None
    disputed = set().union(*(counted_measures(goal, values) for goal in outside))
    choices = [g for g in counting if in_window(g, day) and counted_measures(g, values) & disputed]
    return WindowChoice(
        day=day,
        outside=[OutsideGoal(g.id, goal_headline(draft_of(g), _), g.start_date, g.deadline) for g in outside],
        choices=[(goal.id, goal_headline(draft_of(goal), _)) for goal in choices],
        keep=[goal.id for goal in goals if in_window(goal, day) and goal not in choices],
    )


async def log_report(turn: Turn, report: QuickReport, message_id: int | None = None) -> list[Outgoing]:
    """Record a /log, or first ask when its day lies outside the dates of a goal it would count for.
    `message_id`: the user's message the results came from (an edit of it corrects them)."""
    _ = turn._
    day = report.day or local_today(turn.user, turn.now)
    # Read once: recording (record_and_coach) goes on from these rows rather than reading them again.
    found = await PlanRepository(turn.session).open_goals_with_plans(turn.user.id)
    window = window_choice(found.goals, day, report.values, _)
    if window is None:
        return [
            await record_log(
                turn, day, report.values, report.unknown, message_id=message_id, open_goals=found
            )
        ]
    window.message_id = message_id
    answers = OutOfWindowAnswers(**vars(window), values=dict(report.values), unknown=list(report.unknown))
    if not answers.choices:
        nothing = _(
            "Nothing was recorded: none of your other open goals runs on {date}. "
            "/log a day inside the goal's dates, or change them in /goals.",
            date=date_text(day, _),
        )
        return [Outgoing(told_text(turn, answers) + "\n" + nothing)]
    return await turn.services.dialogs.start(turn, OUT_OF_WINDOW_LOG, answers=answers)


async def record_log(
    turn: Turn,
    day: date,
    values: Mapping[Measure, Decimal],
    unknown: Sequence[str],
    goal_ids: Collection[int] | None = None,
    message_id: int | None = None,
    open_goals: OpenGoals | None = None,
) -> Outgoing:
    """Store the report (for `goal_ids` only, when given) and say what was logged and where each goal stands.
    `open_goals`: the user's open goals as already read in this transaction."""
    _ = turn._
    views = await record_and_coach(
        turn, day, values, source=LOG, goal_ids=goal_ids, message_id=message_id, open_goals=open_goals
    )
    currency = revenue_currency([view.goal for view in views])
    logged = _(
        "Logged for {date}: {report}. /undo removes it within 24 hours.",
        date=date_text(day, _),
        report=report_text(dict(values), turn.user, currency, _),
    )
    return Outgoing("\n".join([logged + not_counted(unknown, _), *pace_lines(_counted(views, day), day, _)]))


def _counted(views: Sequence[GoalOutlook], day: date) -> list[GoalOutlook]:
    """The goals a result on `day` counts toward: those whose dates hold it."""
    return [view for view in views if in_window(view.goal, day)]


def told_text(turn: Turn, answers: WindowChoice) -> str:
    """Why the report would not count for each goal outside whose dates its day lies."""
    _ = turn._
    day = date_text(answers.day, _)
    lines = []
    for goal in answers.outside:
        if answers.day < goal.start:
            line = _(
                "{date} is before “{goal}” starts ({start}), so it would not count toward it.",
                date=day,
                goal=goal.headline,
                start=date_text(goal.start, _),
            )
        else:
            line = _(
                "{date} is after the deadline of “{goal}” ({deadline}), so it would not count toward it.",
                date=day,
                goal=goal.headline,
                deadline=date_text(goal.deadline, _),
            )
        lines.append(line)
    return "\n".join(lines)


def choice_text(turn: Turn, answers: WindowChoice) -> str:
    question = turn._("Nothing is recorded yet. Record it for another goal that runs on {date}?",
                      date=date_text(answers.day, turn._))  # fmt: skip
    return told_text(turn, answers) + "\n" + question


def choice_buttons(turn: Turn, answers: WindowChoice) -> ButtonRows:
    _ = turn._
    rows = [(Button(_("Record for “{goal}”", goal=headline), log_goal_value(goal_id)),)
            for goal_id, headline in answers.choices]  # fmt: skip
    return (*rows, (Button(_("Don't record it"), log_goal_value(None)),))


def parse_choice(answer: Answer, turn: Turn, answers: WindowChoice) -> int:
    """A goal among those offered (a forged id is just a bad answer), 0 for none; a typed yes picks the only one."""
    offered = [goal_id for goal_id, _headline in answers.choices]
    text = typed_or_chosen(answer)
    chosen = parse_log_goal_value(text)
    if chosen is not None and (chosen.goal_id is None or chosen.goal_id in offered):
        return chosen.goal_id or 0
    said = read_yes_no(text) if answer.choice is None else None
    if said is False:
        return 0
    if said is True and len(offered) == 1:
        return offered[0]
    raise Reject(turn._("Please tap one of the choices."))


async def finish_choice(turn: Turn, answers: OutOfWindowAnswers) -> Sequence[Outgoing]:
    _ = turn._
    if not answers.goal:
        return [Outgoing(_(NOT_RECORDED))]
    goal_ids = await chosen_goal_ids(turn, answers)
    if goal_ids is None:
        return [Outgoing(gone_text(turn, answers))]
    return [await record_log(turn, answers.day, answers.values, answers.unknown, goal_ids=goal_ids,
                             message_id=answers.message_id)]  # fmt: skip


async def chosen_goal_ids(turn: Turn, window: WindowChoice) -> set[int] | None:
    """The goals the report goes to after the choice: the chosen one and those that count it whichever was
    chosen; None when the chosen goal, checked again now, is no longer the user's, open and running that day."""
    open_goals = await GoalRepository(turn.session).open_goals(turn.user.id)
    goal = next((goal for goal in open_goals if goal.id == window.goal), None)
    if goal is None or not in_window(goal, window.day):
        return None
    return {goal.id, *window.keep}


def gone_text(turn: Turn, window: WindowChoice) -> str:
    day = date_text(window.day, turn._)
    return turn._("That goal no longer runs on {date}, so the figures were not recorded.", date=day)


out_of_window_log_flow = Flow(OUT_OF_WINDOW_LOG, OutOfWindowAnswers, [
    Question(name="goal", text=choice_text, buttons=choice_buttons, parser=parse_choice),
], finish_choice, NOT_RECORDED)  # fmt: skip
