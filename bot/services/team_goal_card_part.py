"""What the team goals add to /team's card: their names, and the buttons to the roll-up, the leaderboard and
each goal's own card (managers)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from bot.core.dialog import Button
from bot.core.teams.roles import Seat, TeamAction, may
from bot.i18n import Translator
from bot.services.team_card_part import CardPart
from bot.storage.repositories.team_goals import TeamGoalRepository
from bot.storage.team_models import Team
from bot.telegram.callbacks import TeamGoalButton, team_goal_callback

MAX_GOAL_BUTTONS = 3  # the card stays short; /teamgoal lists them all


async def team_goals_part(
    session: AsyncSession, team: Team, seat: Seat, _: Translator, now: datetime
) -> CardPart:
    """The open team goals by name; progress and the leaderboard for everyone, each goal's card for managers."""
    goals = await TeamGoalRepository(session).open_of(team.id)
    part = CardPart()
    if goals:
        part.lines = [_("Team goals:"), *(f"• {goal.description}" for goal in goals)]
        part.rows.append(
            (
                Button(_("📊 Team progress"), team_goal_callback(TeamGoalButton.PROGRESS, team.id)),
                Button(_("🏆 Leaderboard"), team_goal_callback(TeamGoalButton.LEADERS, team.id)),
            )
        )
    if may(seat, TeamAction.SPLIT_TARGET):
        part.rows.extend(
            (Button(f"🎯 {goal.description[:40]}", team_goal_callback(TeamGoalButton.OPEN, goal.id)),)
            for goal in goals[:MAX_GOAL_BUTTONS]
        )
        if not goals:
            part.lines = [_("No team goal yet: set one with /teamgoal.")]
    return part
