"""English date phrases: "March 31", "the 15th", "end of next quarter", "next Wednesday", "in 2 weeks",
"H2", "end of 2027"."""

from __future__ import annotations

import re
from datetime import date, timedelta

from bot.core.dates.calendar import (
    month_end,
    quarter_end,
    quarter_of,
    quarter_start,
    safe_date,
    shift_month,
    week_end,
    week_start,
)
from bot.core.dates.rules import (
    Anchor,
    RuleSet,
    after,
    count,
    edge_of,
    en_offset,
    is_ago,
    month_part,
    year_of,
)
from bot.core.dates.words import (
    EN_COUNT,
    EN_EDGE,
    EN_MONTH,
    EN_MONTHS,
    EN_ORDINALS,
    EN_UNITS,
    EN_WEEKDAY,
    EN_WEEKDAYS,
    EN_YEAR_AFTER,
    alternation,
)

RULES = RuleSet()
_rule = RULES.rule


@_rule(rf"\b {EN_MONTH} [\s/-]* (?P<day>\d{{1,2}}) (?:st|nd|rd|th)? \b (?:[,\s/-]+(?P<year>\d{{4}}))?")
def _month_day(match: re.Match[str], anchor: Anchor) -> date | None:
    return _date(match, anchor)


@_rule(
    rf"\b (?P<day>\d{{1,2}}) (?:st|nd|rd|th)? (?:\s+of\s+|[\s/-]+) {EN_MONTH} (?:[,\s/-]+(?P<year>\d{{4}}))?"
)
def _day_month(match: re.Match[str], anchor: Anchor) -> date | None:
    return _date(match, anchor)


def _date(match: re.Match[str], anchor: Anchor) -> date | None:
    month, day = EN_MONTHS[match["mon"].rstrip(".")], int(match["day"])
    if match["year"]:
        return safe_date(int(match["year"]), month, day)
    return anchor.month_day(month, day)


# "may" alone is a month only at the start or after a word that introduces a date: "by May", "in May".
_MAY_AS_MONTH = re.compile(r"(?:^|\b(?:by|in|before|until|till|due|on|of|from))\s*$")


@_rule(rf"{EN_EDGE}? \b {EN_MONTH} {EN_YEAR_AFTER}?")
def _month(match: re.Match[str], anchor: Anchor) -> date | None:
    month, edge = EN_MONTHS[match["mon"].rstrip(".")], edge_of(match)
    year = year_of(match, anchor.today)
    bare_may = match["mon"] == "may" and year is None and edge is None
    if bare_may and not _MAY_AS_MONTH.search(match.string[: match.start()]):
        return None  # "I may finish it" is not about May
    if year is not None:
        return month_part(year, month, edge)
    return anchor.period(lambda year: month_part(year, month, edge))


@_rule(
    rf"{EN_EDGE}? (?:\b(?P<rel>this|next|current|coming|last)\s+)? \b (?P<unit>week|month|quarter|year) \b"
    r"(?! \s* -? \s* end)"
)
def _period(match: re.Match[str], anchor: Anchor) -> date | None:
    edge, unit, today = edge_of(match), match["unit"], anchor.today
    if edge is None and match["rel"] is None:
        return None  # "month" alone names no date
    if edge == "vague" or (edge == "mid" and unit not in ("month", "year")):
        return None  # a stretch of days, not a date
    offset = en_offset(match["rel"]) if match["rel"] else 0
    first_day = edge == "start"
    if unit == "week":
        return week_start(today, offset) if first_day else week_end(today, offset)
    if unit == "month":
        year, month = shift_month(today, offset)
        return month_part(year, month, edge)
    if unit == "quarter":
        year, month = shift_month(today, 3 * offset)
        quarter = quarter_of(month)
        return quarter_start(year, quarter) if first_day else quarter_end(year, quarter)
    if edge == "mid":
        if match["rel"] is None:
            return anchor.period(lambda year: date(year, 6, 30))
        return date(today.year + offset, 6, 30)
    return date(today.year + offset, 1, 1) if first_day else date(today.year + offset, 12, 31)


@_rule(r"\b (?: eo(?P<abbr>[dwmqy]) | (?P<unit>week|month|quarter|year) \s* -? \s* end ) \b")
def _period_end(match: re.Match[str], anchor: Anchor) -> date | None:
    today = anchor.today
    unit = (
        match["unit"] or {"d": "day", "w": "week", "m": "month", "q": "quarter", "y": "year"}[match["abbr"]]
    )
    if unit == "day":
        return today
    if unit == "week":
        return week_end(today)
    if unit == "month":
        return month_end(today.year, today.month)
    if unit == "quarter":
        return quarter_end(today.year, quarter_of(today.month))
    return date(today.year, 12, 31)


@_rule(r"\b (?:(?P<rel>this|next|the|coming)\s+)? weekend \b | \b (?:the\s+)? week \s+ after \s+ next \b")
def _weekend(match: re.Match[str], anchor: Anchor) -> date | None:
    weeks = 2 if "after" in match.group() else en_offset(match["rel"]) if match["rel"] else 0
    return week_end(anchor.today, weeks)


