"""What the reviews say: a day's report, the pace of each goal, the week's and the month's summaries.

Pure text from values already loaded; /log shows its report with the same words.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from bot.core.currency import default_currency
from bot.core.dates import month_end, week_start
from bot.core.dialog import Reject
from bot.core.goal_draft import GoalDraft
from bot.core.metrics import REPORT_LABELS, MetricKind
from bot.core.quick_log import Measure, QuickReport, ReportProblem
from bot.i18n import N_, Translator
from bot.services.goal_text import amount_text, date_text, goal_headline, number_text, per_day_text
from bot.services.plan_text import PACE_STATUS_LABELS
from bot.services.plans import GoalOutlook
from bot.services.results import in_window
from bot.storage.models import Goal, User

# /log's and free text's hints: typed examples only (the daily review's own hint names its button).
REPORT_PROBLEMS = {
    ReportProblem.NOTHING: N_(
        "I could not find numbers I know in that. Type them like “/log 3 visits, 12 calls, 1 deal 50k” "
        "or “/log yesterday 2 deals 80k”."
    ),
    ReportProblem.NEGATIVE: N_("Results cannot be negative. Please type what you did, e.g. “3 visits”."),
    ReportProblem.ABSURD: N_("That number is far more than one day can hold; please check it."),
    ReportProblem.NOT_WHOLE: N_("Visits, calls and deals come in whole numbers; please check the figures."),
    ReportProblem.FUTURE_DAY: N_(
        "That day has not happened yet; results can only be recorded for today or earlier."
    ),
    ReportProblem.TOO_OLD: N_("That day is more than a month ago; records can go back 31 days."),
}


def revenue_draft(user: User, currency: str | None, _: Translator) -> GoalDraft:
    """A draft that formats revenue in the currency of the user's revenue goal, else of their country."""
    unit = currency or default_currency(user.timezone, _.language)
    return GoalDraft(metric="revenue", kind=MetricKind.CURRENCY.value, unit=unit)


def report_text(values: dict[Measure, Decimal], user: User, currency: str | None, _: Translator) -> str:
    """ "revenue ¥50,000, client visits 3, calls 12" in the user's language."""
    parts = []
    for measure, value in values.items():
        if measure is Measure.REVENUE:
            shown = amount_text(value, revenue_draft(user, currency, _), _)
        else:
            shown = number_text(value, _)
        parts.append(_("{measure} {value}", measure=_(REPORT_LABELS[measure]), value=shown))
    return _(", ").join(parts) if parts else _("nothing")


def not_counted(fragments: Sequence[str], _: Translator) -> str:
    """What the parser saw but could not place, shown so nothing is dropped silently."""
    if not fragments:
        return ""
    return "\n" + _("Not counted (I could not place it): {fragments}", fragments=_(", ").join(fragments))


REVIEW_NOTHING = N_(
    "I could not find numbers I know in that. Try “3 visits, 12 calls, 1 deal 50k”, or tap “Nothing to report”."
)


def report_problem(report: QuickReport | ReportProblem, _: Translator) -> Reject | None:
    """The daily review's refusal of a report line: its question has a "Nothing to report" button."""
    if report is ReportProblem.NOTHING:
        return Reject(_(REVIEW_NOTHING))
    if isinstance(report, ReportProblem):
        return Reject(_(REPORT_PROBLEMS[report]))
    return None


def pace_lines(views: Sequence[GoalOutlook], day: date, _: Translator) -> list[str]:
    lines = []
    for view in views:
        if not in_window(view.goal, day):
            # Told, not silently dropped: results of a day outside the goal's dates count for nothing there.
            lines.append(_(
                "{goal}: {date} is outside its dates ({start} – {end}), so nothing that day counts for it.",
                goal=goal_headline(view.draft, _), date=date_text(day, _),
                start=date_text(view.goal.start_date, _), end=date_text(view.goal.deadline, _),
            ))  # fmt: skip
            continue
        done = view.actuals.get(day, Decimal(0))
        status = _(PACE_STATUS_LABELS[view.progress.status])
        if day in {target.day for target in view.plan.days}:
            line = _(
                "{goal}: {done} of {planned} planned · {status}",
                goal=goal_headline(view.draft, _),
                done=amount_text(done, view.draft, _),
                planned=amount_text(view.plan.for_day(day), view.draft, _),
                status=status,
            )
        else:  # "of $0 planned" would read as a target missed; the day simply had none
            line = _(
                "{goal}: {done} on a day off in your plan (no target that day) · {status}",
                goal=goal_headline(view.draft, _),
                done=amount_text(done, view.draft, _),
                status=status,
            )
        if view.progress.required_per_day is not None:
            line += "\n   " + _(
                "Next working day needs {amount}.",
                amount=per_day_text(view.progress.required_per_day, view.draft, _),
            )
        lines.append(line)
    return lines


def weekly_summary(views: Sequence[GoalOutlook], day: date, _: Translator) -> str:
    lines = [_("Your week:")]
    missed = []
    for view in views:
        week = view.plan.week_containing(day)
        if week is None:
            continue
        start = week_start(day)
        done = sum((v for d, v in view.actuals.items() if start <= d <= day), Decimal(0))
        target = sum((t.amount for w in _iso_week(view, start) for t in w.days), Decimal(0))
        mark = "✅" if done >= target else "❌"
        if done < target:
            missed.append(goal_headline(view.draft, _))
        lines.append(
            f"{mark} "
            + _(
                "{goal}: {done} of {target} this week · {status}",
                goal=goal_headline(view.draft, _),
                done=amount_text(done, view.draft, _),
                target=amount_text(target, view.draft, _),
                status=_(PACE_STATUS_LABELS[view.progress.status]),
            )
        )
    if missed:
        lines.append(_("Targets missed: {goals}", goals=_("; ").join(missed)))
    elif len(lines) == 1:
        lines.append(_("No open goals this week."))
    return "\n".join(lines)


def _iso_week(view: GoalOutlook, monday: date) -> list[Any]:
    """The plan's week parts of one ISO week (a week crossing a month is split in two)."""
    return [w for m in view.plan.months for w in m.weeks if monday <= w.start <= monday + timedelta(days=6)]


def monthly_summary(views: Sequence[GoalOutlook], day: date, _: Translator) -> str:
    lines = [_("Your month:")]
    for view in views:
        month = view.plan.month_containing(day)
        if month is None:
            continue
        done = sum(
            (v for d, v in view.actuals.items() if (d.year, d.month) == (day.year, day.month)), Decimal(0)
        )
        mark = "✅" if done >= month.amount else "❌"
        lines.append(
            f"{mark} "
            + _(
                "{goal}: {done} of {target} this month",
                goal=goal_headline(view.draft, _),
                done=amount_text(done, view.draft, _),
                target=amount_text(month.amount, view.draft, _),
            )
        )
    if len(lines) == 1:
        lines.append(_("No open goals this month."))
    return "\n".join(lines)


def next_month_text(views: Sequence[GoalOutlook], day: date, _: Translator) -> str:
    first = month_end(day.year, day.month) + timedelta(days=1)
    lines = [_("Next month's targets:")]
    for view in views:
        month = view.plan.month_containing(first)
        if month is not None:
            lines.append(
                "• "
                + _(
                    "{goal}: {target}",
                    goal=goal_headline(view.draft, _),
                    target=amount_text(month.amount, view.draft, _),
                )
            )
    if len(lines) == 1:
        lines.append(_("No goal continues into next month."))
    return "\n".join(lines)


def revenue_currency(goals: Sequence[Goal]) -> str | None:
    return next((goal.unit for goal in goals if goal.metric == "revenue"), None)
