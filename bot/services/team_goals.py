"""The entry points of the team-goal features: /teamgoal, /teamprogress, /leaderboard and the "tg" buttons,
each checked against the presser's seat in the team the button names."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from bot.core.dates import local_date
from bot.core.dialog import Button, Outgoing, Reply
from bot.core.teams.roles import TeamAction
from bot.services.flows.team_goal import start_team_goal
from bot.services.flows.team_parts import (
    start_change_over,
    start_change_part,
    start_change_target,
    start_discuss,
)
from bot.services.flows.team_split import open_split
from bot.services.goal_text import goal_headline
from bot.services.team_goal_text import team_draft
from bot.services.team_leaderboard import board, toggle_board, toggle_joined
from bot.services.team_progress import team_progress
from bot.services.team_roster import TeamSeat, seat_in, teams_allowing, teams_of
from bot.services.team_split import accept_part, goal_card, lock_split, managed_goal
from bot.services.turn import Turn
from bot.storage.repositories.team_goals import TeamGoalRepository
from bot.telegram.callbacks import TeamGoalButton, TeamGoalPress, team_goal_callback


async def team_goal_command(turn: Turn) -> list[Outgoing]:
    """/teamgoal: the open team goals' cards to open, then the new team goal's first question."""
    _ = turn._
    preface: list[Outgoing] = []
    buttons = []
    for found in await teams_allowing(turn.session, turn.user.id, TeamAction.SET_TARGET):
        for goal in await TeamGoalRepository(turn.session).open_of(found.team.id):
            label = _("{team}: {goal}", team=found.team.name, goal=goal_headline(team_draft(goal), _))[:60]
            buttons.append((Button(label, team_goal_callback(TeamGoalButton.OPEN, goal.id)),))
    if buttons:
        preface.append(
            Outgoing(_("Open team goals (tap one for its card); or set a new one below."), tuple(buttons))
        )
    return [*preface, *await start_team_goal(turn)]


async def _for_team(
    turn: Turn, button: TeamGoalButton, show: Callable[[TeamSeat], Awaitable[list[Reply]]]
) -> list[Reply]:
    _ = turn._
    teams = await teams_of(turn.session, turn.user.id)
    if not teams:
        return [
            Outgoing(_("You are not in a team yet. A manager invites you, or you create one with /team."))
        ]
    if len(teams) == 1:
        return await show(teams[0])
    rows = tuple(
        (Button(found.team.name[:60], team_goal_callback(button, found.team.id)),) for found in teams
    )
    return [Outgoing(_("Which team?"), rows)]


async def _progress(turn: Turn, found: TeamSeat) -> list[Reply]:
    return await team_progress(
        turn.session, found.team, found.seat, local_date(found.team.timezone, turn.now), turn._
    )


async def _board(turn: Turn, found: TeamSeat) -> list[Reply]:
    return [await board(turn.session, found, local_date(found.team.timezone, turn.now), turn._)]


async def team_progress_command(turn: Turn) -> list[Reply]:
    return await _for_team(turn, TeamGoalButton.PROGRESS, lambda found: _progress(turn, found))


async def leaderboard_command(turn: Turn) -> list[Reply]:
    return await _for_team(turn, TeamGoalButton.LEADERS, lambda found: _board(turn, found))


async def _team_press(turn: Turn, press: TeamGoalPress) -> list[Reply] | None:
    found = await seat_in(turn.session, press.row_id, turn.user.id)
    if found is None or not found.seat.current:
        return None
    if press.button is TeamGoalButton.BOARD and not found.may(TeamAction.TOGGLE_LEADERBOARD):
        return None
    today = local_date(found.team.timezone, turn.now)
    if press.button is TeamGoalButton.PROGRESS:
        return await _progress(turn, found)
    if press.button is TeamGoalButton.LEADERS:
        return await _board(turn, found)
    if press.button is TeamGoalButton.BOARD:
        return list(await toggle_board(turn.session, found, today, turn._))
    return list(await toggle_joined(turn.session, found, today, turn._))


async def _goal_press(turn: Turn, press: TeamGoalPress) -> list[Reply] | None:
    if press.button is TeamGoalButton.SPLIT:
        return list(await open_split(turn, press.row_id) or []) or None
    if press.button is TeamGoalButton.TARGET:
        return list(await start_change_target(turn, press.row_id) or []) or None
    if press.button is TeamGoalButton.OVER:
        return list(await start_change_over(turn, press.row_id) or []) or None
    action = TeamAction.LOCK_SPLIT if press.button is TeamGoalButton.LOCK else TeamAction.SPLIT_TARGET
    managed = await managed_goal(turn, press.row_id, action)
    if managed is None:
        return None
    if press.button is TeamGoalButton.LOCK:
        return list(await lock_split(turn, *managed))
    return [await goal_card(turn, *managed)]


async def team_goal_press(turn: Turn, press: TeamGoalPress) -> list[Reply] | None:
    """A "tg" button; None when it names nothing the presser may use (forged, stale or someone else's)."""
    if press.button is TeamGoalButton.ACCEPT:
        return list(await accept_part(turn, press.row_id))
    if press.button is TeamGoalButton.DISCUSS:
        return list(await start_discuss(turn, press.row_id))
    if press.button is TeamGoalButton.CHANGE:
        return list(await start_change_part(turn, press.row_id) or []) or None
    if press.button in (
        TeamGoalButton.PROGRESS,
        TeamGoalButton.LEADERS,
        TeamGoalButton.BOARD,
        TeamGoalButton.JOIN,
    ):
        return await _team_press(turn, press)
    return await _goal_press(turn, press)
