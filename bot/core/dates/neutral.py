"""Date phrases written alike in both languages: numeric dates (2027-01-15, 25/12); holidays are in holidays.py."""

from __future__ import annotations

import re
from datetime import date

from bot.core.dates.calendar import month_end, safe_date
from bot.core.dates.rules import Anchor, RuleSet

RULES = RuleSet()
_rule = RULES.rule


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
