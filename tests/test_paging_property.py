"""Issue 12, item 3's property for the page fitter (bot/services/paging.py): for any entries of any length
(Chinese, emoji that count two UTF-16 units, line breaks), the pages cover every entry exactly once, in
order, and each page stays within its budget; a long entry is cut with an ellipsis on a list page, and split
into pieces that rebuild it exactly in "show more" details."""

from __future__ import annotations

import itertools
import re

from hypothesis import given, settings
from hypothesis import strategies as st

from bot.services.paging import (
    ELLIPSIS,
    PAGE_BUDGET,
    SUMMARY_REST_RESERVE,
    TEXT_LIMIT,
    Overflow,
    Page,
    Section,
    fit_pages,
    listing_stamp,
    paginate,
    shorten,
    split_text,
    summarize,
    utf16_length,
)

# Characters an entry's filler is made of: Latin, CJK, an astral emoji (2 units), spaces and line breaks.
# No "<", ">" or "#": those mark entries and headings below.
FILLER = st.text(alphabet=st.sampled_from("ab 中文😀\n·"), max_size=3000)
SMALL_FILLER = st.text(alphabet=st.sampled_from("ab 中😀\n"), max_size=300)
MARKER = re.compile(r"<(\d+)>")


def entries_of(sizes: list[str]) -> list[str]:
    """Entry i starts with its marker "<i>", so it can be found on the page that shows it."""
    return [f"<{index}>{filler}" for index, filler in enumerate(sizes)]


def sectioned(entries: list[str], cuts: list[int]) -> list[Section]:
    """The entries in consecutive sections, cut at `cuts`, each with a heading (and its continued form)."""
    bounds = sorted({0, len(entries), *(cut % (len(entries) + 1) for cut in cuts)})
    return [
        Section(f"#{number} heading", entries[start:end], continued=f"#{number} heading (continued)")
        for number, (start, end) in enumerate(itertools.pairwise(bounds))
    ]


def markers(pages: list[Page]) -> list[int]:
    return [int(found) for page in pages for found in MARKER.findall(page.text)]


@settings(max_examples=200, deadline=None)
@given(
    fillers=st.lists(FILLER, max_size=40),
    cuts=st.lists(st.integers(min_value=0, max_value=40), max_size=4),
    budget=st.integers(min_value=80, max_value=PAGE_BUDGET),
    max_lines=st.one_of(st.none(), st.integers(min_value=1, max_value=12)),
)
def test_list_pages_cover_every_entry_once_in_order_within_the_budget(
    fillers: list[str], cuts: list[int], budget: int, max_lines: int | None
) -> None:
    entries = entries_of(fillers)
    pages = fit_pages(sectioned(entries, cuts), budget, max_lines=max_lines)
    assert markers(pages) == list(range(len(entries))), "every entry once, in order"
    assert [entry for page in pages for entry in page.entries] == list(range(len(entries)))
    for page in pages:
        assert utf16_length(page.text) <= budget
        assert max_lines is None or len(page.entries) <= max_lines
        assert not page.text.rstrip().split("\n")[-1].startswith("#"), "no heading ends a page alone"
    for entry in entries:
        shown = next(page.text for page in pages if f"<{entries.index(entry)}>" in page.text)
        assert entry in shown or ELLIPSIS in shown, "an entry is shown whole, or cut with an ellipsis"


