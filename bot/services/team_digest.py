"""The managers' digest before the weekly meeting: everything it says, gathered once, as typed values.

`gather_digest` reads the team's rows with one query per kind of row (bot.storage.repositories.team_digest)
and computes from them, with the rules of bot.core (plans, progress, roll-up, discussion points), what the
digest shows; bot.services.team_digest_text puts it in words. Only what the managers may see goes in:
members' numbers, ratings and streaks (consented on joining), reflections only as members shared them
(team_shares), strategy changes by their structured fields (category and decision, never their note),
and the notes members wrote for this meeting.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

from sqlalchemy.ext.asyncio import AsyncSession

from bot.core.goal_draft import GoalDraft
from bot.core.lifecycle.goals import GoalStatus
from bot.core.nudges import DayMark, review_streak
from bot.core.plan import Plan, decompose
from bot.core.progress import PaceStatus
from bot.core.schedule import local_due
from bot.core.teams.discussion import (
    FUNNEL_STAGES,
    DigestFacts,
    DiscussionPoint,
    LostDeal,
    MetricStanding,
    WeekAgainstTarget,
    discussion_points,
    missed_days_in_a_row,
)
from bot.core.teams.meeting_notes import NoteKind
from bot.core.teams.meeting_schedule import DIGEST_DAYS
from bot.core.teams.roles import Role
from bot.core.teams.rollup import MemberFigures, roll_up, window_target, window_total
from bot.services.coaching import status_mark
from bot.services.plans import build_plan, calendar_of, paused_days
from bot.services.team_calendar import team_calendar
from bot.storage.meeting_models import TeamMeeting
from bot.storage.models import GoalPlan, User, Vacation
from bot.storage.repositories.plans import PlanRepository
from bot.storage.repositories.team_digest import TeamDigestReads
from bot.storage.repositories.team_meetings import TeamMeetingRepository
from bot.storage.team_models import Team, TeamGoal

# How far back a review streak is counted for the digest (a longer one reads "60+").
STREAK_DAYS = 60
_ZERO = Decimal(0)
_REFLECTIONS = ("setback", "lesson")


@dataclass(frozen=True)
class MemberWeek:
    member_id: int
    name: str
    achieved: Decimal  # on their part of the team goal, over the digest's week
    target: Decimal  # what their part's plan asked of that week
    activities: Mapping[str, Decimal]  # the week's visits, calls, ... as they reported them
    rating: int | None  # their weekly review's rating of the week (1..5)
    streak: int  # daily reviews answered in a row
    missed_in_a_row: int  # working days in a row with the day's target missed, back from the week's end
    status: PaceStatus | None  # against their own part; None without a part
    percent_of_part: Decimal | None


@dataclass(frozen=True)
class SharedItem:
    member_id: int
    kind: str  # win, setback, lesson (team_shares) or a note kind (bot.core.teams.meeting_notes)
    text: str


@dataclass(frozen=True)
class StrategyItem:
    member_id: int
    day: date
    reason: str  # bot.services.flows.coaching.REASONS
    decision: str  # bot.services.flows.coaching.DECISIONS


@dataclass(frozen=True)
class RecalledItem:
    member_id: int | None  # None: for the whole team
    text: str


@dataclass(frozen=True)
class TeamGoalFigures:
    draft: GoalDraft  # the metric and unit amounts are shown in
    target: Decimal
    achieved: Decimal
    status: PaceStatus
    percent_done: Decimal
    deadline: date


@dataclass(frozen=True)
class Digest:
    team_name: str
    meeting_day: date
    starts_at: time  # in the team's zone
    covers: tuple[date, date]
    goal: TeamGoalFigures | None
    week: WeekAgainstTarget | None
    members: tuple[MemberWeek, ...]
    reflections: tuple[SharedItem, ...]  # setbacks and lessons members shared
    strategy: tuple[StrategyItem, ...]
    wins: tuple[SharedItem, ...]  # shared wins and wins brought for the meeting
    notes: tuple[SharedItem, ...]  # blockers, questions and notes brought for the meeting
    points: tuple[DiscussionPoint, ...]
    recalled: tuple[RecalledItem, ...]  # the previous meeting's decisions and action items
    names: Mapping[int, str]


def team_goal_draft(goal: TeamGoal) -> GoalDraft:
    return GoalDraft(metric=goal.metric, metric_name=goal.metric_name, kind=goal.kind, unit=goal.unit)


def _name(user: User) -> str:
    return user.first_name or str(user.id)


def _team_plan(goal: TeamGoal, team: Team, default_language: str) -> Plan | None:
    days = team_calendar(team, default_language).working_days(goal.start_date, goal.deadline)
    if goal.target_value <= 0 or not days:
        return None
    return decompose(Decimal(goal.target_value), days, goal.start_date, goal.deadline, quantum=Decimal(1))


def _streaks(prompts: Sequence[tuple[int, date, str]], member_ids: Sequence[int]) -> dict[int, int]:
    """Daily reviews answered in a row (bot.core.nudges.review_streak), per member."""
    marks: dict[int, list[tuple[date, DayMark]]] = defaultdict(list)
    for user_id, day, status in prompts:
        marks[user_id].append((day, status_mark(status)))
    return {member: review_streak(marks.get(member, [])) for member in member_ids}


async def gather_digest(
    session: AsyncSession, team: Team, meeting: TeamMeeting, now: datetime, default_language: str
) -> Digest:
    """The digest of `meeting` as of `now`: the week before its day, and what stands by then."""
    reads = TeamDigestReads(session)
    zone = ZoneInfo(team.timezone)
    first, last = meeting.day - timedelta(days=DIGEST_DAYS), meeting.day - timedelta(days=1)
    since = local_due(first, time(0), zone)
    seats = await reads.members(team.id)
    users = {user.id: user for _, user in seats}
    names = {user.id: _name(user) for user in users.values()}
    team_goal = await reads.open_team_goal(team.id)
    parts = await reads.parts(team_goal.id) if team_goal is not None else []
    goals = {
        part.user_id: (goal, row)
        for part, goal, row in parts
        if goal is not None and goal.status in GoalStatus.OPEN and part.user_id in users
    }
    # Each salesperson's week: the plain members, and a manager who carries a part too.
    member_ids = [user.id for seat, user in seats if seat.role == Role.MEMBER or user.id in goals]
    ids = list(users)
    vacations: dict[int, list[Vacation]] = defaultdict(list)
    for vacation in await reads.vacations(ids):
        vacations[vacation.user_id].append(vacation)
    goal_ids = [goal.id for goal, _ in goals.values()]
    plans_repository = PlanRepository(session)
    actuals = await plans_repository.daily_actuals(goal_ids) if goal_ids else {}
    changes = await plans_repository.status_changes(goal_ids) if goal_ids else {}
    activities: dict[int, dict[str, Decimal]] = defaultdict(dict)
    funnel_now: dict[str, int] = defaultdict(int)
    funnel_before: dict[str, int] = defaultdict(int)
    for user_id, day, measure_name, amount in await reads.activities(
        ids, first - timedelta(days=DIGEST_DAYS), last
    ):
        if day >= first:
            reported = activities[user_id]
            reported[measure_name] = reported.get(measure_name, _ZERO) + amount
            funnel_now[measure_name] += int(amount)
        else:
            funnel_before[measure_name] += int(amount)
    ratings = await reads.weekly_ratings(ids, first, last)
    streaks = _streaks(await reads.daily_prompts(ids, last - timedelta(days=STREAK_DAYS), last), member_ids)

    figures: list[MemberFigures] = []
    missed: dict[int, int] = {}
    weeks: dict[int, tuple[Decimal, Decimal]] = {}
    for member_id in member_ids:
        user = users[member_id]
        found = goals.get(member_id)
        if found is None:
            figures.append(MemberFigures(member_id, None, {}))
            continue
        goal, row = found
        calendar = calendar_of(user, vacations[member_id], default_language)
        plan = build_plan(goal, calendar, row or GoalPlan(goal_id=goal.id, month_shares={}))
        paused = paused_days(changes.get(goal.id, []), user.timezone, last)
        done = actuals.get(goal.id, {})
        figures.append(MemberFigures(member_id, plan, done, paused))
        missed[member_id] = missed_days_in_a_row(plan, done, last, paused=paused)
        weeks[member_id] = (window_total(done, first, last), window_target(plan, first, last))

    team_plan = _team_plan(team_goal, team, default_language) if team_goal is not None else None
    rollup = roll_up(team_plan, figures, last) if team_plan is not None else None
    rows = {row.member_id: row for row in rollup.members} if rollup is not None else {}
    members = tuple(
        MemberWeek(
            member_id=member_id,
            name=names[member_id],
            achieved=weeks.get(member_id, (_ZERO, _ZERO))[0],
            target=weeks.get(member_id, (_ZERO, _ZERO))[1],
            activities=activities.get(member_id, {}),
            rating=ratings.get(member_id),
            streak=streaks.get(member_id, 0),
            missed_in_a_row=missed.get(member_id, 0),
            status=rows[member_id].status if member_id in rows else None,
            percent_of_part=rows[member_id].percent_of_part if member_id in rows else None,
        )
        for member_id in member_ids
    )
    week = None
    if weeks:
        week = WeekAgainstTarget(
            achieved=sum((done for done, _ in weeks.values()), _ZERO),
            target=sum((asked for _, asked in weeks.values()), _ZERO),
        )

    shares = await reads.shares(team.id, since, now)
    strategy = await reads.strategy_changes(ids, since, now)
    meetings = TeamMeetingRepository(session)
    notes = await meetings.notes_of(meeting.id)
    previous = await meetings.before(team.id, meeting.day)
    recalled = await meetings.items_of(previous.id) if previous is not None else []

    shared = [share for share in shares if share.user_id in users]
    losses = [
        LostDeal(share.user_id, share.created_at.astimezone(zone).date(), share.reason_key)
        for share in shared
        if share.kind == "setback"
    ]
    metrics: list[MetricStanding] = []
    if rollup is not None and team_goal is not None:
        progressed = [row.standing for row in rollup.members if row.standing is not None]
        metrics.append(
            MetricStanding(
                team_goal.metric,
                sum((progress.expected for progress in progressed), _ZERO),
                sum((progress.actual for progress in progressed), _ZERO),
            )
        )
    facts = DigestFacts(
        members=rollup.members if rollup is not None else (),
        metrics=metrics,
        funnel_now={stage: funnel_now.get(stage, 0) for stage in FUNNEL_STAGES},
        funnel_before={stage: funnel_before.get(stage, 0) for stage in FUNNEL_STAGES},
        losses=losses,
        missed_in_a_row=missed,
        week=week if week is not None and week.target > 0 else None,
    )
    goal_figures = None
    if rollup is not None and team_goal is not None:
        progress = rollup.progress
        goal_figures = TeamGoalFigures(team_goal_draft(team_goal), progress.target, progress.actual,
                                       progress.status, progress.percent_done, team_goal.deadline)  # fmt: skip
    return Digest(
        team_name=team.name,
        meeting_day=meeting.day,
        starts_at=meeting.starts_at.astimezone(zone).time(),
        covers=(first, last),
        goal=goal_figures,
        week=week,
        members=members,
        reflections=tuple(SharedItem(s.user_id, s.kind, s.text) for s in shared if s.kind in _REFLECTIONS),
        strategy=tuple(
            StrategyItem(change.user_id, change.at.astimezone(zone).date(), change.reason, change.decision)
            for change in strategy
        ),
        wins=(
            *(SharedItem(s.user_id, s.kind, s.text) for s in shared if s.kind == "win"),
            *(
                SharedItem(n.user_id, n.kind, n.text)
                for n in notes
                if n.kind == NoteKind.WIN and n.user_id in users
            ),
        ),
        notes=tuple(
            SharedItem(n.user_id, n.kind, n.text)
            for n in notes
            if n.kind != NoteKind.WIN and n.user_id in users
        ),
        points=discussion_points(facts),
        recalled=tuple(RecalledItem(item.member_id, item.text) for item in recalled),
        names=names,
    )
