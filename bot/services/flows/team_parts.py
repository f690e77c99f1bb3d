"""One-question dialogs about a split: a member's note on their part (discuss), a manager's new figure for a
member's part, and a new team target (after the lock: keep the parts, or rescale them)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from bot.core.dialog import Answer, Outgoing, Reject
from bot.core.goal_draft import GoalDraft
from bot.core.lifecycle.teams import SplitStatus
from bot.core.smart import AmountProblem
from bot.core.teams.roles import TeamAction
from bot.core.teams.split_inputs import OverAssignmentProblem, parse_hand_part, parse_over_assignment
from bot.core.teams.targets import TargetProblem, parse_team_target
from bot.i18n import N_
from bot.services.dialogs import FINISH, Flow, Question, Step
from bot.services.dialogs.parsing import choice_of, short_text, typed_or_chosen
from bot.services.flows.goal_questions import amount_problem_message
from bot.services.team_goal_text import team_draft, units_text
from bot.services.team_roster import names_of
from bot.services.team_split import discuss_part, managed_goal, own_part
from bot.services.team_split_changes import change_over, change_part, change_target, managed_part
from bot.services.turn import Turn
from bot.storage.team_models import TeamGoal

PART_NOTE, PART_CHANGE, TARGET_CHANGE = "team_part_note", "team_part_change", "team_target_change"
OVER_CHANGE = "team_over_change"
MAX_NOTE = 300


@dataclass
class PartAnswers(GoalDraft):
    """The part (or team goal) asked about, with the team goal as a draft for amounts in words."""

    part_id: int = 0
    team_goal_id: int = 0
    member_name: str = ""
    units: int = 0  # the part now, or the new figure typed
    locked: bool = False
    note: str = ""


def parse_note(answer: Answer, turn: Turn, answers: PartAnswers) -> str:
    return short_text(answer, turn, MAX_NOTE, turn._("A few words, please: what would make the part right?"))


async def save_note(turn: Turn, answers: PartAnswers) -> Sequence[Outgoing]:
    return await discuss_part(turn, answers.part_id, answers.note)


def parse_units(answer: Answer, turn: Turn, answers: PartAnswers) -> int:
    text = typed_or_chosen(answer)
    units = parse_hand_part(text, answers.metric_kind, lang=turn._.language)
    if isinstance(units, AmountProblem):
        raise Reject(amount_problem_message(units, text, answers, turn._))
    return units


def part_text(turn: Turn, answers: PartAnswers) -> str:
    _ = turn._
    return _("{name}'s part is {part}. What should it be?", name=answers.member_name,
             part=units_text(answers.units, answers, _))  # fmt: skip


async def save_part(turn: Turn, answers: PartAnswers) -> Sequence[Outgoing]:
    return await change_part(turn, answers.part_id, answers.units)


def target_text(turn: Turn, answers: PartAnswers) -> str:
    _ = turn._
    return _("The team target is {target}. What should it be? Type an amount.",
             target=units_text(answers.target_value or 0, answers, _))  # fmt: skip


def parse_target(answer: Answer, turn: Turn, answers: PartAnswers) -> int:
    text = typed_or_chosen(answer)
    spec = parse_team_target(text, answers.metric_kind, lang=turn._.language)
    if isinstance(spec, TargetProblem) or spec.is_growth:
        raise Reject(turn._("Please type the new team target as a whole amount, e.g. 1.5M or 120."))
    return int(spec.value)


def after_target(value: int, turn: Turn, answers: PartAnswers) -> str:
    return "how" if answers.locked else FINISH


HOW = {"keep": "keep", "rescale": "rescale"}


def parse_how(answer: Answer, turn: Turn, answers: PartAnswers) -> str:
    return choice_of(answer, HOW, lambda: Reject(turn._("Please tap one of the two choices.")))


@dataclass
class TargetAnswers(PartAnswers):
    new_target: int = 0
    how: str = "keep"


async def save_target(turn: Turn, answers: TargetAnswers) -> Sequence[Outgoing]:
    return await change_target(
        turn, answers.team_goal_id, answers.new_target, rescale=answers.how == "rescale"
    )


@dataclass
class OverAnswers(PartAnswers):
    over_percent: Decimal = Decimal(0)


def over_text(turn: Turn, answers: OverAnswers) -> str:
    _ = turn._
    return _("The over-assignment is {percent}%. What should it be? For example 10%, or 0 for none.",
             percent=format(answers.over_percent.normalize(), "f"))  # fmt: skip


def parse_over(answer: Answer, turn: Turn, answers: OverAnswers) -> Decimal:
    value = parse_over_assignment(typed_or_chosen(answer), lang=turn._.language)
    if value is OverAssignmentProblem.NEGATIVE:
        raise Reject(turn._("An over-assignment cannot be negative; type 0 for none."))
    if value is OverAssignmentProblem.TOO_LARGE:
        raise Reject(turn._("An over-assignment above 100% is not a plan; please check it."))
    if isinstance(value, OverAssignmentProblem):
        raise Reject(turn._("Please type a percentage, e.g. 10%, or 0 for none."))
    return value


async def save_over(turn: Turn, answers: OverAnswers) -> Sequence[Outgoing]:
    return await change_over(turn, answers.team_goal_id, answers.over_percent)


def part_flows() -> list[Flow[Any]]:
    note_steps: list[Step[PartAnswers, Any]] = [
        Question(name="note", text=N_("What would you like to discuss about your part? Your manager gets your words."),
                 parser=parse_note),
    ]  # fmt: skip
    part_steps: list[Step[PartAnswers, Any]] = [
        Question(name="units", text=part_text, parser=parse_units),
    ]
    target_steps: list[Step[TargetAnswers, Any]] = [
        Question(name="new_target", text=target_text, parser=parse_target, next=after_target),
        Question(name="how", text=N_("The split is locked. Keep every part as it is (the difference shows as the "
                                     "remainder), or rescale every part to the new target?"),
                 buttons=(((N_("Keep the parts"), "keep"), (N_("Rescale every part"), "rescale")),),
                 parser=parse_how),
    ]  # fmt: skip
    over_steps: list[Step[OverAnswers, Any]] = [
        Question(name="over_percent", text=over_text, parser=parse_over),
    ]
    return [
        Flow(
            OVER_CHANGE,
            OverAnswers,
            over_steps,
            save_over,
            cancelled_message=N_("The over-assignment is unchanged."),
        ),
        Flow(PART_NOTE, PartAnswers, note_steps, save_note, cancelled_message=N_("Nothing was sent.")),
        Flow(PART_CHANGE, PartAnswers, part_steps, save_part, cancelled_message=N_("The part is unchanged.")),
        Flow(
            TARGET_CHANGE,
            TargetAnswers,
            target_steps,
            save_target,
            cancelled_message=N_("The team target is unchanged."),
        ),
    ]


def _with_goal(answers: PartAnswers, goal: TeamGoal) -> PartAnswers:
    draft = team_draft(goal)
    for name in GoalDraft.__dataclass_fields__:
        setattr(answers, name, getattr(draft, name))
    answers.team_goal_id, answers.locked = goal.id, goal.split_status == SplitStatus.LOCKED
    return answers


async def start_discuss(turn: Turn, part_id: int) -> list[Outgoing]:
    """A member's Discuss button: the note question, or why they cannot discuss this part."""
    found = await own_part(turn, part_id)
    if isinstance(found, str):
        return [Outgoing(found)]
    part, goal, _seat = found
    answers = _with_goal(PartAnswers(part_id=part.id, units=part.units), goal)
    return await turn.services.dialogs.start(turn, PART_NOTE, answers=answers)


