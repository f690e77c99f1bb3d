"""A goal's strategy log (/history) in the user's words: local dates, labels from the catalogs, formatted values,
newest first, in pages that each fit one message (bot/services/paging.py)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from decimal import Decimal
from functools import partial
from zoneinfo import ZoneInfo

from bot.core.goal_draft import GoalDraft
from bot.i18n import N_, Translator
from bot.services.flows.coaching import DECISIONS, REASONS
from bot.services.goal_text import amount_text, date_text, goal_headline
from bot.services.goals import draft_of
from bot.services.paging import Page, Section, page_line, paginate
from bot.storage.coaching_models import StrategyChange
from bot.storage.models import Goal

REASON_LABELS = dict(REASONS)
DECISION_LABELS = dict(DECISIONS)
# The goal values a strategy change records before and after (as audit text: "1200000", "2027-03-31").
VALUE_CHANGES = {
    "target_value": N_("Target: {before} → {after}"),
    "deadline": N_("Deadline: {before} → {after}"),
}


def value_text(key: str, value: str | None, draft: GoalDraft, _: Translator) -> str:
    if value is None:
        return "—"
    if key == "deadline":
        return date_text(date.fromisoformat(value), _)
    return amount_text(Decimal(value), draft, _)


def change_line(change: StrategyChange, draft: GoalDraft, zone: ZoneInfo, _: Translator) -> str:
    """One change: the user's local day, why, what was decided, what moved, and the note."""
    day = change.at.astimezone(zone).date()
    reason, decision = _(REASON_LABELS[change.reason]), _(DECISION_LABELS[change.decision])
    line = f"• {date_text(day, _)} · {reason} → {decision}"
    before, after = change.before, change.after
    moved = [
        _(
            template,
            before=value_text(key, before.get(key), draft, _),
            after=value_text(key, after.get(key), draft, _),
        )
        for key, template in VALUE_CHANGES.items()
        if before.get(key) != after.get(key)
    ]
    if moved:
        line = _("{entry} ({changes})", entry=line, changes=_("; ").join(moved))
    if change.note:
        line += "\n  " + change.note
    return line


def history_sections(
    goals: Sequence[Goal], changes: Sequence[StrategyChange], timezone: str, _: Translator
) -> list[Section]:
    """The strategy log of each open goal, newest change first, as sections to lay out in pages."""
    zone = ZoneInfo(timezone)
    sections = []
    for goal in goals:
        draft = draft_of(goal)
        headline = goal_headline(draft, _)
        lines = [change_line(change, draft, zone, _) for change in changes if change.goal_id == goal.id]
        lines.reverse()
        sections.append(
            Section(
                f"📜 {headline}",
                lines or [_("No strategy changes yet. /change records one.")],
                continued=_("📜 {goal} (continued)", goal=headline),
            )
        )
    return sections


def history_pages(
    goals: Sequence[Goal], changes: Sequence[StrategyChange], timezone: str, _: Translator
) -> list[Page]:
    """/history in pages that each fit a message; a change too long for a page alone is shortened there."""
    if not goals:
        return [Page(_("You have no open goals yet. /newgoal sets one in about two minutes."), ())]
    return paginate(history_sections(goals, changes, timezone, _), partial(page_line, _))
