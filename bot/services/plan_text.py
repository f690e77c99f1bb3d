"""Plan, today and progress cards in the user's language."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from decimal import Decimal

from babel.dates import format_date

from bot.core.activity import ActivityNeeds
from bot.core.forecast import MIN_DAYS_WITH_RESULTS
from bot.core.goal_draft import GoalDraft
from bot.core.metrics import MEASURE_LABELS, MetricKind
from bot.core.plan import Plan, WeekPlan
from bot.core.plan_inputs import TimeBlock
from bot.core.progress import PaceStatus
from bot.i18n import N_, Translator
from bot.services.goal_text import (
    amount_text,
    date_text,
    goal_headline,
    metric_label,
    month_text,
    number_text,
    per_day_text,
    percent_of,
    percent_text,
)
from bot.services.plans import GoalOutlook, month_of
from bot.services.profile_summary import babel_locale

PACE_STATUS_LABELS = {
    PaceStatus.NOT_STARTED: N_("⏳ Not started"),
    PaceStatus.ON_TRACK: N_("✅ On track"),
    PaceStatus.AT_RISK: N_("⚠️ At risk"),
    PaceStatus.OFF_TRACK: N_("🔴 Off track"),
    PaceStatus.ACHIEVED: N_("🏆 Target reached"),
    PaceStatus.ENDED: N_("⌛ Deadline passed"),
}
PER_LABELS = {"day": N_("a day"), "week": N_("a week"), "month": N_("a month")}
DEFAULT_DAY_TEMPLATE = (
    {"start": "09:00", "end": "11:00", "activity": N_("client visits")},
    {"start": "13:00", "end": "15:00", "activity": N_("sales calls")},
    {"start": "15:00", "end": "17:00", "activity": N_("client records")},
)


def short_date(day: date, _: Translator) -> str:
    return str(format_date(day, format="MMM d" if _.language == "en" else "M月d日", locale=babel_locale(_)))


def days_text(start: date, end: date, _: Translator) -> str:
    """ "Nov 30" for one day, "Nov 30 – Dec 6" for several."""
    if start == end:
        return short_date(start, _)
    return _("{start} – {end}", start=short_date(start, _), end=short_date(end, _))


def week_line(week: WeekPlan, plan: Plan, amount: str, _: Translator) -> str:
    """This week's target; a week the month, the start or the deadline cuts says so and shows the part."""
    dates = days_text(week.start, week.end, _)
    if week.start.isoweekday() == 1 and week.end.isoweekday() == 7:
        return _("This week ({dates}): {amount}", dates=dates, amount=amount)
    if week.end == plan.deadline and week.end.isoweekday() != 7:
        return _("This week, to the deadline ({dates}): {amount}", dates=dates, amount=amount)
    if week.start == plan.start and week.start.isoweekday() != 1:
        return _("This week, from the start ({dates}): {amount}", dates=dates, amount=amount)
    if week.end.isoweekday() != 7:
        return _("This week, to the month's end ({dates}): {amount}", dates=dates, amount=amount)
    return _("This week, from the month's start ({dates}): {amount}", dates=dates, amount=amount)


def period_counts(total: int, plan: Plan, today: date) -> tuple[int, int, int]:
    """A whole-goal activity count spread like the target itself (by working days, and by any month shares
    the user fixed), so each period's share of deals is its share of revenue: this month, week, day."""
    spread = plan.spread(total)
    month = spread.month_containing(today)
    week = spread.week_containing(today)
    return (
        int(month.amount) if month else 0,
        int(week.amount) if week else 0,
        int(spread.for_day(today)),
    )


def funnel_lines(view: GoalOutlook, _: Translator) -> list[str]:
    if view.deal_size_missing:
        return [
            _(
                "Deals, meetings, visits and calls: your average deal size is not set yet, so I cannot say "
                "how many deals {target} takes. Tap “🔁 Deal size & rates” below to set it.",
                target=amount_text(view.goal.target_value, view.draft, _),
            )
        ]
    if view.funnel is None or view.needs is None:
        return []
    funnel, needs = view.funnel, view.needs
    rates = {
        "win": percent_text(funnel.win_rate * 100),
        "meetings": needs.meetings,
        "meet": percent_text(funnel.meeting_rate * 100),
        "visits": needs.visits,
        "visit": percent_text(funnel.visit_rate * 100),
        "calls": needs.calls,
    }
    if funnel.average_deal is None:  # a deals goal: the deals are the target itself
        first = _.plural(
            "To close {count} deal at a {win}% win rate you need {meetings} meetings; if {meet}% of visits "
            "lead to a meeting, {visits} visits; if {visit}% of calls lead to a visit, {calls} calls.",
            "To close {count} deals at a {win}% win rate you need {meetings} meetings; if {meet}% of visits "
            "lead to a meeting, {visits} visits; if {visit}% of calls lead to a visit, {calls} calls.",
            needs.deals,
            **rates,
        )
    else:
        target, deal = (
            amount_text(view.goal.target_value, view.draft, _),
            _money(funnel.average_deal, view, _),
        )
        first = _.plural(
            "To reach {target} at an average deal of {deal} you need {count} deal; at a {win}% win rate, "
            "{meetings} meetings; if {meet}% of visits lead to a meeting, {visits} visits; if {visit}% of calls "
            "lead to a visit, {calls} calls.",
            "To reach {target} at an average deal of {deal} you need {count} deals; at a {win}% win rate, "
            "{meetings} meetings; if {meet}% of visits lead to a meeting, {visits} visits; if {visit}% of calls "
            "lead to a visit, {calls} calls.",
            needs.deals,
            target=target,
            deal=deal,
            **rates,
        )
    lines = [first]
    for label, total in _needs_rows(needs, _):
        month, week, day = period_counts(total, view.plan, view.today)
        lines.append(
            _(
                "• {activity}: {month} this month, {week} this week, {day} today",
                activity=label,
                month=month,
                week=week,
                day=day,
            )
        )
    return lines


