"""The SMART questions about a goal: their texts, parsers and stores, on any answers that are a GoalDraft.

The wizard (goal_wizard.py) declares them in its order; /change and /reward reuse the target, deadline
and amount readers. S: measure and description; M: target; T: deadline; A: baseline, ambition,
confidence; R: objective.
"""

from __future__ import annotations

import re
from dataclasses import fields
from decimal import Decimal

from bot.core.currency import currency_in_text, default_currency
from bot.core.dates import reads_as_date
from bot.core.dialog import Answer, Button, Reject
from bot.core.goal_draft import ABSOLUTE, GROWTH, GoalDraft
from bot.core.metrics import METRIC_WORDS, MetricKind, is_currency_unit, looks_sales_related, metric_in_words
from bot.core.numbers import parse_amount, parse_percent, parse_small_number
from bot.core.smart import (
    MAX_DESCRIPTION,
    MAX_RELEVANCE,
    Ambition,
    AmountProblem,
    TextProblem,
    amount_problem,
    description_problem,
    growth_problem,
    period_between,
    relevance_problem,
)
from bot.core.vocabulary import yes_no_choices
from bot.i18n import N_, Translator
from bot.services.dialogs import ButtonRows
from bot.services.dialogs.parsing import choice_of, echo, typed_or_chosen
from bot.services.flows.deadline_question import DEADLINE_TEXT as DEADLINE_TEXT
from bot.services.flows.deadline_question import country_of as country_of
from bot.services.flows.deadline_question import keep_deadline as keep_deadline
from bot.services.flows.deadline_question import parse_goal_deadline as parse_goal_deadline
from bot.services.flows.deadline_question import set_deadline as set_deadline
from bot.services.flows.deadline_question import unreadable_date as unreadable_date
from bot.services.goal_text import (
    METRIC_BUTTONS,
    amount_text,
    metric_label,
    number_text,
    percent_text,
    period_text,
)
from bot.services.turn import Turn

KEEP_OR_ADJUST = yes_no_choices(yes="keep", no="adjust") | {
    "keep": "keep",
    "keep it": "keep",
    "保持": "keep",
    "保留": "keep",
    "adjust": "adjust",
    "调整": "adjust",
    "调整目标": "adjust",
}
Target = tuple[str, Decimal, str | None]  # (ABSOLUTE or GROWTH, the number, a currency named with it)


def copy_draft(source: GoalDraft, into: GoalDraft) -> None:
    """The goal's own fields of `source` onto `into` (which may be a flow's answers built on GoalDraft)."""
    for field in fields(GoalDraft):
        setattr(into, field.name, getattr(source, field.name))


def refuse_date_as_amount(text: str, turn: Turn, draft: GoalDraft) -> None:
    """A date typed where an amount is asked ("3月底前") is refused with a hint, never read as ¥3."""
    if not reads_as_date(text):
        return
    _ = turn._
    if draft.metric_kind is MetricKind.CURRENCY:
        raise Reject(
            _("“{text}” looks like a date; I need an amount here, e.g. 500k or 1.2M.", text=echo(text))
        )
    raise Reject(_("“{text}” looks like a date; I need a number here, e.g. 30.", text=echo(text)))


def text_problem_message(problem: TextProblem, limit: int, _: Translator) -> str:
    if problem is TextProblem.NO_WORDS:
        return _("Please put it in words; emoji or numbers alone do not say enough.")
    return _("Please keep it to one line: {limit} characters at most.", limit=limit)


def amount_problem_message(problem: AmountProblem, text: str, draft: GoalDraft, _: Translator) -> str:
    messages = {
        AmountProblem.NOT_A_NUMBER: _(
            "I could not read one number in “{text}”. Examples: 500k, 1.2M, 80,000, 30.", text=echo(text)
        ),
        AmountProblem.ZERO: _("Zero leaves nothing to reach. Which number would make this period a success?"),
        AmountProblem.NEGATIVE: _("A target cannot be negative. Please type the number you want to reach."),
        AmountProblem.TOO_LARGE: _(
            "That number is far beyond what one salesperson can reach; please check it."
        ),
        AmountProblem.NOT_WHOLE: _("Please use a whole number for {metric}.", metric=metric_label(draft, _)),
    }
    return messages[problem]


