"""A new team: its row and its creator's seat as manager (bot.core.teams.lifecycles.FOUNDER_STATUS)."""

from __future__ import annotations

from bot.core.dialog import Outgoing
from bot.core.lifecycle.teams import TEAMS
from bot.core.teams.lifecycles import FOUNDER_STATUS
from bot.core.teams.roles import Role
from bot.services.team_places import Place, card_of
from bot.services.turn import Turn
from bot.storage.repositories.team_members import TeamMemberRepository
from bot.storage.repositories.teams import TeamRepository
from bot.storage.team_models import Team, TeamMember


async def found_team(turn: Turn, name: str, timezone: str, currency: str) -> list[Outgoing]:
    """Create the team with the user as its manager (consent is theirs to give: they are the one who sees)."""
    now = turn.now
    team = Team(name=name, timezone=timezone, currency=currency, status=TEAMS.initial,
                created_by=turn.user.id, created_at=now, updated_at=now)  # fmt: skip
    TeamRepository(turn.session).add(team)
    await turn.session.flush()
    member = TeamMember(team_id=team.id, user_id=turn.user.id, role=Role.MANAGER, status=FOUNDER_STATUS,
                        consented_at=now, joined_at=now, created_at=now, updated_at=now)  # fmt: skip
    TeamMemberRepository(turn.session).add(member)
    await turn.session.flush()
    done = Outgoing(turn._("Team {team} created; you are its manager. ➕ Invite makes a link for your salespeople.", team=name))  # fmt: skip
    return [done, await card_of(turn, Place(team, member))]
