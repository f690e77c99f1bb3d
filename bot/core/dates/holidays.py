"""Deadlines named after a holiday: "端午节前", "中秋之前", "before Thanksgiving", "by New Year's Eve".

Public holidays come from the `holidays` package, the same calendar the work plan uses, so a lunar
holiday (春节, 端午, 中秋) lands on its real day each year. The user's country is tried first (Labor Day
is May 1 in China and a Monday in September in the US); a holiday that country does not keep is read in
the country it belongs to (春节 in China, Thanksgiving in the US), and holidays on a fixed date
(Christmas, Halloween, 双十一) need no calendar at all.

"before X" / "X前" / "X之前" is the day before X; "by X" and a bare X are X itself. The holiday is its
next occurrence whose deadline is not yet past (the latest one not after today when looking back).
"""

from __future__ import annotations

import re
from datetime import date, timedelta
from functools import lru_cache

import holidays

from bot.core.dates.calendar import Direction
from bot.core.dates.rules import Anchor, RuleSet
from bot.core.dates.words import alternation

RULES = RuleSet()
_rule = RULES.rule

# What people type → the holiday it names.
HOLIDAY_WORDS: dict[str, str] = {
    "元旦": "new_year", "新年": "new_year", "new year's day": "new_year", "new years day": "new_year",
    "new year": "new_year", "除夕": "new_years_eve_lunar", "大年三十": "new_years_eve_lunar",
    "new year's eve": "new_years_eve", "new years eve": "new_years_eve",
    "春节": "spring_festival", "过年": "spring_festival", "chinese new year": "spring_festival",
    "lunar new year": "spring_festival", "spring festival": "spring_festival",
    "清明节": "qingming", "清明": "qingming", "tomb-sweeping day": "qingming", "qingming": "qingming",
    "劳动节": "labor_day", "labor day": "labor_day", "labour day": "labor_day", "五一": "may_day",
    "端午节": "dragon_boat", "端午": "dragon_boat", "dragon boat festival": "dragon_boat",
    "中秋节": "mid_autumn", "中秋": "mid_autumn", "mid-autumn festival": "mid_autumn",
    "mid-autumn": "mid_autumn", "国庆节": "national_day", "国庆": "national_day",
    "thanksgiving day": "thanksgiving", "thanksgiving": "thanksgiving", "感恩节": "thanksgiving",
    "independence day": "independence_day", "july 4th": "independence_day",
    "fourth of july": "independence_day", "the fourth of july": "independence_day",
    "christmas day": "christmas", "christmas": "christmas", "xmas": "christmas", "圣诞节": "christmas",
    "圣诞": "christmas", "christmas eve": "christmas_eve", "平安夜": "christmas_eve",
    "情人节": "valentines", "valentine's day": "valentines", "valentines day": "valentines",
    "halloween": "halloween", "双十一": "singles_day", "双11": "singles_day", "双十二": "double_twelve",
    "双12": "double_twelve",
}  # fmt: skip

# A holiday's name in the `holidays` package (English names) for each country that keeps it; the first
# country is the one the holiday belongs to.
_CALENDAR_NAMES: dict[str, dict[str, str]] = {
    "new_year": {"CN": "New Year's Day", "US": "New Year's Day"},
    "spring_festival": {"CN": "Chinese New Year (Spring Festival)"},
    "new_years_eve_lunar": {"CN": "Chinese New Year's Eve"},
    "qingming": {"CN": "Tomb-Sweeping Day"},
    "labor_day": {"CN": "Labor Day", "US": "Labor Day"},
    "dragon_boat": {"CN": "Dragon Boat Festival"},
    "mid_autumn": {"CN": "Mid-Autumn Festival"},
    "national_day": {"CN": "National Day"},
    "thanksgiving": {"US": "Thanksgiving Day"},
    "independence_day": {"US": "Independence Day"},
}
# Holidays on the same day every year, wherever the user is.
_FIXED: dict[str, tuple[int, int]] = {
    "new_years_eve": (12, 31), "christmas": (12, 25), "christmas_eve": (12, 24), "valentines": (2, 14),
    "halloween": (10, 31), "singles_day": (11, 11), "double_twelve": (12, 12), "may_day": (5, 1),
    "new_year": (1, 1),
}  # fmt: skip
# The phrase before the holiday ("before", "by") and after it ("前", "之前").
_BEFORE_WORDS = r"(?:\b(?P<before>before|prior\s+to|ahead\s+of)\s+|\b(?:by|until|till|on)\s+)?(?:the\s+)?"
_AFTER_WORDS = r"(?P<suffix>之前|以前|前)?"


@lru_cache(maxsize=256)
def _calendar_days(country: str, year: int) -> dict[str, date]:
    """The first day of each named holiday in a country's year (observed extra days left out)."""
    try:
        calendar = holidays.country_holidays(country, years=year, language="en_US", observed=False)
    except (NotImplementedError, KeyError):
        return {}
    firsts: dict[str, date] = {}
    for day, names in sorted(calendar.items()):
        for name in names.split("; "):
            firsts.setdefault(name, day)
    return firsts


def holiday_in_year(holiday: str, year: int, country: str | None) -> date | None:
    """The day `holiday` falls on in `year`, in `country` when it keeps it, else where it belongs."""
    names = _CALENDAR_NAMES.get(holiday, {})
    countries = ([country] if country in names else []) + list(names)
    for candidate in countries:
        day = _calendar_days(candidate, year).get(names[candidate])
        if day is not None:
            return day
    if holiday in _FIXED:
        return date(year, *_FIXED[holiday])
    return None


def holiday_deadline(holiday: str, *, before: bool, anchor: Anchor) -> date | None:
    """The deadline "by/before `holiday`" names: the nearest occurrence in the anchor's direction."""
    shift = timedelta(days=1 if before else 0)
    years = range(anchor.today.year - 1, anchor.today.year + 3)
    deadlines = [day - shift for year in years if (day := holiday_in_year(holiday, year, anchor.country))]
    if anchor.direction is Direction.FUTURE:
        return next((day for day in deadlines if day >= anchor.today), None)
    return next((day for day in reversed(deadlines) if day <= anchor.today), None)


@_rule(rf"{_BEFORE_WORDS} (?P<holiday>{alternation(HOLIDAY_WORDS)}) {_AFTER_WORDS}")
def _holiday(match: re.Match[str], anchor: Anchor) -> date | None:
    before = bool(match["before"] or match["suffix"])
    return holiday_deadline(HOLIDAY_WORDS[match["holiday"]], before=before, anchor=anchor)


# 年前 alone ("before the new year") may mean 元旦 or 春节: no date rather than a guess.
@_rule(r"(?<![\d过新明今来后去本〇零一二三四五六七八九])年前")
def _vague_new_year(match: re.Match[str], anchor: Anchor) -> date | None:
    return None