# S — the measure and the description ---------------------------------------------------------------

METRIC_TEXT = N_("S — Specific. What will you improve? Pick the measure:")
METRIC_CHOICES = tuple((label, key) for key, label in METRIC_BUTTONS)


def parse_metric(answer: Answer, turn: Turn, draft: GoalDraft) -> str:
    choice = answer.choice if answer.choice in dict(METRIC_BUTTONS) else None
    typed = typed_or_chosen(answer)
    value = choice or METRIC_WORDS.get(typed.casefold()) or metric_in_words(typed)
    if value is None:
        raise Reject(turn._("Tap one of the measures, or “✏️ My own measure” to name another."))
    return value


def keep_metric(value: str, turn: Turn, draft: GoalDraft) -> None:
    draft.choose_metric(value, default_currency(turn.user.timezone, turn._.language))


CUSTOM_METRIC_TEXT = N_(
    "Name your measure and its unit, for example “referrals, count” or “renewals, contracts”."
)
_UNIT_SEPARATOR = re.compile(r"\s*[,，、;；/]\s*|\s+(?=\S+$)")


def _split_unit(text: str) -> tuple[str, str]:
    """ "referrals, count" -> (referrals, count); "回款 元" -> (回款, 元); a lone name has no unit."""
    parts = _UNIT_SEPARATOR.split(text.strip(), maxsplit=1)
    return parts[0].strip(), parts[1].strip() if len(parts) > 1 else ""


def parse_custom_metric(answer: Answer, turn: Turn, draft: GoalDraft) -> tuple[str, str]:
    name, unit = _split_unit(typed_or_chosen(answer))
    if not name or not any(char.isalpha() for char in name) or len(name) > 64 or len(unit) > 16:
        raise Reject(turn._("Please give a short name and a unit, for example “referrals, count”."))
    return name, unit or "count"


def keep_custom_metric(value: tuple[str, str], turn: Turn, draft: GoalDraft) -> None:
    name, unit = value
    draft.metric_name = name
    if is_currency_unit(unit):
        draft.kind = MetricKind.CURRENCY.value
        draft.unit = currency_in_text(unit) or default_currency(turn.user.timezone, turn._.language)
    else:
        draft.kind, draft.unit = MetricKind.COUNT.value, unit


DESCRIPTION_TEXT = N_(
    "In one line: what exactly will improve, and for whom or where? For example: "
    "“sell the ERP upgrade to hospital clients in East China”."
)


def parse_description(answer: Answer, turn: Turn, draft: GoalDraft) -> str:
    text = " ".join(typed_or_chosen(answer).split())
    problem = description_problem(text)
    if problem is TextProblem.VAGUE:
        raise Reject(
            turn._(
                "“{text}” is a direction, not yet a goal: it does not say what, for whom or where, so you "
                "could never tell when it is done. A specific goal sounds like “raise revenue 20% next "
                "quarter by selling the new model to existing retail clients”. What exactly will improve?",
                text=echo(text),
            )
        )
    if problem is not None:
        raise Reject(text_problem_message(problem, MAX_DESCRIPTION, turn._))
    return text


# M — the target ----------------------------------------------------------------------------------


def target_text(turn: Turn, draft: GoalDraft) -> str:
    _ = turn._
    if draft.metric_kind is MetricKind.CURRENCY:
        return _(
            "M — Measurable. How much {metric} do you want to reach by the deadline? Type an amount "
            "(500k, 1.2M, $80,000) or growth over your previous period (20%).",
            metric=metric_label(draft, _),
        )
    return _(
        "M — Measurable. How many {metric} by the deadline? Type a number (30, twelve) or growth "
        "over your previous period (20%).",
        metric=metric_label(draft, _),
    )


