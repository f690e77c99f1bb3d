"""/newgoal: the SMART goal wizard, and the editing of a saved goal with the same questions.

Order: S (measure, description), M (target), T (deadline), A (baseline, ambition, a revenue goal's
average deal, confidence), R (objective), then the summary card. T comes before A because "achievable"
compares the target with what the user reached in a period as long as the goal, which the deadline fixes.
Editing one part (from the summary, or from a goal card) asks that part and what depends on it,
then goes to `return_to`: the summary of a new goal, or saving an edited one.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from bot.core.dialog import Answer, Button, Outgoing, Reject
from bot.core.goal_draft import ABSOLUTE, GROWTH, GoalDraft
from bot.core.metrics import CUSTOM
from bot.core.smart import LOW_CONFIDENCE, Milestone, figures_in_description, first_milestone
from bot.core.vocabulary import yes_no_choices
from bot.i18n import N_
from bot.services.dialogs import FINISH, ButtonRows, Flow, Question, Route, Step
from bot.services.dialogs.parsing import choice_of, in_rows, not_kept, typed_or_chosen
from bot.services.flows import deal_size_question as deal_size
from bot.services.flows import goal_questions as smart
from bot.services.goal_text import amount_text, date_text, goal_sentence, percent_text, smart_card
from bot.services.goals import MAX_OPEN_GOALS, GoalLimitReached, apply_changes, create_goal, draft_of
from bot.services.plans import local_today, set_average_deal
from bot.services.turn import Turn
from bot.storage.models import Goal
from bot.storage.repositories.goals import GoalRepository

NEW_GOAL = "new_goal"
EDIT_GOAL = "edit_goal"
USE_OR_KEEP = yes_no_choices(yes="use", no="keep") | {
    "use": "use",
    "milestone": "use",
    "用": "use",
    "采用里程碑": "use",
    "keep": "keep",
    "保留": "keep",
    "保留原目标": "keep",
}
SAVE_OR_EDIT = yes_no_choices(yes="save", no="edit") | {
    "save": "save",
    "保存": "save",
    "edit": "edit",
    "修改": "edit",
    "修改某一项": "edit",
}
EDITABLE_PARTS = (
    ("metric", N_("Measure")),
    ("description", N_("Description")),
    ("target", N_("Target")),
    ("deadline", N_("Deadline")),
    ("baseline", N_("Earlier figure")),
    ("confidence", N_("Confidence")),
    ("relevance", N_("Objective")),
)


@dataclass
class GoalAnswers(GoalDraft):
    """The goal as the wizard collects it, and where the wizard stands."""

    goal_id: int | None = None  # the goal being edited
    # A revenue goal's average deal (kept in its plan row on saving); None when not known yet.
    average_deal: Decimal | None = None
    deal_size_asked: bool = False
    # The goal before a milestone replaced it: Back to the milestone offers the same one again.
    before_milestone: GoalDraft | None = None
    # While one part is edited: the step after it (the summary, or FINISH when editing a saved goal).
    return_to: str | None = None
    # What the description already said, offered as buttons at the target and the deadline.
    described_amount: Decimal | None = None
    described_growth: Decimal | None = None
    described_deadline: date | None = None
    described_deadline_words: str = ""


# What the description already says ------------------------------------------------------------------


def keep_description(value: str, turn: Turn, answers: GoalAnswers) -> None:
    answers.description = value
    figures = figures_in_description(value, local_today(turn.user, turn.now), smart.country_of(turn))
    answers.described_amount, answers.described_growth = figures.amount, figures.growth_percent
    answers.described_deadline = figures.deadline
    answers.described_deadline_words = figures.deadline_words


def described_target(turn: Turn, answers: GoalAnswers) -> ButtonRows:
    """The amount or growth the description named, as a button at the target question."""
    _ = turn._
    if answers.described_amount is not None:
        amount = answers.described_amount
        return ((Button(amount_text(amount, answers, _), format(amount.normalize(), "f")),),)
    if answers.described_growth is not None:
        growth = percent_text(answers.described_growth)
        return ((Button(_("{percent}% growth", percent=growth), f"{growth}%"),),)
    return ()


def described_deadline(turn: Turn, answers: GoalAnswers) -> ButtonRows:
    """The deadline the description named ("下季度（2027年3月31日）"), as a button at the deadline question."""
    day = answers.described_deadline
    if day is None or day <= local_today(turn.user, turn.now):
        return ()
    label = turn._("{words} ({date})", words=answers.described_deadline_words, date=date_text(day, turn._))
    return ((Button(label, day.isoformat()),),)


# Routes ------------------------------------------------------------------------------------------


def onward(first_time: str) -> Route[Any, GoalAnswers]:
    """`first_time` in the wizard's order, or `return_to` once the part being edited is answered."""

    def route(value: Any, turn: Turn, answers: GoalAnswers) -> str:
        if answers.return_to is None:
            return first_time
        after_edit, answers.return_to = answers.return_to, None
        return after_edit

    return route


