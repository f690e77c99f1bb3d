"""Goal use cases: create from a finished draft, change fields and status, always with an audit row."""

from __future__ import annotations

import json
from datetime import datetime
from decimal import Decimal
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from bot.core.goal_draft import GoalDraft
from bot.core.lifecycle.goals import GOALS, GoalAction, GoalStatus, after_action
from bot.services.crm_new_goal import derive_for_new_goal
from bot.services.turn import Turn
from bot.storage.models import Goal, GoalAudit, User
from bot.storage.repositories.goals import GoalRepository

__all__ = [
    "MAX_OPEN_GOALS",
    "GoalAction",
    "GoalLimitReached",
    "apply_changes",
    "audit_text",
    "create_goal",
    "draft_of",
    "goal_columns",
    "perform",
    "set_status",
]
MAX_OPEN_GOALS = 10


class GoalLimitReached(Exception):
    """The user already has MAX_OPEN_GOALS open goals."""


def audit_text(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, Decimal):
        return format(value, "f")
    return value.isoformat() if hasattr(value, "isoformat") else str(value)


def goal_columns(draft: GoalDraft) -> dict[str, Any]:
    """The goal's column values for a complete draft."""
    return {
        "metric": draft.metric,
        "metric_name": draft.metric_name,
        "kind": draft.kind,
        "unit": draft.unit,
        "description": draft.description,
        "target_kind": draft.target_kind,
        "target_value": draft.target_value,
        "growth_percent": draft.growth_percent,
        "baseline": draft.baseline if draft.baseline_known else None,
        "deadline": draft.deadline,
        "confidence": draft.confidence,
        "ambition": draft.ambition().verdict.value,
        "ambition_decision": draft.ambition_decision,
        "relevance": draft.relevance,
    }


def draft_of(goal: Goal) -> GoalDraft:
    """A saved goal as a draft, so the wizard's steps can edit it."""
    return GoalDraft(
        metric=goal.metric,
        metric_name=goal.metric_name,
        kind=goal.kind,
        unit=goal.unit,
        description=goal.description,
        target_kind=goal.target_kind,
        target_value=goal.target_value,
        growth_percent=goal.growth_percent,
        baseline=goal.baseline,
        baseline_known=goal.baseline is not None,
        start_date=goal.start_date,
        deadline=goal.deadline,
        confidence=goal.confidence,
        ambition_decision=goal.ambition_decision,
        relevance=goal.relevance,
    )


async def create_goal(session: AsyncSession, user: User, draft: GoalDraft, now: datetime) -> Goal:
    repository = GoalRepository(session)
    if await repository.count_open(user.id) >= MAX_OPEN_GOALS:
        raise GoalLimitReached
    assert draft.start_date is not None
    goal = await repository.add(
        Goal(
            user_id=user.id,
            start_date=draft.start_date,
            status=GOALS.initial,
            created_at=now,
            updated_at=now,
            **goal_columns(draft),
        )
    )
    snapshot = {name: audit_text(value) for name, value in goal_columns(draft).items()}
    repository.record(
        GoalAudit(
            goal_id=goal.id,
            user_id=user.id,
            at=now,
            field="created",
            old_value=None,
            new_value=json.dumps(snapshot, ensure_ascii=False),
        )
    )
    await derive_for_new_goal(session, goal, now)  # import14: the CRM deals already imported count toward it
    return goal


async def apply_changes(
    session: AsyncSession, user: User, goal: Goal, draft: GoalDraft, now: datetime
) -> list[str]:
    """Write what the draft changed onto the goal; one audit row per changed field. Returns their names."""
    repository = GoalRepository(session)
    changed = []
    for name, new in goal_columns(draft).items():
        old = getattr(goal, name)
        if audit_text(old) != audit_text(new):
            setattr(goal, name, new)
            repository.record(
                GoalAudit(
                    goal_id=goal.id,
                    user_id=user.id,
                    at=now,
                    field=name,
                    old_value=audit_text(old),
                    new_value=audit_text(new),
                )
            )
            changed.append(name)
    if changed:
        goal.updated_at = now
    return changed


async def set_status(
    session: AsyncSession, user: User, goal: Goal, status: GoalStatus, now: datetime
) -> bool:
    """Move a goal to `status`, with its audit row; False (and nothing written) when the goal's
    lifecycle does not allow it (it is already there, or it is closed)."""
    moved = GOALS.next_or_none(goal.status, status)
    if moved is None:
        return False
    GoalRepository(session).record(
        GoalAudit(
            goal_id=goal.id, user_id=user.id, at=now, field="status", old_value=goal.status, new_value=moved
        )
    )
    goal.status, goal.updated_at = GOALS.move(goal.status, moved), now
    return True


async def perform(turn: Turn, goal: Goal, action: GoalAction) -> bool:
    """Apply a card button to a goal; False (nothing written) when its status does not allow it."""
    status = after_action(goal.status, action)
    return status is not None and await set_status(turn.session, turn.user, goal, status, turn.now)
