"""T — Time-bound: the deadline question of the goal wizard, also asked by /change.

A deadline is read in the user's words and country ("端午节前" is the day before the Dragon Boat
Festival); a year named alone ("明年") is asked about, with its end offered, instead of assumed.
"""

from __future__ import annotations

from datetime import date

from bot.core.dates import names_only_a_year, parse_deadline
from bot.core.dialog import Answer, Button, Reject
from bot.core.goal_draft import GoalDraft
from bot.core.smart import DeadlineProblem, deadline_problem, is_asap
from bot.i18n import N_, Translator
from bot.services.dialogs.parsing import echo, typed_or_chosen
from bot.services.goal_text import date_text
from bot.services.plans import local_today, user_country
from bot.services.turn import Turn


def country_of(turn: Turn) -> str | None:
    """The country whose public holidays the user's date phrases name ("端午节前")."""
    return user_country(turn.user, turn.default_language)


# T — the deadline --------------------------------------------------------------------------------

DEADLINE_TEXT = N_("T — Time-bound. By when? For example: end of next month, end of Q2, 2027-03-31.")


def unreadable_date(text: str, _: Translator) -> Reject:
    return Reject(
        _(
            "I could not read a date in “{text}”. Try: end of next month, next Friday, 2027-03-31.",
            text=echo(text),
        )
    )


def parse_goal_deadline(answer: Answer, turn: Turn, draft: GoalDraft) -> date:
    text = typed_or_chosen(answer)
    _ = turn._
    if is_asap(text):
        raise Reject(
            _(
                "“As soon as possible” has no finish line, so you can never tell whether you are on time. "
                "Pick a date, for example the end of next month or the end of this quarter."
            )
        )
    today = local_today(turn.user, turn.now)
    if names_only_a_year(text):
        end_of_next_year = date(today.year + 1, 12, 31)
        raise Reject(
            _(
                "Next year is a whole year: by which day? For example: the end of next year, or June next year."
            ),
            offer=(
                Button(
                    _("End of next year ({date})", date=date_text(end_of_next_year, _)),
                    end_of_next_year.isoformat(),
                ),
            ),
        )
    deadline = parse_deadline(text, today=today, lang=_.language, country=country_of(turn))
    if deadline is None:
        raise unreadable_date(text, _)
    problem = deadline_problem(deadline, today)
    if problem is DeadlineProblem.PAST:
        raise Reject(_("{date} is not in the future. Please pick a later day.", date=date_text(deadline, _)))
    if problem is DeadlineProblem.TOO_FAR:
        raise Reject(
            _(
                "{date} is more than 3 years away. Set a nearer deadline; the next goal can follow it.",
                date=date_text(deadline, _),
            )
        )
    return deadline


def set_deadline(value: date, turn: Turn, draft: GoalDraft) -> None:
    draft.start_date, draft.deadline = local_today(turn.user, turn.now), value


def keep_deadline(value: date, turn: Turn, draft: GoalDraft) -> str:
    """Keep the deadline and say in one line which day it is."""
    set_deadline(value, turn, draft)
    return turn._("Deadline: {date}.", date=date_text(value, turn._))
