"""Coaching nudges: what the user's numbers say after each report, written as rows the dispatcher sends."""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from datetime import date, datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

from sqlalchemy.ext.asyncio import AsyncSession

from bot.core.lifecycle.nudges import NUDGES, NudgeStatus, queued_status
from bot.core.lifecycle.prompts import OccurrenceStatus
from bot.core.lifecycle.rewards import RewardStatus
from bot.core.nudge_pacing import NO_REPEAT_DAYS, choose_text, send_at, text_seed, used_within
from bot.core.nudges import (
    DayMark,
    NudgeKind,
    Trigger,
    best_week_trigger,
    first_deal_trigger,
    milestone_triggers,
    off_track_trigger,
    pace_recovered_trigger,
    review_streak,
    streak_trigger,
)
from bot.core.progress import PaceStatus, pace_status
from bot.core.quick_log import Measure
from bot.services.nudge_texts import NUDGE_TEXTS
from bot.services.plans import GoalOutlook, PlanInputs, build_outlooks, open_goal_inputs
from bot.services.results import Recorded, record_report
from bot.services.scheduling import quiet_hours_of
from bot.services.turn import Turn
from bot.storage.models import PromptOccurrence, User
from bot.storage.repositories.nudges import NudgeRepository
from bot.storage.repositories.occurrences import OccurrenceRepository
from bot.storage.repositories.plans import OpenGoals
from bot.storage.repositories.rewards import RewardRepository


def _actual(view: GoalOutlook) -> Decimal:
    """The goal's result so far: the days inside its window (nothing else counts, nor is stored)."""
    goal = view.goal
    return sum((amount for day, amount in view.actuals.items() if goal.start_date <= day <= goal.deadline),
               Decimal(0))  # fmt: skip


def weekly_totals(view: GoalOutlook) -> list[tuple[str, Decimal]]:
    totals: dict[str, Decimal] = {}
    for day, amount in sorted(view.actuals.items()):
        if day <= view.today:
            year, week, _weekday = day.isocalendar()
            label = f"{year}-W{week:02d}"
            totals[label] = totals.get(label, Decimal(0)) + amount
    return list(totals.items())


def recent_statuses(view: GoalOutlook, count: int = 5) -> list[tuple[date, PaceStatus]]:
    """The pace status at the end of each of the last `count` working days of the plan."""
    days = [target.day for target in view.plan.days if target.day <= view.through][-count:]
    return [(day, pace_status(view.plan, view.actuals, day)) for day in days]


def triggers_after(before: Sequence[GoalOutlook], after: Sequence[GoalOutlook]) -> list[Trigger]:
    """What changed between two looks at the same goals (before and after a report)."""
    earlier = {view.goal.id: view for view in before}
    found: list[Trigger] = []
    for view in after:
        goal_id = view.goal.id
        previous = earlier.get(goal_id)
        was = _actual(previous) if previous else Decimal(0)
        now = _actual(view)
        found += milestone_triggers(goal_id, view.goal.target_value, was, now)
        if view.goal.metric in ("deals", "revenue", "new_customers"):
            first = first_deal_trigger(goal_id, was, now)
            if first is not None:
                found.append(first)
        if previous is not None:
            recovered = pace_recovered_trigger(
                goal_id, previous.progress.status, view.progress.status, view.today, actual=now
            )
            if recovered is not None:
                found.append(recovered)
        for trigger in (best_week_trigger(goal_id, weekly_totals(view)),
                        off_track_trigger(goal_id, recent_statuses(view), view.through)):  # fmt: skip
            if trigger is not None:
                found.append(trigger)
    return found


async def reward_triggers(
    session: AsyncSession, user: User, views: Sequence[GoalOutlook], now: datetime, *, any_active: bool = True
) -> list[Trigger]:
    """Rewards earned by the numbers so far, or whose window closed unearned; their status moves on.
    `any_active=False` says the goals have no active reward (read in the same transaction): nothing to do."""
    by_goal = {view.goal.id: view for view in views}
    if not any_active or not by_goal:
        return []
    repository = RewardRepository(session)
    found = []
    for reward in await repository.active_of(user.id):
        view = by_goal.get(reward.goal_id)
        if view is None:
            continue
        done = sum((amount for day, amount in view.actuals.items() if reward.start_date <= day <= reward.deadline),
                   Decimal(0))  # fmt: skip
        data = {"goal_id": str(reward.goal_id), "target": format(reward.target, "f"), "actual": format(done, "f"),
                "treat": reward.treat, "start": reward.start_date.isoformat(),
                "deadline": reward.deadline.isoformat()}  # fmt: skip
        if done >= reward.target:
            repository.settle(reward, RewardStatus.EARNED, now)
            found.append(Trigger(NudgeKind.REWARD_EARNED, f"reward_earned:{reward.id}", data))
        elif view.today > reward.deadline:
            repository.settle(reward, RewardStatus.ENDED, now)
            found.append(Trigger(NudgeKind.REWARD_ENDED, f"reward_ended:{reward.id}", data))
    return found