@settings(max_examples=200, deadline=None)
@given(
    fillers=st.lists(FILLER, max_size=30),
    cuts=st.lists(st.integers(min_value=0, max_value=30), max_size=3),
    budget=st.integers(min_value=80, max_value=PAGE_BUDGET),
)
def test_split_pages_rebuild_every_entry_exactly(fillers: list[str], cuts: list[int], budget: int) -> None:
    """Details ("show more") lose nothing: with headings taken out, the pages' lines are the entries."""
    entries = [entry.replace("\n", " ") for entry in entries_of(fillers)]  # one line each, to rebuild them
    pages = fit_pages(sectioned(entries, cuts), budget, overflow=Overflow.SPLIT)
    lines = [line for page in pages for line in page.text.split("\n") if line and not line.startswith("#")]
    assert "".join(lines) == "".join(entries)
    assert markers(pages) == list(range(len(entries)))
    assert all(utf16_length(page.text) <= budget for page in pages)
    for page in pages:
        assert list(page.entries) == sorted(set(page.entries)), "each entry named once per page, in order"
    for before, after in itertools.pairwise(pages):
        assert max(before.entries) <= min(after.entries), "only a split entry continues on the next page"
    assert sorted({entry for page in pages for entry in page.entries}) == list(range(len(entries)))


@settings(max_examples=100, deadline=None)
@given(fillers=st.lists(FILLER, max_size=40), footer=SMALL_FILLER)
def test_paginated_pages_fit_telegram_with_margin_and_say_which_page(fillers: list[str], footer: str) -> None:
    entries = entries_of(fillers)
    pages = paginate([Section("#", entries)], lambda n, of: f"Page {n} of {of}", footer=footer)
    assert markers(pages) == list(range(len(entries)))
    for number, page in enumerate(pages, 1):
        assert utf16_length(page.text) <= PAGE_BUDGET < TEXT_LIMIT
        assert page.text.endswith(f"Page {number} of {len(pages)}") == (len(pages) > 1)
    assert len(listing_stamp(pages)) == 8


@given(text=FILLER, budget=st.integers(min_value=2, max_value=500))
def test_split_text_rebuilds_the_text_in_pieces_within_the_budget(text: str, budget: int) -> None:
    pieces = split_text(text, budget)
    assert "".join(pieces) == text
    assert all(utf16_length(piece) <= budget for piece in pieces)
    assert all(pieces) or pieces == [""]


@given(text=FILLER, budget=st.integers(min_value=1, max_value=500))
def test_shorten_keeps_the_beginning_within_the_budget(text: str, budget: int) -> None:
    short = shorten(text, budget)
    assert utf16_length(short) <= budget
    assert short == text or (short.endswith(ELLIPSIS) and text.startswith(short[:-1]))


@settings(max_examples=200, deadline=None)
@given(
    head=st.lists(SMALL_FILLER, max_size=5),
    fillers=st.lists(FILLER, max_size=30),
    budget=st.integers(min_value=300, max_value=PAGE_BUDGET),
    max_items=st.one_of(st.none(), st.integers(min_value=0, max_value=10)),
)
def test_a_summary_fits_and_says_when_it_left_something_out(
    head: list[str], fillers: list[str], budget: int, max_items: int | None
) -> None:
    items = entries_of(fillers)
    summary = summarize(
        head, items, budget, preview=160, rest=lambda n: f"…and {n} more.", max_items=max_items
    )
    assert utf16_length(summary.text) <= budget
    shown = [int(found) for found in MARKER.findall(summary.text)]
    assert shown == list(range(len(shown))), "the first items, in order"
    assert max_items is None or len(shown) <= max_items
    left_out = len(items) - len(shown)
    assert (f"…and {left_out} more." in summary.text) == (left_out > 0)
    head_whole = utf16_length("\n".join(head)) <= budget - SUMMARY_REST_RESERVE
    whole = all(item in summary.text.split("\n") for item in items)
    assert summary.complete == (head_whole and left_out == 0 and whole)


def test_an_entry_longer_than_a_page_is_cut_with_an_ellipsis_on_its_own_page() -> None:
    note = "x" * 1000
    pages = fit_pages([Section("📜 goal", ["<0> short", f"<1> {note}", "<2> short"])], 400)
    assert [page.entries for page in pages] == [(0,), (1,), (2,)]
    assert pages[1].text.endswith(ELLIPSIS) and utf16_length(pages[1].text) <= 400
    assert pages[1].text.startswith("📜 goal\n<1> xxx"), "the continued page repeats the heading"
