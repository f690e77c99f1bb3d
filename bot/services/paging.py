"""Fitting text into Telegram messages: long lists in pages, long details in several messages, summaries.

Telegram refuses a text over 4,096 characters, counted in UTF-16 code units (an emoji outside the Basic
Multilingual Plane counts two). Every screen that lists what grows without bound (the strategy history,
vacations, a week's setbacks) lays its entries out here, each page within `PAGE_BUDGET`, well inside the
limit, so no screen leans on the sending layer's last-resort split. One fitter serves them all:

    sections -> fit_pages (bodies within a budget) -> paginate (with a footer and "page 2 of 3") -> texts

A section is a heading and its lines (one line is one entry, and may itself hold line breaks); a page that
begins inside a section repeats its heading (its `continued` form), and a heading never ends a page alone.
"""

from __future__ import annotations

import zlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from enum import Enum

from bot.i18n import Translator

TEXT_LIMIT = 4096  # Telegram's limit for a message's text, in UTF-16 code units
PAGE_BUDGET = 3500  # what one page or message of ours may use: the rest is margin
PAGE_LINE_RESERVE = 64  # room kept on each page for the "page 2 of 3" line and the blank line above it
SUMMARY_REST_RESERVE = 200  # room a summary keeps for its "…and 12 more" line
ELLIPSIS = "…"


def utf16_length(text: str) -> int:
    """The length Telegram counts: UTF-16 code units."""
    return len(text.encode("utf-16-le")) // 2


def _units(char: str) -> int:
    return 2 if ord(char) > 0xFFFF else 1


def _prefix_within(text: str, budget: int) -> int:
    """How many characters of `text` fit in `budget` units."""
    used = 0
    for index, char in enumerate(text):
        used += _units(char)
        if used > budget:
            return index
    return len(text)


def shorten(text: str, budget: int) -> str:
    """`text` as it is if it fits in `budget` units, else its beginning and an ellipsis, within `budget`."""
    if budget < 1:
        raise ValueError(f"no room to shorten into: {budget}")
    if utf16_length(text) <= budget:
        return text
    return text[: _prefix_within(text, budget - utf16_length(ELLIPSIS))].rstrip() + ELLIPSIS


def first_line(text: str) -> str:
    return text.split("\n", 1)[0]


def split_text(text: str, budget: int) -> list[str]:
    """`text` in consecutive pieces of at most `budget` units whose concatenation is `text`; each piece ends
    at a line break or a space where one lies in the second half of the piece, else mid-word."""
    if budget < 2:
        raise ValueError(f"no room to split into: {budget}")
    pieces = []
    rest = text
    while utf16_length(rest) > budget:
        end = _prefix_within(rest, budget)
        cut = max(rest.rfind("\n", 0, end), rest.rfind(" ", 0, end)) + 1
        if cut <= end // 2:
            cut = end
        pieces.append(rest[:cut])
        rest = rest[cut:]
    return [*pieces, rest] if rest or not pieces else pieces


class Overflow(Enum):
    """What becomes of one entry longer than a whole page."""

    SHORTEN = "shorten"  # cut with an ellipsis: a list page shows the entry's beginning
    SPLIT = "split"  # cut into consecutive pieces on consecutive pages: the full text is shown


@dataclass(frozen=True, slots=True)
class Section:
    heading: str  # "" for none
    lines: Sequence[str]
    continued: str | None = None  # the heading atop a page that begins inside the section (default: heading)


@dataclass(frozen=True, slots=True)
class Page:
    text: str
    # The entries (lines, numbered across all sections from 0) the page shows, in order; an entry split in
    # pieces is named by each page that holds one of them.
    entries: tuple[int, ...]


class _PageBuilder:
    """One page being filled: its text so far, its length in units, the section it is inside."""

    def __init__(self) -> None:
        self.parts: list[str] = []
        self.length = 0
        self.section: int | None = None
        self.lines = 0
        self.entries: list[int] = []

    def cost(self, section: int, heading: str, line: str) -> int:
        if section == self.section:
            return 1 + utf16_length(line)
        opening = (2 if self.parts else 0) + (utf16_length(heading) + 1 if heading else 0)
        return opening + utf16_length(line)

    def add(self, section: int, heading: str, line: str, entry: int) -> None:
        self.length += self.cost(section, heading, line)
        if section == self.section:
            self.parts.append("\n" + line)
        else:
            self.parts.append(("\n\n" if self.parts else "") + (heading + "\n" if heading else "") + line)
        self.section = section
        self.lines += 1
        if not self.entries or self.entries[-1] != entry:
            self.entries.append(entry)

    def page(self) -> Page:
        return Page("".join(self.parts), tuple(self.entries))


