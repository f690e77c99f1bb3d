"""The managers' changes to a split: a member's part, the team target (kept or rescaled) and the
over-assignment; after the lock each change is a row of the change log (who, when, field, before, after,
whose part), and every part that moved goes back to its member as a proposal."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from decimal import Decimal

from bot.core.dialog import Outgoing
from bot.core.lifecycle.teams import PARTS, PartStatus, SplitStatus
from bot.core.teams import split_changes
from bot.core.teams.roles import TeamAction
from bot.core.teams.split import Split
from bot.core.teams.split_changes import ChangeProblem, SplitChange
from bot.i18n import Translator
from bot.services.team_goal_text import team_draft, units_text
from bot.services.team_roster import TeamSeat, names_of
from bot.services.team_split import goal_card, managed_goal, propose, stored_split
from bot.services.turn import Turn
from bot.storage.repositories.team_goals import TeamGoalRepository
from bot.storage.split_models import TeamSplitChange
from bot.storage.team_models import TeamGoal, TeamGoalPart


async def managed_part(turn: Turn, part_id: int) -> tuple[TeamGoalPart, TeamGoal, TeamSeat] | None:
    """A part of a team goal the presser may change (their role in that team allows splitting)."""
    part = await TeamGoalRepository(turn.session).part(part_id)
    managed = await managed_goal(turn, part.team_goal_id, TeamAction.SPLIT_TARGET) if part else None
    if part is None or managed is None:
        return None
    return part, *managed


def record(turn: Turn, goal: TeamGoal, changes: Sequence[SplitChange]) -> None:
    repository = TeamGoalRepository(turn.session)
    for change in changes:
        repository.record_change(TeamSplitChange(
            team_goal_id=goal.id, changed_by=turn.user.id, at=change.at, field=change.field.value,
            member_id=change.member_id, before=change.before, after=change.after))  # fmt: skip


async def repropose(turn: Turn, goal: TeamGoal, found: TeamSeat, parts: Sequence[TeamGoalPart]) -> None:
    """Parts the managers changed go back to their members as proposals."""
    for part in parts:
        moved = PARTS.next_or_none(part.status, PartStatus.PROPOSED)
        if moved is not None:
            part.status = PARTS.move(part.status, moved)
        part.updated_at = turn.now
    await propose(turn, goal, found.team.name, parts)


async def change_part(turn: Turn, part_id: int, units: int) -> list[Outgoing]:
    """A manager's new figure for a member's part; after the lock, a change log entry. The member gets it
    as a new proposal."""
    _ = turn._
    managed = await managed_part(turn, part_id)
    if managed is None:
        return [Outgoing(_("You no longer run that team, so nothing was changed."))]
    part, goal, found = managed
    stored = await stored_split(turn, goal)
    if stored is None or part.user_id not in stored.split.members:
        return [Outgoing(_("They are no longer a member of the team, so their part was not changed."))]
    if part.units == units:
        return [Outgoing(_("Nothing changed.")), await goal_card(turn, goal, found)]
    if goal.split_status == SplitStatus.LOCKED:
        changed = split_changes.change_part(stored.split, part.user_id, units, by=turn.user.id, at=turn.now)
        if isinstance(changed, ChangeProblem):
            return [Outgoing(_("Nothing changed.")), await goal_card(turn, goal, found)]
        record(turn, goal, [changed[1]])
    part.units = units
    await repropose(turn, goal, found, [part])
    name = (await names_of(turn.session, [part.user_id]))[part.user_id]
    return [Outgoing(_("{name}'s part is now {part}; sent to them to accept.", name=name,
                       part=units_text(units, team_draft(goal), _))), await goal_card(turn, goal, found)]  # fmt: skip


def below_parts(goal: TeamGoal, split: Split, target: int, _: Translator) -> Outgoing:
    draft = team_draft(goal)
    return Outgoing(_("Refused: the locked parts add up to {parts}, more than a team target of {target} "
                      "(with its {percent}% over-assignment) allows. Lower some parts first, or rescale them.",
                      parts=units_text(split.parts_total, draft, _), target=units_text(target, draft, _),
                      percent=format(split.over_percent.normalize(), "f")))  # fmt: skip


async def change_target(turn: Turn, team_goal_id: int, target: int, *, rescale: bool) -> list[Outgoing]:
    """A new team target. Before the lock it simply replaces the old one; after it, it is refused below the
    locked parts, logged, and with `rescale` every part moves in proportion (each move logged and proposed)."""
    _ = turn._
    managed = await managed_goal(turn, team_goal_id, TeamAction.SET_TARGET)
    if managed is None:
        return [Outgoing(_("You no longer run that team, so nothing was changed."))]
    goal, found = managed
    stored = await stored_split(turn, goal)
    if goal.split_status != SplitStatus.LOCKED or stored is None:
        if target == goal.target_value:
            return [Outgoing(_("Nothing changed.")), await goal_card(turn, goal, found)]
        goal.target_value, goal.updated_at = target, turn.now
        return [Outgoing(_("Team target: {target}.", target=units_text(target, team_draft(goal), _))),
                await goal_card(turn, goal, found)]  # fmt: skip
    split = stored.split
    if rescale:
        result = split_changes.rescale(split, target, by=turn.user.id, at=turn.now)
    else:
        single = split_changes.change_team_target(split, target, by=turn.user.id, at=turn.now)
        result = single if isinstance(single, ChangeProblem) else (single[0], (single[1],))
    if result is ChangeProblem.BELOW_LOCKED_PARTS:
        return [below_parts(goal, split, target, _), await goal_card(turn, goal, found)]
    if isinstance(result, ChangeProblem):
        return [Outgoing(_("Nothing changed.")), await goal_card(turn, goal, found)]
    new_split, changes = result
    record(turn, goal, changes)
    goal.target_value, goal.updated_at = target, turn.now
    moved = [part for member, part in stored.parts.items() if new_split.part_of(member) != part.units]
    for part in moved:
        part.units = new_split.part_of(part.user_id) or 0
    await repropose(turn, goal, found, moved)
    return [Outgoing(_("Team target: {target}.", target=units_text(target, team_draft(goal), _))),
            await goal_card(turn, goal, found)]  # fmt: skip


async def change_over(turn: Turn, team_goal_id: int, over_percent: Decimal) -> list[Outgoing]:
    """A new over-assignment; after the lock it is logged, and refused where the locked parts would then
    hand out more than the target with it allows."""
    _ = turn._
    managed = await managed_goal(turn, team_goal_id, TeamAction.SET_TARGET)
    if managed is None:
        return [Outgoing(_("You no longer run that team, so nothing was changed."))]
    goal, found = managed
    stored = await stored_split(turn, goal)
    if goal.split_status == SplitStatus.LOCKED and stored is not None:
        changed = split_changes.change_over_percent(stored.split, over_percent, by=turn.user.id, at=turn.now)
        if changed is ChangeProblem.BELOW_LOCKED_PARTS:
            return [below_parts(goal, replace(stored.split, over_percent=over_percent), goal.target_value, _),
                    await goal_card(turn, goal, found)]  # fmt: skip
        if isinstance(changed, ChangeProblem):
            return [Outgoing(_("Nothing changed.")), await goal_card(turn, goal, found)]
        record(turn, goal, [changed[1]])
    elif over_percent == goal.over_percent:
        return [Outgoing(_("Nothing changed.")), await goal_card(turn, goal, found)]
    goal.over_percent, goal.updated_at = over_percent, turn.now
    shown = format(over_percent.normalize(), "f")
    return [Outgoing(_("Over-assignment: {percent}%.", percent=shown)), await goal_card(turn, goal, found)]
