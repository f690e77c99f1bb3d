"""What goes in each sheet of an export: one row per database row, headers and labels in the reader's
language (catalog msgids), dates and amounts as typed cells, times in the reader's zone.

A person's own export holds everything of theirs. A team export holds what the team's managers may see
of each current member (bot.core.teams.visibility): their goals, results and review ratings, which joining
consented to, and of their own words only what they shared with the team (team_shares); setbacks, review
answers, rewards and strategy notes stay out.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date, datetime
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

from bot.core.metrics import MEASURE_LABELS
from bot.core.plan import Plan
from bot.i18n import N_, Translator
from bot.services.export_files import CellKind, Column, Sheet, cell_text
from bot.services.goal_text import GOAL_STATUS_LABELS
from bot.services.plans import month_key
from bot.services.strategy_text import DECISION_LABELS, REASON_LABELS
from bot.services.team_digest_text import SHARE_KIND_LABELS
from bot.services.team_text import person_name, role_text
from bot.storage.coaching_models import Reward, Setback, StrategyChange
from bot.storage.crm_models import CrmRecordRow
from bot.storage.models import ActivityLog, Entry, Goal, GoalAudit, GoalPlan, Nudge, ReviewAnswer, User
from bot.storage.team_models import TeamMember, TeamShare

_T, _N, _D, _DT = CellKind.TEXT, CellKind.NUMBER, CellKind.DATE, CellKind.DATETIME
Value = str | Decimal | int | date | datetime | None
Columns = tuple[tuple[str, CellKind], ...]

# How each result was recorded (import14's imports write "crm"); a source not named here is shown as stored.
SOURCE_LABELS = {"log": N_("/log"), "review": N_("review"), "crm": N_("CRM import")}
REVIEW_KIND_LABELS = {
    "daily": N_("daily review"),
    "weekly": N_("weekly evaluation"),
    "monthly": N_("monthly summary"),
}
REWARD_STATUS_LABELS = {"active": N_("active"), "earned": N_("earned"), "ended": N_("ended")}

GOAL_COLUMNS: Columns = (
    (N_("Goal id"), _N), (N_("Goal"), _T), (N_("Measure"), _T), (N_("Unit"), _T), (N_("Target type"), _T),
    (N_("Target"), _N), (N_("Growth %"), _N), (N_("Baseline"), _N), (N_("Start"), _D), (N_("Deadline"), _D),
    (N_("Confidence (1-10)"), _N), (N_("Why it matters"), _T), (N_("Status"), _T), (N_("Created"), _DT),
    (N_("Updated"), _DT),
)  # fmt: skip
AUDIT_COLUMNS: Columns = (
    (N_("Goal id"), _N), (N_("Changed at"), _DT), (N_("Field"), _T), (N_("Before"), _T), (N_("After"), _T),
)  # fmt: skip
PLAN_COLUMNS: Columns = (
    (N_("Goal id"), _N), (N_("Month shares"), _T), (N_("Average deal"), _N), (N_("Win rate"), _N),
    (N_("Meeting rate"), _N), (N_("Visit rate"), _N), (N_("Activity targets"), _T), (N_("Updated"), _DT),
)  # fmt: skip
PLAN_MONTH_COLUMNS: Columns = (
    (N_("Goal id"), _N), (N_("Month"), _T), (N_("From"), _D), (N_("To"), _D), (N_("Working days"), _N),
    (N_("Month target"), _N),
)  # fmt: skip
ENTRY_COLUMNS: Columns = (
    (N_("Day"), _D), (N_("Goal id"), _N), (N_("Goal"), _T), (N_("Amount"), _N), (N_("Source"), _T),
    (N_("CRM system"), _T), (N_("CRM record id"), _T), (N_("Recorded at"), _DT),
)  # fmt: skip
ACTIVITY_COLUMNS: Columns = (
    (N_("Day"), _D), (N_("Activity"), _T), (N_("Amount"), _N), (N_("Source"), _T), (N_("CRM system"), _T),
    (N_("CRM record id"), _T), (N_("Recorded at"), _DT),
)  # fmt: skip
REVIEW_COLUMNS: Columns = (
    (N_("Day"), _D), (N_("Review"), _T), (N_("Rating (1-5)"), _N), (N_("Answers"), _T), (N_("Updated"), _DT),
)  # fmt: skip
SETBACK_COLUMNS: Columns = (
    (N_("Day"), _D),
    (N_("What happened"), _T),
    (N_("Answers"), _T),
    (N_("Recorded at"), _DT),
)
STRATEGY_COLUMNS: Columns = (
    (N_("Changed at"), _DT), (N_("Goal id"), _N), (N_("Why"), _T), (N_("Decision"), _T), (N_("Note"), _T),
    (N_("Before"), _T), (N_("After"), _T),
)  # fmt: skip
REWARD_COLUMNS: Columns = (
    (N_("Goal id"), _N), (N_("Reach"), _N), (N_("Start"), _D), (N_("Deadline"), _D), (N_("Treat"), _T),
    (N_("Status"), _T), (N_("Created"), _DT),
)  # fmt: skip
NUDGE_COLUMNS: Columns = ((N_("Kind"), _T), (N_("Status"), _T), (N_("Due at"), _DT), (N_("Sent at"), _DT))
MEMBER_COLUMNS: Columns = (
    (N_("Member"), _T), (N_("Username"), _T), (N_("Telegram id"), _T), (N_("Role"), _T), (N_("Joined"), _DT),
)  # fmt: skip
RATING_COLUMNS: Columns = ((N_("Member"), _T), (N_("Day"), _D), (N_("Review"), _T), (N_("Rating (1-5)"), _N))
SHARE_COLUMNS: Columns = ((N_("Member"), _T), (N_("Kind"), _T), (N_("Text"), _T), (N_("Shared at"), _DT))
MEMBER: tuple[str, CellKind] = (N_("Member"), _T)


class SheetMaker:
    """Sheets in one reader's language and time zone."""

    def __init__(self, _: Translator, zone: ZoneInfo) -> None:
        self._ = _
        self.zone = zone

    def sheet(
        self, name: str, stem: str, description: str, columns: Columns, rows: Sequence[Sequence[Value]]
    ) -> Sheet:
        """A sheet: `name` and `description` msgids, headers translated, each cell kept as its text."""
        header = tuple(Column(self._(title), kind) for title, kind in columns)
        kept = [tuple(cell_text(value) for value in row) for row in rows]
        return Sheet(self._(name), stem, self._(description), header, kept)

    def local(self, at: datetime | None) -> datetime | None:
        return at.astimezone(self.zone) if at is not None else None

    def label(self, labels: Mapping[str, str], code: str | None) -> str | None:
        """A stored code as its label in the reader's language; an unknown code as it is."""
        if code is None:
            return None
        return self._(labels[code]) if code in labels else code

    def lines(self, values: Mapping[str, Any]) -> str:
        """A stored answers mapping as "key: value" lines (keys as stored: they name the questions)."""
        return "\n".join(f"{key}: {value}" for key, value in values.items() if value not in (None, ""))

    # A person's own data ----------------------------------------------------------------------------

    def measure(self, goal: Goal) -> str:
        return goal.metric_name or self.label(MEASURE_LABELS, goal.metric) or goal.metric

    def goal_row(self, goal: Goal) -> list[Value]:
        return [
            goal.id, goal.description, self.measure(goal), goal.unit, goal.target_kind, goal.target_value,
            goal.growth_percent, goal.baseline, goal.start_date, goal.deadline, goal.confidence, goal.relevance,
            self.label(GOAL_STATUS_LABELS, goal.status), self.local(goal.created_at), self.local(goal.updated_at),
        ]  # fmt: skip

    def goals(self, goals: Sequence[Goal], member: Mapping[int, str] | None = None) -> Sheet:
        rows = [self._with_member(member, goal.user_id, self.goal_row(goal)) for goal in goals]
        description = N_("Your goals: what, how much, by when, why, and their status.")
        if member is not None:
            description = N_("The members' goals (deleted ones left out).")
        return self.sheet(N_("Goals"), "goals", description, self._columns(member, GOAL_COLUMNS), rows)

    def audit(self, audit: Sequence[GoalAudit]) -> Sheet:
        rows = [[a.goal_id, self.local(a.at), a.field, a.old_value, a.new_value] for a in audit]
        description = N_("Every change to a goal: when, which field, from what to what.")
        return self.sheet(N_("Goal changes"), "goal_changes", description, AUDIT_COLUMNS, rows)

    def plans(self, plans: Sequence[GoalPlan]) -> Sheet:
        rows = [
            [p.goal_id, self._month_shares(p.month_shares), p.average_deal, p.win_rate, p.meeting_rate,
             p.visit_rate, self._activity_targets(p.activity_targets), self.local(p.updated_at)]
            for p in plans
        ]  # fmt: skip
        description = N_("How each goal is broken down: month shares, the sales funnel, activity targets.")
        return self.sheet(N_("Plans"), "plans", description, PLAN_COLUMNS, rows)

    def plan_months(self, plans: Sequence[tuple[Goal, Plan]]) -> Sheet:
        """Each open goal's month targets on the user's working days, as /plan computes them today."""
        rows: list[list[Value]] = []
        for goal, plan in plans:
            for month in plan.months:
                days = [day.day for week in month.weeks for day in week.days]
                first, last = (month.weeks[0].start, month.weeks[-1].end) if month.weeks else (None, None)
                rows.append(
                    [goal.id, month_key((month.year, month.month)), first, last, len(days), month.amount]
                )
        description = N_("Each open goal's month targets on your working days, as /plan shows them today.")
        return self.sheet(N_("Plan by month"), "plan_months", description, PLAN_MONTH_COLUMNS, rows)

    def _month_shares(self, shares: Mapping[str, Any]) -> str:
        return "\n".join(f"{month}: {share}%" for month, share in sorted(shares.items()))

    def _activity_targets(self, targets: Mapping[str, Any]) -> str:
        lines = []
        for measure, target in targets.items():
            if isinstance(target, Mapping):
                lines.append(
                    f"{self.label(MEASURE_LABELS, measure)}: {target.get('count')} / {target.get('per')}"
                )
        return "\n".join(lines)

    def _crm(self, record: CrmRecordRow | None) -> list[Value]:
        return [record.system, record.record_id] if record is not None else [None, None]

    def entries(
        self, entries: Sequence[tuple[Entry, CrmRecordRow | None]], goals: Mapping[int, Goal],
        member: Mapping[int, str] | None = None,
    ) -> Sheet:  # fmt: skip
        rows = []
        for entry, record in entries:
            goal = goals.get(entry.goal_id)
            row = [entry.day, entry.goal_id, goal.description if goal else None, entry.amount,
                   self.label(SOURCE_LABELS, entry.source), *self._crm(record), self.local(entry.created_at)]  # fmt: skip
            rows.append(self._with_member(member, entry.user_id, row))
        description = N_("Results recorded for goals, day by day, with where each came from.")
        return self.sheet(N_("Results"), "results", description, self._columns(member, ENTRY_COLUMNS), rows)

    def activities(
        self, logs: Sequence[tuple[ActivityLog, CrmRecordRow | None]], member: Mapping[int, str] | None = None
    ) -> Sheet:
        rows = []
        for log, record in logs:
            row = [log.day, self.label(MEASURE_LABELS, log.measure), log.amount,
                   self.label(SOURCE_LABELS, log.source), *self._crm(record), self.local(log.created_at)]  # fmt: skip
            rows.append(self._with_member(member, log.user_id, row))
        description = N_(
            "Activities done (visits, calls, meetings, ...), day by day, with where each came from."
        )
        return self.sheet(
            N_("Activities"), "activities", description, self._columns(member, ACTIVITY_COLUMNS), rows
        )

    def reviews(self, reviews: Sequence[ReviewAnswer]) -> Sheet:
        rows = [
            [r.day, self.label(REVIEW_KIND_LABELS, r.kind), _rating(r.answers), self.lines(r.answers),
             self.local(r.updated_at)]
            for r in reviews
        ]  # fmt: skip
        description = N_("Your answers to the daily, weekly and monthly reviews.")
        return self.sheet(N_("Reviews"), "reviews", description, REVIEW_COLUMNS, rows)

    def setbacks(self, setbacks: Sequence[Setback]) -> Sheet:
        rows = [[s.day, s.summary, self.lines(s.answers), self.local(s.created_at)] for s in setbacks]
        description = N_("Lost deals and rejections, and what you took from them (/lost).")
        return self.sheet(N_("Setbacks"), "setbacks", description, SETBACK_COLUMNS, rows)

    def strategy(self, changes: Sequence[StrategyChange]) -> Sheet:
        rows = [
            [c.at.astimezone(self.zone), c.goal_id, self.label(REASON_LABELS, c.reason),
             self.label(DECISION_LABELS, c.decision), c.note, self.lines(c.before), self.lines(c.after)]
            for c in changes
        ]  # fmt: skip
        description = N_("Strategy changes: why, what was decided, the numbers before and after (/change).")
        return self.sheet(N_("Strategy changes"), "strategy_changes", description, STRATEGY_COLUMNS, rows)

    def rewards(self, rewards: Sequence[Reward]) -> Sheet:
        rows = [
            [r.goal_id, r.target, r.start_date, r.deadline, r.treat, self.label(REWARD_STATUS_LABELS, r.status),
             self.local(r.created_at)]
            for r in rewards
        ]  # fmt: skip
        description = N_("Rewards you promised yourself (/reward) and whether you earned them.")
        return self.sheet(N_("Rewards"), "rewards", description, REWARD_COLUMNS, rows)

    def nudges(self, nudges: Sequence[Nudge]) -> Sheet:
        rows = [[n.kind, n.status, self.local(n.due_at), self.local(n.sent_at)] for n in nudges]
        description = N_("Coaching messages the bot queued for you, and when they were sent.")
        return self.sheet(N_("Nudges"), "nudges", description, NUDGE_COLUMNS, rows)

    # A team's shared data ---------------------------------------------------------------------------

    def members(self, members: Sequence[tuple[TeamMember, User]]) -> Sheet:
        rows = [
            [person_name(user), user.username, str(user.id), role_text(seat.role, self._), self.local(seat.joined_at)]
            for seat, user in members
        ]  # fmt: skip
        description = N_("The team's current members and their roles.")
        return self.sheet(N_("Members"), "members", description, MEMBER_COLUMNS, rows)

    def ratings(self, reviews: Sequence[ReviewAnswer], member: Mapping[int, str]) -> Sheet:
        rows = [
            [member[r.user_id], r.day, self.label(REVIEW_KIND_LABELS, r.kind), _rating(r.answers)]
            for r in reviews
            if _rating(r.answers) is not None
        ]
        description = N_("The members' review ratings (their answers stay their own).")
        return self.sheet(N_("Review ratings"), "review_ratings", description, RATING_COLUMNS, rows)

    def shares(self, shares: Sequence[TeamShare], member: Mapping[int, str]) -> Sheet:
        rows = [
            [member[s.user_id], self.label(SHARE_KIND_LABELS, s.kind), s.text, self.local(s.created_at)]
            for s in shares
        ]
        description = N_("Wins and reflections the members chose to share with the team.")
        return self.sheet(N_("Shared"), "shared", description, SHARE_COLUMNS, rows)

    @staticmethod
    def _columns(member: Mapping[int, str] | None, columns: Columns) -> Columns:
        return columns if member is None else (MEMBER, *columns)

    @staticmethod
    def _with_member(member: Mapping[int, str] | None, user_id: int, row: list[Value]) -> list[Value]:
        return row if member is None else [member.get(user_id), *row]


def _rating(answers: Mapping[str, Any]) -> int | None:
    rating = answers.get("rating")
    return rating if isinstance(rating, int) and not isinstance(rating, bool) else None
