"""The team leaderboard, off by default: the manager turns it on or off per team, each member joins or
leaves it; /leaderboard shows the top three and the viewer's own rank by % of their own part, never
amounts, and no bottom list (bot.core.teams.leaderboard)."""

from __future__ import annotations

from datetime import date

from sqlalchemy.ext.asyncio import AsyncSession

from bot.core.dialog import Button, Outgoing
from bot.core.teams.leaderboard import Standing, leaderboard
from bot.core.teams.roles import TeamAction
from bot.i18n import Translator
from bot.services.goal_text import metric_label, percent_text
from bot.services.team_progress import team_figures
from bot.services.team_roster import TeamSeat, names_of
from bot.storage.repositories.team_goals import TeamGoalRepository
from bot.storage.repositories.team_members import TeamMemberRepository
from bot.telegram.callbacks import TeamGoalButton, team_goal_callback


def _buttons(found: TeamSeat, joined: bool, _: Translator) -> tuple[tuple[Button, ...], ...]:
    team = found.team
    row = []
    if team.leaderboard_on:
        label = _("🚪 Leave the leaderboard") if joined else _("🏁 Join the leaderboard")
        row.append(Button(label, team_goal_callback(TeamGoalButton.JOIN, team.id)))
    if found.may(TeamAction.TOGGLE_LEADERBOARD):
        label = _("Turn the leaderboard off") if team.leaderboard_on else _("Turn the leaderboard on")
        row.append(Button(label, team_goal_callback(TeamGoalButton.BOARD, team.id)))
    return (tuple(row),) if row else ()


async def board(session: AsyncSession, found: TeamSeat, today: date, _: Translator) -> Outgoing:
    """The leaderboard as the seat sees it, with the buttons their role has."""
    team = found.team
    me = await TeamMemberRepository(session).of(team.id, found.seat.member_id)
    joined = bool(me and me.leaderboard_joined)
    if not team.leaderboard_on:
        return Outgoing(_("The leaderboard of {team} is off.", team=team.name), _buttons(found, joined, _))
    goals = await TeamGoalRepository(session).open_of(team.id)
    if not goals:
        return Outgoing(_("{team} has no team goal yet; its manager sets one with /teamgoal.", team=team.name),
                        _buttons(found, joined, _))  # fmt: skip
    figures = await team_figures(session, team, goals[0], today, _.language)
    standings = [Standing(row.member_id, row.achieved, row.part) for row in figures.rollup.members]
    seats = await TeamMemberRepository(session).current_of(team.id)
    on_board = {seat.user_id for seat in seats if seat.leaderboard_joined}
    result = leaderboard(standings, on_board, found.seat.member_id)
    names = await names_of(session, [place.member_id for place in result.top])
    lines = [_("🏁 Leaderboard of {team} · {goal}", team=team.name, goal=metric_label(figures.draft, _)),
             _("Ranked by % of each one's own part.")]  # fmt: skip
    if not result.top:
        lines.append(_("Nobody on the board has results yet."))
    lines += [_("{rank}. {name}: {percent}%", rank=place.rank, name=names[place.member_id],
                percent=percent_text(place.percent)) for place in result.top]  # fmt: skip
    if result.viewer is not None:
        lines.append(_("Your rank: {rank} of {count} ({percent}%).", rank=result.viewer.rank, count=result.ranked,
                       percent=percent_text(result.viewer.percent)))  # fmt: skip
    elif not joined and not found.may(TeamAction.TOGGLE_LEADERBOARD):
        lines.append(_("You are not on the board; join it to be ranked."))
    return Outgoing("\n".join(lines), _buttons(found, joined, _))


async def toggle_board(session: AsyncSession, found: TeamSeat, today: date, _: Translator) -> list[Outgoing]:
    """The manager turns the team's leaderboard on or off."""
    found.team.leaderboard_on = not found.team.leaderboard_on
    done = _("The leaderboard is on; members join it from /leaderboard.") if found.team.leaderboard_on \
        else _("The leaderboard is off.")  # fmt: skip
    return [Outgoing(done), await board(session, found, today, _)]


async def toggle_joined(session: AsyncSession, found: TeamSeat, today: date, _: Translator) -> list[Outgoing]:
    """A member joins or leaves the team's leaderboard (only while it is on)."""
    me = await TeamMemberRepository(session).of(found.team.id, found.seat.member_id)
    if me is None or not found.team.leaderboard_on:
        return [await board(session, found, today, _)]
    me.leaderboard_joined = not me.leaderboard_joined
    done = _("You joined the leaderboard.") if me.leaderboard_joined else _("You left the leaderboard.")
    return [Outgoing(done), await board(session, found, today, _)]
