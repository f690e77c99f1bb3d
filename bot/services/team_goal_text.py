"""Team goals in words: the goal as a sentence, its parts with the remainder, the change log, the card."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from decimal import Decimal
from zoneinfo import ZoneInfo

from bot.core.goal_draft import ABSOLUTE, GROWTH, GoalDraft
from bot.core.lifecycle.teams import PartStatus, SplitStatus
from bot.core.teams.split import Split, SplitMode
from bot.core.teams.split_changes import ChangedField
from bot.core.teams.targets import TargetKind
from bot.i18n import N_, Translator
from bot.services.goal_text import amount_text, goal_sentence, percent_text
from bot.storage.split_models import TeamSplitChange
from bot.storage.team_models import TeamGoal

PART_STATUS_LABELS = {
    PartStatus.PROPOSED: N_("proposed"),
    PartStatus.ACCEPTED: N_("accepted"),
    PartStatus.DISCUSSING: N_("to discuss"),
}
MODE_LABELS = {
    SplitMode.EQUAL: N_("equal parts"),
    SplitMode.HISTORY: N_("by last period's results"),
    SplitMode.WEIGHTS: N_("by weights"),
    SplitMode.HAND: N_("by hand"),
}
FIELD_LABELS = {
    ChangedField.TEAM_TARGET: N_("team target"),
    ChangedField.OVER_PERCENT: N_("over-assignment"),
    ChangedField.PART: N_("part"),
}
# The change log shown on the card: the newest entries.
LOG_LINES = 10


def team_draft(goal: TeamGoal) -> GoalDraft:
    """The team goal as a goal draft, for the house's goal texts."""
    growth = goal.target_kind == TargetKind.GROWTH
    return GoalDraft(
        metric=goal.metric,
        metric_name=goal.metric_name,
        kind=goal.kind,
        unit=goal.unit,
        description=goal.description,
        target_kind=GROWTH if growth else ABSOLUTE,
        target_value=Decimal(goal.target_value),
        growth_percent=goal.growth_percent,
        baseline=goal.baseline,
        baseline_known=goal.baseline is not None,
        start_date=goal.start_date,
        deadline=goal.deadline,
    )


def units_text(units: int | Decimal, draft: GoalDraft, _: Translator) -> str:
    """A part or a target in the goal's unit."""
    return amount_text(Decimal(units), draft, _)


def team_sentence(goal: TeamGoal, team_name: str, _: Translator) -> str:
    """ "Team East China KA: by 31 March 2027, reach ¥1,300,000 (revenue): ... That is 30% more ..." """
    return _(
        "Team {team}: {sentence}",
        team=team_name,
        sentence=goal_sentence(team_draft(goal), _, over_last_year=True),
    )


def remainder_line(split: Split, draft: GoalDraft, _: Translator) -> str:
    """The team target minus the parts, and the over-assignment when there is one."""
    if split.remainder > 0:
        line = _("Remainder: {amount} of the team target not handed out yet.",
                 amount=units_text(split.remainder, draft, _))  # fmt: skip
    elif split.remainder < 0:
        line = _("Remainder: {amount} over the team target (over-assigned).",
                 amount=units_text(-split.remainder, draft, _))  # fmt: skip
    else:
        line = _("Remainder: none; the parts add up to the team target.")
    if split.over_percent:
        line += "\n" + _("Over-assignment: {percent}% (parts worth {total} in all).",
                         percent=percent_text(split.over_percent), total=units_text(split.assign_total, draft, _))  # fmt: skip
    return line


def parts_lines(
    split: Split,
    draft: GoalDraft,
    names: Mapping[int, str],
    _: Translator,
    statuses: Mapping[int, PartStatus] | None = None,
) -> list[str]:
    """One line per member: their part (and its answer), then the remainder."""
    lines = []
    for member in split.members:
        units = split.part_of(member)
        part = _("no part yet") if units is None else units_text(units, draft, _)
        if units is not None and member in split.averaged:
            part += " " + _("(no results last period: the team average)")
        status = (statuses or {}).get(member)
        name = names.get(member, str(member))
        if status is None:
            lines.append(_("• {name}: {part}", name=name, part=part))
        else:
            lines.append(
                _("• {name}: {part} ({status})", name=name, part=part, status=_(PART_STATUS_LABELS[status]))
            )
    lines.append(remainder_line(split, draft, _))
    return lines


def change_lines(
    changes: Sequence[TeamSplitChange],
    draft: GoalDraft,
    names: Mapping[int, str],
    timezone: str,
    _: Translator,
) -> list[str]:
    """The newest change log entries: when, who, what, before → after."""
    if not changes:
        return [_("Change log: no changes since the lock.")]
    zone = ZoneInfo(timezone)
    lines = [_("Change log:")]
    for change in changes[-LOG_LINES:]:
        field = ChangedField(change.field)
        if field is ChangedField.OVER_PERCENT:
            before, after = f"{percent_text(change.before)}%", f"{percent_text(change.after)}%"
        else:
            before, after = units_text(change.before, draft, _), units_text(change.after, draft, _)
        what = _(FIELD_LABELS[field])
        if change.member_id is not None:
            what = _("{name}'s part", name=names.get(change.member_id, str(change.member_id)))
        lines.append(_("{at} {who}: {what} {before} → {after}",
                       at=change.at.astimezone(zone).strftime("%Y-%m-%d %H:%M"),
                       who=names.get(change.changed_by, str(change.changed_by)),
                       what=what, before=before, after=after))  # fmt: skip
    return lines


def card_text(
    goal: TeamGoal,
    team_name: str,
    split: Split | None,
    names: Mapping[int, str],
    statuses: Mapping[int, PartStatus],
    changes: Sequence[TeamSplitChange],
    timezone: str,
    _: Translator,
) -> str:
    lines = [team_sentence(goal, team_name, _), ""]
    if split is None or not split.parts:
        lines.append(_("Not split across the team yet."))
    else:
        mode = _(MODE_LABELS[SplitMode(goal.split_mode)]) if goal.split_mode else ""
        locked = goal.split_status == SplitStatus.LOCKED
        lines.append(
            _("Split ({mode}), locked:", mode=mode) if locked else _("Split ({mode}), draft:", mode=mode)
        )
        lines += parts_lines(split, team_draft(goal), names, _, statuses)
        if locked:
            lines += ["", *change_lines(changes, team_draft(goal), names, timezone, _)]
    return "\n".join(lines)
