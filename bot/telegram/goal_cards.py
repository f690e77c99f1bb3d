"""Goal lists and cards: the non-dialog buttons, whose callback data names a goal and is checked on press."""

from __future__ import annotations

from collections.abc import Sequence

from bot.core.dialog import Button, Outgoing
from bot.i18n import Translator
from bot.services.goal_text import GOAL_STATUS_LABELS, goal_headline, goal_sentence
from bot.services.goals import draft_of
from bot.storage.models import Goal, GoalStatus
from bot.telegram.callbacks import GoalButton, goal_callback
from bot.telegram.replies import no_open_goals


def goal_list(goals: Sequence[Goal], limit: int, _: Translator) -> Outgoing:
    if not goals:
        return no_open_goals(_)
    buttons = tuple(
        (
            Button(
                f"{number}. {goal_headline(draft_of(goal), _)}"[:60], goal_callback(GoalButton.OPEN, goal.id)
            ),
        )
        for number, goal in enumerate(goals, 1)
    )
    lines = [
        f"{number}. {_(GOAL_STATUS_LABELS[goal.status])} {goal_headline(draft_of(goal), _)}"
        for number, goal in enumerate(goals, 1)
    ]
    # The count and the limit in words: "(2 of 10)" would read like a page number.
    header = _.plural("{count} open goal (up to {limit} at a time). Tap one to open it:",
                      "{count} open goals (up to {limit} at a time). Tap one to open it:", len(goals), limit=limit)  # fmt: skip
    return Outgoing("\n".join([header, *lines]), buttons)


def goal_card(goal: Goal, _: Translator) -> Outgoing:
    text = f"{_(GOAL_STATUS_LABELS[goal.status])}\n{goal_sentence(draft_of(goal), _)}"
    if goal.status not in GoalStatus.OPEN:
        return Outgoing(text)
    pause = (
        Button(_("⏸ Pause"), goal_callback(GoalButton.PAUSE, goal.id))
        if goal.status == GoalStatus.ACTIVE
        else Button(_("▶️ Resume"), goal_callback(GoalButton.RESUME, goal.id))
    )
    return Outgoing(
        text,
        (
            (Button(_("✏️ Edit"), goal_callback(GoalButton.EDIT, goal.id)), pause),
            (
                Button(_("🏆 Achieved"), goal_callback(GoalButton.ACHIEVED, goal.id)),
                Button(_("🏳 Abandon"), goal_callback(GoalButton.ABANDON, goal.id)),
            ),
            (
                Button(_("🗑 Delete"), goal_callback(GoalButton.DELETE, goal.id)),
                Button(_("⬅ All goals"), goal_callback(GoalButton.LIST)),
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
                Button(_("Yes, delete it"), goal_callback(GoalButton.DELETE_CONFIRMED, goal.id)),
                Button(_("No, keep it"), goal_callback(GoalButton.OPEN, goal.id)),
            ),
        ),
    )