def parse_target(answer: Answer, turn: Turn, draft: GoalDraft) -> Target:
    text = typed_or_chosen(answer)
    language = turn._.language
    percent = parse_percent(text, lang=language)
    if percent is not None:
        problem = growth_problem(percent)
        if problem is AmountProblem.TOO_LARGE:
            raise Reject(turn._("Growth above 1000% is not a plan; please check the percentage."))
        if problem is not None:
            raise Reject(turn._("Growth must be above 0%. Type, for example, 15%."))
        return GROWTH, percent, None
    refuse_date_as_amount(text, turn, draft)
    amount = parse_amount(text, lang=language)
    problem = amount_problem(amount, draft.metric_kind)
    if problem is not None or amount is None:
        raise Reject(amount_problem_message(problem or AmountProblem.NOT_A_NUMBER, text, draft, turn._))
    return ABSOLUTE, amount, currency_in_text(text)


def set_target(value: Target, turn: Turn, draft: GoalDraft) -> None:
    draft.target_kind, number, currency = value
    if draft.target_kind == GROWTH:
        draft.growth_percent, draft.target_value = number, None
        draft.settle_target()
    else:
        draft.growth_percent, draft.target_value = None, number
    if currency and draft.metric_kind is MetricKind.CURRENCY:
        draft.unit = currency


def keep_target(value: Target, turn: Turn, draft: GoalDraft) -> str:
    """Keep the target and say in one line how it was understood."""
    set_target(value, turn, draft)
    _ = turn._
    if draft.target_kind == GROWTH:
        return _("Target: {percent}% growth on the previous period.", percent=percent_text(value[1]))
    assert draft.target_value is not None
    return _("Target: {amount}.", amount=amount_text(draft.target_value, draft, _))


# A — the baseline, the ambition check, the confidence --------------------------------------------


def baseline_text(turn: Turn, draft: GoalDraft) -> str:
    _ = turn._
    assert draft.start_date is not None and draft.deadline is not None
    question = _(
        "A — Achievable. For comparison: over the {period} before this goal, what was your total for "
        "{metric}?",
        metric=metric_label(draft, _),
        period=period_text(period_between(draft.start_date, draft.deadline), _),
    )
    if draft.target_kind == GROWTH:
        return question + "\n" + _("Your growth target is measured against this figure.")
    return question


def baseline_buttons(turn: Turn, draft: GoalDraft) -> ButtonRows:
    return () if draft.target_kind == GROWTH else ((Button(turn._("I have no such figure"), "none"),),)


def parse_baseline(answer: Answer, turn: Turn, draft: GoalDraft) -> Decimal | None:
    if answer.choice == "none" and draft.target_kind == ABSOLUTE:
        return None
    text = typed_or_chosen(answer)
    refuse_date_as_amount(text, turn, draft)
    amount = parse_amount(text, lang=turn._.language)
    problem = amount_problem(amount, draft.metric_kind, zero_allowed=draft.target_kind == ABSOLUTE)
    if problem is AmountProblem.ZERO:
        raise Reject(
            turn._(
                "Growth on top of zero cannot be measured. Type the figure, or go back and set an "
                "absolute target."
            )
        )
    if problem is not None or amount is None:
        raise Reject(amount_problem_message(problem or AmountProblem.NOT_A_NUMBER, text, draft, turn._))
    return amount


def keep_baseline(value: Decimal | None, turn: Turn, draft: GoalDraft) -> str:
    """Keep the earlier figure and say in one line how it was understood (and the target it gives)."""
    draft.baseline, draft.baseline_known = value, value is not None
    draft.settle_target()
    _ = turn._
    if value is None:
        return _("Noted: no earlier figure.")
    if draft.target_kind == GROWTH and draft.target_value is not None:
        return _(
            "Earlier figure: {baseline}, so the target is {target}.",
            baseline=amount_text(value, draft, _),
            target=amount_text(draft.target_value, draft, _),
        )
    return _("Earlier figure: {baseline}.", baseline=amount_text(value, draft, _))


