"""Date phrases written alike in both languages: numeric dates (2027-01-15, 25/12) and fixed-date holidays."""

from __future__ import annotations

import re
from datetime import date

from bot.core.dates.calendar import month_end, safe_date
from bot.core.dates.rules import Anchor, RuleSet
from bot.core.dates.words import alternation

RULES = RuleSet()
_rule = RULES.rule

# Holidays on a fixed date. Lunar ones move every year and are not known here: they give no date rather
# than a wrong one (and keep "Chinese New Year" from being read as January 1).
_HOLIDAYS: dict[str, tuple[int, int] | None] = {
    "元旦": (1, 1), "情人节": (2, 14), "五一": (5, 1), "劳动节": (5, 1), "国庆节": (10, 1), "国庆": (10, 1),
    "双十一": (11, 11), "双11": (11, 11), "双十二": (12, 12), "双12": (12, 12), "平安夜": (12, 24),
    "圣诞节": (12, 25), "圣诞": (12, 25), "new year's day": (1, 1), "new years day": (1, 1),
    "new year": (1, 1), "valentine's day": (2, 14), "valentines day": (2, 14), "halloween": (10, 31),
    "christmas eve": (12, 24), "christmas": (12, 25), "xmas": (12, 25), "new year's eve": (12, 31),
    "new years eve": (12, 31),
    "春节": None, "过年": None, "年前": None, "中秋": None, "端午": None, "元宵": None,
    "chinese new year": None, "lunar new year": None, "spring festival": None, "mid-autumn": None,
}  # fmt: skip


@_rule(rf"(?:\bthe\s+)? (?P<holiday>{alternation(_HOLIDAYS)})")
def _holiday(match: re.Match[str], anchor: Anchor) -> date | None:
    month_day = _HOLIDAYS[match["holiday"]]
    return None if month_day is None else anchor.month_day(*month_day)


@_rule(r"(?<![\d.]) (?P<year>\d{4}) [-/.] (?P<month>\d{1,2}) (?: [-/.] (?P<day>\d{1,2}) )? (?![\d])")
def _iso_date(match: re.Match[str], anchor: Anchor) -> date | None:
    year, month = int(match["year"]), int(match["month"])
    if not 1 <= month <= 12:
        return None
    return safe_date(year, month, int(match["day"])) if match["day"] else month_end(year, month)


@_rule(r"(?<![\d/.-]) (?P<a>\d{1,2}) [/.-] (?P<b>\d{1,2}) (?: [/.-] (?P<y>\d{4}|\d{2}) )? (?![\d/.-])")
def _day_month_numbers(match: re.Match[str], anchor: Anchor) -> date | None:
    """3/5 may be March 5 or May 3: only read it when one side cannot be a month (25/12, 12/25)."""
    first, second = int(match["a"]), int(match["b"])
    if first > 12 >= second:
        day, month = first, second
    elif second > 12 >= first:
        month, day = first, second
    else:
        return None
    if match["y"]:
        year = int(match["y"])
        return safe_date(year + 2000 if year < 100 else year, month, day)
    return anchor.month_day(month, day)
