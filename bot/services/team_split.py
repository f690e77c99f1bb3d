"""The split of a team goal across its members, as stored: confirming a split, a member's answer to their
part (accept, discuss), the managers' changes, the lock and the change log after it. Each use case runs in
the caller's transaction; messages to other people are recorded in the outbox in it (team_notices)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date
from decimal import Decimal
from functools import partial

from bot.core.dialog import Button, Outgoing
from bot.core.goal_draft import ABSOLUTE, GoalDraft
from bot.core.lifecycle.teams import PARTS, SPLITS, PartStatus, SplitStatus
from bot.core.teams.roles import TeamAction
from bot.core.teams.split import Split, SplitMode, split_by_hand
from bot.core.teams.split_changes import LockProblem, lock_problem
from bot.i18n import Translator
from bot.services.goals import GoalLimitReached, apply_changes, create_goal
from bot.services.plans import local_today
from bot.services.team_goal_text import card_text, team_draft, team_sentence, units_text
from bot.services.team_notices import tell
from bot.services.team_roster import TeamSeat, current_members, managers, names_of, seat_in, split_members
from bot.services.turn import Turn
from bot.storage.repositories.goals import GoalRepository
from bot.storage.repositories.team_goals import TeamGoalRepository
from bot.storage.team_models import TeamGoal, TeamGoalPart
from bot.telegram.callbacks import TeamGoalButton, team_goal_callback

MAX_RELEVANCE = 300


@dataclass(frozen=True)
class StoredSplit:
    """A team goal's split as its rows have it, over the team's current members."""

    split: Split
    parts: dict[int, TeamGoalPart]  # by member (user id), current members only

    @property
    def statuses(self) -> dict[int, PartStatus]:
        return {member: part.status for member, part in self.parts.items()}


async def stored_split(turn: Turn, goal: TeamGoal) -> StoredSplit | None:
    """The split over the current members (None when the team has no members to split across)."""
    members = await split_members(turn.session, goal.team_id)
    if not members:
        return None
    rows = {part.user_id: part for part in await TeamGoalRepository(turn.session).parts(goal.id)}
    parts = {member: rows[member] for member in members if member in rows}
    split = split_by_hand(
        goal.target_value, members, {m: p.units for m, p in parts.items()}, goal.over_percent
    )
    if goal.split_mode:
        split = replace(split, mode=SplitMode(goal.split_mode))
    return StoredSplit(split, parts)


async def managed_goal(turn: Turn, team_goal_id: int, action: TeamAction) -> tuple[TeamGoal, TeamSeat] | None:
    """The team goal, when the presser's seat in its team allows `action`; else None (forged or stale)."""
    goal = await TeamGoalRepository(turn.session).get(team_goal_id)
    found = await seat_in(turn.session, goal.team_id, turn.user.id) if goal else None
    if goal is None or found is None or not found.may(action):
        return None
    return goal, found


# The card ------------------------------------------------------------------------------------------


async def goal_card(turn: Turn, goal: TeamGoal, found: TeamSeat) -> Outgoing:
    """The team goal's card: the goal, each member's part and answer, the remainder, the change log."""
    _ = turn._
    stored = await stored_split(turn, goal)
    repository = TeamGoalRepository(turn.session)
    changes = await repository.changes(goal.id)
    people = set(stored.split.members if stored else ()) | {change.changed_by for change in changes}
    names = await names_of(turn.session, people)
    text = card_text(goal, found.team.name, stored.split if stored else None, names,
                     stored.statuses if stored else {}, changes, found.team.timezone, _)  # fmt: skip
    buttons: list[tuple[Button, ...]] = []
    if found.may(TeamAction.SPLIT_TARGET):
        row = [
            Button(_("🎯 Change the team target"), team_goal_callback(TeamGoalButton.TARGET, goal.id)),
            Button(_("📐 Over-assignment"), team_goal_callback(TeamGoalButton.OVER, goal.id)),
        ]
        if goal.split_status == SplitStatus.DRAFT:
            row.insert(0, Button(_("➗ Split"), team_goal_callback(TeamGoalButton.SPLIT, goal.id)))
            if stored and stored.parts:
                row.append(Button(_("🔒 Lock the split"), team_goal_callback(TeamGoalButton.LOCK, goal.id)))
        buttons.append(tuple(row))
    buttons.append(
        (Button(_("📊 Team progress"), team_goal_callback(TeamGoalButton.PROGRESS, goal.team_id)),)
    )
    return Outgoing(text, tuple(buttons))


# Telling members their part --------------------------------------------------------------------------


