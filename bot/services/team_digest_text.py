"""The digest in words, for a manager walking into the meeting: the headline numbers first, then sections.

Each section shows its first few lines and says how many more there are, and members' texts are cut
short, so the digest stays a message or two whatever the team's size (the sending layer still splits
anything over Telegram's 4,096 characters on paragraph boundaries).
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal

from bot.core.goal_draft import GoalDraft
from bot.core.teams.discussion import (
    AheadOfPace,
    ConversionFell,
    DiscussionPoint,
    MemberBehindPace,
    MetricBehind,
    MissedInARow,
    SharedLossReason,
    WeekAgainstTarget,
)
from bot.core.teams.meeting_notes import NoteKind
from bot.i18n import N_, Translator
from bot.services.goal_text import amount_text, count_text, date_text, metric_label, percent_of, percent_text
from bot.services.plan_text import PACE_STATUS_LABELS
from bot.services.profile_summary import clock, weekday_name
from bot.services.strategy_text import DECISION_LABELS, REASON_LABELS
from bot.services.team_digest import Digest, MemberWeek, SharedItem
from bot.services.team_sharing import REASON_LABELS as LOSS_REASONS  # the keys /lost stores

MEMBER_LINES = 10  # members listed, furthest behind their week first
SECTION_LINES = 5  # lines of every other section
TEXT_LENGTH = 160  # characters of a member's own words
ACTIVITY_ORDER = ("deals", "new_customers", "meetings", "visits", "calls", "trainings", "events")
STAGE_LABELS = {
    "calls": N_("calls"),
    "visits": N_("client visits"),
    "meetings": N_("meetings"),
    "deals": N_("deals"),
}
SHARE_KIND_LABELS = {
    "setback": N_("setback"),
    "lesson": N_("lesson"),
    NoteKind.BLOCKER.value: N_("blocker"),
    NoteKind.QUESTION.value: N_("question"),
    NoteKind.NOTE.value: N_("note"),
    NoteKind.WIN.value: N_("win"),
}


def clip(text: str, limit: int = TEXT_LENGTH) -> str:
    folded = " ".join(text.split())
    return folded if len(folded) <= limit else folded[: limit - 1] + "…"


def _bounded(lines: Sequence[str], most: int, _: Translator) -> list[str]:
    shown = list(lines[:most])
    hidden = len(lines) - len(shown)
    if hidden > 0:
        shown.append(_.plural("…and {count} more", "…and {count} more", hidden))
    return shown


def _amount(value: Decimal, draft: GoalDraft | None, _: Translator) -> str:
    return amount_text(value, draft, _) if draft is not None else percent_text(value)


def headline(digest: Digest, _: Translator) -> list[str]:
    lines = [
        _(
            "📋 {team}: sales meeting {weekday}, {date} at {time}",
            team=digest.team_name,
            weekday=weekday_name(digest.meeting_day.isoweekday(), _),
            date=date_text(digest.meeting_day, _),
            time=clock(digest.starts_at),
        )
    ]
    first, last = digest.covers
    draft = digest.goal.draft if digest.goal else None
    if digest.week is not None and digest.week.target > 0 and draft is not None:
        lines.append(
            _(
                "This week ({first} – {last}): {achieved} of {target} ({percent}%)",
                first=date_text(first, _),
                last=date_text(last, _),
                achieved=amount_text(digest.week.achieved, draft, _),
                target=amount_text(digest.week.target, draft, _),
                percent=percent_of(digest.week.achieved, digest.week.target),
            )
        )
    if digest.goal is not None:
        goal = digest.goal
        lines.append(
            _(
                "Team goal: {achieved} of {target} by {deadline} ({percent}%) · {status}",
                achieved=amount_text(goal.achieved, goal.draft, _),
                target=amount_text(goal.target, goal.draft, _),
                deadline=date_text(goal.deadline, _),
                percent=percent_text(goal.percent_done),
                status=_(PACE_STATUS_LABELS[goal.status]),
            )
        )
    else:
        lines.append(_("The team has no target yet: the numbers below are what members reported."))
    return lines


def _week_share(member: MemberWeek) -> Decimal:
    return member.achieved / member.target if member.target > 0 else Decimal(10)


def member_line(member: MemberWeek, draft: GoalDraft | None, _: Translator) -> str:
    parts: list[str] = []
    if member.target > 0 and draft is not None:
        parts.append(
            _(
                "{achieved} of {target} ({percent}%)",
                achieved=amount_text(member.achieved, draft, _),
                target=amount_text(member.target, draft, _),
                percent=percent_of(member.achieved, member.target),
            )
        )
    if member.status is not None:
        parts.append(_(PACE_STATUS_LABELS[member.status]))
    done = [count_text(member.activities[m], m, _) for m in ACTIVITY_ORDER if member.activities.get(m)]
    if done:
        parts.append(_(", ").join(done[:3]))
    if member.rating is not None:
        parts.append(_("rated the week {rating}/5", rating=member.rating))
    parts.append(_.plural("{count} review in a row", "{count} reviews in a row", member.streak))
    if not done and member.achieved == 0:
        parts.insert(0, _("nothing reported"))
    return _("• {name}: {text}", name=member.name, text=" · ".join(parts))


def members_section(digest: Digest, _: Translator) -> list[str]:
    if not digest.members:
        return []
    draft = digest.goal.draft if digest.goal else None
    ordered = sorted(digest.members, key=lambda member: (_week_share(member), member.name))
    lines = [member_line(member, draft, _) for member in ordered]
    return [_("👥 Each member's week"), *_bounded(lines, MEMBER_LINES, _)]


def _days_in_a_row(member: MemberWeek, _: Translator) -> str:
    days = member.missed_in_a_row
    return _.plural("{count} working day in a row", "{count} working days in a row", days)


def misses_section(digest: Digest, _: Translator) -> list[str]:
    missed = sorted(
        (member for member in digest.members if member.missed_in_a_row > 0),
        key=lambda member: (-member.missed_in_a_row, member.name),
    )
    if not missed:
        return []
    lines = [_("• {name}: {text}", name=member.name, text=_days_in_a_row(member, _)) for member in missed]
    return [_("⛔ Daily targets missed"), *_bounded(lines, SECTION_LINES, _)]


def _shared_line(item: SharedItem, digest: Digest, _: Translator, *, kind: bool = True) -> str:
    name = digest.names.get(item.member_id, "?")
    if kind and item.kind in SHARE_KIND_LABELS:
        return _(
            "• {name} ({kind}): {text}", name=name, kind=_(SHARE_KIND_LABELS[item.kind]), text=clip(item.text)
        )
    return _("• {name}: {text}", name=name, text=clip(item.text))


def items_section(
    title: str, items: Sequence[SharedItem], digest: Digest, _: Translator, *, kind: bool = True
) -> list[str]:
    if not items:
        return []
    lines = [_shared_line(item, digest, _, kind=kind) for item in items]
    return [title, *_bounded(lines, SECTION_LINES, _)]


def strategy_section(digest: Digest, _: Translator) -> list[str]:
    if not digest.strategy:
        return []
    lines = [
        _(
            "• {name}, {date}: {reason} → {decision}",
            name=digest.names.get(change.member_id, "?"),
            date=date_text(change.day, _),
            reason=_(REASON_LABELS.get(change.reason, REASON_LABELS["other"])),
            decision=_(DECISION_LABELS[change.decision])
            if change.decision in DECISION_LABELS
            else change.decision,
        )
        for change in digest.strategy
    ]
    return [_("🔀 Strategy changes"), *_bounded(lines, SECTION_LINES, _)]


def point_text(point: DiscussionPoint, digest: Digest, _: Translator) -> str:
    name = digest.names.get(getattr(point, "member_id", 0), "?")
    draft = digest.goal.draft if digest.goal else None
    match point:
        case MemberBehindPace():
            return _(
                "{name} is furthest behind their pace: {percent}% under what their plan expected by now ({status}).",
                name=name,
                percent=percent_text(point.shortfall_percent),
                status=_(PACE_STATUS_LABELS[point.status]),
            )
        case MetricBehind():
            metric = metric_label(draft, _) if draft is not None else point.metric
            return _(
                "{metric} across the team is {percent}% behind plan: {achieved} of {expected} expected by now.",
                metric=metric,
                percent=percent_text(point.shortfall_percent),
                achieved=_amount(point.achieved, draft, _),
                expected=_amount(point.expected, draft, _),
            )
        case ConversionFell():
            return _(
                "From {upper} to {lower}, conversion fell from {before}% to {now}%: which step is stuck?",
                upper=_(STAGE_LABELS[point.from_stage]),
                lower=_(STAGE_LABELS[point.to_stage]),
                before=percent_text(point.before_percent),
                now=percent_text(point.now_percent),
            )
        case SharedLossReason():
            people = _(", ").join(digest.names.get(member, "?") for member in point.member_ids)
            reason = _(LOSS_REASONS[point.reason]) if point.reason in LOSS_REASONS else point.reason
            deals = point.deals
            return _.plural(
                "{people} lost {count} deal for the same reason: {reason}.",
                "{people} lost {count} deals for the same reason: {reason}.",
                deals,
                people=people,
                reason=reason,
            )
        case MissedInARow():
            days = point.working_days
            return _.plural(
                "{name} missed the daily target {count} working day in a row: what would help?",
                "{name} missed the daily target {count} working days in a row: what would help?",
                days,
                name=name,
            )
        case WeekAgainstTarget():
            return _(
                "The week brought {achieved} of its {target} ({percent}%).",
                achieved=_amount(point.achieved, draft, _),
                target=_amount(point.target, draft, _),
                percent=percent_of(point.achieved, point.target),
            )
        case AheadOfPace():
            return _(
                "{name} is furthest ahead of pace ({percent}% over plan): what is working that others could use?",
                name=name,
                percent=percent_text(point.lead_percent),
            )
    raise AssertionError(f"unknown discussion point {point!r}")  # pragma: no cover


def points_section(digest: Digest, _: Translator) -> list[str]:
    if not digest.points:
        return []
    lines = [f"{number}. {point_text(point, digest, _)}" for number, point in enumerate(digest.points, 1)]
    return [_("🗣 To discuss"), *lines]


def recalled_section(digest: Digest, _: Translator) -> list[str]:
    if not digest.recalled:
        return []
    lines = [
        _(
            "• {who}: {text}",
            who=digest.names.get(item.member_id, _("a former member")) if item.member_id else _("Whole team"),
            text=clip(item.text),
        )
        for item in digest.recalled
    ]
    return [_("↩️ Agreed at the last meeting"), *_bounded(lines, SECTION_LINES * 2, _)]


def digest_text(digest: Digest, _: Translator) -> str:
    """The whole digest: headline, then each section that has something, separated by blank lines."""
    sections = [
        headline(digest, _),
        points_section(digest, _),
        members_section(digest, _),
        misses_section(digest, _),
        items_section(_("💡 Setbacks and lessons shared"), digest.reflections, digest, _),
        strategy_section(digest, _),
        items_section(_("🏆 Wins"), digest.wins, digest, _, kind=False),
        items_section(_("🧱 Brought for the meeting"), digest.notes, digest, _),
        recalled_section(digest, _),
    ]
    return "\n\n".join("\n".join(section) for section in sections if section)