def _pieces(line: str, budget: int, overflow: Overflow) -> list[str]:
    if utf16_length(line) <= budget:
        return [line]
    return [shorten(line, budget)] if overflow is Overflow.SHORTEN else split_text(line, budget)


def fit_pages(
    sections: Sequence[Section],
    budget: int = PAGE_BUDGET,
    *,
    overflow: Overflow = Overflow.SHORTEN,
    max_lines: int | None = None,
) -> list[Page]:
    """The sections' lines, in order, on as few pages as greedy filling gives, each page's text within
    `budget` units and holding at most `max_lines` lines (one message's buttons may name each of them)."""
    pages: list[Page] = []
    page = _PageBuilder()
    entry = 0
    for number, section in enumerate(sections):
        heading = shorten(section.heading, budget // 2) if section.heading else ""
        again = section.heading if section.continued is None else section.continued
        continued = shorten(again, budget // 2) if again else ""
        heads = [h for h in (heading, continued) if h]
        room = budget - max((utf16_length(h) + 1 for h in heads), default=0)
        started = False
        for line in section.lines:
            for piece in _pieces(line, room, overflow):
                shown = continued if started else heading
                full = max_lines is not None and page.lines >= max_lines
                if page.parts and (full or page.length + page.cost(number, shown, piece) > budget):
                    pages.append(page.page())
                    page = _PageBuilder()
                page.add(number, shown, piece, entry)
                started = True
            entry += 1
    if page.parts:
        pages.append(page.page())
    return pages


def paginate(
    sections: Sequence[Section],
    page_line: Callable[[int, int], str],
    *,
    footer: str = "",
    budget: int = PAGE_BUDGET,
    overflow: Overflow = Overflow.SHORTEN,
    max_lines: int | None = None,
) -> list[Page]:
    """Pages of the sections, each its body, the `footer` and, when there are several, `page_line(n, of)`
    ("Page 2 of 3"), every one within `budget` units. No lines, no pages."""
    footer = shorten(footer, budget // 4) if footer else ""
    reserve = PAGE_LINE_RESERVE + (utf16_length(footer) + 2 if footer else 0)
    bodies = fit_pages(sections, budget - reserve, overflow=overflow, max_lines=max_lines)
    total = len(bodies)
    pages = []
    for number, body in enumerate(bodies, 1):
        parts = [body.text, *([footer] if footer else [])]
        if total > 1:
            parts.append(shorten(page_line(number, total), PAGE_LINE_RESERVE - 2))
        pages.append(Page("\n\n".join(parts), body.entries))
    return pages


def page_line(_: Translator, number: int, count: int) -> str:
    """ "Page 2 of 3", in the plural form the language gives the page count."""
    return _.plural("Page {page} of {count}", "Page {page} of {count}", count, page=number)


def listing_stamp(pages: Sequence[Page]) -> str:
    """Eight hex digits naming exactly these pages: a page button carries it, so a press made for a list that
    has changed since (an entry added, another language) is known to be stale."""
    return f"{zlib.crc32(chr(30).join(page.text for page in pages).encode()):08x}"


@dataclass(frozen=True, slots=True)
class Summary:
    text: str
    complete: bool  # False when an item was cut short or left out: "show more" has something to show


def summarize(
    head: Sequence[str],
    items: Sequence[str],
    budget: int,
    *,
    preview: int,
    rest: Callable[[int], str],
    max_items: int | None = None,
) -> Summary:
    """The head lines, then each item's first line cut to `preview` units, as many as fit in `budget` (and at
    most `max_items`); `rest(n)` counts the n items left out. The head is cut only where it would leave no
    room for that count."""
    head_text = shorten("\n".join(head), budget - SUMMARY_REST_RESERVE) if head else ""
    lines = [head_text] if head_text else []
    used = utf16_length(head_text)
    complete = head_text == "\n".join(head)
    for index, item in enumerate(items):
        line = shorten(first_line(item), preview)
        left = len(items) - index - 1
        after = 1 + utf16_length(rest(left)) if left else 0
        if used + 1 + utf16_length(line) + after > budget or index == max_items:
            lines.append(shorten(rest(len(items) - index), max(budget - used - 1, 1)))
            return Summary("\n".join(lines), False)
        lines.append(line)
        used += 1 + utf16_length(line)
        complete = complete and line == item
    return Summary("\n".join(lines), complete)
