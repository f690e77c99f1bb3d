"""Goal lists and cards: the non-dialog buttons, whose callback data names a goal and is checked on press."""

from __future__ import annotations

import re
from collections.abc import Sequence

from bot.core.dialog import Button, Outgoing
from bot.i18n import Translator
from bot.services.goal_text import GOAL_STATUS_LABELS, goal_headline, goal_sentence
from bot.services.goals import draft_of
from bot.storage.models import Goal, GoalStatus

GOAL_PREFIX = "g"
_GOAL_CALLBACK = re.compile(r"^g:(list|open|edit|pause|resume|achieved|abandon|delete|delete!):(\d{1,10})$")


def goal_callback(action: str, goal_id: int) -> str:
    return f"{GOAL_PREFIX}:{action}:{goal_id}"


def parse_goal_callback(data: str | None) -> tuple[str, int] | None:
    match = _GOAL_CALLBACK.match(data or "")
    return (match.group(1), int(match.group(2))) if match else None


def goal_list(goals: Sequence[Goal], limit: int, _: Translator) -> Outgoing:
    if not goals:
        return Outgoing(_("You have no open goals yet. /newgoal sets one in about two minutes."))
    buttons = tuple(
        (Button(f"{number}. {goal_headline(draft_of(goal), _)}"[:60], goal_callback("open", goal.id)),)
        for number, goal in enumerate(goals, 1)
    )
    lines = [
        f"{number}. {_(GOAL_STATUS_LABELS[goal.status])} {goal_headline(draft_of(goal), _)}"
        for number, goal in enumerate(goals, 1)
    ]
    header = _("Your open goals ({count} of {limit}). Tap one to open it:", count=len(goals), limit=limit)
    return Outgoing("\n".join([header, *lines]), buttons)


def goal_card(goal: Goal, _: Translator) -> Outgoing:
    text = f"{_(GOAL_STATUS_LABELS[goal.status])}\n{goal_sentence(draft_of(goal), _)}"
    if goal.status not in GoalStatus.OPEN:
        return Outgoing(text)
    pause = (
        Button(_("⏸ Pause"), goal_callback("pause", goal.id))
        if goal.status == GoalStatus.ACTIVE
        else Button(_("▶️ Resume"), goal_callback("resume", goal.id))
    )
    return Outgoing(
        text,
        (
            (Button(_("✏️ Edit"), goal_callback("edit", goal.id)), pause),
            (
                Button(_("🏆 Achieved"), goal_callback("achieved", goal.id)),
                Button(_("🏳 Abandon"), goal_callback("abandon", goal.id)),
            ),
            (
                Button(_("🗑 Delete"), goal_callback("delete", goal.id)),
                Button(_("⬅ All goals"), goal_callback("list", 0)),
            ),
        ),
    )


def delete_confirmation(goal: Goal, _: Translator) -> Outgoing:
    return Outgoing(
        _(
            "Delete “{headline}”? It leaves your list; its history stays for your reviews.",
            headline=goal_headline(draft_of(goal), _),
        ),
        (
            (
                Button(_("Yes, delete it"), goal_callback("delete!", goal.id)),
                Button(_("No, keep it"), goal_callback("open", goal.id)),
            ),
        ),
    )
