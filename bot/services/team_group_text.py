"""What the team's group reads, and the words members get when their team earns a reward: in the group's
language (the team manager's), team totals only: no member's own numbers ever appear here."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from decimal import Decimal

from bot.core.metrics import METRICS, MetricKind
from bot.i18n import N_, Translator
from bot.services.goal_text import count_text, date_text, money_text, number_text, percent_of
from bot.storage.group_models import TeamReward
from bot.storage.team_models import Team, TeamGoal, TeamShare

# The measures a team reward can count (the team's results are the members' logs of these).
REWARD_METRICS = (
    ("new_customers", N_("new customers")),
    ("deals", N_("deals signed")),
    ("revenue", N_("revenue")),
    ("visits", N_("client visits")),
    ("calls", N_("calls")),
    ("meetings", N_("meetings")),
)
RELAY_LIMIT = 3500  # characters: a relay message this long starts a new one (Telegram takes 4,096)
DIGEST_WINS = 10  # wins listed in a weekly digest


def team_amount(
    value: Decimal, metric: str, currency: str, _: Translator, metric_name: str | None = None
) -> str:
    """A team figure of `metric`: money in the team's currency, a count with its noun, or a custom measure."""
    known = METRICS.get(metric)
    if known is not None and known.kind is MetricKind.CURRENCY:
        return money_text(value, currency, _)
    if known is not None:
        return count_text(value, metric, _)
    return f"{number_text(value, _)} {metric_name or ''}".strip()


def done_of(
    done: Decimal, target: Decimal, metric: str, currency: str, _: Translator, name: str | None = None
) -> dict[str, str]:
    """ "5" of "20 new customers", "¥50,000" of "¥200,000": the figures of a "{done} of {target}" line."""
    known = METRICS.get(metric)
    money = known is not None and known.kind is MetricKind.CURRENCY
    return {"done": money_text(done, currency, _) if money else number_text(done, _),
            "target": team_amount(target, metric, currency, _, name)}  # fmt: skip


def win_line(share: TeamShare, name: str, _: Translator) -> str:
    return _("• {name}: {win}", name=name, win=share.text)


def relay_text(team: Team, lines: Sequence[str], _: Translator) -> str:
    return _("🏆 Today's wins in {team}:\n{wins}", team=team.name, wins="\n".join(lines))


def goal_line(goal: TeamGoal, achieved: Decimal, currency: str, _: Translator) -> str:
    target = Decimal(goal.target_value)
    figures = done_of(achieved, target, goal.metric, currency, _, goal.metric_name)
    return _("🎯 {goal}: {done} of {target} ({percent}%)", goal=goal.description,
             percent=percent_of(achieved, target), **figures)  # fmt: skip


def reward_line(reward: TeamReward, done: Decimal, currency: str, _: Translator) -> str:
    figures = done_of(done, reward.target, reward.metric, currency, _)
    return _("🎁 {treat}: {done} of {target}, until {date}", treat=reward.treat,
             date=date_text(reward.deadline, _), **figures)  # fmt: skip


def digest_text(
    team: Team, covers: tuple[date, date], goals: Sequence[str], rewards: Sequence[str], wins: Sequence[str],
    _: Translator,
) -> str:  # fmt: skip
    """The group's weekly digest: team totals against target, open team rewards, the wins shared."""
    parts = [_("📊 {team}, the week of {first} to {last}", team=team.name, first=date_text(covers[0], _),
               last=date_text(covers[1], _))]  # fmt: skip
    parts.append("\n".join(goals) if goals else _("No team goal yet."))
    if rewards:
        parts.append("\n".join(rewards))
    if wins:
        parts.append(_("🏆 Wins shared this week:\n{wins}", wins="\n".join(wins[-DIGEST_WINS:])))
    return "\n\n".join(parts)


def milestone_text(team: Team, goal: TeamGoal, mark: int, achieved: Decimal, _: Translator) -> str:
    figures = done_of(achieved, Decimal(goal.target_value), goal.metric, team.currency, _, goal.metric_name)
    if mark >= 100:
        return _("🏁 {team} reached its goal “{goal}”: {done} of {target}. Well done, everyone!",
                 team=team.name, goal=goal.description, **figures)  # fmt: skip
    return _("🎉 {team} is half way to “{goal}”: {done} of {target}. Keep going!",
             team=team.name, goal=goal.description, **figures)  # fmt: skip


def reward_set_text(team: Team, reward: TeamReward, _: Translator) -> str:
    return _(
        "🎯 New team challenge for {team}: {target} by {date}, and the reward is “{treat}”.",
        team=team.name,
        target=team_amount(reward.target, reward.metric, team.currency, _),
        date=date_text(reward.deadline, _),
        treat=reward.treat,
    )


def reward_earned_text(team: Team, reward: TeamReward, done: Decimal, _: Translator) -> str:
    return _(
        "🎁 {team} did it: {done} (the target was {target}). The reward is on: “{treat}”! 🎉",
        team=team.name,
        done=team_amount(done, reward.metric, team.currency, _),
        target=team_amount(reward.target, reward.metric, team.currency, _),
        treat=reward.treat,
    )