def _needs_rows(needs: ActivityNeeds, _: Translator) -> list[tuple[str, int]]:
    return [
        (_(MEASURE_LABELS["deals"]), needs.deals),
        (_(MEASURE_LABELS["meetings"]), needs.meetings),
        (_(MEASURE_LABELS["visits"]), needs.visits),
        (_(MEASURE_LABELS["calls"]), needs.calls),
    ]


def _money(value: Decimal, view: GoalOutlook, _: Translator) -> str:
    if view.is_currency:
        return amount_text(value, view.draft, _)
    return _("{amount} each", amount=value)


def own_targets_lines(view: GoalOutlook, _: Translator) -> list[str]:
    targets = view.row.activity_targets
    if not targets:
        return []
    parts = [
        _(
            "{count} {activity} {per}",
            count=spec["count"],
            activity=_(MEASURE_LABELS.get(kind, kind)),
            per=_(PER_LABELS[spec["per"]]),
        )
        for kind, spec in sorted(targets.items())
    ]
    return [_("Your own activity targets: {targets}", targets=_("; ").join(parts))]


def plan_card(view: GoalOutlook, _: Translator) -> str:
    plan, today = view.plan, view.today
    lines = [f"📋 {goal_headline(view.draft, _)}"]
    month = plan.month_containing(today)
    week = plan.week_containing(today)
    if today < plan.start:
        lines.append(_("Starts on {date}.", date=date_text(plan.start, _)))
    elif today > plan.deadline:
        lines.append(_("The deadline has passed."))
    if month is not None:
        working = sum(len(w.days) for w in month.weeks)
        amount = amount_text(month.amount, view.draft, _)
        lines.append(
            _.plural(
                "This month: {amount} over {count} working day",
                "This month: {amount} over {count} working days",
                working,
                amount=amount,
            )
        )
    if week is not None:
        lines.append(week_line(week, plan, amount_text(week.amount, view.draft, _), _))
    day_amount = plan.for_day(today)
    if plan.start <= today <= plan.deadline:
        lines.append(
            _("Today: {amount}", amount=amount_text(day_amount, view.draft, _))
            if day_amount or today in {t.day for t in plan.days}
            else _("Today is not a working day in your plan.")
        )
    shares = view.row.month_shares
    if shares:
        fixed = _(", ").join(
            _(
                "{month} {percent}%",
                month=month_text(*month_of(key), _),
                percent=percent_text(Decimal(str(value))),
            )
            for key, value in sorted(shares.items())
        )
        lines.append(_("Months you fixed: {months}; the rest is spread by working days.", months=fixed))
    lines += funnel_lines(view, _)
    lines += own_targets_lines(view, _)
    return "\n".join(lines)


def progress_card(view: GoalOutlook, _: Translator) -> str:
    progress, draft = view.progress, view.draft

    def amount(value: Decimal) -> str:
        return amount_text(value, draft, _)

    status = progress.status
    started_today = status is PaceStatus.NOT_STARTED and view.today >= view.plan.start
    label = _("▶️ Started today") if started_today else _(PACE_STATUS_LABELS[status])
    lines = [f"{label} · {goal_headline(draft, _)}"]
    lines.append(
        _(
            "Done: {actual} of {target} ({percent}%)",
            actual=amount(progress.actual),
            target=amount(progress.target),
            percent=percent_of(progress.actual, progress.target),
        )
    )
    if progress.status is PaceStatus.NOT_STARTED:
        if view.today >= view.plan.start:
            lines.append(_("The goal started today; the pace shows once today's result is in."))
        else:
            lines.append(_("The goal starts on {date}.", date=date_text(view.plan.start, _)))
        return "\n".join(lines)
    if progress.status not in (PaceStatus.ACHIEVED, PaceStatus.ENDED):
        if progress.gap > 0:
            lines.append(
                _(
                    "Expected by now: {expected}; behind by {gap}.",
                    expected=amount(progress.expected),
                    gap=amount(progress.gap),
                )
            )
        else:
            lines.append(
                _(
                    "Expected by now: {expected}; ahead by {gap}.",
                    expected=amount(progress.expected),
                    gap=amount(-progress.gap),
                )
            )
    if progress.required_per_day is not None:
        left = _.plural("{count} working day left", "{count} working days left", progress.working_days_left)
        to_deadline = _.plural(
            "{count} day to the deadline", "{count} days to the deadline", progress.calendar_days_left
        )
        lines.append(
            _(
                "Needed per remaining working day: {amount} ({left}, {to_deadline}).",
                amount=per_day_text(progress.required_per_day, draft, _),
                left=left,
                to_deadline=to_deadline,
            )
        )
    elif progress.status not in (PaceStatus.ACHIEVED, PaceStatus.ENDED):
        lines.append(_("No working days are left before the deadline."))
    if progress.status not in (PaceStatus.ACHIEVED, PaceStatus.ENDED):
        lines.append(forecast_line(view, _))
    if progress.status is PaceStatus.ENDED:
        lines.append(_("The deadline {deadline} has passed.", deadline=date_text(view.plan.deadline, _)))
    return "\n".join(lines)


