"""Edited messages: an edited /log corrects what that message recorded; any other edit is never an answer.

Telegram sends an edit as an update of its own that carries the original message's id. The rows a /log
(or results typed as text and recorded with a tap) wrote carry that id, so an edit finds exactly them and
rewrites them in place: the figures and the day become what the edited text says, one audit row per
measure that changed (entry_corrections), and the nudges its new numbers earn are queued like a /log's.
Nudges queued earlier are checked again before they go out (bot/core/nudges.py `recheck`), so a
celebration of a figure the edit lowered is withdrawn. A relative day in the edit ("yesterday") means what
it meant when the message was first recorded.

Any other edit (an earlier answer of a dialog or a review, a remark) changes nothing: the user is told how
to change an earlier answer, and the open dialog stays at its step with its answers.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from bot.core.dates import local_date
from bot.core.dialog import Outgoing
from bot.core.metrics import REPORT_LABELS
from bot.core.quick_log import Measure, QuickReport, ReportProblem, parse_report
from bot.i18n import N_, Translator
from bot.services.coaching import coach_change
from bot.services.flows.review_texts import (
    REPORT_PROBLEMS,
    not_counted,
    pace_lines,
    report_text,
    revenue_currency,
    revenue_draft,
)
from bot.services.goal_text import amount_text, date_text, number_text
from bot.services.plans import GoalOutlook, build_outlooks, open_goal_inputs
from bot.services.results import LOG, Recorded, goal_amount, in_window
from bot.services.turn import Turn
from bot.storage.models import ActivityLog, Entry, EntryCorrection, Goal, User
from bot.storage.repositories.corrections import CorrectionRepository
from bot.storage.repositories.results import ResultRepository

UNDONE = N_("That /log was undone, so there is nothing to correct. Send a new /log to record it again.")
LOG_RECORDED_NOTHING = N_(
    "That /log recorded nothing, so there is nothing to correct. Send a new /log with your figures."
)
EDIT_IN_DIALOG = N_(
    "Editing a message does not change the answer I already took from it. To change an earlier answer, "
    "tap ⬅ Back under the question; /cancel stops. Here is where we are:"
)
EDIT_NOT_READ = N_(
    "Editing a message does not change what I already took from it. Send what you meant as a new message."
)


@dataclass(frozen=True)
class EditedMessage:
    message_id: int
    text: str | None  # the edited text (a caption for media), None when there is none
    log_text: str | None = None  # what follows /log when the edited message is a /log command


@dataclass(frozen=True)
class StoredReport:
    """What a message recorded before the edit: its rows, and their day and figures read off them first
    (the rows themselves are rewritten by the correction)."""

    entries: Sequence[Entry]
    activities: Sequence[ActivityLog]
    day: date
    values: dict[Measure, Decimal]

    @classmethod
    def of(cls, entries: Sequence[Entry], activities: Sequence[ActivityLog]) -> StoredReport:
        amounts = {Measure(row.measure): row.amount for row in activities}
        # In the order /log shows them.
        values = {measure: amounts[measure] for measure in Measure if measure in amounts}
        return cls(entries, activities, activities[0].day, values)

    def recorded_on(self, user: User) -> date:
        """The user's day when the report was recorded: the edit's "today"."""
        return local_date(user.timezone, self.activities[0].created_at)


async def answer_edit(turn: Turn, edited: EditedMessage) -> list[Outgoing]:
    """The reply to an edited message; only an edit of recorded results changes anything."""
    results = ResultRepository(turn.session)
    entries, activities = await results.of_message(turn.user.id, edited.message_id)
    if activities:
        text = edited.log_text if edited.log_text is not None else edited.text or ""
        return await correct_report(turn, edited.message_id, text, StoredReport.of(entries, activities))
    _ = turn._
    if await results.message_recorded(turn.user.id, edited.message_id):
        return [Outgoing(_(UNDONE))]
    if edited.log_text is not None:
        return [Outgoing(_(LOG_RECORDED_NOTHING))]
    question = await turn.services.dialogs.current_question(turn)
    if question:
        return [Outgoing(_(EDIT_IN_DIALOG)), *question]
    return [Outgoing(_(EDIT_NOT_READ))]


async def correct_report(turn: Turn, message_id: int, text: str, stored: StoredReport) -> list[Outgoing]:
    """Make what `message_id` recorded say what its edited `text` says, or tell why nothing changed."""
    _ = turn._
    inputs = await open_goal_inputs(turn.session, turn.user, turn.now, turn.default_language)
    currency = revenue_currency(inputs.goals)
    report = parse_report(text, today=stored.recorded_on(turn.user), lang=_.language)
    if not isinstance(report, QuickReport):
        return [Outgoing(_unchanged_text(report, stored, turn.user, currency, _))]
    day = report.day or stored.recorded_on(turn.user)
    if day == stored.day and report.values == stored.values:
        kept = report_text(stored.values, turn.user, currency, _)
        return [Outgoing(_("Your edit changes no figures: your /log for {date} stays {report}.",
                           date=date_text(day, _), report=kept))]  # fmt: skip
    before = build_outlooks(inputs, turn.now)
    recorded = await rewrite(turn, message_id, stored, day, report.values, inputs.goals)
    after = await coach_change(turn, inputs, before, recorded)
    lines = [
        _corrected_text(stored, day, report.values, turn.user, currency, _) + not_counted(report.unknown, _)
    ]
    return [Outgoing("\n".join([*lines, *pace_lines(_touched(after, recorded), day, _)]))]


def corrected_goals(
    goals: Sequence[Goal], stored: StoredReport, day: date, values: Mapping[Measure, Decimal]
) -> list[Goal]:
    """The goals the corrected report counts for: those a /log of it would count for, less any goal the
    user chose against when it was recorded (one that would have counted it then, yet got no entry)."""
    had = {entry.goal_id for entry in stored.entries}
    passed_over = {g.id for g in goals
                   if g.id not in had and in_window(g, stored.day) and goal_amount(g, stored.values) is not None}  # fmt: skip
    return [
        g
        for g in goals
        if g.id not in passed_over and in_window(g, day) and goal_amount(g, values) is not None
    ]


async def rewrite(
    turn: Turn,
    message_id: int,
    stored: StoredReport,
    day: date,
    values: Mapping[Measure, Decimal],
    open_goals: Sequence[Goal],
) -> Recorded:
    """Change the report's rows in place (so /undo still takes reports in the order they were sent),
    audit each measure that changed, and say what changed for the goals' numbers."""
    goals = corrected_goals(open_goals, stored, day, values)
    user, now, first = turn.user, turn.now, stored.activities[0]
    batch, recorded_at = first.batch or "", first.created_at
    rows = {Measure(row.measure): row for row in stored.activities}
    corrections = [
        EntryCorrection(user_id=user.id, message_id=message_id, batch=batch, at=now, measure=measure.value,
                        old_day=stored.day, old_amount=stored.values.get(measure), new_day=day,
                        new_amount=values.get(measure))
        for measure in dict.fromkeys([*rows, *values])
        if (stored.day, stored.values.get(measure)) != (day, values.get(measure))
    ]  # fmt: skip
    for measure, row in rows.items():
        if measure in values:
            row.day, row.amount = day, values[measure]
    added = [ActivityLog(user_id=user.id, day=day, measure=measure.value, amount=amount, source=LOG,
                         batch=batch, created_at=recorded_at, message_id=message_id)
             for measure, amount in values.items() if measure not in rows]  # fmt: skip
    entries = [Entry(user_id=user.id, goal_id=goal.id, day=day, amount=amount, created_at=recorded_at,
                     source=LOG, batch=batch, message_id=message_id)
               for goal in goals if (amount := goal_amount(goal, values)) is not None]  # fmt: skip
    results = ResultRepository(turn.session)
    await results.remove(stored.entries, [row for measure, row in rows.items() if measure not in values])
    await results.insert_many([*entries, *added])
    CorrectionRepository(turn.session).add(corrections)
    touched = {entry.goal_id for entry in (*stored.entries, *entries)}
    return Recorded(day, batch, [goal for goal in open_goals if goal.id in touched], stored.entries, entries)


