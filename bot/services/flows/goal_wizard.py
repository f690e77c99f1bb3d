"""/newgoal: the SMART goal wizard, and the editing of a saved goal with the same steps.

Order: S (measure, description), M (target), T (deadline), A (baseline, ambition, confidence),
R (objective), then the summary card. T comes before A because "achievable" compares the target
with what the user reached in a period as long as the goal, which the deadline fixes.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import date
from decimal import Decimal
from typing import Any

from bot.core.currency import currency_in_text, default_currency
from bot.core.dates import parse_deadline
from bot.core.dialog import Answer, Button, Outgoing, Prompt, Reject
from bot.core.goal_draft import ABSOLUTE, GROWTH, GoalDraft
from bot.core.metrics import CUSTOM, METRIC_WORDS, MetricKind, is_currency_unit, looks_sales_related
from bot.core.numbers import parse_amount, parse_percent, parse_small_number
from bot.core.smart import (
    LOW_CONFIDENCE,
    MAX_DESCRIPTION,
    MAX_RELEVANCE,
    Ambition,
    AmountProblem,
    DeadlineProblem,
    Milestone,
    TextProblem,
    amount_problem,
    deadline_problem,
    description_problem,
    first_milestone,
    growth_problem,
    is_asap,
    period_between,
    relevance_problem,
)
from bot.core.vocabulary import yes_no_choices
from bot.i18n import N_, Translator
from bot.services.dialogs import FINISH, Flow, Step, StepContext
from bot.services.flows.profile_steps import choice_of, echo, typed_or_chosen
from bot.services.goal_text import (
    METRIC_BUTTONS,
    amount_text,
    date_text,
    goal_sentence,
    metric_label,
    percent_text,
    period_text,
    smart_card,
)
from bot.services.goals import MAX_OPEN_GOALS, GoalLimitReached, apply_changes, create_goal
from bot.services.plans import local_today
from bot.storage.repositories.goals import GoalRepository

NEW_GOAL = "new_goal"
EDIT_GOAL = "edit_goal"
GOAL_ID = "goal_id"
BEFORE_MILESTONE = "before_milestone"
EDITING = "editing"
KEEP_OR_ADJUST = yes_no_choices(yes="keep", no="adjust") | {
    "keep": "keep",
    "keep it": "keep",
    "保持": "keep",
    "保留": "keep",
    "adjust": "adjust",
    "调整": "adjust",
}
USE_OR_KEEP = yes_no_choices(yes="use", no="keep") | {
    "use": "use",
    "milestone": "use",
    "用": "use",
    "keep": "keep",
    "保留": "keep",
}
SAVE_OR_EDIT = yes_no_choices(yes="save", no="edit") | {
    "save": "save",
    "保存": "save",
    "edit": "edit",
    "修改": "edit",
}


def draft_in(ctx: StepContext) -> GoalDraft:
    return GoalDraft.from_data(ctx.data)


def keep(ctx: StepContext, draft: GoalDraft) -> None:
    ctx.data.update(draft.to_data())


class MetricStep(Step):
    name = "metric"

    def prompt(self, ctx: StepContext) -> Prompt:
        _ = ctx._
        buttons = [Button(_(label), key) for key, label in METRIC_BUTTONS]
        rows = tuple(tuple(buttons[i : i + 2]) for i in range(0, len(buttons), 2))
        return Prompt(_("S — Specific. What will you improve? Pick the measure:"), rows)

    def parse(self, answer: Answer, ctx: StepContext) -> str:
        choice = answer.choice if answer.choice in dict(METRIC_BUTTONS) else None
        value = choice or METRIC_WORDS.get(typed_or_chosen(answer).casefold())
        if value is None:
            raise Reject(ctx._("Tap one of the measures, or “✏️ My own measure” to name another."))
        return value

    async def store(self, value: str, ctx: StepContext) -> None:
        draft = draft_in(ctx)
        draft.choose_metric(value, default_currency(ctx.user.timezone, ctx._.language))
        keep(ctx, draft)


_UNIT_SEPARATOR = re.compile(r"\s*[,，、;；/]\s*|\s+(?=\S+$)")


class CustomMetricStep(Step):
    name = "custom_metric"

    def prompt(self, ctx: StepContext) -> Prompt:
        return Prompt(ctx._("Name your measure and its unit, for example “referrals, count” or “回款, 元”."))

    def parse(self, answer: Answer, ctx: StepContext) -> tuple[str, str]:
        text = typed_or_chosen(answer)
        name, unit = _split_unit(text)
        if not name or not any(char.isalpha() for char in name) or len(name) > 64 or len(unit) > 16:
            raise Reject(ctx._("Please give a short name and a unit, for example “referrals, count”."))
        return name, unit or "count"

    async def store(self, value: tuple[str, str], ctx: StepContext) -> None:
        draft = draft_in(ctx)
        name, unit = value
        draft.metric_name = name
        if is_currency_unit(unit):
            draft.kind = MetricKind.CURRENCY.value
            draft.unit = currency_in_text(unit) or default_currency(ctx.user.timezone, ctx._.language)
        else:
            draft.kind, draft.unit = MetricKind.COUNT.value, unit
        keep(ctx, draft)


def _split_unit(text: str) -> tuple[str, str]:
    """ "referrals, count" -> (referrals, count); "回款 元" -> (回款, 元); a lone name has no unit."""
    parts = _UNIT_SEPARATOR.split(text.strip(), maxsplit=1)
    return parts[0].strip(), parts[1].strip() if len(parts) > 1 else ""


def text_problem_message(problem: TextProblem, limit: int, _: Translator) -> str:
    if problem is TextProblem.NO_WORDS:
        return _("Please put it in words; emoji or numbers alone do not say enough.")
    return _("Please keep it to one line: {limit} characters at most.", limit=limit)


class DescriptionStep(Step):
    name = "description"

    def prompt(self, ctx: StepContext) -> Prompt:
        return Prompt(
            ctx._(
                "In one line: what exactly will improve, and for whom or where? For example: "
                "“sell the ERP upgrade to hospital clients in East China”."
            )
        )

    def parse(self, answer: Answer, ctx: StepContext) -> str:
        text = " ".join(typed_or_chosen(answer).split())
        problem = description_problem(text)
        if problem is TextProblem.VAGUE:
            raise Reject(
                ctx._(
                    "“{text}” is a direction, not yet a goal: it does not say what, for whom or where, so you "
                    "could never tell when it is done. A specific goal sounds like “raise revenue 20% next "
                    "quarter by selling the new model to existing retail clients”. What exactly will improve?",
                    text=echo(text),
                )
            )
        if problem is not None:
            raise Reject(text_problem_message(problem, MAX_DESCRIPTION, ctx._))
        return text


def amount_problem_message(problem: AmountProblem, text: str, draft: GoalDraft, _: Translator) -> str:
    messages = {
        AmountProblem.NOT_A_NUMBER: _(
            "I could not read one number in “{text}”. Examples: 50万, 500k, 1.2M, 30.", text=echo(text)
        ),
        AmountProblem.ZERO: _("Zero leaves nothing to reach. Which number would make this period a success?"),
        AmountProblem.NEGATIVE: _("A target cannot be negative. Please type the number you want to reach."),
        AmountProblem.TOO_LARGE: _(
            "That number is far beyond what one salesperson can reach; please check it."
        ),
        AmountProblem.NOT_WHOLE: _("Please use a whole number for {metric}.", metric=metric_label(draft, _)),
    }
    return messages[problem]


class TargetStep(Step):
    name = "target"

    def prompt(self, ctx: StepContext) -> Prompt:
        draft = draft_in(ctx)
        _ = ctx._
        if draft.metric_kind is MetricKind.CURRENCY:
            return Prompt(
                _(
                    "M — Measurable. How much {metric} do you want to reach by the deadline? Type an amount "
                    "(50万, 1.2M, ¥80,000) or growth over your previous period (20%).",
                    metric=metric_label(draft, _),
                )
            )
        return Prompt(
            _(
                "M — Measurable. How many {metric} by the deadline? Type a number (30, 十个) or growth "
                "over your previous period (20%).",
                metric=metric_label(draft, _),
            )
        )

    def parse(self, answer: Answer, ctx: StepContext) -> tuple[str, Decimal, str | None]:
        text = typed_or_chosen(answer)
        draft = draft_in(ctx)
        language = ctx._.language
        percent = parse_percent(text, lang=language)
        if percent is not None:
            problem = growth_problem(percent)
            if problem is AmountProblem.TOO_LARGE:
                raise Reject(ctx._("Growth above 1000% is not a plan; please check the percentage."))
            if problem is not None:
                raise Reject(ctx._("Growth must be above 0%. Type, for example, 15%."))
            return GROWTH, percent, None
        amount = parse_amount(text, lang=language)
        problem = amount_problem(amount, draft.metric_kind)
        if problem is not None or amount is None:
            raise Reject(amount_problem_message(problem or AmountProblem.NOT_A_NUMBER, text, draft, ctx._))
        return ABSOLUTE, amount, currency_in_text(text)

    async def store(self, value: tuple[str, Decimal, str | None], ctx: StepContext) -> None:
        draft = draft_in(ctx)
        draft.target_kind, number, currency = value
        if draft.target_kind == GROWTH:
            draft.growth_percent, draft.target_value = number, None
            draft.settle_target()
        else:
            draft.growth_percent, draft.target_value = None, number
        if currency and draft.metric_kind is MetricKind.CURRENCY:
            draft.unit = currency
        keep(ctx, draft)


class DeadlineStep(Step):
    name = "deadline"

    def prompt(self, ctx: StepContext) -> Prompt:
        return Prompt(
            ctx._("T — Time-bound. By when? For example: end of next month, 下月底, end of Q2, 2027-03-31.")
        )

    def parse(self, answer: Answer, ctx: StepContext) -> date:
        text = typed_or_chosen(answer)
        _ = ctx._
        if is_asap(text):
            raise Reject(
                _(
                    "“As soon as possible” has no finish line, so you can never tell whether you are on time. "
                    "Pick a date, for example the end of next month or the end of this quarter."
                )
            )
        today = local_today(ctx.user, ctx.now)
        deadline = parse_deadline(text, today=today, lang=_.language)
        if deadline is None:
            raise Reject(
                _(
                    "I could not read a date in “{text}”. Try: end of next month, 下周五, 2027-03-31.",
                    text=echo(text),
                )
            )
        problem = deadline_problem(deadline, today)
        if problem is DeadlineProblem.PAST:
            raise Reject(
                _("{date} is not in the future. Please pick a later day.", date=date_text(deadline, _))
            )
        if problem is DeadlineProblem.TOO_FAR:
            raise Reject(
                _(
                    "{date} is more than 3 years away. Set a nearer deadline; the next goal can follow it.",
                    date=date_text(deadline, _),
                )
            )
        return deadline

    async def store(self, value: date, ctx: StepContext) -> None:
        draft = draft_in(ctx)
        draft.start_date, draft.deadline = local_today(ctx.user, ctx.now), value
        keep(ctx, draft)


class BaselineStep(Step):
    name = "baseline"

    def prompt(self, ctx: StepContext) -> Prompt:
        draft = draft_in(ctx)
        _ = ctx._
        assert draft.start_date is not None and draft.deadline is not None
        period = period_text(period_between(draft.start_date, draft.deadline), _)
        question = _(
            "A — Achievable. How much {metric} did you reach in the previous {period}, a stretch as long "
            "as this goal?",
            metric=metric_label(draft, _),
            period=period,
        )
        if draft.target_kind == GROWTH:
            return Prompt(question + "\n" + _("Your growth target is measured against this figure."))
        return Prompt(question, ((Button(_("I have no such figure"), "none"),),))

    def parse(self, answer: Answer, ctx: StepContext) -> Decimal | None:
        draft = draft_in(ctx)
        if answer.choice == "none" and draft.target_kind == ABSOLUTE:
            return None
        text = typed_or_chosen(answer)
        amount = parse_amount(text, lang=ctx._.language)
        problem = amount_problem(amount, draft.metric_kind, zero_allowed=draft.target_kind == ABSOLUTE)
        if problem is AmountProblem.ZERO:
            raise Reject(
                ctx._(
                    "Growth on top of zero cannot be measured. Type the figure, or go back and set an "
                    "absolute target."
                )
            )
        if problem is not None or amount is None:
            raise Reject(amount_problem_message(problem or AmountProblem.NOT_A_NUMBER, text, draft, ctx._))
        return amount

    async def store(self, value: Decimal | None, ctx: StepContext) -> None:
        draft = draft_in(ctx)
        draft.baseline, draft.baseline_known = value, value is not None
        draft.settle_target()
        keep(ctx, draft)


class AmbitionStep(Step):
    name = "ambition"

    def prompt(self, ctx: StepContext) -> Prompt:
        draft = draft_in(ctx)
        _ = ctx._
        check = draft.ambition()
        assert (
            draft.start_date
            and draft.deadline
            and draft.target_value is not None
            and draft.baseline is not None
        )
        values = {
            "target": amount_text(draft.target_value, draft, _),
            "growth": percent_text(check.growth_percent or Decimal(0)),
            "period": period_text(period_between(draft.start_date, draft.deadline), _),
            "baseline": amount_text(draft.baseline, draft, _),
        }
        if check.verdict is Ambition.UNREALISTIC:
            text = _(
                "Heads-up: {target} is {growth}% above the previous {period} ({baseline}). Jumps of 50% or more "
                "in the same time are rare, and a goal that feels out of reach is usually dropped. Keep it, or "
                "adjust the target?",
                **values,
            )
        else:
            text = _(
                "{target} is only {growth}% above the previous {period} ({baseline}). A goal this close to what "
                "you already do will hardly push you. Keep it, or raise the target?",
                **values,
            )
        return Prompt(text, ((Button(_("Keep it"), "keep"), Button(_("Adjust the target"), "adjust")),))

    def parse(self, answer: Answer, ctx: StepContext) -> str:
        return choice_of(
            answer, KEEP_OR_ADJUST, lambda: Reject(ctx._("Please tap “Keep it” or “Adjust the target”."))
        )

    async def store(self, value: str, ctx: StepContext) -> None:
        draft = draft_in(ctx)
        draft.ambition_decision = "kept" if value == "keep" else "adjusted"
        draft.reviewed_target = draft.target_value if value == "keep" else None
        keep(ctx, draft)


class ConfidenceStep(Step):
    name = "confidence"

    def prompt(self, ctx: StepContext) -> Prompt:
        numbers = [Button(str(n), str(n)) for n in range(1, 11)]
        return Prompt(
            ctx._("How sure are you that you will reach it, from 1 (not at all) to 10 (certain)?"),
            (tuple(numbers[:5]), tuple(numbers[5:])),
        )

    def parse(self, answer: Answer, ctx: StepContext) -> int:
        value = parse_small_number(typed_or_chosen(answer), out_of=10)
        if value is None or not 1 <= value <= 10:
            raise Reject(ctx._("Please pick a number from 1 to 10."))
        return value


class MilestoneStep(Step):
    name = "milestone"

    def prompt(self, ctx: StepContext) -> Prompt:
        draft = GoalDraft.from_data(ctx.data.get(BEFORE_MILESTONE) or ctx.data)
        _ = ctx._
        milestone = self.milestone(draft)
        return Prompt(
            _(
                "A {confidence} out of 10 says part of you doubts it. A smaller first milestone often works better: "
                "{target} by {deadline}. Make that your goal for now? The next step can follow it.",
                confidence=draft.confidence,
                target=amount_text(milestone.target, draft, _),
                deadline=date_text(milestone.deadline, _),
            ),
            ((Button(_("Use the milestone"), "use"), Button(_("Keep my goal"), "keep")),),
        )

    @staticmethod
    def milestone(draft: GoalDraft) -> Milestone:
        assert draft.target_value is not None and draft.start_date and draft.deadline
        return first_milestone(draft.target_value, draft.start_date, draft.deadline, draft.metric_kind)

    def parse(self, answer: Answer, ctx: StepContext) -> str:
        return choice_of(
            answer, USE_OR_KEEP, lambda: Reject(ctx._("Please tap “Use the milestone” or “Keep my goal”."))
        )

    async def store(self, value: str, ctx: StepContext) -> str | None:
        draft = draft_in(ctx)
        # Back to this step after using the milestone must offer the same milestone, not half of it.
        before = ctx.data.setdefault(BEFORE_MILESTONE, draft.to_data())
        if value != "use":
            ctx.data.update(before)
            return None
        draft = GoalDraft.from_data(before)
        milestone = self.milestone(draft)
        draft.target_kind, draft.growth_percent = ABSOLUTE, None
        draft.target_value, draft.deadline = milestone.target, milestone.deadline
        keep(ctx, draft)
        _ = ctx._
        return _(
            "Milestone set: {target} by {deadline}.",
            target=amount_text(milestone.target, draft, _),
            deadline=date_text(milestone.deadline, _),
        )


class RelevanceStep(Step):
    name = "relevance"

    def prompt(self, ctx: StepContext) -> Prompt:
        draft = draft_in(ctx)
        _ = ctx._
        question = _(
            "R — Relevant. Which company or team objective does this goal serve? For example: “the "
            "company's +30% revenue target this year”."
        )
        if draft.is_custom and not looks_sales_related(draft.metric_name or ""):
            question = _(
                "“{metric}” does not sound like a sales measure. How does it help your selling, and "
                "which company or team objective does it serve?",
                metric=draft.metric_name,
            )
        return Prompt(question)

    def parse(self, answer: Answer, ctx: StepContext) -> str:
        text = " ".join(typed_or_chosen(answer).split())
        problem = relevance_problem(text)
        if problem is TextProblem.VAGUE:
            raise Reject(
                ctx._(
                    "Name the objective itself, for example “the team's target of 20 new hospital "
                    "clients in Q1”."
                )
            )
        if problem is not None:
            raise Reject(text_problem_message(problem, MAX_RELEVANCE, ctx._))
        return text


class SummaryStep(Step):
    name = "summary"

    def prompt(self, ctx: StepContext) -> Prompt:
        _ = ctx._
        return Prompt(
            smart_card(draft_in(ctx), _),
            ((Button(_("💾 Save"), "save"), Button(_("✏️ Edit a part"), "edit")),),
        )

    def parse(self, answer: Answer, ctx: StepContext) -> str:
        return choice_of(answer, SAVE_OR_EDIT, lambda: Reject(ctx._("Please tap “Save” or “Edit a part”.")))


EDITABLE_PARTS = (
    ("metric", N_("Measure")),
    ("description", N_("Description")),
    ("target", N_("Target")),
    ("deadline", N_("Deadline")),
    ("baseline", N_("Earlier figure")),
    ("confidence", N_("Confidence")),
    ("relevance", N_("Objective")),
)


class EditPartStep(Step):
    name = "edit_part"

    def prompt(self, ctx: StepContext) -> Prompt:
        _ = ctx._
        buttons = [Button(_(label), part) for part, label in EDITABLE_PARTS]
        return Prompt(
            _("Which part do you want to change?"), tuple(tuple(buttons[i : i + 3]) for i in range(0, 7, 3))
        )

    def parse(self, answer: Answer, ctx: StepContext) -> str:
        parts = dict(EDITABLE_PARTS)
        by_label = {ctx._(label).casefold(): part for part, label in EDITABLE_PARTS}
        chosen = answer.choice if answer.choice in parts else by_label.get(typed_or_chosen(answer).casefold())
        if chosen is None:
            raise Reject(ctx._("Please tap the part you want to change."))
        return chosen

    async def store(self, value: str, ctx: StepContext) -> None:
        ctx.data[EDITING] = True


def goal_steps() -> list[Step]:
    return [
        MetricStep(),
        CustomMetricStep(),
        DescriptionStep(),
        TargetStep(),
        DeadlineStep(),
        BaselineStep(),
        AmbitionStep(),
        ConfidenceStep(),
        MilestoneStep(),
        RelevanceStep(),
        SummaryStep(),
        EditPartStep(),
    ]


def make_route(when_done: str | None) -> Any:
    """The wizard's order; while editing a part, the dialog returns to `when_done` after it."""

    def onward(ctx: StepContext, first_time: str) -> str | None:
        if ctx.data.get(EDITING):
            ctx.data.pop(EDITING)
            return when_done
        return first_time

    def after_figures(ctx: StepContext) -> str | None:
        if draft_in(ctx).awaits_ambition_review:
            return "ambition"
        return onward(ctx, "confidence")

    def route(current: str, value: Any, ctx: StepContext) -> str | None:
        draft = draft_in(ctx)
        if current == "edit_part":
            return str(value)
        if current == "metric":
            # A new measure needs its own target, so editing it continues to the target.
            return (
                "custom_metric" if value == CUSTOM else ("target" if ctx.data.get(EDITING) else "description")
            )
        if current == "custom_metric":
            return "target" if ctx.data.get(EDITING) else "description"
        if current == "description":
            return onward(ctx, "target")
        if current == "target":
            if draft.deadline is None:
                return "deadline"
            if draft.target_kind == GROWTH and not draft.baseline_known:
                return "baseline"
            return after_figures(ctx)
        if current == "deadline":
            return "baseline"  # The comparison period follows the deadline, so its figure is asked again.
        if current == "baseline":
            return after_figures(ctx)
        if current == "ambition":
            return "target" if value == "adjust" else onward(ctx, "confidence")
        if current == "confidence":
            return "milestone" if int(value) < LOW_CONFIDENCE else onward(ctx, "relevance")
        if current == "milestone":
            return onward(ctx, "relevance")
        if current == "relevance":
            return onward(ctx, "summary")
        if current == "summary":
            return FINISH if value == "save" else "edit_part"
        return when_done

    return route