def forecast_line(view: GoalOutlook, _: Translator) -> str:
    """The forecast range and what it rests on, or why it is too early for one."""
    forecast, evidence = view.progress.forecast, view.progress.evidence
    if forecast is None:
        return _.plural(
            "Too early to forecast: results on {count} working day so far; a forecast needs {needed} "
            "working days with results, or {elapsed} working days gone.",
            "Too early to forecast: results on {count} working days so far; a forecast needs {needed} "
            "working days with results, or {elapsed} working days gone.",
            evidence.days_with_results,
            needed=MIN_DAYS_WITH_RESULTS,
            elapsed=evidence.elapsed_needed,
        )
    # Worked out first: a `_` among the call's arguments would cut the pair short for the extractor.
    deadline = date_text(view.plan.deadline, _)
    amounts = range_text(forecast.low, forecast.high, view.draft, _)
    return _.plural(
        "Forecast for {deadline}: {range} (based on {count} working day).",
        "Forecast for {deadline}: {range} (based on {count} working days).",
        forecast.working_days,
        deadline=deadline,
        range=amounts,
    )


def range_text(low: Decimal, high: Decimal, draft: GoalDraft, _: Translator) -> str:
    """A range in the goal's unit, e.g. ¥1,900,000–¥2,100,000 or 12–15 new customers; one amount when
    both ends are the same."""
    if low == high:
        return amount_text(low, draft, _)
    if draft.metric_kind is MetricKind.CURRENCY:
        return f"{amount_text(low, draft, _)}–{amount_text(high, draft, _)}"
    numbers = f"{number_text(low, _)}–{number_text(high, _)}"
    if draft.unit == "count":
        return _("{count} {metric}", count=numbers, metric=metric_label(draft, _))
    return _("{count} {unit}", count=numbers, unit=draft.unit)


def time_blocks(template: Sequence[dict[str, str]] | None, _: Translator) -> list[TimeBlock]:
    from bot.core.times_of_day import parse_time_of_day

    rows = template if template else DEFAULT_DAY_TEMPLATE
    blocks = []
    for row in rows:
        start, end = parse_time_of_day(row["start"]), parse_time_of_day(row["end"])
        if start and end:
            label = row["activity"] if template else _(row["activity"])
            blocks.append(TimeBlock(start, end, label))
    return blocks


def today_card(
    views: Sequence[GoalOutlook], template: Sequence[dict[str, str]] | None, today: date, _: Translator
) -> str:
    lines = [_("Today, {date}", date=date_text(today, _))]
    if not views:
        lines.append(_("No open goals yet: /newgoal sets one."))
    for view in views:
        amount = view.plan.for_day(today)
        working = today in {t.day for t in view.plan.days}
        if today < view.plan.start:
            target = _("starts on {date}", date=date_text(view.plan.start, _))
        elif today > view.plan.deadline:
            target = _("the deadline has passed")
        else:
            target = amount_text(amount, view.draft, _) if working else _("no target (not a working day)")
        lines.append("🎯 " + _("{goal}: {target}", goal=goal_headline(view.draft, _), target=target))
        if view.needs is not None and working:
            counts = [
                (label, period_counts(total, view.plan, today)[2])
                for label, total in _needs_rows(view.needs, _)
            ]
            lines.append("   " + _(", ").join(f"{label} {number_text(count, _)}" for label, count in counts))
    lines.append("")
    running = [view for view in views if view.plan.start <= today <= view.plan.deadline]
    if running and not any(today in {t.day for t in view.plan.days} for view in running):
        # A day plan of visits and calls on a day the plan keeps free would contradict the line above.
        lines.append(_("No day plan today: it is a day off in your plan."))
        return "\n".join(lines)
    lines.append(_("Your day plan:"))
    lines += [
        f"🕘 {block.start:%H:%M}–{block.end:%H:%M} {block.activity}" for block in time_blocks(template, _)
    ]
    return "\n".join(lines)