def proposal(
    goal: TeamGoal, part: TeamGoalPart, team_name: str, manager: str, _: Translator
) -> list[Outgoing]:
    text = _(
        "{manager} proposes your part of the team goal: {part} by {deadline}.\n{sentence}\n\n"
        "Accept it as your own goal, or ask to discuss it.",
        manager=manager,
        part=units_text(part.units, team_draft(goal), _),
        deadline=goal.deadline.isoformat(),
        sentence=team_sentence(goal, team_name, _),
    )
    buttons = (
        (
            Button(_("✅ Accept"), team_goal_callback(TeamGoalButton.ACCEPT, part.id)),
            Button(_("💬 Discuss"), team_goal_callback(TeamGoalButton.DISCUSS, part.id)),
        ),
    )
    return [Outgoing(text, buttons)]


async def propose(turn: Turn, goal: TeamGoal, team_name: str, parts: Sequence[TeamGoalPart]) -> None:
    manager = turn.user.first_name
    for part in parts:
        await tell(turn, part.user_id, partial(proposal, goal, part, team_name, manager))


async def confirm_split(
    turn: Turn, goal: TeamGoal, found: TeamSeat, split: Split, weights: Mapping[int, Decimal]
) -> list[Outgoing]:
    """Write the split as each member's proposed part and tell those whose part is new or changed."""
    _ = turn._
    if goal.split_status == SplitStatus.LOCKED:
        return [Outgoing(_("The split is locked; change a member's part from the card instead.")),
                await goal_card(turn, goal, found)]  # fmt: skip
    repository = TeamGoalRepository(turn.session)
    existing = {part.user_id: part for part in await repository.parts(goal.id)}
    await repository.remove_parts([part for member, part in existing.items() if member not in split.members])
    told: list[TeamGoalPart] = []
    for one in split.parts:
        part = existing.get(one.member_id)
        if part is None:
            part = TeamGoalPart(team_goal_id=goal.id, user_id=one.member_id, units=one.units,
                                status=PARTS.initial, created_at=turn.now, updated_at=turn.now)  # fmt: skip
            repository.add_part(part)
            told.append(part)
        elif part.units != one.units or part.status != PartStatus.ACCEPTED:
            moved = PARTS.next_or_none(part.status, PartStatus.PROPOSED)
            part.units, part.updated_at = one.units, turn.now
            if moved is not None:
                part.status = PARTS.move(part.status, moved)
            told.append(part)
        part.weight = weights.get(one.member_id)
    goal.split_mode, goal.over_percent, goal.updated_at = split.mode.value, split.over_percent, turn.now
    await turn.session.flush()
    await propose(turn, goal, found.team.name, told)
    sent = _.plural("Sent to {count} member: they accept it or ask to discuss it.",
                    "Sent to {count} members: each accepts it or asks to discuss it.", len(told))  # fmt: skip
    return [Outgoing(sent), await goal_card(turn, goal, found)]


# A member's answer -------------------------------------------------------------------------------------


async def own_part(turn: Turn, part_id: int) -> tuple[TeamGoalPart, TeamGoal, TeamSeat] | str:
    """The presser's own part, its goal and their seat; or why not (a message already translated)."""
    _ = turn._
    repository = TeamGoalRepository(turn.session)
    part = await repository.part(part_id)
    goal = await repository.get(part.team_goal_id) if part is not None else None
    if part is None or goal is None or part.user_id != turn.user.id:
        return _("That button is from an old message and no longer does anything.")
    found = await seat_in(turn.session, goal.team_id, turn.user.id)
    if found is None or not found.seat.current:
        return _("You are no longer a member of this team, so this part is not yours to answer.")
    return part, goal, found


def personal_draft(
    goal: TeamGoal, part: TeamGoalPart, team_name: str, today: date, _: Translator
) -> GoalDraft:
    """The member's own goal for their part: the team goal's measure and deadline, their part as the target,
    the team goal's sentence as what it serves."""
    team = team_draft(goal)
    return GoalDraft(
        metric=team.metric, metric_name=team.metric_name, kind=team.kind, unit=team.unit,
        description=team.description, target_kind=ABSOLUTE, target_value=Decimal(part.units),
        start_date=max(goal.start_date, today), deadline=goal.deadline,
        relevance=team_sentence(goal, team_name, _)[:MAX_RELEVANCE],
    )  # fmt: skip


