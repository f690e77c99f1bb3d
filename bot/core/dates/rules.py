"""How a date rule is written: a pattern, a handler that resolves its match against an Anchor, and the
readers the handlers share (counts, years, parts of a month, durations)."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta

from bot.core.dates.calendar import (
    Direction,
    add_business_days,
    add_months,
    month_end,
    nearest_day_of_month,
    nearest_month_day,
    nearest_period,
    nearest_weekday,
)
from bot.core.dates.words import CN_YEAR_WORDS, EDGE_KINDS, EN_COUNTS, EN_RELATIVE
from bot.core.numbers import parse_small_number


@dataclass(frozen=True)
class Anchor:
    """What a phrase is resolved against: today, which way a recurring day ("周三", "6月30日") lies, and
    the country whose public holidays name days ("端午节前"); None reads each holiday where it belongs."""

    today: date
    direction: Direction = Direction.FUTURE
    country: str | None = None

    def weekday(self, iso_weekday: int) -> date:
        return nearest_weekday(self.today, iso_weekday, self.direction)

    def month_day(self, month: int, day: int) -> date | None:
        return nearest_month_day(self.today, month, day, self.direction)

    def day_of_month(self, day: int) -> date | None:
        return nearest_day_of_month(self.today, day, self.direction)

    def period(self, resolve: Callable[[int], date | None]) -> date | None:
        return nearest_period(self.today, resolve, self.direction)


Handler = Callable[[re.Match[str], Anchor], date | None]


class RuleSet:
    """Rules in the order they were written: among matches of the same length the earlier rule wins."""

    def __init__(self) -> None:
        self.rules: list[tuple[re.Pattern[str], Handler]] = []

    def rule(self, pattern: str) -> Callable[[Handler], Handler]:
        """Register a handler for the phrases its pattern finds; patterns see lower-cased, normalized text."""

        def register(handler: Handler) -> Handler:
            self.rules.append((re.compile(pattern, re.VERBOSE), handler))
            return handler

        return register


def count(text: str) -> int | None:
    """A small count written in digits, Chinese numerals or English words ("a", "couple" too)."""
    return EN_COUNTS[text] if text in EN_COUNTS else parse_small_number(text)


def group(match: re.Match[str], name: str) -> str | None:
    """A named group that may not exist in this pattern."""
    return match.groupdict().get(name)


def en_offset(words: str) -> int:
    return EN_RELATIVE.get(words.split()[0], 0)


def year_of(match: re.Match[str], today: date) -> int | None:
    """The year a phrase names (2027年, 27年, 二〇二七年, 明年, 2027, next year), None when it names none."""
    digits = group(match, "year") or group(match, "year_after") or group(match, "year_before")
    word = group(match, "year_word")
    if digits and digits.endswith("year"):
        word = digits
    elif digits:
        value = count(digits)
        if value is None:
            return None
        return value + 2000 if len(digits) == 2 else value  # 27年 is 2027
    if word:
        return today.year + (CN_YEAR_WORDS[word] if word in CN_YEAR_WORDS else en_offset(word))
    return None


def edge_of(match: re.Match[str]) -> str | None:
    """The kind of English edge word before a period ("end", "start", "mid", "vague"), if any."""
    edge = group(match, "edge")
    return None if edge is None else EDGE_KINDS[" ".join(edge.split())]


def month_part(year: int, month: int, part: str | None) -> date | None:
    """A part of a month: its end by default, 中 the 15th, 上旬/中旬/下旬 the 10th/20th/end."""
    if part in (None, "", "底", "末", "内", "之内", "以内", "下旬", "end"):
        return month_end(year, month)
    if part in ("中", "mid"):
        return date(year, month, 15)
    if part == "上旬":
        return date(year, month, 10)
    if part == "中旬":
        return date(year, month, 20)
    if part == "start":
        return date(year, month, 1)
    return None  # 初, early, late: a stretch of days, not a date


def is_ago(match: re.Match[str]) -> bool:
    """3天前, 2 weeks ago: the past; returned as such so that the caller can say it is past."""
    suffix = group(match, "suffix") or ""
    return "前" in suffix or suffix == "ago"


def after(today: date, count_text: str, unit: str, *, ago: bool = False) -> date | None:
    """today + N units (or - N when ago); month arithmetic clamps to the month's end.

    Halves are only meaningful for months (+15 days: 一个半月, 半个月) and years (+6 months: 半年).
    """
    whole_text, half = count_text.removesuffix(".5"), count_text.endswith(".5")
    whole = count(whole_text)
    if whole is None or (half and unit not in ("month", "year")):
        return None
    sign = -1 if ago else 1
    if unit == "day":
        return today + timedelta(days=sign * whole)
    if unit == "business":
        return None if ago else add_business_days(today, whole)
    if unit == "week":
        return today + timedelta(weeks=sign * whole)
    if unit == "month":
        return add_months(today, sign * whole) + timedelta(days=sign * 15 if half else 0)
    return add_months(today, sign * (12 * whole + (6 if half else 0)))