# From this growth on (ten times the earlier figure), the warning says "N times" rather than a percent.
TIMES_FROM_PERCENT = Decimal(900)


def ambition_text(turn: Turn, draft: GoalDraft) -> str:
    _ = turn._
    check = draft.ambition()
    assert (
        draft.start_date and draft.deadline and draft.target_value is not None and draft.baseline is not None
    )
    values = {
        "target": amount_text(draft.target_value, draft, _),
        "growth": percent_text(check.growth_percent or Decimal(0)),
        "period": period_text(period_between(draft.start_date, draft.deadline), _),
        "baseline": amount_text(draft.baseline, draft, _),
    }
    growth = check.growth_percent or Decimal(0)
    if check.verdict is Ambition.UNREALISTIC and growth >= TIMES_FROM_PERCENT:
        # "6249900% above" reads as noise; "62,500 times" is the same fact a salesperson can repeat.
        times = (draft.target_value / draft.baseline).quantize(Decimal(1)) if draft.baseline else Decimal(0)
        return _(
            "Heads-up: {target} is {times} times the previous {period} ({baseline}). Jumps of 50% or more "
            "in the same time are rare, and a goal that feels out of reach is usually dropped. Keep it, or "
            "adjust the target?",
            **values,
            times=number_text(times, _),
        )
    if check.verdict is Ambition.UNREALISTIC:
        return _(
            "Heads-up: {target} is {growth}% above the previous {period} ({baseline}). Jumps of 50% or more "
            "in the same time are rare, and a goal that feels out of reach is usually dropped. Keep it, or "
            "adjust the target?",
            **values,
        )
    return _(
        "{target} is only {growth}% above the previous {period} ({baseline}). A goal this close to what "
        "you already do will hardly push you. Keep it, or raise the target?",
        **values,
    )


AMBITION_CHOICES = (((N_("Keep it"), "keep"), (N_("Adjust the target"), "adjust")),)


def parse_ambition(answer: Answer, turn: Turn, draft: GoalDraft) -> str:
    return choice_of(
        answer, KEEP_OR_ADJUST, lambda: Reject(turn._("Please tap “Keep it” or “Adjust the target”."))
    )


def keep_ambition(value: str, turn: Turn, draft: GoalDraft) -> None:
    draft.ambition_decision = "kept" if value == "keep" else "adjusted"
    draft.reviewed_target = draft.target_value if value == "keep" else None


CONFIDENCE_TEXT = N_("How sure are you that you will reach it, from 1 (not at all) to 10 (certain)?")
CONFIDENCE_CHOICES = tuple(tuple((str(n), str(n)) for n in range(first, first + 5)) for first in (1, 6))


def parse_confidence(answer: Answer, turn: Turn, draft: GoalDraft) -> int:
    value = parse_small_number(typed_or_chosen(answer), out_of=10)
    if value is None or not 1 <= value <= 10:
        raise Reject(turn._("Please pick a number from 1 to 10."))
    return value


# R — the objective it serves ---------------------------------------------------------------------


def relevance_text(turn: Turn, draft: GoalDraft) -> str:
    _ = turn._
    if draft.is_custom and not looks_sales_related(draft.metric_name or ""):
        return _(
            "“{metric}” does not sound like a sales measure. How does it help your selling, and "
            "which company or team objective does it serve?",
            metric=draft.metric_name,
        )
    return _(
        "R — Relevant. Which company or team objective does this goal serve? For example: “the "
        "company's +30% revenue target this year”."
    )


def parse_relevance(answer: Answer, turn: Turn, draft: GoalDraft) -> str:
    text = " ".join(typed_or_chosen(answer).split())
    problem = relevance_problem(text)
    if problem is TextProblem.VAGUE:
        raise Reject(
            turn._(
                "Name the objective itself, for example “the team's target of 20 new hospital clients in Q1”."
            )
        )
    if problem is not None:
        raise Reject(text_problem_message(problem, MAX_RELEVANCE, turn._))
    return text