async def start_change_part(turn: Turn, part_id: int) -> list[Outgoing] | None:
    """A manager's Change button on a member's part; None when the presser may not change it."""
    managed = await managed_part(turn, part_id)
    if managed is None:
        return None
    part, goal, _found = managed
    name = (await names_of(turn.session, [part.user_id]))[part.user_id]
    answers = _with_goal(PartAnswers(part_id=part.id, units=part.units, member_name=name), goal)
    return await turn.services.dialogs.start(turn, PART_CHANGE, answers=answers)


async def start_change_target(turn: Turn, team_goal_id: int) -> list[Outgoing] | None:
    """A card's Change the team target button; None when the presser may not change it."""
    managed = await managed_goal(turn, team_goal_id, TeamAction.SET_TARGET)
    if managed is None:
        return None
    answers = _with_goal(TargetAnswers(), managed[0])
    return await turn.services.dialogs.start(turn, TARGET_CHANGE, answers=answers)


async def start_change_over(turn: Turn, team_goal_id: int) -> list[Outgoing] | None:
    """A card's Over-assignment button; None when the presser may not change it."""
    managed = await managed_goal(turn, team_goal_id, TeamAction.SET_TARGET)
    if managed is None:
        return None
    answers = _with_goal(OverAnswers(over_percent=managed[0].over_percent), managed[0])
    return await turn.services.dialogs.start(turn, OVER_CHANGE, answers=answers)
