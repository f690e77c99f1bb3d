"""/vacation's list of upcoming days off, in pages that each fit one message and carry at most ten buttons."""

from __future__ import annotations

from collections.abc import Sequence
from functools import partial

from bot.i18n import Translator
from bot.services.goal_text import date_text
from bot.services.paging import Page, Section, page_line, paginate
from bot.storage.models import Vacation

# Each vacation on a page has its own "Remove" button; Telegram allows a keyboard about a hundred buttons,
# and ten rows are what a phone shows without scrolling far.
VACATIONS_PER_PAGE = 10


def vacation_usage(_: Translator) -> str:
    return _(
        "Add days off with “/vacation 2026-12-24 to 2026-12-28” or in words: “/vacation next Monday to next Wednesday”."
    )


def vacation_pages(vacations: Sequence[Vacation], _: Translator) -> list[Page]:
    """The vacations in date order, VACATIONS_PER_PAGE to a page; a page's entries index `vacations`."""
    lines = [f"🏖 {date_text(v.start_date, _)} – {date_text(v.end_date, _)}" for v in vacations]
    section = Section(_("Your upcoming vacations:"), lines)
    return paginate([section], partial(page_line, _), footer=vacation_usage(_), max_lines=VACATIONS_PER_PAGE)
