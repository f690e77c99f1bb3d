"""What CRM imports say: the systems' names, the note a member gets (import14); the preview before
anything is written and what an import changed (importflow14).

The preview's figures are kept in the dialog's state (`PreviewFigures`, plain JSON values) and rendered
in the reader's language whenever the preview is shown, so a restart between the preview and Import
shows the same figures. Whatever the file, a preview stays within one Telegram message: the skipped rows
show a count per reason and their first few row numbers, a team preview at most MAX_MEMBER_LINES members.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING

from bot.core.crm.files import SKIP_REASON_TEXTS, FileProblem, SkippedRow, SkipReason
from bot.core.crm.files.problems import FILE_PROBLEM_TEXTS, ROW_LIMIT
from bot.core.crm.records import CrmSystem
from bot.core.metrics import MEASURE_LABELS
from bot.core.utf16 import utf16_length, utf16_prefix
from bot.i18n import N_, Translator
from bot.services.dialogs.parsing import echo
from bot.services.goal_text import count_text, date_text, money_text, number_text
from bot.telegram.limits import MAX_TEXT_LENGTH

if TYPE_CHECKING:  # crm_team_import reads member_notice from here
    from bot.services.crm_team_import import TeamImportOutcome

# How each system is named to the user (Fxiaoke is 纷享销客 in Chinese).
SYSTEM_NAMES: dict[CrmSystem, str] = {
    CrmSystem.ZOHO: N_("Zoho CRM"),
    CrmSystem.FXIAOKE: N_("Fxiaoke"),
    CrmSystem.OTHER: N_("your CRM"),
}


def member_notice(
    *,
    manager: str,
    system: CrmSystem,
    won: int,
    won_total: Decimal,
    activities: Mapping[str, int],
    reversed_count: int,
    currency: str,
    _: Translator,
) -> str:
    """ "Imported by your manager Wang from Zoho CRM: 12 won deals, ¥340,000; 30 calls." """
    parts = []
    if won:
        total = money_text(won_total, currency, _)  # outside the call: the extractor reads its arguments
        parts.append(
            _.plural(
                "{count} won deal, {total}",
                "{count} won deals, {total}",
                won,
                total=total,
            )
        )
    parts += [count_text(n, measure, _) for measure, n in sorted(activities.items()) if n]
    if reversed_count:
        parts.append(
            _.plural(
                "{count} deal no longer won, taken back",
                "{count} deals no longer won, taken back",
                reversed_count,
            )
        )
    if not parts:
        parts.append(_("your records updated"))
    return _(
        "Imported by your manager {manager} from {system}: {results}.",
        manager=manager,
        system=_(SYSTEM_NAMES[system]),
        results=_("; ").join(parts),
    )


# The preview and the outcome (importflow14) ----------------------------------------

FIRST_ROWS_SHOWN = 5  # row numbers shown per skip reason
MAX_MEMBER_LINES = 20  # members listed in a team preview; the rest counted
ACTIVITY_ORDER = ("calls", "visits", "meetings")


@dataclass
class SkipCount:
    reason: str  # a SkipReason value
    count: int
    first_rows: list[int] = field(default_factory=list)


@dataclass
class PreviewFigures:
    """What importing the file would do for one user, as the preview shows it."""

    rows: int = 0  # data rows read from the file
    won: int = 0
    won_total: Decimal = Decimal(0)
    first_day: date | None = None
    last_day: date | None = None
    activities: dict[str, int] = field(default_factory=dict)
    new: int = 0
    changed: int = 0
    unchanged: int = 0
    reversed: int = 0
    skipped: list[SkipCount] = field(default_factory=list)
    overlap_days: dict[str, int] = field(default_factory=dict)  # measure -> days logged by hand too

    @property
    def brings_anything(self) -> bool:
        return bool(self.new or self.changed or self.reversed)


def skip_counts(skipped: Sequence[SkippedRow]) -> list[SkipCount]:
    """Skipped rows as one count per reason (in the reasons' order) with the first few row numbers."""
    counts: dict[SkipReason, SkipCount] = {}
    for row in skipped:
        found = counts.setdefault(row.reason, SkipCount(row.reason.value, 0))
        found.count += 1
        if len(found.first_rows) < FIRST_ROWS_SHOWN:
            found.first_rows.append(row.row)
    return [counts[reason] for reason in SkipReason if reason in counts]


def problem_text(problem: FileProblem, _: Translator) -> str:
    return _(FILE_PROBLEM_TEXTS[problem], limit=number_text(ROW_LIMIT, _))


def measure_name(measure: str, _: Translator) -> str:
    """The measure's name as goals and plans say it (bot.core.metrics.MEASURE_LABELS)."""
    label = MEASURE_LABELS.get(measure)
    return _(label) if label is not None else measure


def _range_text(figures: PreviewFigures, _: Translator) -> str | None:
    if figures.first_day is None or figures.last_day is None:
        return None
    if figures.first_day == figures.last_day:
        return _("Dates: {day}", day=date_text(figures.first_day, _))
    return _(
        "Dates: {first} to {last}", first=date_text(figures.first_day, _), last=date_text(figures.last_day, _)
    )


def _skipped_lines(figures: PreviewFigures, _: Translator) -> list[str]:
    lines = []
    for skip in figures.skipped:
        rows = ", ".join(str(row) for row in skip.first_rows)
        more = "…" if skip.count > len(skip.first_rows) else ""
        count, reason = number_text(skip.count, _), _(SKIP_REASON_TEXTS[SkipReason(skip.reason)])
        lines.append(
            _.plural(
                "• {count} row skipped: {reason} (row {rows}{more})",
                "• {count} rows skipped: {reason} (rows {rows}{more})",
                skip.count,
                count=count,
                reason=reason,
                rows=rows,
                more=more,
            )
        )
    return lines


def figure_lines(figures: PreviewFigures, currency: str, _: Translator) -> list[str]:
    """The figures of one user's part of the import, one line each."""
    # Figures outside the calls: the catalog extractor reads a plural call's arguments.
    count, total = number_text(figures.won, _), money_text(figures.won_total, currency, _)
    lines = [_.plural("{count} won deal, {total} in all", "{count} won deals, {total} in all", figures.won,
                      count=count, total=total)]  # fmt: skip
    activities = [
        count_text(figures.activities[m], m, _) for m in ACTIVITY_ORDER if figures.activities.get(m)
    ]
    if activities:
        lines.append(_("Activities: {activities}", activities=", ".join(activities)))
    dates = _range_text(figures, _)
    if dates:
        lines.append(dates)
    return lines


def change_line(figures: PreviewFigures, _: Translator) -> str:
    if not figures.brings_anything:
        return _("Nothing new: every record is already imported as it is.")
    return _(
        "New: {new} · changed: {changed} · reversed (no longer won): {reversed} · unchanged: {unchanged}",
        new=number_text(figures.new, _),
        changed=number_text(figures.changed, _),
        reversed=number_text(figures.reversed, _),
        unchanged=number_text(figures.unchanged, _),
    )


def overlap_lines(figures: PreviewFigures, _: Translator) -> list[str]:
    lines = []
    for measure, days in figure_overlaps(figures):
        name, count = measure_name(measure, _), number_text(days, _)
        lines.append(
            _.plural(
                "• {measure}: {count} day you also logged by hand",
                "• {measure}: {count} days you also logged by hand",
                days,
                measure=name,
                count=count,
            )
        )
    return lines


def figure_overlaps(figures: PreviewFigures) -> list[tuple[str, int]]:
    return [(measure, days) for measure, days in sorted(figures.overlap_days.items()) if days]


def preview_text(file_name: str, figures: PreviewFigures, currency: str, _: Translator) -> str:
    """The preview of a user's own import, before anything is written."""
    count = number_text(figures.rows, _)
    parts = [
        _.plural(
            "Preview of {file}: {count} row read.",
            "Preview of {file}: {count} rows read.",
            figures.rows,
            file=echo(file_name),
            count=count,
        ),
        "\n".join(figure_lines(figures, currency, _)),
        change_line(figures, _),
    ]
    skipped = _skipped_lines(figures, _)
    if skipped:
        parts.append("\n".join(skipped))
    overlaps = overlap_lines(figures, _)
    if overlaps:
        parts.append(_("Looks like results you logged by hand:\n{lines}", lines="\n".join(overlaps)))
    parts.append(_("Import these results?") if figures.brings_anything else _("There is nothing to import."))
    return fitted("\n\n".join(parts))


def team_preview_text(
    file_name: str,
    rows: int,
    members: Sequence[tuple[str, PreviewFigures]],
    skipped_owners: Sequence[str],
    skipped: Sequence[SkipCount],
    currency: str,
    _: Translator,
) -> str:
    """The preview of a team import: one block per member, the owners left out, the skipped rows."""
    count = number_text(rows, _)
    parts = [
        _.plural(
            "Team preview of {file}: {count} row read.",
            "Team preview of {file}: {count} rows read.",
            rows,
            file=echo(file_name),
            count=count,
        )
    ]
    tail = []
    if skipped_owners:
        names = ", ".join(echo(owner) for owner in skipped_owners[:MAX_MEMBER_LINES])
        tail.append(_("Not imported (matched to nobody): {names}", names=names))
    skipped_lines = _skipped_lines(PreviewFigures(skipped=list(skipped)), _)
    if skipped_lines:
        tail.append("\n".join(skipped_lines))
    anything = any(figures.brings_anything for _name, figures in members)
    tail.append(
        _("Import these results into the members' records?") if anything else _("There is nothing to import.")
    )
    # Members while they fit beside the rest (and the "and N more" line): one message, the question kept.
    budget = MAX_TEXT_LENGTH - utf16_length("\n\n".join([*parts, *tail])) - 100
    shown = 0
    for name, figures in members[:MAX_MEMBER_LINES]:
        lines = figure_lines(figures, currency, _)
        block = "\n".join([f"👤 {echo(name)}: {lines[0]}", *lines[1:], change_line(figures, _)])
        if utf16_length(block) + 2 > budget:
            break
        parts.append(block)
        budget -= utf16_length(block) + 2
        shown += 1
    if shown < len(members):
        extra = len(members) - shown
        parts.append(_.plural("… and {count} more member", "… and {count} more members", extra, count=extra))
    parts += tail
    return fitted("\n\n".join(parts))


def outcome_text(
    added: int, changed: int, reversed_count: int, unchanged: int, _: Translator, *, counted: bool = True
) -> str:
    """What an import changed; `counted` False: no open goal's dates hold any of its results (a goal set
    for those dates later will count them), which /progress would otherwise leave the user to puzzle out."""
    figures = _(
        "Imported. Added: {added} · changed: {changed} · reversed: {reversed} · unchanged: {unchanged}.",
        added=number_text(added, _),
        changed=number_text(changed, _),
        reversed=number_text(reversed_count, _),
        unchanged=number_text(unchanged, _),
    )
    if counted:
        return figures + " " + _("/progress shows where you stand now.")
    return (
        figures
        + "\n"
        + _(
            "None of these results fall within the dates of an open goal, so no goal counts them yet. They are "
            "kept: a goal you set for those dates will count them."
        )
    )


def team_outcome_text(outcome: TeamImportOutcome, names: Mapping[int, str], _: Translator) -> str:
    """What a team import changed, member by member (at most MAX_MEMBER_LINES of them)."""
    lines = [
        _(
            "👤 {name}: added {added} · changed {changed} · reversed {reversed} · unchanged {unchanged}",
            name=echo(names.get(member.member_id, str(member.member_id))),
            added=number_text(member.outcome.added, _),
            changed=number_text(member.outcome.changed, _),
            reversed=number_text(member.outcome.reversed, _),
            unchanged=number_text(member.outcome.unchanged, _),
        )
        for member in outcome.members[:MAX_MEMBER_LINES]
    ]
    parts = [_("Imported into your team's results. Each member is told."), "\n".join(lines)]
    if outcome.ignored:
        count = number_text(outcome.ignored, _)
        parts.append(
            _.plural(
                "{count} record was not imported (its owner is matched to nobody).",
                "{count} records were not imported (their owners are matched to nobody).",
                outcome.ignored,
                count=count,
            )
        )
    return fitted("\n\n".join(part for part in parts if part))


def fitted(text: str) -> str:
    """The text within one message (its parts are bounded; this is the last guard)."""
    end = utf16_prefix(text, MAX_TEXT_LENGTH - 1)
    return text if end == len(text) else text[:end] + "…"
