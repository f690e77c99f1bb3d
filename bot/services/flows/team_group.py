"""The team group's dialogs: which team's group to link (/teamgroup), a win to share (/share), and a team
reward (/teamreward). Each picks the team first when the person has several; the choice is checked again,
against the database, when the dialog ends (they may have left the team meanwhile)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from bot.core.dates import parse_deadline
from bot.core.dialog import Answer, Button, Outgoing, Reject
from bot.core.metrics import METRICS, MetricKind
from bot.core.numbers import parse_amount
from bot.core.teams.team_rewards import RewardWindow
from bot.i18n import N_
from bot.services.dialogs import FINISH, ButtonRows, Flow, Question
from bot.services.dialogs.parsing import choice_of, in_rows, short_text, typed_or_chosen
from bot.services.goal_text import date_text
from bot.services.plans import local_today
from bot.services.team_group import group_link, linkable_teams
from bot.services.team_group_text import REWARD_METRICS
from bot.services.team_rewards import reward_teams, set_team_reward
from bot.services.team_share import MAX_SHARE, share_win
from bot.services.turn import Turn
from bot.storage.repositories.team_members import TeamMemberRepository
from bot.storage.team_models import Team

LINK, SHARE, REWARD = "team_group_link", "team_share", "team_reward"
WINDOWS = (
    (RewardWindow.WEEK.value, N_("This week")),
    (RewardWindow.MONTH.value, N_("This month")),
    (RewardWindow.BY_DAY.value, N_("By a date…")),
)

# Buttons as (label, value), two measures to a row.
METRIC_ROWS = tuple(tuple((label, value) for value, label in row) for row in in_rows(REWARD_METRICS, 2))
WINDOW_ROW = tuple((label, value) for value, label in WINDOWS)


@dataclass
class TeamChoice:
    teams: dict[str, str] = field(default_factory=dict)  # id -> name, as offered
    team_id: int = 0


def team_buttons(turn: Turn, answers: TeamChoice) -> ButtonRows:
    return in_rows([Button(name, team_id) for team_id, name in answers.teams.items()], 2)


def parse_team(answer: Answer, turn: Turn, answers: TeamChoice) -> int:
    text = typed_or_chosen(answer)
    by_name = {name.casefold(): team_id for team_id, name in answers.teams.items()}
    chosen = text if text in answers.teams else by_name.get(text.casefold())
    if chosen is None:
        raise Reject(turn._("Please tap one of the teams."))
    return int(chosen)


def team_question(next: Any = None) -> Question[Any, int]:
    return Question(name="team_id", text=N_("Which team?"), parser=parse_team, buttons=team_buttons,
                    **({"next": next} if next else {}))  # fmt: skip


def offered(teams: Sequence[Team]) -> dict[str, str]:
    return {str(team.id): team.name for team in teams}


# /teamgroup ---------------------------------------------------------------------------------------


@dataclass
class LinkAnswers(TeamChoice):
    bot_username: str = ""


async def finish_link(turn: Turn, answers: LinkAnswers) -> Sequence[Outgoing]:
    return await group_link(turn, answers.team_id, answers.bot_username)


async def start_team_group(turn: Turn, bot_username: str) -> list[Outgoing]:
    teams = await linkable_teams(turn)
    if not teams:
        return [Outgoing(turn._("Only a team's manager or co-manager can add me to the team's group. /team "
                                "creates a team."))]  # fmt: skip
    if len(teams) == 1:
        return await group_link(turn, teams[0].id, bot_username)
    answers = LinkAnswers(teams=offered(teams), bot_username=bot_username)
    return await turn.services.dialogs.start(turn, LINK, answers=answers)


# /share -------------------------------------------------------------------------------------------


@dataclass
class ShareAnswers(TeamChoice):
    text: str = ""


def parse_win(answer: Answer, turn: Turn, answers: ShareAnswers) -> str:
    return short_text(answer, turn, MAX_SHARE, turn._("A few words about the win, please."))


async def finish_share(turn: Turn, answers: ShareAnswers) -> Sequence[Outgoing]:
    return await share_win(turn, answers.team_id, answers.text)


async def start_share(turn: Turn, text: str) -> list[Outgoing]:
    """/share <text>: the win for the team (asking which team, and for the text when there is none)."""
    teams = [team for team, _seat in await TeamMemberRepository(turn.session).teams_of(turn.user.id)]
    if not teams:
        return [Outgoing(turn._("You are not in a team yet: a team manager's invite link brings you in."))]
    text = " ".join(text.split())[:MAX_SHARE]
    if len(teams) == 1 and text:
        return await share_win(turn, teams[0].id, text)
    answers = ShareAnswers(teams=offered(teams), team_id=teams[0].id if len(teams) == 1 else 0, text=text)
    return await turn.services.dialogs.start(
        turn, SHARE, answers=answers, first_step="text" if len(teams) == 1 else None
    )


# /teamreward --------------------------------------------------------------------------------------


@dataclass
class RewardAnswers(TeamChoice):
    metric: str = ""
    target: Decimal | None = None
    window: str = ""
    by: date | None = None
    treat: str = ""


def parse_metric(answer: Answer, turn: Turn, answers: RewardAnswers) -> str:
    words = {turn._(label).casefold(): value for value, label in REWARD_METRICS} | {
        v: v for v, _l in REWARD_METRICS
    }
    return choice_of(answer, words, lambda: Reject(turn._("Please tap one of the measures.")))


def parse_target(answer: Answer, turn: Turn, answers: RewardAnswers) -> Decimal:
    amount = parse_amount(typed_or_chosen(answer), lang=turn.language)
    counted = METRICS[answers.metric].kind is MetricKind.COUNT if answers.metric in METRICS else True
    if amount is None or amount <= 0 or (counted and amount != amount.to_integral_value()):
        raise Reject(turn._("A number above zero, please, e.g. 10 (or 500k for revenue)."))
    return amount


def parse_window(answer: Answer, turn: Turn, answers: RewardAnswers) -> str:
    words = {turn._(label).casefold(): value for value, label in WINDOWS} | {v: v for v, _l in WINDOWS}
    return choice_of(answer, words, lambda: Reject(turn._("Please tap one of the choices.")))


def parse_by(answer: Answer, turn: Turn, answers: RewardAnswers) -> date:
    today = local_today(turn.user, turn.now)
    text = typed_or_chosen(answer)
    day = parse_deadline(text, today=today, lang=turn.language)
    if day is None or day < today:
        raise Reject(turn._("A day from today on, please, e.g. next Friday or {example}.",
                            example=date_text(today.replace(day=28), turn._)))  # fmt: skip
    return day


def parse_treat(answer: Answer, turn: Turn, answers: RewardAnswers) -> str:
    return short_text(answer, turn, 200, turn._("What is the reward? A few words, e.g. “team dinner”."))


async def finish_reward(turn: Turn, answers: RewardAnswers) -> Sequence[Outgoing]:
    assert answers.target is not None
    return await set_team_reward(turn, answers.team_id, answers.metric, answers.target,
                                 RewardWindow(answers.window), answers.by, answers.treat)  # fmt: skip


async def start_team_reward(turn: Turn) -> list[Outgoing]:
    teams = await reward_teams(turn)
    if not teams:
        return [Outgoing(turn._("Only a team's manager or co-manager can set a team reward."))]
    answers = RewardAnswers(teams=offered(teams), team_id=teams[0].id if len(teams) == 1 else 0)
    return await turn.services.dialogs.start(
        turn, REWARD, answers=answers, first_step="metric" if len(teams) == 1 else None
    )


def team_group_flows() -> list[Flow[Any]]:
    return [
        Flow(LINK, LinkAnswers, [team_question()], finish_link),
        Flow(SHARE, ShareAnswers, [
            team_question(next=lambda value, turn, answers: FINISH if answers.text else "text"),
            Question(name="text", text=N_("What's the win? One or two lines, e.g. “signed Acme, 3-year deal”."),
                     parser=parse_win),
        ], finish_share, N_("Stopped; nothing was shared.")),
        Flow(REWARD, RewardAnswers, [
            team_question(),
            Question(name="metric", text=N_("What does the team count for this reward?"),
                     buttons=METRIC_ROWS, parser=parse_metric),
            Question(name="target", text=N_("How many (or how much) together? e.g. 10"), parser=parse_target),
            Question(name="window", text=N_("By when?"), buttons=(WINDOW_ROW,), parser=parse_window,
                     next=lambda value, turn, answers: "by" if value == RewardWindow.BY_DAY else "treat"),
            Question(name="by", text=N_("Which day? e.g. next Friday, or the 20th."), parser=parse_by),
            Question(name="treat", text=N_("And the reward, in your words? e.g. “team dinner”."), parser=parse_treat),
        ], finish_reward, N_("Stopped; no team reward was set.")),
    ]  # fmt: skip
