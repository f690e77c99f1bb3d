"""The review dialogs: the daily review (with its one-line fast path), the weekly evaluation, the monthly summary."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from typing import Any

from bot.core.currency import default_currency
from bot.core.dates import month_end, week_start
from bot.core.dialog import Answer, Button, Outgoing, Prompt, Reject
from bot.core.goal_draft import GoalDraft
from bot.core.lifecycle.prompts import OccurrenceStatus, excuses_streak
from bot.core.metrics import REPORT_LABELS, MetricKind
from bot.core.numbers import parse_amount, parse_small_number
from bot.core.quick_log import Measure, QuickReport, ReportProblem, parse_report
from bot.core.schedule import PromptKind
from bot.core.vocabulary import yes_no_choices
from bot.i18n import N_, Translator
from bot.services.coaching import record_and_coach, streak_nudge
from bot.services.dialogs import FINISH, Flow, Step, StepContext
from bot.services.flows.profile_steps import choice_of, short_text, typed_or_chosen
from bot.services.goal_text import amount_text, date_text, goal_headline
from bot.services.goals import draft_of
from bot.services.plan_text import PACE_STATUS_LABELS
from bot.services.plans import GoalOutlook, open_goal_outlooks, outlooks, user_calendar
from bot.services.results import GOAL_MEASURES, REVIEW
from bot.storage.database import Session
from bot.storage.models import Goal, User
from bot.storage.repositories.goals import GoalRepository
from bot.storage.repositories.occurrences import OccurrenceRepository
from bot.storage.repositories.reviews import ReviewAnswerRepository
from bot.storage.repositories.setbacks import SetbackRepository
from bot.storage.repositories.strategy import StrategyChangeRepository

DAILY_REVIEW, WEEKLY_REVIEW, MONTHLY_REVIEW = "daily_review", "weekly_review", "monthly_review"
# Keys of the review dialogs' data.
OCCURRENCE_ID = "occurrence_id"
DAY = "day"
REPORT = "report"
UNKNOWN = "unknown"
CURRENCY = "currency"
GOAL_VALUES = "goal_values"
PENDING = "pending"
ANSWERS = "answers"
SKIP = "<skip>"
REPORT_PROBLEMS = {
    ReportProblem.NOTHING: N_(
        "I could not find numbers I know in that. Try “3 visits, 12 calls, 1 deal 50k” or "
        "“拜访3次 电话12个 签单1个 共5万”, or tap “Nothing to report”."
    ),
    ReportProblem.NEGATIVE: N_("Results cannot be negative. Please type what you did, e.g. “3 visits”."),
    ReportProblem.ABSURD: N_("That number is far more than one day can hold; please check it."),
    ReportProblem.NOT_WHOLE: N_("Visits, calls and deals come in whole numbers; please check the figures."),
    ReportProblem.FUTURE_DAY: N_(
        "That day has not happened yet; results can only be recorded for today or earlier."
    ),
    ReportProblem.TOO_OLD: N_("That day is more than a month ago; records can go back 31 days."),
}


def review_day(ctx: StepContext) -> date:
    return date.fromisoformat(ctx.data[DAY])


def report_of(ctx: StepContext) -> dict[Measure, Decimal]:
    return {Measure(k): Decimal(v) for k, v in ctx.data.get(REPORT, {}).items()}


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
            shown = format(value, "f")
        parts.append(_("{measure} {value}", measure=_(REPORT_LABELS[measure]), value=shown))
    return _(", ").join(parts) if parts else _("nothing")


def not_counted(fragments: Sequence[str], _: Translator) -> str:
    """What the parser saw but could not place, shown so nothing is dropped silently."""
    if not fragments:
        return ""
    return "\n" + _("Not counted (I could not place it): {fragments}", fragments=_(", ").join(fragments))


def report_problem(report: QuickReport | ReportProblem, _: Translator) -> Reject | None:
    if isinstance(report, ReportProblem):
        return Reject(_(REPORT_PROBLEMS[report]))
    return None


class DailyReportStep(Step):
    name = "report"

    def prompt(self, ctx: StepContext) -> Prompt:
        _ = ctx._
        return Prompt(
            _(
                "📝 {date}: what did you get done? One line is enough, e.g. “3 visits, 12 calls, 1 deal 50k” or "
                "“拜访3次 电话12个 签单1个 共5万”.",
                date=date_text(review_day(ctx), _),
            ),
            ((Button(_("Nothing to report"), "none"),),),
        )

    def parse(self, answer: Answer, ctx: StepContext) -> QuickReport | None:
        if answer.choice == "none":
            return None
        report = parse_report(typed_or_chosen(answer), today=review_day(ctx), lang=ctx._.language)
        rejection = report_problem(report, ctx._)
        if rejection is not None:
            raise rejection
        assert isinstance(report, QuickReport)
        return report

    async def store(self, value: QuickReport | None, ctx: StepContext) -> None:
        # The review is about its own day: a day named in the line does not move it.
        values = value.values if value else {}
        ctx.data[REPORT] = {measure.value: format(amount, "f") for measure, amount in values.items()}
        ctx.data[UNKNOWN] = list(value.unknown) if value else []


class ConfirmReportStep(Step):
    name = "confirm"

    def prompt(self, ctx: StepContext) -> Prompt:
        _ = ctx._
        text = _(
            "Got it: {report}. Correct?",
            report=report_text(report_of(ctx), ctx.user, ctx.data.get(CURRENCY), _),
        )
        return Prompt(
            text + not_counted(ctx.data.get(UNKNOWN, []), _),
            ((Button(_("✔ Correct"), "yes"), Button(_("✏️ Type again"), "again")),),
        )

    def parse(self, answer: Answer, ctx: StepContext) -> str:
        words = yes_no_choices(yes="yes", no="again") | {"again": "again"}
        return choice_of(answer, words, lambda: Reject(ctx._("Please tap “Correct” or “Type again”.")))


class GoalResultStep(Step):
    """The day's result for a goal the one-line report cannot name (a custom measure), one goal at a time."""

    name = "goal_result"

    def prompt(self, ctx: StepContext) -> Prompt:
        _ = ctx._
        _goal_id, headline = ctx.data[PENDING][0]
        return Prompt(_("And your result for “{goal}” today? Type a number, or 0.", goal=headline))

    def parse(self, answer: Answer, ctx: StepContext) -> Decimal:
        amount = parse_amount(typed_or_chosen(answer), lang=ctx._.language)
        if amount is None or not amount.is_finite():
            raise Reject(ctx._("Please type a number, for example 2 or 0."))
        if amount < 0:
            raise Reject(ctx._("Results cannot be negative. Please type what you did, e.g. “3 visits”."))
        if amount > Decimal(10) ** 10:
            raise Reject(ctx._("That number is far more than one day can hold; please check it."))
        return amount

    async def store(self, value: Decimal, ctx: StepContext) -> None:
        goal_id, _headline = ctx.data[PENDING][0]
        ctx.data[GOAL_VALUES] = {**ctx.data.get(GOAL_VALUES, {}), str(goal_id): format(value, "f")}
        ctx.data[PENDING] = ctx.data[PENDING][1:]


