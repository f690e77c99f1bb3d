"""Reading a date phrase as people type it, in Chinese or English: "下月底", "两个月内", "end of Q2", "周三".

A phrase resolves to a calendar date against a today and a Direction. Phrases naming a period (a month,
a quarter, a year, a week) mean its last day. A phrase naming a recurring day (a weekday, "the 15th", a
date without a year, a period without a year) means the nearest one in the direction, today included:
the first from today on for a deadline (FUTURE), the latest on or before today for a report (PAST).
Phrases naming one day relative to today ("下周三", "last Friday", "3天前", "in 2 weeks") mean that day
whatever the direction; a past date is returned as such and judging it is the caller's job.

Our own rules run first, because dateparser misses most period phrases ("下月底", "end of Q2", "within 90
days"), resolves "June 2027" to the 27th and "the 15th" to a past day, takes today's date as past
("November 27" on November 27 gives next year) and gives up when words surround the date ("明天之前",
"tomorrow please"); the rules also cost ~0.03 ms against ~0.5 ms. dateparser is the fallback for what
looks like a date but no rule knows ("in 36 hours", "2pm").

Weeks are ISO weeks (Monday first): "下周三"/"next Wednesday" is the Wednesday of next week, "本周五" the
Friday of this week, a bare "Friday"/"周五"/"this Friday" the nearest Friday in the direction.
"""

from __future__ import annotations

import re
from datetime import date
from typing import NamedTuple

from bot.core.dates import en, holidays, neutral, zh
from bot.core.dates.calendar import Direction
from bot.core.dates.fallback import by_dateparser, worth_trying
from bot.core.dates.rules import Anchor, Handler
from bot.core.numbers import find_numbers, normalize

# The order is the tie-break: among matches of the same length the earlier rule wins.
_RULES: list[tuple[re.Pattern[str], Handler]] = [
    *holidays.RULES.rules,
    *zh.RULES.rules,
    *neutral.RULES.rules,
    *en.RULES.rules,
]
_CJK_SPACE = re.compile(r"\s*([\u3000-\u303f\u4e00-\u9fff])\s*")
_RANGE_SEPARATOR = re.compile(
    r"\s+(?:to|until|till|through|-|–|~)\s+|\s*(?:到|至|~|～|—|–)\s*", re.IGNORECASE
)
_BARE_DAY = re.compile(r"^\s*(?:\d{1,2}|[一二三四五六七八九十]{1,3})\s*[日号]?\s*$")


# A year named alone ("明年", "next year"): which day of it is meant is the user's to say.
_BARE_YEAR = re.compile(r"(?:by\s+|in\s+|sometime\s+)?(?:明年|来年|next\s+year)(?:吧|之内|以内|内)?[.!。！]?")


_NUMBER_ONLY = re.compile(r"[\d.,\s]+")


class DatePhrase(NamedTuple):
    """A date phrase found inside a longer text: its words, where they are and the rest of the text
    (all cleaned: lower-case, half-width), and the day they name."""

    words: str
    start: int
    end: int
    day: date | None
    rest: str


class DateRange(NamedTuple):
    """The first and last day a range phrase names, both included; `end` may come before `start`."""

    start: date
    end: date


def _clean(text: str) -> str:
    """Lower-case, full-width to ASCII, and no spaces around Chinese characters ("6 月 30 日" → "6月30日")."""
    return _CJK_SPACE.sub(r"\1", normalize(text).lower().replace("’", "'")).strip()


def _longest_rule(text: str, anchor: Anchor) -> DatePhrase | None:
    """The longest rule match and its date; ties go to the earlier rule."""
    best: tuple[int, re.Match[str], Handler] | None = None
    for pattern, handler in _RULES:
        match = pattern.search(text)
        if match and match.end() > match.start() and (best is None or match.end() - match.start() > best[0]):
            best = (match.end() - match.start(), match, handler)
    if best is None:
        return None
    _length, match, handler = best
    try:
        day = handler(match, anchor)
    except (ValueError, OverflowError):
        day = None  # a year out of range: "0000年", "in 9999 years"
    rest = f"{text[: match.start()]} {text[match.end() :]}".strip()
    return DatePhrase(match.group().strip(), match.start(), match.end(), day, rest)


def _by_rules(text: str, anchor: Anchor) -> tuple[bool, date | None]:
    """(whether a rule matched, its date)."""
    found = _longest_rule(text, anchor)
    return (False, None) if found is None else (True, found.day)


def find_date_phrase(text: str, *, today: date, country: str | None = None) -> DatePhrase | None:
    """The date phrase inside a longer text ("下季度把华东区销售额做到200万" → 下季度), looking forward;
    None when no rule finds one. The spans are in the cleaned text."""
    return _longest_rule(_clean(text), Anchor(today, Direction.FUTURE, country))


def names_only_a_year(text: str) -> bool:
    """Whether the text names a year and nothing in it ("明年", "next year"): no deadline yet."""
    return _BARE_YEAR.fullmatch(_clean(text)) is not None


def reads_as_date(text: str) -> bool:
    """Whether an answer expected to be an amount is a date ("3月底前", "2027-03-31", "next Friday").

    A date phrase counts when it holds every number in the text: "签了5万 下周" is an amount with a
    date beside it, and a number alone ("2027", "12.25") is an amount.
    """
    cleaned = _clean(text)
    found = _longest_rule(cleaned, Anchor(date(2000, 1, 1)))
    if found is None or found.day is None or _NUMBER_ONLY.fullmatch(found.words):
        return False
    return all(found.start <= start and end <= found.end for _value, start, end in find_numbers(cleaned))


def parse_date_phrase(
    text: str,
    *,
    today: date,
    lang: str,
    direction: Direction = Direction.FUTURE,
    country: str | None = None,
) -> date | None:
    """The date a phrase names, resolved against `today` in `direction`; None for vague phrases and garbage.

    `lang` ("zh_CN" or "en") only orders dateparser's languages: both languages are always understood.
    `country` (ISO code) is whose public holidays "端午节前" or "by Labor Day" mean first.
    """
    cleaned = _clean(text)
    if not cleaned:
        return None
    matched, day = _by_rules(cleaned, Anchor(today, direction, country))
    if matched:
        return day
    return by_dateparser(cleaned, today, lang, direction) if worth_trying(cleaned) else None


def parse_deadline(text: str, *, today: date, lang: str, country: str | None = None) -> date | None:
    """The date a deadline phrase names: parse_date_phrase looking forward."""
    return parse_date_phrase(text, today=today, lang=lang, direction=Direction.FUTURE, country=country)


def parse_date_range(text: str, *, today: date, lang: str) -> DateRange | None:
    """ "2026-12-24 to 2026-12-28", "12月24日到28日", "下周一到下周三", or a single day, looking forward.

    A bare day after the start ("到28日") is the first such day from the start on. None when a side is
    unreadable; a range ending before it starts is returned as such for the caller to judge.
    """
    parts = _RANGE_SEPARATOR.split(text.strip(), maxsplit=1)
    start = parse_deadline(parts[0], today=today, lang=lang) if parts[0] else None
    if start is None:
        return None
    if len(parts) == 1:
        return DateRange(start, start)
    end_text = parts[1]
    end = parse_deadline(end_text, today=today, lang=lang)
    if end is not None and end < start and _BARE_DAY.match(end_text):
        end = parse_deadline(end_text, today=start, lang=lang) or end
    return None if end is None else DateRange(start, end)