def after_metric(value: str, turn: Turn, answers: GoalAnswers) -> str:
    # A new measure needs its own target, so editing it continues to the target.
    if value == CUSTOM:
        return "custom_metric"
    return "target" if answers.return_to else "description"


def after_custom_metric(value: object, turn: Turn, answers: GoalAnswers) -> str:
    return "target" if answers.return_to else "description"


def after_figures(value: object, turn: Turn, answers: GoalAnswers) -> str:
    return "ambition" if answers.awaits_ambition_review else after_checks(value, turn, answers)


def after_checks(value: object, turn: Turn, answers: GoalAnswers) -> str:
    """Once target and baseline stand: a revenue goal's deal size (asked once), then the confidence."""
    if deal_size.asks_deal_size(answers) and not answers.deal_size_asked:
        return "average_deal"
    return onward("confidence")(value, turn, answers)


def after_target(value: object, turn: Turn, answers: GoalAnswers) -> str:
    if answers.deadline is None:
        return "deadline"
    if answers.target_kind == GROWTH and not answers.baseline_known:
        return "baseline"
    return after_figures(value, turn, answers)


def after_ambition(value: str, turn: Turn, answers: GoalAnswers) -> str:
    return "target" if value == "adjust" else after_checks(value, turn, answers)


def after_confidence(value: int, turn: Turn, answers: GoalAnswers) -> str:
    return "milestone" if value < LOW_CONFIDENCE else onward("relevance")(value, turn, answers)


def keep_deal_size(value: Decimal | None, turn: Turn, answers: GoalAnswers) -> str:
    answers.average_deal, answers.deal_size_asked = value, True
    return deal_size.deal_size_line(value, answers, turn._)


# The milestone, the summary and the choice of a part to edit --------------------------------------


def milestone_of(draft: GoalDraft) -> Milestone:
    assert draft.target_value is not None and draft.start_date and draft.deadline
    return first_milestone(draft.target_value, draft.start_date, draft.deadline, draft.metric_kind)


def milestone_text(turn: Turn, answers: GoalAnswers) -> str:
    draft = answers.before_milestone or answers
    _ = turn._
    milestone = milestone_of(draft)
    return _(
        "A {confidence} out of 10 says part of you doubts it. A smaller first milestone often works better: "
        "{target} by {deadline}. Make that your goal for now? The next step can follow it.",
        confidence=draft.confidence,
        target=amount_text(milestone.target, draft, _),
        deadline=date_text(milestone.deadline, _),
    )


def parse_milestone(answer: Answer, turn: Turn, answers: GoalAnswers) -> str:
    return choice_of(
        answer, USE_OR_KEEP, lambda: Reject(turn._("Please tap “Use the milestone” or “Keep my goal”."))
    )


def keep_milestone(value: str, turn: Turn, answers: GoalAnswers) -> str | None:
    if answers.before_milestone is None:
        answers.before_milestone = GoalDraft()
        smart.copy_draft(answers, answers.before_milestone)
    before = answers.before_milestone
    smart.copy_draft(before, answers)
    if value != "use":
        return None
    milestone = milestone_of(before)
    answers.target_kind, answers.growth_percent = ABSOLUTE, None
    answers.target_value, answers.deadline = milestone.target, milestone.deadline
    _ = turn._
    return _(
        "Milestone set: {target} by {deadline}.",
        target=amount_text(milestone.target, answers, _),
        deadline=date_text(milestone.deadline, _),
    )


def parse_summary(answer: Answer, turn: Turn, answers: GoalAnswers) -> str:
    return choice_of(answer, SAVE_OR_EDIT, lambda: Reject(turn._("Please tap “Save” or “Edit a part”.")))


def parse_part(answer: Answer, turn: Turn, answers: GoalAnswers) -> str:
    by_label = {turn._(label).casefold(): part for part, label in EDITABLE_PARTS}
    chosen = (
        answer.choice
        if answer.choice in dict(EDITABLE_PARTS)
        else by_label.get(typed_or_chosen(answer).casefold())
    )
    if chosen is None:
        raise Reject(turn._("Please tap the part you want to change."))
    return chosen


def edit_part(return_to: str) -> Question[GoalAnswers, str]:
    """Which part to change; once it is answered, the dialog goes on to `return_to`."""

    def store(value: str, turn: Turn, answers: GoalAnswers) -> None:
        answers.return_to = return_to

    return Question(
        name="edit_part",
        text=N_("Which part do you want to change?"),
        buttons=in_rows([(label, part) for part, label in EDITABLE_PARTS], 3),
        parser=parse_part,
        store=store,
        next=lambda value, turn, answers: value,
    )


# The wizard --------------------------------------------------------------------------------------