class ReflectionStep(Step):
    """A short free-text answer that may be skipped."""

    def __init__(self, name: str, question: str) -> None:
        self.name, self.question = name, question

    def prompt(self, ctx: StepContext) -> Prompt:
        return Prompt(ctx._(self.question), ((Button(ctx._("Skip"), SKIP),),))

    def parse(self, answer: Answer, ctx: StepContext) -> str | None:
        if answer.choice == SKIP:
            return None
        return short_text(answer, ctx, 500, ctx._("A few words, please, or tap “Skip”."))

    async def store(self, value: str | None, ctx: StepContext) -> None:
        ctx.data[ANSWERS] = {**ctx.data.get(ANSWERS, {}), self.name: value}


class RatingStep(Step):
    name = "rating"

    def prompt(self, ctx: StepContext) -> Prompt:
        return Prompt(
            ctx.data["summary"] + "\n\n" + ctx._("How would you rate the week, from 1 to 5?"),
            (tuple(Button(str(n), str(n)) for n in range(1, 6)),),
        )

    def parse(self, answer: Answer, ctx: StepContext) -> int:
        rating = parse_small_number(typed_or_chosen(answer), out_of=5)
        if rating is None or not 1 <= rating <= 5:
            raise Reject(ctx._("Please pick a number from 1 to 5."))
        return rating

    async def store(self, value: int, ctx: StepContext) -> None:
        ctx.data[ANSWERS] = {**ctx.data.get(ANSWERS, {}), "rating": value}