async def save_new_goal(ctx: StepContext) -> Sequence[Outgoing]:
    _ = ctx._
    draft = draft_in(ctx)
    try:
        await create_goal(ctx.session, ctx.user, draft, ctx.now)
    except GoalLimitReached:
        return [
            Outgoing(
                _(
                    "You already have {limit} open goals. Finish, pause or delete one in /goals first.",
                    limit=MAX_OPEN_GOALS,
                )
            )
        ]
    return [
        Outgoing(
            _(
                "Saved! {sentence}\n\n/goals shows your goals and lets you change them.",
                sentence=goal_sentence(draft, _),
            )
        )
    ]


def new_goal_flow() -> Flow:
    return Flow(
        name=NEW_GOAL,
        steps=goal_steps(),
        finish=save_new_goal,
        route=make_route("summary"),
        cancelled_message=N_("Goal discarded; nothing was saved."),
    )


async def save_edited_goal(ctx: StepContext) -> Sequence[Outgoing]:
    _ = ctx._
    goal = await GoalRepository(ctx.session).owned(ctx.user.id, int(ctx.data[GOAL_ID]))
    if goal is None:
        return [Outgoing(_("That goal is no longer there, so nothing was changed."))]
    draft = draft_in(ctx)
    changed = await apply_changes(ctx.session, ctx.user, goal, draft, ctx.now)
    if not changed:
        return [Outgoing(_("Nothing changed."))]
    return [Outgoing(_("Updated. {sentence}", sentence=goal_sentence(draft, _)))]


def edit_goal_flow() -> Flow:
    return Flow(
        name=EDIT_GOAL,
        steps=[EditPartStep(), *goal_steps()],
        finish=save_edited_goal,
        route=make_route(FINISH),
        cancelled_message=N_("Editing stopped; the goal is unchanged."),
    )