async def accept_part(turn: Turn, part_id: int) -> list[Outgoing]:
    """The member takes their part on as their own goal (as /newgoal would save it), linked to the part."""
    _ = turn._
    found = await own_part(turn, part_id)
    if isinstance(found, str):
        return [Outgoing(found)]
    part, goal, seat = found
    moved = PARTS.next_or_none(part.status, PartStatus.ACCEPTED)
    if moved is None:
        return [Outgoing(_("You have accepted this part already; /progress shows how it goes."))]
    draft = personal_draft(goal, part, seat.team.name, local_today(turn.user, turn.now), _)
    goals = GoalRepository(turn.session)
    personal = await goals.owned(turn.user.id, part.goal_id) if part.goal_id else None
    if personal is not None:
        draft.start_date = personal.start_date
        draft.confidence, draft.ambition_decision = personal.confidence, personal.ambition_decision
        await apply_changes(turn.session, turn.user, personal, draft, turn.now)
    else:
        draft.confidence = 0  # not asked: the part is the manager's proposal, accepted as it stands
        try:
            personal = await create_goal(turn.session, turn.user, draft, turn.now)
        except GoalLimitReached:
            return [
                Outgoing(
                    _(
                        "You already have 10 open goals. Finish, pause or delete one in /goals, then accept again."
                    )
                )
            ]
    part.status, part.goal_id, part.updated_at = PARTS.move(part.status, moved), personal.id, turn.now
    name = turn.user.first_name

    def notice(_: Translator) -> list[Outgoing]:
        return [
            Outgoing(
                _(
                    "{name} accepted their part: {part}.",
                    name=name,
                    part=units_text(part.units, team_draft(goal), _),
                )
            )
        ]

    for manager in managers(await current_members(turn.session, goal.team_id)):
        await tell(turn, manager, notice)
    return [Outgoing(_("Accepted: {part} by {deadline} is now one of your goals. /plan shows what each month, "
                       "week and day needs; your /log results count toward the team goal.",
                       part=units_text(part.units, team_draft(goal), _), deadline=goal.deadline.isoformat()))]  # fmt: skip


async def discuss_part(turn: Turn, part_id: int, note: str) -> list[Outgoing]:
    """The member's note on their part; the managers are told and can change the part."""
    _ = turn._
    found = await own_part(turn, part_id)
    if isinstance(found, str):
        return [Outgoing(found)]
    part, goal, _seat = found
    moved = PARTS.next_or_none(part.status, PartStatus.DISCUSSING)
    if moved is None:
        return [Outgoing(_("You have accepted this part already; talk to your manager to change it."))]
    part.status, part.note, part.updated_at = PARTS.move(part.status, moved), note, turn.now
    name = turn.user.first_name

    def notice(_: Translator) -> list[Outgoing]:
        text = _("{name} wants to discuss their part ({part}): “{note}”",
                  name=name, part=units_text(part.units, team_draft(goal), _), note=note)  # fmt: skip
        label = _("✏️ Change {name}'s part", name=name)[:60]
        return [Outgoing(text, ((Button(label, team_goal_callback(TeamGoalButton.CHANGE, part.id)),),))]

    for manager in managers(await current_members(turn.session, goal.team_id)):
        await tell(turn, manager, notice)
    return [Outgoing(_("Sent to your manager; you will get the part again when it is settled."))]


async def lock_split(turn: Turn, goal: TeamGoal, found: TeamSeat) -> list[Outgoing]:
    _ = turn._
    stored = await stored_split(turn, goal)
    if goal.split_status == SplitStatus.LOCKED:
        return [Outgoing(_("The split is locked already.")), await goal_card(turn, goal, found)]
    if stored is None:
        return [Outgoing(_("The team has no members to split the target across yet."))]
    problem = lock_problem(stored.split)
    if problem is LockProblem.MISSING_PARTS:
        names = await names_of(turn.session, stored.split.missing)
        return [Outgoing(_("Not locked: {names} have no part yet. Split again first.",
                           names=", ".join(names[m] for m in stored.split.missing)))]  # fmt: skip
    if problem is LockProblem.UNDER_TARGET:
        return [Outgoing(_("Not locked: the parts add up to {parts}, less than the team target {target}. "
                           "Raise some parts first.", parts=units_text(stored.split.parts_total, team_draft(goal), _),
                           target=units_text(goal.target_value, team_draft(goal), _)))]  # fmt: skip
    goal.split_status = SPLITS.move(goal.split_status, SplitStatus.LOCKED)
    goal.locked_at = goal.updated_at = turn.now
    return [Outgoing(_("🔒 Locked. From now on every change to the split is kept in its change log.")),
            await goal_card(turn, goal, found)]  # fmt: skip
