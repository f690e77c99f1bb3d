"""Splitting a team goal across the members: equally, by last period's results, by weights the manager types
("3 2 2 1" in member order, "Li 3, Wang 2", "李3 王2"), or by hand, member by member. The preview shows each
member's part and the remainder, and takes an over-assignment ("+10%"); confirming proposes the parts."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import timedelta
from decimal import Decimal
from typing import Any

from bot.core.dialog import Answer, Outgoing, Reject
from bot.core.goal_draft import GoalDraft
from bot.core.lifecycle.teams import SplitStatus
from bot.core.smart import AmountProblem
from bot.core.teams.roles import TeamAction
from bot.core.teams.split import (
    Split,
    SplitMode,
    split_by_hand,
    split_by_history,
    split_by_weights,
    split_equal,
    without_member,
)
from bot.core.teams.split_inputs import (
    OverAssignmentProblem,
    WeightProblem,
    parse_hand_part,
    parse_over_assignment,
    parse_weights,
)
from bot.i18n import N_
from bot.services.dialogs import FINISH, Flow, Question, Step
from bot.services.dialogs.parsing import choice_of, echo, typed_or_chosen
from bot.services.flows.goal_questions import amount_problem_message
from bot.services.results import GOAL_MEASURES
from bot.services.team_goal_text import MODE_LABELS, parts_lines, team_draft, units_text
from bot.services.team_roster import names_of, split_members
from bot.services.team_split import confirm_split, managed_goal
from bot.services.turn import Turn
from bot.storage.repositories.team_goals import TeamGoalRepository
from bot.storage.team_models import TeamGoal

TEAM_SPLIT = "team_split"
MODES = {mode.value: mode.value for mode in SplitMode} | {
    "equal": "equal", "平均": "equal", "history": "history", "weights": "weights", "权重": "weights",
    "hand": "hand", "手动": "hand",
}  # fmt: skip
CONFIRM = "confirm"
# Between one member's weight and the next: commas, semicolons, colons and spaces, in both languages.
_SEPARATORS = re.compile(r"[\s,，;；:：、]+")


@dataclass
class SplitAnswers(GoalDraft):
    """The team goal (as a draft, for amounts in words) and the split being prepared."""

    team_goal_id: int = 0
    members: list[int] = field(default_factory=list)
    names: list[str] = field(default_factory=list)
    history: dict[int, Decimal] = field(default_factory=dict)  # last period's results per member
    removed: list[int] = field(default_factory=list)  # left or removed since the dialog began
    mode: str = ""
    weights: dict[int, Decimal] = field(default_factory=dict)
    hand: dict[int, int] = field(default_factory=dict)
    over_percent: Decimal = Decimal(0)


def split_of(answers: SplitAnswers) -> Split:
    """The split as the answers describe it; members who left since then leave it (their part returns to the
    remainder)."""
    target, members, over = int(answers.target_value or 0), answers.members, answers.over_percent
    mode = SplitMode(answers.mode)
    if mode is SplitMode.EQUAL:
        split = split_equal(target, members, over)
    elif mode is SplitMode.HISTORY:
        split = split_by_history(target, members, answers.history, over)
    elif mode is SplitMode.WEIGHTS:
        split = split_by_weights(target, members, answers.weights, over)
    else:
        split = split_by_hand(target, members, answers.hand, over)
    for member in answers.removed:
        if member in split.members and len(split.members) > 1:
            split = without_member(split, member)
    return split


def names(answers: SplitAnswers) -> dict[int, str]:
    return dict(zip(answers.members, answers.names, strict=True))


# The mode ----------------------------------------------------------------------------------------------


def mode_text(turn: Turn, answers: SplitAnswers) -> str:
    _ = turn._
    # Worked out first: a `_` among the call's arguments would cut the pair short for the extractor.
    target = units_text(answers.target_value or 0, answers, _)
    return _.plural("How should {target} be split across the team's {count} member?",
                    "How should {target} be split across the team's {count} members?", len(answers.members),
                    target=target)  # fmt: skip


def parse_mode(answer: Answer, turn: Turn, answers: SplitAnswers) -> str:
    return choice_of(answer, MODES, lambda: Reject(turn._("Please tap one of the ways to split.")))


def after_mode(value: str, turn: Turn, answers: SplitAnswers) -> str:
    return {"weights": "weights", "hand": "hand"}.get(value, "preview")


def keep_mode(value: str, turn: Turn, answers: SplitAnswers) -> None:
    answers.mode, answers.hand = value, {}


# Weights -----------------------------------------------------------------------------------------------


def weights_text(turn: Turn, answers: SplitAnswers) -> str:
    _ = turn._
    example = " ".join(["3", "2", "2", "1", "1", "1"][: len(answers.members)])
    return _("Type a weight for each member, in this order: {names}. For example “{example}”, or by name: "
             "“{first} 3, {second} 2”.", names=", ".join(answers.names), example=example,
             first=answers.names[0], second=answers.names[-1])  # fmt: skip


def typed_weights(text: str, answers: SplitAnswers) -> dict[int, str] | None:
    """Each member's typed weight, by name ("Li 3, Wang 2", "李3 王2") or in member order ("3 2 2 1");
    None when it is neither."""
    folded = text.casefold()
    found = sorted(
        (match.start(), match.end(), member)
        for member, name in names(answers).items()
        for match in re.finditer(re.escape(name.casefold()), folded)
    )
    distinct = len({name.casefold() for name in answers.names}) == len(answers.names)
    if found and distinct:
        pieces: dict[int, str] = {}
        for index, (_start, end, member) in enumerate(found):
            stop = found[index + 1][0] if index + 1 < len(found) else len(text)
            pieces[member] = _SEPARATORS.sub(" ", text[end:stop]).strip()
        return pieces
    items = [item for item in _SEPARATORS.split(text.strip()) if item]
    return dict(zip(answers.members, items, strict=True)) if len(items) == len(answers.members) else None


WEIGHT_PROBLEMS = {
    WeightProblem.NOT_A_NUMBER: N_("{name}: “{text}” is not a number"),
    WeightProblem.ZERO: N_("{name}: 0 would leave them out; give a weight above 0"),
    WeightProblem.NEGATIVE: N_("{name}: a weight cannot be negative"),
    WeightProblem.TOO_LARGE: N_("{name}: “{text}” is too large for a weight"),
}


def parse_weights_answer(answer: Answer, turn: Turn, answers: SplitAnswers) -> dict[int, Decimal]:
    _ = turn._
    text = typed_or_chosen(answer)
    typed = typed_weights(text, answers)
    if typed is None:
        raise Reject(_.plural("I need {count} weight, one per member, e.g. “{example}”.",
                              "I need {count} weights, one per member, e.g. “{example}”.", len(answers.members),
                              example=" ".join(["3", "2", "2", "1"][: len(answers.members)] or ["1"])))  # fmt: skip
    missing = [name for member, name in names(answers).items() if member not in typed]
    if missing:
        raise Reject(_("No weight for {names}; please give everyone one.", names=", ".join(missing)))
    parsed = parse_weights(typed, lang=_.language)
    if not parsed.ok:
        problems = [_(WEIGHT_PROBLEMS[refusal.problem], name=names(answers)[refusal.member_id],
                      text=echo(typed[refusal.member_id])) for refusal in parsed.refusals]  # fmt: skip
        raise Reject(
            _("Those weights do not work: {problems}. Please type them again.", problems="; ".join(problems))
        )
    return parsed.weights


# By hand -----------------------------------------------------------------------------------------------


def next_by_hand(answers: SplitAnswers) -> int | None:
    return next((member for member in answers.members if member not in answers.hand), None)


def hand_text(turn: Turn, answers: SplitAnswers) -> str:
    _ = turn._
    member = next_by_hand(answers)
    assert member is not None
    split = split_by_hand(int(answers.target_value or 0), answers.members, answers.hand, answers.over_percent)
    return _("{name}'s part? ({number} of {count}; {left} of the team target is not handed out yet.)",
             name=names(answers)[member], number=answers.members.index(member) + 1, count=len(answers.members),
             left=units_text(max(0, split.remainder), answers, _))  # fmt: skip


def parse_hand(answer: Answer, turn: Turn, answers: SplitAnswers) -> int:
    text = typed_or_chosen(answer)
    units = parse_hand_part(text, answers.metric_kind, lang=turn._.language)
    if isinstance(units, AmountProblem):
        raise Reject(amount_problem_message(units, text, answers, turn._))
    return units


def keep_hand(value: int, turn: Turn, answers: SplitAnswers) -> None:
    member = next_by_hand(answers)
    assert member is not None
    answers.hand[member] = value


def after_hand(value: int, turn: Turn, answers: SplitAnswers) -> str:
    return "hand" if next_by_hand(answers) is not None else "preview"


# The preview -------------------------------------------------------------------------------------------


def preview_text(turn: Turn, answers: SplitAnswers) -> str:
    _ = turn._
    split = split_of(answers)
    lines = [_("Split {mode}:", mode=_(MODE_LABELS[SplitMode(answers.mode)])),
             *parts_lines(split, answers, names(answers), _), "",
             _("Send these parts to the members? To over-assign (so the team still makes it if someone falls "
               "short), type a percentage such as +10%.")]  # fmt: skip
    return "\n".join(lines)


OVER_PROBLEMS = {
    OverAssignmentProblem.NOT_A_NUMBER: N_(
        "Tap “Send to the team”, or type an over-assignment such as +10%."
    ),
    OverAssignmentProblem.NEGATIVE: N_("An over-assignment cannot be negative; type 0 for none."),
    OverAssignmentProblem.TOO_LARGE: N_("An over-assignment above 100% is not a plan; please check it."),
}


def parse_preview(answer: Answer, turn: Turn, answers: SplitAnswers) -> Decimal | str:
    if answer.choice == CONFIRM:
        return CONFIRM
    value = parse_over_assignment(typed_or_chosen(answer), lang=turn._.language)
    if isinstance(value, OverAssignmentProblem):
        raise Reject(turn._(OVER_PROBLEMS[value]))
    return value


def keep_preview(value: Decimal | str, turn: Turn, answers: SplitAnswers) -> str | None:
    if isinstance(value, str):
        return None
    answers.over_percent = value
    return turn._("Over-assignment: {percent}%.", percent=format(value.normalize(), "f"))


async def finish_split(turn: Turn, answers: SplitAnswers) -> Sequence[Outgoing]:
    _ = turn._
    managed = await managed_goal(turn, answers.team_goal_id, TeamAction.SPLIT_TARGET)
    if managed is None:
        return [Outgoing(_("You no longer run that team, so nothing was sent."))]
    goal, found = managed
    current = set(await split_members(turn.session, goal.team_id))
    gone = [member for member in answers.members if member not in current and member not in answers.removed]
    if gone:
        answers.removed = [*answers.removed, *gone]
        left = ", ".join(names(answers)[member] for member in gone)
        note = Outgoing(_("{names} left the team meanwhile; their part went back to the remainder. "
                          "Check the split again:", names=left))  # fmt: skip
        return await turn.services.dialogs.start(
            turn, TEAM_SPLIT, answers=answers, first_step="preview", preface=[note]
        )
    return await confirm_split(turn, goal, found, split_of(answers), answers.weights)


def team_split_flow() -> Flow[SplitAnswers]:
    steps: list[Step[SplitAnswers, Any]] = [
        Question(name="mode", text=mode_text,
                 buttons=(((N_("⚖️ Equal parts"), "equal"), (N_("📈 By last period's results"), "history")),
                          ((N_("🔢 By weights"), "weights"), (N_("✍️ By hand"), "hand"))),
                 parser=parse_mode, store=keep_mode, next=after_mode),
        Question(name="weights", text=weights_text, parser=parse_weights_answer, next="preview"),
        Question(name="hand", text=hand_text, parser=parse_hand, store=keep_hand, next=after_hand),
        Question(name="preview", text=preview_text,
                 buttons=(((N_("✔ Send to the team"), CONFIRM), (N_("+10%"), "10%")),),
                 parser=parse_preview, store=keep_preview,
                 next=lambda value, turn, answers: FINISH if value == CONFIRM else "preview"),
    ]  # fmt: skip
    return Flow(TEAM_SPLIT, SplitAnswers, steps, finish_split,
                cancelled_message=N_("Split discarded; nothing was sent."))  # fmt: skip


async def start_split(turn: Turn, goal: TeamGoal, preface: Sequence[Outgoing] = ()) -> list[Outgoing]:
    """The split's first question for `goal` (the caller checked the presser may split it)."""
    _ = turn._
    if goal.split_status == SplitStatus.LOCKED:
        return [*preface, Outgoing(_("The split is locked; change a member's part from the card instead."))]
    members = await split_members(turn.session, goal.team_id)
    if not members:
        return [
            *preface,
            Outgoing(_("The team has no members to split the target across yet. Invite them from /team.")),
        ]
    people = await names_of(turn.session, members)
    length = goal.deadline - goal.start_date + timedelta(days=1)
    measures = [measure.value for measure in GOAL_MEASURES.get(goal.metric, ())]
    history = await TeamGoalRepository(turn.session).period_results(
        members, measures, goal.start_date - length, goal.start_date - timedelta(days=1)
    )
    answers = SplitAnswers(team_goal_id=goal.id, members=members, names=[people[m] for m in members],
                           history=history)  # fmt: skip
    draft = team_draft(goal)
    for name in GoalDraft.__dataclass_fields__:
        setattr(answers, name, getattr(draft, name))
    return await turn.services.dialogs.start(turn, TEAM_SPLIT, answers=answers, preface=preface)


async def open_split(turn: Turn, team_goal_id: int) -> list[Outgoing] | None:
    """A card's Split button: the split dialog, or None when the presser may not split that goal."""
    managed = await managed_goal(turn, team_goal_id, TeamAction.SPLIT_TARGET)
    if managed is None:
        return None
    return await start_split(turn, managed[0])