class NextMonthStep(Step):
    name = "next_month"

    def prompt(self, ctx: StepContext) -> Prompt:
        _ = ctx._
        return Prompt(
            ctx.data["next_month"], ((Button(_("✔ Confirm"), "yes"), Button(_("Adjust in /plan"), "adjust")),)
        )

    def parse(self, answer: Answer, ctx: StepContext) -> str:
        return choice_of(
            answer,
            yes_no_choices(yes="yes", no="adjust") | {"adjust": "adjust"},
            lambda: Reject(ctx._("Please tap “Confirm” or “Adjust in /plan”.")),
        )

    async def store(self, value: str, ctx: StepContext) -> None:
        ctx.data[ANSWERS] = {**ctx.data.get(ANSWERS, {}), "next_month": value}


def daily_route(current: str, value: Any, ctx: StepContext) -> str | None:
    if current == "report":
        return "confirm" if value else ("goal_result" if ctx.data.get(PENDING) else "went_well")
    if current == "confirm":
        return "report" if value == "again" else ("goal_result" if ctx.data.get(PENDING) else "went_well")
    if current == "goal_result":
        return "goal_result" if ctx.data.get(PENDING) else "went_well"
    return {"went_well": "problem", "problem": "improve"}.get(current, FINISH)


async def _views(ctx: StepContext) -> list[GoalOutlook]:
    return await open_goal_outlooks(ctx.session, ctx.user, ctx.now, ctx.default_language)


async def _save_answers(ctx: StepContext, kind: str) -> None:
    day = review_day(ctx)
    await ReviewAnswerRepository(ctx.session).save(
        ctx.user.id, kind, day, dict(ctx.data.get(ANSWERS, {})), ctx.now
    )
    occurrence_id = ctx.data.get(OCCURRENCE_ID)
    if occurrence_id is not None:
        await OccurrenceRepository(ctx.session).answer(ctx.user.id, int(occurrence_id), ctx.now)


def pace_lines(views: Sequence[GoalOutlook], day: date, _: Translator) -> list[str]:
    lines = []
    for view in views:
        done = view.actuals.get(day, Decimal(0))
        planned = view.plan.for_day(day)
        line = _(
            "{goal}: {done} of {planned} planned · {status}",
            goal=goal_headline(view.draft, _),
            done=amount_text(done, view.draft, _),
            planned=amount_text(planned, view.draft, _),
            status=_(PACE_STATUS_LABELS[view.progress.status]),
        )
        if view.progress.required_per_day is not None:
            line += "\n   " + _(
                "Next working day needs {amount}.",
                amount=amount_text(view.progress.required_per_day, view.draft, _),
            )
        lines.append(line)
    return lines


async def finish_daily(ctx: StepContext) -> Sequence[Outgoing]:
    _ = ctx._
    day = review_day(ctx)
    goal_values = {int(k): Decimal(v) for k, v in ctx.data.get(GOAL_VALUES, {}).items()}
    views = await record_and_coach(
        ctx.session,
        ctx.user,
        day,
        report_of(ctx),
        ctx.now,
        ctx.default_language,
        source=REVIEW,
        goal_values=goal_values,
    )
    await _save_answers(ctx, PromptKind.DAILY.value)
    await streak_nudge(ctx.session, ctx.user, day, ctx.now)
    lines = [
        _("Thanks, your review for {date} is saved.", date=date_text(day, _)),
        *pace_lines(views, day, _),
    ]
    return [Outgoing("\n".join(lines))]


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


async def week_reflections(session: Session, user: User, day: date, _: Translator) -> str:
    """The week's setbacks and lessons, and the tactics chosen since the last evaluation, brought back."""
    monday = week_start(day)
    setbacks = await SetbackRepository(session).between(user.id, monday, day)
    since = datetime.combine(monday - timedelta(days=7), datetime.min.time(), UTC)
    tactics = await StrategyChangeRepository(session).decided_since(user.id, "tactics", since)
    lines = []
    for setback in setbacks:
        lines.append(_("Setback: {what} · lesson: {lesson} · next: {next}", what=setback.summary,
                       lesson=setback.answers.get("lesson", ""), next=setback.answers.get("next", "")))  # fmt: skip
    for change in tactics:
        lines.append(_("New tactic since last week: {tactic}. Did it help?", tactic=change.note or ""))
    return "\n\n" + "\n".join(lines) if lines else ""


def _iso_week(view: GoalOutlook, monday: date) -> list[Any]:
    """The plan's week parts of one ISO week (a week crossing a month is split in two)."""
    return [w for m in view.plan.months for w in m.weeks if monday <= w.start <= monday + timedelta(days=6)]


