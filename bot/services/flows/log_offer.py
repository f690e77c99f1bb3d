"""Free text that reads as results, offered as a /log with one tap; nothing is stored until the tap.

The typed line waits in the dialog's answers (dialog_states), so the offer survives a restart.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from bot.core.dialog import Answer, Outgoing, Reject
from bot.core.quick_log import QuickReport, parse_report
from bot.core.vocabulary import yes_no_choices
from bot.i18n import N_
from bot.services.dialogs import Flow, Question
from bot.services.dialogs.parsing import choice_of
from bot.services.flows.out_of_window_log import log_report
from bot.services.flows.review_texts import REPORT_PROBLEMS, report_text
from bot.services.goal_text import date_text
from bot.services.turn import Turn

LOG_OFFER = "log_offer"
RECORD, DONT = "record", "no"
RECORD_CHOICES = yes_no_choices(yes=RECORD, no=DONT) | {"record": RECORD}


@dataclass
class LogOfferAnswers:
    text: str = ""  # the line the user typed, read again when they tap
    today: date | None = None  # their local day when they typed it: "yesterday" in it keeps meaning that day
    currency: str | None = None  # of the user's revenue goal, for showing amounts
    record: str = ""  # RECORD or DONT
    message_id: int | None = None  # the typed message: results recorded from it are corrected by editing it


def _report(answers: LogOfferAnswers, turn: Turn) -> QuickReport | None:
    assert answers.today is not None
    report = parse_report(answers.text, today=answers.today, lang=turn._.language)
    return report if isinstance(report, QuickReport) else None


def offer_text(turn: Turn, answers: LogOfferAnswers) -> str:
    _ = turn._
    report = _report(answers, turn)
    values = dict(report.values) if report else {}
    shown = report_text(values, turn.user, answers.currency, _)
    day = report.day if report and report.day else answers.today
    if day == answers.today:
        return _("Record this as today's result? {report}", report=shown)
    assert day is not None
    return _("Record this as the result for {date}? {report}", date=date_text(day, _), report=shown)


def parse_record(answer: Answer, turn: Turn, answers: LogOfferAnswers) -> str:
    return choice_of(answer, RECORD_CHOICES, lambda: Reject(turn._("Please tap “Record” or “No”.")))


async def finish_offer(turn: Turn, answers: LogOfferAnswers) -> Sequence[Outgoing]:
    _ = turn._
    if answers.record != RECORD:
        return [Outgoing(_("Not recorded. /log records results whenever you like."))]
    assert answers.today is not None
    report = parse_report(answers.text, today=answers.today, lang=_.language)
    if not isinstance(report, QuickReport):
        return [Outgoing(_(REPORT_PROBLEMS[report]))]
    # The same path as /log itself: a day outside a goal's dates is asked about before anything is stored.
    return await log_report(turn, report, message_id=answers.message_id)


def log_offer_flow() -> Flow[LogOfferAnswers]:
    return Flow(LOG_OFFER, LogOfferAnswers, [
        Question(name="record", text=offer_text, buttons=(((N_("✔ Record"), RECORD), (N_("No"), DONT)),),
                 parser=parse_record),
    ], finish_offer, N_("Not recorded. /log records results whenever you like."))  # fmt: skip


async def offer_log(
    turn: Turn, text: str, today: date, currency: str | None, message_id: int | None = None
) -> list[Outgoing]:
    """Ask whether `text` (which reads as results, typed in message `message_id`) should be recorded as a /log."""
    answers = LogOfferAnswers(text=text, today=today, currency=currency, message_id=message_id)
    return await turn.services.dialogs.start(turn, LOG_OFFER, answers=answers)
