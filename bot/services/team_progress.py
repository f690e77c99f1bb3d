"""The team's progress (the roll-up): target, achieved, gap, pace and forecast under the rules of a personal
goal, and a table of members; with a chart of the members' results stacked. Members' results count through
the personal goals their parts link to, so /log and the reviews feed it with no extra step. Managers see
every row; a member sees the team's total and their own row only (bot.core.teams.visibility)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from functools import partial

from sqlalchemy.ext.asyncio import AsyncSession

from bot.core.dialog import Outgoing, Photo, Reply
from bot.core.forecast import MIN_DAYS_WITH_RESULTS
from bot.core.goal_draft import GoalDraft
from bot.core.lifecycle.goals import GoalStatus
from bot.core.plan import Plan, decompose
from bot.core.progress import PaceStatus
from bot.core.teams.roles import Seat
from bot.core.teams.rollup import MemberFigures, MemberRow, TeamRollup, roll_up
from bot.core.teams.visibility import sees_member_row
from bot.i18n import Translator
from bot.services.goal_text import (
    amount_text,
    date_text,
    goal_headline,
    metric_label,
    per_day_text,
    percent_of,
)
from bot.services.plan_text import PACE_STATUS_LABELS, range_text
from bot.services.plans import build_plan, calendar_of, paused_days
from bot.services.progress_chart import currency_label
from bot.services.team_calendar import team_calendar
from bot.services.team_chart import Band, TeamChartData, render_team_chart
from bot.services.team_goal_text import team_draft
from bot.services.team_roster import names_of, split_members
from bot.storage.models import GoalPlan
from bot.storage.repositories.plans import PlanRepository
from bot.storage.repositories.team_goals import TeamGoalRepository
from bot.storage.repositories.users import UserRepository
from bot.storage.repositories.vacations import VacationRepository
from bot.storage.team_models import Team, TeamGoal

# Team goals shown at once by /teamprogress (newest first).
MAX_GOALS = 3


@dataclass(frozen=True)
class TeamFigures:
    """One team goal's roll-up and what it was computed from."""

    goal: TeamGoal
    draft: GoalDraft
    plan: Plan
    rollup: TeamRollup
    members: tuple[MemberFigures, ...]
    through: date
    today: date


async def team_figures(
    session: AsyncSession, team: Team, goal: TeamGoal, today: date, language: str
) -> TeamFigures:
    """The goal's roll-up through today (or yesterday, until someone has reported for today)."""
    repository = TeamGoalRepository(session)
    members = await split_members(session, team.id)
    parts = {part.user_id: part for part in await repository.parts(goal.id) if part.user_id in members}
    linked = {member: part.goal_id for member, part in parts.items() if part.goal_id is not None}
    goals, rows = await repository.linked_goals(list(linked.values()))
    goals = {goal_id: found for goal_id, found in goals.items() if found.status in GoalStatus.OPEN}
    plans = PlanRepository(session)
    actuals = await plans.daily_actuals(list(goals))
    changes = await plans.status_changes(list(goals))
    users = await UserRepository(session).by_ids(members)
    vacations = await VacationRepository(session).of_users(members)
    figures = []
    for member in members:
        own = goals.get(linked.get(member, 0))
        user = users.get(member)
        if own is None or user is None:
            figures.append(MemberFigures(member, None, {}))
            continue
        row = rows.get(own.id) or GoalPlan(goal_id=own.id, month_shares={})
        plan = build_plan(own, calendar_of(user, vacations.get(member, []), language), row)
        paused = paused_days(changes.get(own.id, []), user.timezone, today)
        figures.append(MemberFigures(member, plan, actuals.get(own.id, {}), paused))
    days = team_calendar(team, language).working_days(goal.start_date, goal.deadline)
    team_plan = decompose(
        Decimal(goal.target_value), days, goal.start_date, goal.deadline, quantum=Decimal(1)
    )
    reported_today = any(today in member.actuals for member in figures)
    through = today if reported_today else today - timedelta(days=1)
    rollup = roll_up(team_plan, figures, through)
    return TeamFigures(goal, team_draft(goal), team_plan, rollup, tuple(figures), through, today)


# In words --------------------------------------------------------------------------------------------


def _forecast_line(figures: TeamFigures, _: Translator) -> str:
    progress = figures.rollup.progress
    if progress.forecast is None:
        return _.plural("Too early to forecast: results on {count} working day so far; a forecast needs {needed} "
                        "working days with results, or {elapsed} working days gone.",
                        "Too early to forecast: results on {count} working days so far; a forecast needs {needed} "
                        "working days with results, or {elapsed} working days gone.",
                        progress.evidence.days_with_results, needed=MIN_DAYS_WITH_RESULTS,
                        elapsed=progress.evidence.elapsed_needed)  # fmt: skip
    deadline = date_text(figures.plan.deadline, _)
    amounts = range_text(progress.forecast.low, progress.forecast.high, figures.draft, _)
    return _.plural("Forecast for {deadline}: {range} (based on {count} working day).",
                    "Forecast for {deadline}: {range} (based on {count} working days).",
                    progress.forecast.working_days, deadline=deadline, range=amounts)  # fmt: skip


