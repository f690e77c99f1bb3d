"""The paged lists, /history and /vacation: a page as a message with its ◀/▶ buttons, and a page button.

Every press lays the list out again from the database; the button's stamp must name the same pages, so a
page button pressed after the list changed (a new entry, another language) is an old button.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from bot.core.dialog import Button, Outgoing
from bot.i18n import N_, Translator
from bot.services.paging import Page, listing_stamp
from bot.services.plans import upcoming_vacations
from bot.services.strategy_text import history_pages
from bot.services.turn import Turn
from bot.services.vacation_text import vacation_pages, vacation_usage
from bot.storage.repositories.goals import GoalRepository
from bot.storage.repositories.strategy import StrategyChangeRepository
from bot.telegram.callbacks import PagedList, PagePress, page_callback, vacation_callback

# The history runs newest first; vacations in date order.
PAGE_LABELS = {
    PagedList.HISTORY: (N_("◀ Newer"), N_("Older ▶")),
    PagedList.VACATIONS: (N_("◀ Earlier"), N_("Later ▶")),
}


def page_row(listing: PagedList, pages: Sequence[Page], number: int, _: Translator) -> tuple[Button, ...]:
    """The ◀/▶ buttons of page `number`: to the pages either side, if any."""
    stamp = listing_stamp(pages)
    before, after = PAGE_LABELS[listing]
    row = []
    if number > 1:
        row.append(Button(_(before), page_callback(listing, number - 1, stamp)))
    if number < len(pages):
        row.append(Button(_(after), page_callback(listing, number + 1, stamp)))
    return tuple(row)


def chosen_page(pages: Sequence[Page], press: PagePress | None) -> int | None:
    """The page asked for: the first without a press; None for a press made for other pages."""
    if press is None:
        return 1
    if press.stamp != listing_stamp(pages) or press.page > len(pages):
        return None
    return press.page


async def history_screen(turn: Turn, press: PagePress | None = None) -> Outgoing | None:
    """/history's first page, or the page a button asks for (None when the button is stale)."""
    goals = await GoalRepository(turn.session).open_goals(turn.user.id)
    changes = await StrategyChangeRepository(turn.session).of_user(turn.user.id)
    pages = history_pages(goals, changes, turn.user.timezone, turn._)
    number = chosen_page(pages, press)
    if number is None:
        return None
    row = page_row(PagedList.HISTORY, pages, number, turn._)
    return Outgoing(pages[number - 1].text, (row,) if row else ())


async def vacation_screen(turn: Turn, today: date, press: PagePress | None = None) -> Outgoing | None:
    """The upcoming vacations, a page at a time, each with its "Remove" button (None for a stale button)."""
    _ = turn._
    # Ordered fully (two vacations may start on one day), so the same rows always make the same pages.
    upcoming = await upcoming_vacations(turn.session, turn.user, today)
    vacations = sorted(upcoming, key=lambda vacation: (vacation.start_date, vacation.id))
    if not vacations:
        return Outgoing(vacation_usage(_)) if press is None else None
    pages = vacation_pages(vacations, _)
    number = chosen_page(pages, press)
    if number is None:
        return None
    page = pages[number - 1]
    removes = tuple(
        (Button(_("Remove {start}", start=v.start_date.isoformat()), vacation_callback(v.id)),)
        for v in (vacations[entry] for entry in page.entries)
    )
    row = page_row(PagedList.VACATIONS, pages, number, _)
    return Outgoing(page.text, (*removes, row) if row else removes)
