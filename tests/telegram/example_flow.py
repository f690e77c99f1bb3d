"""A visit debrief in three questions: the README's example of a flow (tests/telegram/test_example_flow.py)."""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from bot.core.dates import parse_deadline
from bot.core.dialog import Answer, Outgoing, Reject
from bot.i18n import N_
from bot.services.dialogs import FINISH, Flow, Question
from bot.services.dialogs.parsing import choice_of, short_text, typed_or_chosen
from bot.services.goal_text import date_text
from bot.services.plans import local_today
from bot.services.turn import Turn

OUTCOMES = {"promising": N_("👍 Promising"), "unclear": N_("🤔 Unclear"), "lost": N_("👎 Lost")}


@dataclass
class DebriefAnswers:  # kept in dialog_states.data as JSON; the engine converts it both ways
    client: str = ""
    outcome: str = ""
    follow_up: date | None = None


def parse_client(answer: Answer, turn: Turn, answers: DebriefAnswers) -> str:
    return short_text(answer, turn, 60, turn._("Which client? A name, please."))


def parse_outcome(answer: Answer, turn: Turn, answers: DebriefAnswers) -> str:
    values = {value: value for value in OUTCOMES}
    return choice_of(answer, values, lambda: Reject(turn._("Please tap one of the choices.")))


def parse_follow_up(answer: Answer, turn: Turn, answers: DebriefAnswers) -> date:
    today = local_today(turn.user, turn.now)
    day = parse_deadline(typed_or_chosen(answer), today=today, lang=turn.language)
    if day is None or day <= today:
        raise Reject(turn._("A day after today, please, e.g. next Friday or 2027-03-31."))
    return day


async def save_debrief(turn: Turn, answers: DebriefAnswers) -> Sequence[Outgoing]:
    _ = turn._  # A real flow writes its row here, through a repository; it commits with the last answer.
    day = date_text(answers.follow_up, _) if answers.follow_up else _("none")
    return [Outgoing(_("Noted: {client}, {outcome}. Follow-up: {day}.", client=answers.client,
                       outcome=_(OUTCOMES[answers.outcome]), day=day))]  # fmt: skip


debrief_flow = Flow("debrief", DebriefAnswers, [
    Question(name="client", text=N_("Which client did you visit?"), parser=parse_client),
    Question(name="outcome", text=N_("How did it go?"), buttons=(tuple((label, value) for value, label in OUTCOMES.items()),), parser=parse_outcome,
             next=lambda value, turn, answers: FINISH if value == "lost" else "follow_up"),
    Question(name="follow_up", text=N_("When do you follow up?"), parser=parse_follow_up),
], save_debrief)  # fmt: skip


async def start_debrief(turn: Turn) -> list[Outgoing]:
    return await turn.services.dialogs.start(turn, debrief_flow.name)
