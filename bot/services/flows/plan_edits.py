"""Dialogs that shape a goal's plan: month split, sales funnel, activity targets, and the day template."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from bot.core.activity import Funnel, FunnelError
from bot.core.dialog import Answer, Button, Outgoing, Reject
from bot.core.metrics import MetricKind
from bot.core.numbers import parse_amount, parse_percent
from bot.core.plan import ShareError, rebalance_shares
from bot.core.plan_inputs import (
    ActivityTarget,
    BlocksError,
    BlocksProblem,
    parse_activity_target,
    parse_time_blocks,
)
from bot.core.smart import MAX_AMOUNT
from bot.i18n import N_, Translator
from bot.services.dialogs import ButtonRows, Flow, NoAnswers, Question
from bot.services.dialogs.parsing import echo, in_rows, typed_or_chosen
from bot.services.goal_text import month_text, number_text, percent_text
from bot.services.plans import GoalOutlook, Month, month_key, month_of, working_days_per_month
from bot.services.turn import Turn
from bot.storage.models import Goal, GoalPlan
from bot.storage.repositories.goals import GoalRepository
from bot.storage.repositories.plans import PlanRepository

PLAN_SPLIT = "plan_split"
PLAN_FUNNEL = "plan_funnel"
PLAN_ACTIVITY = "plan_activity"
DAY_TEMPLATE = "day_template"
KEEP = "keep"
CANCELLED = N_("Stopped; the plan is unchanged.")


@dataclass
class PlanAnswers:
    goal_id: int  # the goal whose plan is edited


async def plan_row_of(turn: Turn, answers: PlanAnswers) -> GoalPlan | None:
    """The plan of the dialog's goal, if the goal is still the user's and open."""
    goal = await GoalRepository(turn.session).owned(turn.user.id, answers.goal_id)
    return None if goal is None else await PlanRepository(turn.session).plan_row(goal.id, turn.now)


def gone(_: Translator) -> list[Outgoing]:
    return [Outgoing(_("That goal is no longer there, so nothing was changed."))]


def plain(number: Decimal) -> Decimal:
    """The number without trailing zeros or an exponent: 50000, 0.25."""
    return Decimal(format(number.normalize(), "f"))


# Month split ---------------------------------------------------------------------------------------


@dataclass
class SplitAnswers(PlanAnswers):
    months: dict[str, int]  # month key ("2026-12") -> its working days
    shares: dict[str, str]  # month key -> the share the user fixed, as goal_plans.month_shares holds it
    month: str | None = None  # the month being set


def _months(answers: SplitAnswers) -> dict[Month, int]:
    return {month_of(k): v for k, v in answers.months.items()}


def _fixed(answers: SplitAnswers) -> dict[Month, Decimal]:
    return {month_of(k): Decimal(v) for k, v in answers.shares.items()}


def month_buttons(turn: Turn, answers: SplitAnswers) -> ButtonRows:
    shares = rebalance_shares(_months(answers), _fixed(answers))
    return in_rows(
        [
            Button(f"{month_text(*m, turn._)} · {percent_text(shares[m])}%", month_key(m))
            for m in sorted(shares)
        ],
        3,
    )


def parse_month(answer: Answer, turn: Turn, answers: SplitAnswers) -> str:
    chosen = typed_or_chosen(answer)
    if chosen not in answers.months:
        raise Reject(turn._("Please tap one of the goal's months."))
    return chosen


SHARE_PROBLEMS = {
    "negative": N_("A share cannot be negative."),
    "above_100": N_("A month's share cannot be above 100%."),
    "sum_above_100": N_("Together with the months you fixed before, that is above 100%."),
    "sum_below_100": N_(
        "The months you fixed then add up to less than 100% and no other month is left to take the rest."
    ),
    "no_other_month": N_(
        "The months you fixed then add up to less than 100% and no other month is left to take the rest."
    ),
    "month_without_working_days": N_(
        "That month has no working days in your plan, so it cannot carry a share."
    ),
    "unknown_month": N_("That month is not part of this goal."),
}


def share_text(turn: Turn, answers: SplitAnswers) -> str:
    return turn._(
        "What share of the whole target should {month} carry? Type a percentage, e.g. 40%.",
        month=month_text(*month_of(answers.month or ""), turn._),
    )


def parse_share(answer: Answer, turn: Turn, answers: SplitAnswers) -> Decimal:
    text = typed_or_chosen(answer)
    percent = parse_percent(text, lang=turn._.language)
    if percent is None:
        amount = parse_amount(text, lang=turn._.language)
        percent = amount if amount is not None and amount.is_finite() else None
    if percent is None:
        raise Reject(
            turn._("I could not read a percentage in “{text}”. Type, for example, 40%.", text=echo(text))
        )
    month = month_of(answers.month or "")
    try:
        rebalance_shares(_months(answers), {**_fixed(answers), month: percent})
    except ShareError as error:
        raise Reject(turn._(SHARE_PROBLEMS[error.reason])) from None
    return percent


def keep_share(value: Decimal, turn: Turn, answers: SplitAnswers) -> None:
    answers.shares = {**answers.shares, answers.month or "": format(value.normalize(), "f")}


async def save_split(turn: Turn, answers: SplitAnswers) -> Sequence[Outgoing]:
    row = await plan_row_of(turn, answers)
    if row is None:
        return gone(turn._)
    row.month_shares = dict(answers.shares)
    row.updated_at = turn.now
    return [Outgoing(turn._("Saved. /plan shows the new month, week and day targets."))]


SPLIT = Flow(PLAN_SPLIT, SplitAnswers, [
    Question(name="month", parser=parse_month, buttons=month_buttons,
             text=N_("Which month's share of the target do you want to set? Now each month gets its share by "
                     "working days unless you fixed it.")),
    Question(name="share", text=share_text, parser=parse_share, store=keep_share),
], save_split, CANCELLED)  # fmt: skip


# Funnel ------------------------------------------------------------------------------------------


@dataclass
class FunnelAnswers(PlanAnswers):
    average_deal: Decimal | None  # None until the user tells it (it is never guessed)
    win_rate: Decimal
    meeting_rate: Decimal
    visit_rate: Decimal


def parse_average_deal(text: str, _: Translator) -> Decimal:
    amount = parse_amount(text, lang=_.language)
    if amount is None or not amount.is_finite():
        raise Reject(_("I could not read an amount in “{text}”. Example: 50000 or 50k.", text=echo(text)))
    if amount <= 0:
        raise Reject(
            _("An average deal of zero or less cannot be worked back from. Type your typical deal size.")
        )
    if amount > MAX_AMOUNT[MetricKind.CURRENCY]:
        raise Reject(_("That number is far beyond what one salesperson can reach; please check it."))
    return amount


def parse_rate(text: str, _: Translator) -> Decimal:
    percent = parse_percent(text, lang=_.language)
    if percent is None:
        number = parse_amount(text, lang=_.language)
        # "0.25" is a rate, "25" a percentage.
        percent = (
            None if number is None or not number.is_finite() else (number * 100 if number < 1 else number)
        )
    if percent is None:
        raise Reject(
            _("I could not read a rate in “{text}”. Type a percentage such as 25%.", text=echo(text))
        )
    if percent <= 0 or percent > 100:
        raise Reject(_("A conversion rate must be above 0% and at most 100%."))
    return percent / 100


def funnel_question(name: str, question: str) -> Question[FunnelAnswers, Decimal | None]:
    """One number of the funnel: the average deal or a conversion rate; "keep" leaves it as it is."""

    def shown(answers: FunnelAnswers, turn: Turn) -> str:
        current: Decimal = getattr(answers, name)
        return number_text(current, turn._) if name == "average_deal" else f"{percent_text(current * 100)}%"

    def buttons(turn: Turn, answers: FunnelAnswers) -> ButtonRows:
        if getattr(answers, name) is None:  # an unset deal size has nothing to keep
            return ()
        return ((Button(turn._("Keep {current}", current=shown(answers, turn)), KEEP),),)

    def text(turn: Turn, answers: FunnelAnswers) -> str:
        if getattr(answers, name) is None:
            return turn._("What is your average deal size? For example 50,000.")
        return turn._(question, current=shown(answers, turn))

    def parse(answer: Answer, turn: Turn, answers: FunnelAnswers) -> Decimal | None:
        if answer.choice == KEEP:
            return None
        text = typed_or_chosen(answer)
        return parse_average_deal(text, turn._) if name == "average_deal" else parse_rate(text, turn._)

    def store(value: Decimal | None, turn: Turn, answers: FunnelAnswers) -> None:
        if value is not None:
            setattr(answers, name, plain(value))

    return Question(
        name=name,
        text=text,
        buttons=buttons,
        parser=parse,
        store=store,
    )


async def save_funnel(turn: Turn, answers: FunnelAnswers) -> Sequence[Outgoing]:
    row = await plan_row_of(turn, answers)
    if row is None:
        return gone(turn._)
    values = {name: getattr(answers, name) for name in FUNNEL_NUMBERS}
    try:
        Funnel(**values)
    except FunnelError:  # Each answer was checked; this guards against a tampered dialog state.
        return [Outgoing(turn._("Nothing changed."))]
    row.average_deal, row.win_rate = values["average_deal"], values["win_rate"]
    row.meeting_rate, row.visit_rate = values["meeting_rate"], values["visit_rate"]
    row.updated_at = turn.now
    return [Outgoing(turn._("Saved. /plan shows the activities your goal now needs."))]


FUNNEL_QUESTIONS = (
    ("average_deal", N_("What is your average deal size? Now: {current}.")),
    ("win_rate", N_("Out of every 100 meetings, how many become a deal? Now: {current}.")),
    ("meeting_rate", N_("Out of every 100 client visits, how many lead to a meeting? Now: {current}.")),
    ("visit_rate", N_("Out of every 100 calls, how many lead to a visit? Now: {current}.")),
)
FUNNEL_NUMBERS = tuple(name for name, _question in FUNNEL_QUESTIONS)
FUNNEL = Flow(
    PLAN_FUNNEL, FunnelAnswers, [funnel_question(name, question) for name, question in FUNNEL_QUESTIONS],
    save_funnel, CANCELLED,
)  # fmt: skip


# Activity targets --------------------------------------------------------------------------------


@dataclass
class ActivityAnswers(PlanAnswers):
    target: ActivityTarget | None = None  # None clears the goal's activity targets


def parse_activity(answer: Answer, turn: Turn, answers: ActivityAnswers) -> ActivityTarget | None:
    if answer.choice == "clear":
        return None
    target = parse_activity_target(typed_or_chosen(answer))
    if target is None:
        raise Reject(
            turn._("I need an activity, a number from 1 to 10000 and a period, e.g. “20 visits a week”.")
        )
    return target


async def save_activity(turn: Turn, answers: ActivityAnswers) -> Sequence[Outgoing]:
    row = await plan_row_of(turn, answers)
    if row is None:
        return gone(turn._)
    target = answers.target
    if target is None:
        row.activity_targets = {}
    else:
        row.activity_targets = {
            **row.activity_targets,
            target.activity: {"count": target.count, "per": target.per},
        }
    row.updated_at = turn.now
    return [Outgoing(turn._("Saved. /plan and /today show it."))]


ACTIVITY = Flow(PLAN_ACTIVITY, ActivityAnswers, [
    Question(name="target", parser=parse_activity, buttons=(((N_("Clear my activity targets"), "clear"),),),
             text=N_("Type an activity target, for example “20 visits a week”, “1 industry event a week” "
                     "or “5 client trainings a month”.")),
], save_activity, CANCELLED)  # fmt: skip


# Day template ------------------------------------------------------------------------------------

BLOCK_PROBLEMS = {
    BlocksProblem.UNREADABLE_LINE: N_(
        "I could not read “{line}”. Write each block as “9:00-11:00 client visits”."
    ),
    BlocksProblem.END_BEFORE_START: N_("In “{line}” the block ends before it starts."),
    BlocksProblem.OVERLAP: N_("The block at {line} overlaps the one before it."),
    BlocksProblem.TOO_MANY: N_("Please keep the day to 12 blocks at most."),
    BlocksProblem.LABEL_TOO_LONG: N_("Please keep each block's name short (40 characters): “{line}”."),
}


def parse_blocks(answer: Answer, turn: Turn, answers: object) -> list[dict[str, str]] | None:
    if answer.choice == "default":
        return None
    parsed = parse_time_blocks(typed_or_chosen(answer))
    if isinstance(parsed, BlocksError):
        raise Reject(turn._(BLOCK_PROBLEMS[parsed.problem], line=echo(parsed.line)))
    if not parsed:
        raise Reject(turn._(BLOCK_PROBLEMS[BlocksProblem.UNREADABLE_LINE], line=""))
    return [{"start": f"{b.start:%H:%M}", "end": f"{b.end:%H:%M}", "activity": b.activity} for b in parsed]


def keep_blocks(value: list[dict[str, str]] | None, turn: Turn, answers: object) -> None:
    turn.user.day_template = value
    turn.user.updated_at = turn.now


async def template_saved(turn: Turn, answers: NoAnswers) -> Sequence[Outgoing]:
    return [Outgoing(turn._("Saved. /today shows your day with these blocks."))]


DAY = Flow(DAY_TEMPLATE, NoAnswers, [
    Question(name="blocks", parser=parse_blocks, store=keep_blocks,
             buttons=(((N_("Use the suggested day"), "default"),),),
             text=N_("Send your working day as time blocks, one per line, for example:\n9:00-11:00 client visits\n"
                     "13:00-15:00 calls\n15:00-17:00 client records")),
], template_saved, CANCELLED)  # fmt: skip


def plan_edit_flows() -> list[Flow[Any]]:
    return [SPLIT, FUNNEL, ACTIVITY, DAY]


async def start_day_template(turn: Turn) -> list[Outgoing]:
    return await turn.services.dialogs.start(turn, DAY_TEMPLATE)


async def start_month_split(turn: Turn, view: GoalOutlook) -> list[Outgoing]:
    """Set a month's share of `view`'s goal; the others share the rest by working days."""
    months = working_days_per_month([target.day for target in view.plan.days])
    answers = SplitAnswers(
        view.goal.id, {month_key(m): n for m, n in months.items()}, dict(view.row.month_shares)
    )
    return await turn.services.dialogs.start(turn, PLAN_SPLIT, answers=answers)


async def start_funnel_edit(turn: Turn, view: GoalOutlook) -> list[Outgoing]:
    """The deal size and conversion rates of `view`'s goal, each kept or changed in turn."""
    assert view.funnel is not None
    funnel = view.funnel
    average_deal = None if funnel.average_deal is None else plain(funnel.average_deal)
    rates = (plain(funnel.win_rate), plain(funnel.meeting_rate), plain(funnel.visit_rate))
    return await turn.services.dialogs.start(
        turn, PLAN_FUNNEL, answers=FunnelAnswers(view.goal.id, average_deal, *rates)
    )


async def start_activity_targets(turn: Turn, goal: Goal) -> list[Outgoing]:
    return await turn.services.dialogs.start(turn, PLAN_ACTIVITY, answers=ActivityAnswers(goal.id))