async def queue_nudges(session: AsyncSession, user: User, triggers: Sequence[Trigger], now: datetime) -> None:
    """Write each trigger as a nudge row, unless its key was nudged before (then nothing happens).

    A key whose nudge was withdrawn (its result undone before it went out) is queued again: the occasion
    is back, and it was never celebrated."""
    if not triggers:
        return
    # One read for all: the trigger keys nudged before (and which of them were withdrawn, to queue again),
    # and the texts sent within the no-repeat window. Only withdrawn rows are then loaded, to be changed.
    since = now - timedelta(days=NO_REPEAT_DAYS)
    repository = NudgeRepository(session)
    keys = [trigger.key for trigger in triggers]
    rows = await repository.given_or_sent(user.id, keys, since)
    known = {key for key, *_ in rows}
    wanted = set(keys)
    ids = [row_id for key, _, _, status, row_id in rows if key in wanted and status == NudgeStatus.WITHDRAWN]
    withdrawn = {nudge.key: nudge for nudge in await repository.of_ids(ids)} if ids else {}
    triggers = [trigger for trigger in triggers if trigger.key not in known or trigger.key in withdrawn]
    if not triggers:
        return
    used = used_within([(text_id, at) for _, text_id, at, *_ in rows if text_id and at], now)
    due = send_at(now, quiet_hours_of(user), ZoneInfo(user.timezone))
    values = []
    for trigger in triggers:
        text_id = choose_text(list(NUDGE_TEXTS[trigger.kind]), used, text_seed(trigger.key))
        again = withdrawn.get(trigger.key)
        if again is not None:
            if text_id:
                again.status, again.reason = NUDGES.move(again.status, NudgeStatus.PENDING), None
                again.text_id, again.data, again.due_at, again.updated_at = text_id, trigger.data, due, now
                used.add(text_id)
            continue
        status, reason = queued_status(text_id)
        values.append({"user_id": user.id, "kind": trigger.kind.value, "key": trigger.key, "text_id": text_id,
                       "data": trigger.data, "status": status, "reason": reason, "due_at": due, "created_at": now,
                       "updated_at": now})  # fmt: skip
        if text_id:
            used.add(text_id)
    # One statement for all; a key another transaction queued meanwhile is still skipped by the constraint.
    if values:
        await repository.queue(values)


async def record_and_coach(
    turn: Turn,
    day: date,
    values: Mapping[Measure, Decimal],
    *,
    source: str,
    goal_values: Mapping[int, Decimal] | None = None,
    goal_ids: Collection[int] | None = None,
    message_id: int | None = None,
    open_goals: OpenGoals | None = None,
) -> list[GoalOutlook]:
    """Record a report, then queue the nudges its numbers earned; returns the goals' outlooks after it.

    `goal_ids` limits the goals the report counts for (the user chose one); by default every open goal
    whose window holds `day`. `message_id`: the user's message the report came from. `open_goals`: the open goals as the caller read them in this transaction
    (PlanRepository.open_goals_with_plans), so they are not read twice."""
    session, user, now = turn.session, turn.user, turn.now
    inputs = await open_goal_inputs(session, user, now, turn.default_language, found=open_goals)
    before = build_outlooks(inputs, now)
    goals = inputs.goals if goal_ids is None else [goal for goal in inputs.goals if goal.id in goal_ids]
    recorded = await record_report(
        session,
        user,
        day,
        values,
        now,
        source=source,
        goal_values=goal_values,
        goals=goals,
        message_id=message_id,
    )
    return await coach_change(turn, inputs, before, recorded)


async def coach_change(
    turn: Turn, inputs: PlanInputs, before: Sequence[GoalOutlook], recorded: Recorded
) -> list[GoalOutlook]:
    """Queue the nudges a recorded (or corrected) report earned; returns the goals' outlooks after it."""
    session, user, now = turn.session, turn.user, turn.now
    # The "after" picture is computed from what the report changed, without reading everything again.
    after = build_outlooks(inputs.with_actuals(recorded.apply_to(inputs.actuals)), now)
    rewards = await reward_triggers(session, user, after, now, any_active=inputs.active_rewards)
    triggers = triggers_after(before, after) + rewards
    await queue_nudges(session, user, triggers, now)
    return after


async def streak_nudge(session: AsyncSession, user: User, day: date, now: datetime) -> None:
    """After a daily review is answered: celebrate a streak milestone (a missed day a week is forgiven)."""
    rows = await OccurrenceRepository(session).daily_history(user.id, day)
    marks = [(row.day, day_mark(row)) for row in rows]
    trigger = streak_trigger(review_streak(marks), day)
    if trigger is not None:
        await queue_nudges(session, user, [trigger], now)


def day_mark(occurrence: PromptOccurrence) -> DayMark:
    """Answered counts; skipped (by the user with "skip today", or by the bot) is excused; the rest is missed."""
    return status_mark(occurrence.status)


def status_mark(status: str) -> DayMark:
    """`day_mark` of a prompt in `status` (for callers that read statuses only, such as the team digest)."""
    if status == OccurrenceStatus.ANSWERED:
        return DayMark.ANSWERED
    if status == OccurrenceStatus.SKIPPED:
        return DayMark.EXCUSED
    return DayMark.MISSED
