"""/teamreward: a team's short-term goal with a reward, set by its manager (or a co-manager)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from bot.core.dates.calendar import local_date
from bot.core.dialog import Outgoing
from bot.core.lifecycle.team_rewards import TEAM_REWARDS
from bot.core.teams.roles import TeamAction, may
from bot.core.teams.team_rewards import RewardWindow, window_for
from bot.services.goal_text import date_text
from bot.services.team_group import group_translator, post_to_group
from bot.services.team_group_text import reward_set_text, team_amount
from bot.services.turn import Turn
from bot.storage.group_models import TeamReward
from bot.storage.repositories.team_members import TeamMemberRepository, seat
from bot.storage.repositories.team_rewards import TeamRewardRepository
from bot.storage.team_models import Team


async def reward_teams(turn: Turn) -> list[Team]:
    """The teams the person may set a team reward for: those they manage or co-manage."""
    teams = await TeamMemberRepository(turn.session).teams_of(turn.user.id)
    return [team for team, member in teams if may(seat(member), TeamAction.SET_TARGET)]


async def set_team_reward(
    turn: Turn, team_id: int, metric: str, target: Decimal, window: RewardWindow, by: date | None, treat: str
) -> list[Outgoing]:
    """Record the reward (if the person still runs the team) and announce it in the team's group."""
    _ = turn._
    team = next((team for team in await reward_teams(turn) if team.id == team_id), None)
    if team is None:
        return [
            Outgoing(_("Only the team's manager or a co-manager can set a team reward; nothing was set."))
        ]
    today = local_date(team.timezone, turn.now)
    days = window_for(window, today, by)
    reward = TeamReward(team_id=team.id, metric=metric, target=target, start_date=days.start, deadline=days.end,
                        treat=treat, status=TEAM_REWARDS.initial, created_by=turn.user.id, created_at=turn.now,
                        updated_at=turn.now)  # fmt: skip
    TeamRewardRepository(turn.session).add(reward)
    group_words = await group_translator(turn.session, team, turn.default_language)
    await post_to_group(turn.session, team, reward_set_text(team, reward, group_words), turn.now)
    where = _("I'll celebrate in the team's group and tell every member when it's earned.") if team.group_chat_id \
        else _("I'll tell every member when it's earned. (Link the team's group with /teamgroup to celebrate there too.)")  # fmt: skip
    return [Outgoing(_("Deal: if {team} reaches {target} from {start} to {end}, the reward is “{treat}”.",
                       team=team.name, target=team_amount(target, metric, team.currency, _),
                       start=date_text(days.start, _), end=date_text(days.end, _), treat=treat) + "\n" + where)]  # fmt: skip