def _member_line(row: MemberRow, name: str, draft: GoalDraft, _: Translator) -> str:
    if row.standing is None:
        return _("• {name}: no accepted part yet", name=name)
    return _("• {name}: {percent}% of their part ({achieved} of {part}), {status}",
             name=name, percent=percent_of(row.achieved, row.part), achieved=amount_text(row.achieved, draft, _),
             part=amount_text(row.part, draft, _), status=_(PACE_STATUS_LABELS[row.standing.status]))  # fmt: skip


def progress_text(
    figures: TeamFigures, team: Team, viewer: Seat, names: dict[int, str], _: Translator
) -> str:
    draft, progress = figures.draft, figures.rollup.progress

    def amount(value: Decimal) -> str:
        return amount_text(value, draft, _)

    lines = [_("📊 {team} · {goal}", team=team.name, goal=goal_headline(draft, _)),
             _("Team: {actual} of {target} ({percent}%) · {status}", actual=amount(progress.actual),
               target=amount(progress.target), percent=percent_of(progress.actual, progress.target),
               status=_(PACE_STATUS_LABELS[progress.status]))]  # fmt: skip
    if progress.status not in (PaceStatus.ACHIEVED, PaceStatus.ENDED, PaceStatus.NOT_STARTED):
        if progress.gap > 0:
            lines.append(_("Expected by now: {expected}; behind by {gap}.", expected=amount(progress.expected),
                           gap=amount(progress.gap)))  # fmt: skip
        else:
            lines.append(_("Expected by now: {expected}; ahead by {gap}.", expected=amount(progress.expected),
                           gap=amount(-progress.gap)))  # fmt: skip
        if progress.required_per_day is not None:
            left = _.plural(
                "{count} working day left", "{count} working days left", progress.working_days_left
            )
            lines.append(_("Pace needed: {amount} per working day ({left}).",
                           amount=per_day_text(progress.required_per_day, draft, _), left=left))  # fmt: skip
        lines.append(_forecast_line(figures, _))
    visible = [row for row in figures.rollup.members if sees_member_row(viewer, row.member_id)]
    if visible:
        lines += ["", _("Members:") if len(visible) > 1 else _("Your row:")]
        lines += [_member_line(row, names.get(row.member_id, "?"), draft, _) for row in visible]
    return "\n".join(lines)


def chart_of(figures: TeamFigures, viewer: Seat, names: dict[int, str], _: Translator) -> TeamChartData:
    """The stacked chart: a band per member for managers; the viewer's own band and "others" for a member."""
    draft, plan = figures.draft, figures.plan
    last = min(figures.through, plan.deadline)
    days = [plan.start + timedelta(days=n) for n in range(max(0, (last - plan.start).days + 1))]

    def daily(*members: MemberFigures) -> list[Decimal]:
        return [sum((member.actuals.get(day, Decimal(0)) for member in members), Decimal(0)) for day in days]

    if all(sees_member_row(viewer, member.member_id) for member in figures.members):
        bands = [Band(names.get(member.member_id, "?"), daily(member)) for member in figures.members]
    else:
        own = [member for member in figures.members if member.member_id == viewer.member_id]
        others = [member for member in figures.members if member.member_id != viewer.member_id]
        bands = [Band(_("You"), daily(*own)), Band(_("Others"), daily(*others), others=True)]
    path_days = [plan.start + timedelta(days=n) for n in range((plan.deadline - plan.start).days + 1)]
    y_axis = currency_label(draft.unit, _) if draft.kind == "currency" else metric_label(draft, _)
    return TeamChartData(title=goal_headline(draft, _), y_axis=y_axis,
                         target_label=_("Target {amount}", amount=amount_text(plan.target, draft, _)),
                         path_label=_("Planned path"), language=_.language, start=plan.start, deadline=plan.deadline,
                         target=plan.target, target_path=[plan.cumulative(day) for day in path_days], bands=bands)  # fmt: skip


async def team_progress(
    session: AsyncSession, team: Team, viewer_seat: Seat, today: date, _: Translator
) -> list[Reply]:
    """/teamprogress for one team as `viewer_seat` may see it: each open team goal's roll-up and chart."""
    goals = list(await TeamGoalRepository(session).open_of(team.id))[:MAX_GOALS]
    if not goals:
        return [
            Outgoing(_("{team} has no team goal yet; its manager sets one with /teamgoal.", team=team.name))
        ]
    replies: list[Reply] = []
    for goal in goals:
        figures = await team_figures(session, team, goal, today, _.language)
        names = await names_of(session, [member.member_id for member in figures.members])
        replies.append(Outgoing(progress_text(figures, team, viewer_seat, names, _)))
        replies.append(Photo(partial(render_team_chart, chart_of(figures, viewer_seat, names, _))))
    return replies
