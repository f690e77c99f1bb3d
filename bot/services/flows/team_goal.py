"""/teamgoal: a team's SMART goal, with the rules of /newgoal: the team (when the manager runs several), the
measure, what it is about, the target as an amount or as growth over last year, the deadline, last year's
figure for a growth target, then the summary. Saving starts the split (flows/team_split.py)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from bot.core.dialog import Answer, Button, Outgoing, Reject
from bot.core.goal_draft import ABSOLUTE, GROWTH, GoalDraft
from bot.core.metrics import CUSTOM
from bot.core.numbers import parse_amount
from bot.core.smart import AmountProblem, amount_problem
from bot.core.teams.roles import TeamAction
from bot.core.teams.targets import TargetKind, TargetProblem, TeamTargetSpec, parse_team_target, target_units
from bot.i18n import N_, Translator
from bot.services.dialogs import FINISH, ButtonRows, Flow, Question, Step
from bot.services.dialogs.parsing import choice_of, echo, in_rows, not_kept, typed_or_chosen
from bot.services.flows import goal_questions as smart
from bot.services.flows.team_split import start_split
from bot.services.goal_text import amount_text, goal_sentence, metric_label, percent_text
from bot.services.team_roster import teams_allowing
from bot.services.turn import Turn
from bot.storage.repositories.team_goals import TeamGoalRepository
from bot.storage.team_models import TeamGoal

TEAM_GOAL = "team_goal"
SAVE_OR_CANCEL = {"save": "save", "保存": "save"}


@dataclass
class TeamGoalAnswers(GoalDraft):
    team_id: int | None = None
    team_name: str = ""
    currency: str = "CNY"
    teams: dict[int, str] | None = None  # the teams to choose from, when several
    currencies: dict[int, str] | None = None


def target_problem_message(problem: TargetProblem, text: str, draft: TeamGoalAnswers, _: Translator) -> str:
    if problem is TargetProblem.DECLINE:
        return _("A team target below last year is typed as an amount, e.g. 900k.")
    if problem is TargetProblem.NOT_WHOLE:
        return _("A team target is split in whole units; please type a whole number.")
    if problem in (TargetProblem.NO_BASELINE, TargetProblem.ZERO_BASELINE):
        return _("Growth needs last year's figure above zero; type it, or go back and set an amount.")
    return smart.amount_problem_message(AmountProblem(problem.value), text, draft, _)


def parse_team(answer: Answer, turn: Turn, answers: TeamGoalAnswers) -> int:
    teams = answers.teams or {}
    by_name = {name.casefold(): team_id for team_id, name in teams.items()}
    chosen = answer.choice if answer.choice and answer.choice.isdigit() else None
    if chosen is not None and int(chosen) in teams:
        return int(chosen)
    found = by_name.get(typed_or_chosen(answer).casefold())
    if found is None:
        raise Reject(turn._("Please tap one of your teams."))
    return found


def keep_team(value: int, turn: Turn, answers: TeamGoalAnswers) -> None:
    answers.team_id, answers.team_name = value, (answers.teams or {}).get(value, "")
    answers.currency = (answers.currencies or {}).get(value, answers.currency)


def team_buttons(turn: Turn, answers: TeamGoalAnswers) -> ButtonRows:
    return in_rows([Button(name[:40], str(team_id)) for team_id, name in (answers.teams or {}).items()], 2)


def keep_team_metric(value: str, turn: Turn, answers: TeamGoalAnswers) -> None:
    answers.choose_metric(value, answers.currency)


def after_metric(value: str, turn: Turn, answers: TeamGoalAnswers) -> str:
    return "custom_metric" if value == CUSTOM else "description"


def target_text(turn: Turn, answers: TeamGoalAnswers) -> str:
    return turn._(
        "M — the team's target for {metric} by the deadline: an amount (6M, 120) or growth over last year "
        "(+30%).",
        metric=metric_label(answers, turn._),
    )


def parse_target(answer: Answer, turn: Turn, answers: TeamGoalAnswers) -> TeamTargetSpec:
    text = typed_or_chosen(answer)
    smart.refuse_date_as_amount(text, turn, answers)
    spec = parse_team_target(text, answers.metric_kind, lang=turn._.language)
    if isinstance(spec, TargetProblem):
        raise Reject(target_problem_message(spec, text, answers, turn._))
    return spec


def keep_target(value: TeamTargetSpec, turn: Turn, answers: TeamGoalAnswers) -> str:
    _ = turn._
    if value.is_growth:
        answers.target_kind, answers.growth_percent, answers.target_value = GROWTH, value.value, None
        return _("Target: {percent}% growth over last year.", percent=percent_text(value.value))
    answers.target_kind, answers.growth_percent, answers.target_value = ABSOLUTE, None, value.value
    answers.baseline, answers.baseline_known = None, False
    return _("Target: {amount}.", amount=amount_text(value.value, answers, _))


def after_deadline(value: object, turn: Turn, answers: TeamGoalAnswers) -> str:
    return "baseline" if answers.target_kind == GROWTH else "summary"


def baseline_text(turn: Turn, answers: TeamGoalAnswers) -> str:
    return turn._(
        "What did the team reach last year over the same period ({metric})? The {percent}% growth builds on it.",
        metric=metric_label(answers, turn._),
        percent=percent_text(answers.growth_percent or Decimal(0)),
    )


def parse_baseline(answer: Answer, turn: Turn, answers: TeamGoalAnswers) -> int:
    text = typed_or_chosen(answer)
    smart.refuse_date_as_amount(text, turn, answers)
    amount = parse_amount(text, lang=turn._.language)
    problem = amount_problem(amount, answers.metric_kind)
    if problem is not None or amount is None:
        raise Reject(target_problem_message(TargetProblem((problem or AmountProblem.NOT_A_NUMBER).value),
                                            text, answers, turn._))  # fmt: skip
    units = target_units(TeamTargetSpec(TargetKind.GROWTH, answers.growth_percent or Decimal(0)), amount,
                         answers.metric_kind)  # fmt: skip
    if isinstance(units, TargetProblem):
        raise Reject(target_problem_message(units, echo(text), answers, turn._))
    answers.baseline = amount
    return units


def keep_baseline(value: int, turn: Turn, answers: TeamGoalAnswers) -> str:
    answers.baseline_known, answers.target_value = True, Decimal(value)
    _ = turn._
    assert answers.baseline is not None
    return _("Last year: {baseline}, so the team target is {target}.",
             baseline=amount_text(answers.baseline, answers, _), target=amount_text(Decimal(value), answers, _))  # fmt: skip


def summary_text(turn: Turn, answers: TeamGoalAnswers) -> str:
    _ = turn._
    return _("Team {team}: {sentence}\n\nSave it and split it across the team?",
             team=answers.team_name, sentence=goal_sentence(answers, _, over_last_year=True))  # fmt: skip


def parse_summary(answer: Answer, turn: Turn, answers: TeamGoalAnswers) -> str:
    return choice_of(
        answer, SAVE_OR_CANCEL, lambda: Reject(turn._("Please tap “Save” or go back to change a part."))
    )


async def save_team_goal(turn: Turn, answers: TeamGoalAnswers) -> Sequence[Outgoing]:
    _ = turn._
    allowed = {
        found.team.id for found in await teams_allowing(turn.session, turn.user.id, TeamAction.SET_TARGET)
    }
    if answers.team_id not in allowed:
        return [Outgoing(_("You no longer run that team, so the goal was not saved."))]
    assert answers.team_id is not None and answers.target_value is not None
    assert answers.start_date is not None and answers.deadline is not None
    goal = await TeamGoalRepository(turn.session).add(TeamGoal(
        team_id=answers.team_id, metric=answers.metric or CUSTOM, metric_name=answers.metric_name,
        kind=answers.kind, unit=answers.unit, description=answers.description or "",
        target_kind=TargetKind.GROWTH.value if answers.target_kind == GROWTH else TargetKind.AMOUNT.value,
        target_value=int(answers.target_value), growth_percent=answers.growth_percent,
        baseline=answers.baseline if answers.baseline_known else None, start_date=answers.start_date,
        deadline=answers.deadline, created_by=turn.user.id, created_at=turn.now, updated_at=turn.now))  # fmt: skip
    saved = Outgoing(_("Saved the team goal. Now the split across the members:"))
    return await start_split(turn, goal, preface=[saved])


def team_goal_flow() -> Flow[TeamGoalAnswers]:
    steps: list[Step[TeamGoalAnswers, Any]] = [
        Question(name="team", text=N_("Which team is this goal for?"), buttons=team_buttons, parser=parse_team,
                 store=keep_team),
        Question(name="metric", text=smart.METRIC_TEXT, buttons=in_rows(smart.METRIC_CHOICES, 2),
                 parser=smart.parse_metric, store=keep_team_metric, next=after_metric),
        Question(name="custom_metric", text=smart.CUSTOM_METRIC_TEXT, parser=smart.parse_custom_metric,
                 store=smart.keep_custom_metric),
        Question(name="description", text=smart.DESCRIPTION_TEXT, parser=smart.parse_description),
        Question(name="target", text=target_text, parser=parse_target, store=keep_target),
        Question(name="deadline", text=smart.DEADLINE_TEXT, parser=smart.parse_goal_deadline,
                 store=smart.keep_deadline, next=after_deadline),
        Question(name="baseline", text=baseline_text, parser=parse_baseline, store=keep_baseline),
        Question(name="summary", text=summary_text, buttons=(((N_("💾 Save"), "save"),),), parser=parse_summary,
                 store=not_kept, next=lambda value, turn, answers: FINISH),
    ]  # fmt: skip
    return Flow(TEAM_GOAL, TeamGoalAnswers, steps, save_team_goal,
                cancelled_message=N_("Team goal discarded; nothing was saved."))  # fmt: skip


async def start_team_goal(turn: Turn) -> list[Outgoing]:
    """The first question of /teamgoal, or why the person cannot set one."""
    _ = turn._
    teams = await teams_allowing(turn.session, turn.user.id, TeamAction.SET_TARGET)
    if not teams:
        return [
            Outgoing(
                _(
                    "Only a team's manager or co-manager sets a team goal. Ask yours, or create a team with /team."
                )
            )
        ]
    answers = TeamGoalAnswers(teams={found.team.id: found.team.name for found in teams},
                              currencies={found.team.id: found.team.currency for found in teams})  # fmt: skip
    if len(teams) == 1:
        keep_team(teams[0].team.id, turn, answers)
        return await turn.services.dialogs.start(turn, TEAM_GOAL, answers=answers, first_step="metric")
    return await turn.services.dialogs.start(turn, TEAM_GOAL, answers=answers)