def wizard_questions() -> list[Step[GoalAnswers, Any]]:
    return [
        Question(name="metric", text=smart.METRIC_TEXT, buttons=in_rows(smart.METRIC_CHOICES, 2),
                 parser=smart.parse_metric, store=smart.keep_metric, next=after_metric),
        Question(name="custom_metric", text=smart.CUSTOM_METRIC_TEXT, parser=smart.parse_custom_metric,
                 store=smart.keep_custom_metric, next=after_custom_metric),
        Question(name="description", text=smart.DESCRIPTION_TEXT, parser=smart.parse_description,
                 store=keep_description, next=onward("target")),
        Question(name="target", text=smart.target_text, buttons=described_target, parser=smart.parse_target,
                 store=smart.keep_target, next=after_target),
        # The comparison period follows the deadline, so its figure is asked again.
        Question(name="deadline", text=smart.DEADLINE_TEXT, buttons=described_deadline,
                 parser=smart.parse_goal_deadline, store=smart.keep_deadline, next="baseline"),
        Question(name="baseline", text=smart.baseline_text, buttons=smart.baseline_buttons,
                 parser=smart.parse_baseline, store=smart.keep_baseline, next=after_figures),
        Question(name="ambition", text=smart.ambition_text, buttons=smart.AMBITION_CHOICES,
                 parser=smart.parse_ambition, store=smart.keep_ambition, next=after_ambition),
        Question(name="average_deal", text=deal_size.deal_size_text, buttons=deal_size.DEAL_SIZE_BUTTONS,
                 parser=deal_size.parse_deal_size, store=keep_deal_size, next=after_checks),
        Question(name="confidence", text=smart.CONFIDENCE_TEXT, buttons=smart.CONFIDENCE_CHOICES,
                 parser=smart.parse_confidence, next=after_confidence),
        Question(name="milestone", text=milestone_text,
                 buttons=(((N_("Use the milestone"), "use"), (N_("Keep my goal"), "keep")),),
                 parser=parse_milestone, store=keep_milestone, next=onward("relevance")),
        Question(name="relevance", text=smart.relevance_text, parser=smart.parse_relevance,
                 next=onward("summary")),
        Question(name="summary", text=lambda turn, answers: smart_card(answers, turn._),
                 buttons=(((N_("💾 Save"), "save"), (N_("✏️ Edit a part"), "edit")),),
                 parser=parse_summary, store=not_kept,
                 next=lambda value, turn, answers: FINISH if value == "save" else "edit_part"),
    ]  # fmt: skip


async def save_new_goal(turn: Turn, answers: GoalAnswers) -> Sequence[Outgoing]:
    _ = turn._
    try:
        goal = await create_goal(turn.session, turn.user, answers, turn.now)
    except GoalLimitReached:
        return [
            Outgoing(
                _(
                    "You already have {limit} open goals. Finish, pause or delete one in /goals first.",
                    limit=MAX_OPEN_GOALS,
                )
            )
        ]
    if answers.average_deal is not None:
        await set_average_deal(turn.session, goal.id, answers.average_deal, turn.now)
    return [
        Outgoing(
            _(
                "Saved! {sentence}\n\nNext: /plan shows what this month, this week and today need. /goals lets you "
                "change the goal.",
                sentence=goal_sentence(answers, _),
            )
        )
    ]


def new_goal_flow() -> Flow[GoalAnswers]:
    return Flow(
        name=NEW_GOAL,
        answers=GoalAnswers,
        steps=[*wizard_questions(), edit_part(return_to="summary")],
        finish=save_new_goal,
        cancelled_message=N_("Goal discarded; nothing was saved."),
    )


async def save_edited_goal(turn: Turn, answers: GoalAnswers) -> Sequence[Outgoing]:
    _ = turn._
    goal = await GoalRepository(turn.session).owned(turn.user.id, int(answers.goal_id or 0))
    if goal is None:
        return [Outgoing(_("That goal is no longer there, so nothing was changed."))]
    changed = await apply_changes(turn.session, turn.user, goal, answers, turn.now)
    if not changed:
        return [Outgoing(_("Nothing changed."))]
    return [Outgoing(_("Updated. {sentence}", sentence=goal_sentence(answers, _)))]


def edit_goal_flow() -> Flow[GoalAnswers]:
    return Flow(
        name=EDIT_GOAL,
        answers=GoalAnswers,
        steps=[edit_part(return_to=FINISH), *wizard_questions()],
        finish=save_edited_goal,
        cancelled_message=N_("Editing stopped; the goal is unchanged."),
    )


async def start_new_goal(turn: Turn, preface: Sequence[Outgoing] = ()) -> list[Outgoing]:
    """The wizard's first question."""
    return await turn.services.dialogs.start(turn, NEW_GOAL, preface=preface)


async def start_edit_goal(turn: Turn, goal: Goal) -> list[Outgoing]:
    """Which part of the saved `goal` to change; saving follows the part and what depends on it."""
    # A saved goal's deal size is changed on its plan ("Deal size & rates"), not here.
    answers = GoalAnswers(goal_id=goal.id, return_to=FINISH, deal_size_asked=True)
    smart.copy_draft(draft_of(goal), answers)
    return await turn.services.dialogs.start(turn, EDIT_GOAL, answers=answers)