async def _streak(ctx: StepContext, through: date) -> int:
    """Answered daily reviews in a row, counting back from `through` (days the bot did not ask do not break it)."""
    streak = 0
    for row in await OccurrenceRepository(ctx.session).daily_history(ctx.user.id, through):
        if row.status == OccurrenceStatus.ANSWERED:
            streak += 1
        elif not excuses_streak(row.status, row.reason):
            break
    return streak


async def finish_weekly(ctx: StepContext) -> Sequence[Outgoing]:
    _ = ctx._
    await _save_answers(ctx, PromptKind.WEEKLY.value)
    streak = await _streak(ctx, review_day(ctx))
    summary = weekly_summary(await _views(ctx), review_day(ctx), _)
    rating = ctx.data.get(ANSWERS, {}).get("rating")
    return [
        Outgoing(
            "\n".join(
                [
                    summary,
                    _(
                        "Your rating: {rating}/5. Daily reviews answered in a row: {streak}.",
                        rating=rating,
                        streak=streak,
                    ),
                ]
            )
        )
    ]


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


async def finish_monthly(ctx: StepContext) -> Sequence[Outgoing]:
    _ = ctx._
    await _save_answers(ctx, PromptKind.MONTHLY.value)
    adjust = ctx.data.get(ANSWERS, {}).get("next_month") == "adjust"
    tail = (
        _("/plan lets you change a month's share.")
        if adjust
        else _("Next month's targets confirmed. Good luck!")
    )
    return [Outgoing(_("Thanks, your monthly summary is saved.") + "\n" + tail)]


async def review_start_data(
    session: Session,
    user: User,
    kind: PromptKind,
    day: date,
    occurrence_id: int | None,
    now: datetime,
    default_language: str,
    _: Translator,
) -> dict[str, Any]:
    """What a review dialog starts with: its day, the occurrence, and the summaries its questions show."""
    goals = await GoalRepository(session).open_goals(user.id)
    data: dict[str, Any] = {
        DAY: day.isoformat(),
        OCCURRENCE_ID: occurrence_id,
        CURRENCY: revenue_currency(goals),
    }
    if kind is PromptKind.DAILY:
        # Goals the one-line report cannot name (custom measures) are asked one by one.
        data[PENDING] = [
            (g.id, goal_headline(draft_of(g), _)) for g in goals if g.metric not in GOAL_MEASURES
        ]
        return data
    calendar = await user_calendar(session, user, default_language)
    views = await outlooks(session, user, goals, calendar, now)
    if kind is PromptKind.WEEKLY:
        data["summary"] = weekly_summary(views, day, _) + await week_reflections(session, user, day, _)
    else:
        data["summary"] = monthly_summary(views, day, _)
        data["next_month"] = next_month_text(views, day, _)
    return data


def revenue_currency(goals: Sequence[Goal]) -> str | None:
    return next((goal.unit for goal in goals if goal.metric == "revenue"), None)


class SummaryReflectionStep(ReflectionStep):
    """A reflection question shown under the period's summary."""

    def prompt(self, ctx: StepContext) -> Prompt:
        prompt = super().prompt(ctx)
        return Prompt(ctx.data["summary"] + "\n\n" + prompt.text, prompt.buttons)


def review_flows() -> list[Flow]:
    cancelled = N_("Review closed. What you answered so far is not saved; the prompt's buttons still work.")
    return [
        Flow(
            DAILY_REVIEW,
            [
                DailyReportStep(),
                ConfirmReportStep(),
                GoalResultStep(),
                ReflectionStep("went_well", N_("What went well today?")),
                ReflectionStep("problem", N_("What was the main problem you met?")),
                ReflectionStep("improve", N_("One thing to do better tomorrow?")),
            ],
            finish_daily,
            daily_route,
            cancelled,
        ),
        Flow(
            WEEKLY_REVIEW,
            [RatingStep(), ReflectionStep("change", N_("What will you change next week?"))],
            finish_weekly,
            None,
            cancelled,
        ),
        Flow(
            MONTHLY_REVIEW,
            [
                SummaryReflectionStep(
                    "lessons", N_("What did this month teach you? Wins, lessons, lost deals.")
                ),
                NextMonthStep(),
            ],
            finish_monthly,
            None,
            cancelled,
        ),
    ]