def _touched(views: Iterable[GoalOutlook], recorded: Recorded) -> list[GoalOutlook]:
    """The goals whose numbers the correction changed (a goal it no longer counts for included)."""
    touched = {entry.goal_id for entry in (*recorded.removed, *recorded.added)}
    return [view for view in views if view.goal.id in touched]


def _value_text(measure: Measure, value: Decimal, user: User, currency: str | None, _: Translator) -> str:
    if measure is Measure.REVENUE:
        return amount_text(value, revenue_draft(user, currency, _), _)
    return number_text(value, _)


def _corrected_text(
    stored: StoredReport,
    day: date,
    values: Mapping[Measure, Decimal],
    user: User,
    currency: str | None,
    _: Translator,
) -> str:
    if day != stored.day:
        return _(
            "Corrected: your /log of {old_date} now counts for {date}: {report}. /progress shows the new totals.",
            old_date=date_text(stored.day, _),
            date=date_text(day, _),
            report=report_text(dict(values), user, currency, _),
        )
    changes = []
    for measure in dict.fromkeys([*stored.values, *values]):
        old, new = stored.values.get(measure, Decimal(0)), values.get(measure, Decimal(0))
        if old != new:
            changes.append(_("{measure} {old} → {new}", measure=_(REPORT_LABELS[measure]),
                             old=_value_text(measure, old, user, currency, _),
                             new=_value_text(measure, new, user, currency, _)))  # fmt: skip
    return _("Corrected: {changes} for {date}. /progress shows the new totals.",
             changes=_(", ").join(changes), date=date_text(day, _))  # fmt: skip


def _unchanged_text(
    problem: ReportProblem, stored: StoredReport, user: User, currency: str | None, _: Translator
) -> str:
    why = (
        _("The edited message has no figures I can read.")
        if problem is ReportProblem.NOTHING
        else _(REPORT_PROBLEMS[problem])
    )
    kept = _("Nothing changed: your /log for {date} still reads {report}.",
             date=date_text(stored.day, _), report=report_text(stored.values, user, currency, _))  # fmt: skip
    return why + "\n" + kept