@_rule(
    rf"\b (?:(?P<rel>this\s+coming|the\s+coming|coming|this|next|last)\s+)? (?P<weekday>{EN_WEEKDAY}) \b \.?"
    r"  (?:\s+(?P<after>after\s+next|next\s+week|this\s+week|last\s+week))?"
    rf"| \b (?P<week_rel>this|next|last) \s+ week(?:'s)? \s+ (?P<week_weekday>{EN_WEEKDAY}) \b"
)
def _weekday(match: re.Match[str], anchor: Anchor) -> date | None:
    weekday = EN_WEEKDAYS[match["weekday"] or match["week_weekday"]]
    after_words = match["after"] or ""
    rel = match["week_rel"] or match["rel"] or ""
    if after_words.startswith("after"):
        weeks: int | None = 2
    elif after_words:
        weeks = en_offset(after_words)
    elif rel in ("next", "last") or match["week_rel"]:
        weeks = en_offset(rel)
    else:
        weeks = None  # "Friday", "this Friday", "this coming Friday": the nearest one, today included
    if weeks is None:
        return anchor.weekday(weekday)
    return week_start(anchor.today, weeks) + timedelta(days=weekday - 1)


@_rule(
    r"\b (?: (?:the\s+)? day \s+ (?:after\s+tomorrow|before\s+yesterday) | tomorrow | tmrw? | today"
    r"     | tonight | eod | end \s+ of \s+ (?:the\s+)? day | end \s+ of \s+ today | yesterday ) \b"
)
def _day_word(match: re.Match[str], anchor: Anchor) -> date | None:
    text, today = match.group(), anchor.today
    if "after" in text or "before" in text:
        return today + timedelta(days=2 if "after" in text else -2)
    if text.startswith("tom") or text.startswith("tmr"):
        return today + timedelta(days=1)
    return today - timedelta(days=1) if text == "yesterday" else today


@_rule(
    r"\b (?:the\s+)? (?P<day>\d{1,2}) (?:st|nd|rd|th) \b (?:\s+ of \s+ (?:(?P<rel>this|next|the)\s+)? month)?"
    r"| \b (?P<rel2>this|next) \s+ month (?:\s+on)? \s+ (?:the\s+)? (?P<day2>\d{1,2}) (?:st|nd|rd|th)? \b"
)
def _day_of_month(match: re.Match[str], anchor: Anchor) -> date | None:
    day = int(match["day"] or match["day2"])
    rel = match["rel"] or match["rel2"]
    if rel is None:
        return anchor.day_of_month(day)
    year, month = shift_month(anchor.today, en_offset(rel))
    return safe_date(year, month, day)


@_rule(rf"\b (?P<ordinal>{alternation(EN_ORDINALS)}) \s+ quarter \b {EN_YEAR_AFTER}?")
def _ordinal_quarter(match: re.Match[str], anchor: Anchor) -> date | None:
    quarter = EN_ORDINALS[match["ordinal"]]
    year = year_of(match, anchor.today)
    if year is not None:
        return quarter_end(year, quarter)
    return anchor.period(lambda year: quarter_end(year, quarter))


@_rule(
    rf"(?:\b(?P<year_before>\d{{4}})\s*)? \b (?: h(?P<h>[12]) | (?P<ordinal>first|second) \s+ half ) \b"
    rf"{EN_YEAR_AFTER}?"
)
def _half_year(match: re.Match[str], anchor: Anchor) -> date | None:
    month = 12 if match["h"] == "2" or match["ordinal"] == "second" else 6
    year = year_of(match, anchor.today)
    if year is not None:
        return month_end(year, month)
    return anchor.period(lambda year: month_end(year, month))


# Not after letters: "FY2027" is a fiscal year, and fiscal years end on different dates in each company.
@_rule(rf"{EN_EDGE}? (?<![a-z\d./-]) (?P<year_after>20\d{{2}}) (?![\d./-])")
def _year(match: re.Match[str], anchor: Anchor) -> date | None:
    year = int(match["year_after"])
    edge = edge_of(match)
    if edge == "start":
        return date(year, 1, 1)
    if edge == "mid":
        return date(year, 6, 30)
    return None if edge == "vague" else date(year, 12, 31)


@_rule(
    r"(?:\b(?:in|within|after|over)\s+)? (?:\bthe\s+)? (?:\bnext\s+)?"
    rf"(?<![\d.]) \b {EN_COUNT} \s* (?P<business>business\s+|working\s+)?"
    r"(?P<unit>days?|weeks?|wks?|months?|mos?|years?|yrs?|fortnights?) \b"
    r"(?:\s+(?P<suffix>from\s+(?:now|today)|later|time|ago))?"
    r"| \b half \s+ (?:a\s+)? (?P<half_unit>year|month) \b"
)
def _duration(match: re.Match[str], anchor: Anchor) -> date | None:
    if match["half_unit"]:
        return after(anchor.today, "0.5", match["half_unit"])
    unit = EN_UNITS.get(match["unit"], match["unit"].rstrip("s"))
    if match["business"] and unit == "day":
        unit = "business"
    if unit == "fortnight":
        fortnights = count(match["n"])
        if fortnights is None:
            return None
        return after(anchor.today, str(2 * fortnights), "week", ago=is_ago(match))
    return after(anchor.today, match["n"], unit, ago=is_ago(match))
