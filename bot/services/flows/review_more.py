"""A review's summary that fits above its question, and its "📖 Show more": the period's items in full.

The summary is made when the review starts (bot/services/paging.py's `summarize`): counts, then each item's
first line cut short, as many as fit. When anything was cut or left out, the items in full are laid out as
messages that each fit (`paginate`, long items split, never cut) and kept with the review's answers, so
"📖 Show more" sends exactly what the summary summarized, changes nothing, and asks the question again.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import partial

from bot.core.dialog import Answer, Button, Outgoing, Reject
from bot.i18n import Translator
from bot.services.dialogs.flow import ButtonRows
from bot.services.flows.review_common import SummaryAnswers
from bot.services.paging import PAGE_BUDGET, Overflow, Section, paginate, summarize, utf16_length
from bot.services.turn import Turn

SHOW_MORE = "<more>"  # the button's value; no answer to a review question looks like it
# The summary above a question; the question, the "show more" hint and the rest of the page take the rest.
SUMMARY_BUDGET = PAGE_BUDGET - 500
PREVIEW = 120  # what the summary shows of one item, in UTF-16 units
PREVIEWS = 8  # items the summary shows at most: a glance above the question, not the list itself


@dataclass
class DetailedAnswers(SummaryAnswers):
    # The period's items in full, as messages that each fit; empty when the summary shows them all.
    more: list[str] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class FittedSummary:
    text: str
    more: list[str]


def part_line(_: Translator, number: int, count: int) -> str:
    return _.plural("Part {page} of {count}", "Part {page} of {count}", count, page=number)


def fitted_summary(
    head: Sequence[str], items: Sequence[str], details: Sequence[Section], _: Translator
) -> FittedSummary:
    """`head` and the `items`' first lines within SUMMARY_BUDGET; `details` (the items in full, under their
    headings) as messages for "show more" when the summary had to cut or leave out any."""
    hint = _("“📖 Show more” shows them in full.")

    def rest(count: int) -> str:
        return _.plural("…and {count} more.", "…and {count} more.", count)

    summary = summarize(
        head, items, SUMMARY_BUDGET - utf16_length(hint) - 1, preview=PREVIEW, rest=rest, max_items=PREVIEWS
    )
    if summary.complete:
        return FittedSummary(summary.text, [])
    more = [page.text for page in paginate(details, partial(part_line, _), overflow=Overflow.SPLIT)]
    return FittedSummary(summary.text + "\n" + hint if more else summary.text, more)


def show_more_row(turn: Turn, answers: DetailedAnswers) -> ButtonRows:
    """The "📖 Show more" button's row, when the summary left something out."""
    return ((Button(turn._("📖 Show more"), SHOW_MORE),),) if answers.more else ()


def show_more(answer: Answer, turn: Turn, answers: DetailedAnswers) -> None:
    """For a press of "📖 Show more": the items in full go to the user, then the question is asked again
    (a Reject stores nothing, so the dialog stays where it was). Any other answer passes."""
    if answer.choice != SHOW_MORE or not answers.more:
        return
    turn.reply(Outgoing(text) for text in answers.more)
    raise Reject(turn._("That was everything in full. The question again:"))
