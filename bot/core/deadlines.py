"""Understanding a deadline as people type it, in Chinese or English: "下月底", "两个月内", "end of Q2".

A deadline is a calendar date; the caller turns it into end-of-day in the user's time zone and decides
whether it is too close or too far. Phrases naming a period (a month, a quarter, a year, a week) mean its
last day; a date without a year is its next occurrence, today included.

Our own rules run first, because dateparser misses most period phrases ("下月底", "end of Q2", "within 90
days"), resolves "June 2027" to the 27th and "the 15th" to a past day, takes today's date as past
("November 27" on November 27 gives next year) and gives up when words surround the date ("明天之前",
"tomorrow please"); the rules also cost ~0.03 ms against ~0.5 ms. dateparser is the fallback for what
looks like a date but no rule knows ("in 36 hours", "2pm").

Weeks are ISO weeks (Monday first): "下周三"/"next Wednesday" is the Wednesday of next week, "本周五" the
Friday of this week, a bare "Friday"/"周五"/"this Friday" the first Friday from today on (today included).
"""

from __future__ import annotations

import calendar
import re
from collections.abc import Callable, Iterable
from datetime import date, datetime, timedelta
from typing import Any

import dateparser

from bot.core.numbers import normalize, parse_chinese_numeral

_Handler = Callable[[re.Match[str], date], date | None]
_RULES: list[tuple[re.Pattern[str], _Handler]] = []


def _rule(pattern: str) -> Callable[[_Handler], _Handler]:
    """Register a handler for the phrases its pattern finds; patterns see lower-cased, normalized text."""

    def register(handler: _Handler) -> _Handler:
        _RULES.append((re.compile(pattern, re.VERBOSE), handler))
        return handler

    return register


# --- calendar arithmetic -------------------------------------------------------------------------------


def _month_end(year: int, month: int) -> date:
    return date(year, month, calendar.monthrange(year, month)[1])


def _add_months(day: date, months: int) -> date:
    """Same day of the month, months later; clamped to the month's end (Jan 31 + 1 month = Feb 28)."""
    year, month_index = divmod(day.year * 12 + day.month - 1 + months, 12)
    return date(year, month_index + 1, min(day.day, calendar.monthrange(year, month_index + 1)[1]))


def _shift_month(today: date, months: int) -> tuple[int, int]:
    """(year, month) of the month `months` after today's."""
    year, month_index = divmod(today.year * 12 + today.month - 1 + months, 12)
    return year, month_index + 1


def _monday(day: date, weeks: int = 0) -> date:
    return day - timedelta(days=day.weekday()) + timedelta(weeks=weeks)


def _upcoming_weekday(today: date, iso_weekday: int) -> date:
    """The first such weekday from today on, today included."""
    return today + timedelta(days=(iso_weekday - today.isoweekday()) % 7)


def _add_business_days(day: date, count: int) -> date:
    """Count Monday-to-Friday days forward; public holidays are not known here."""
    while count > 0:
        day += timedelta(days=1)
        if day.weekday() < 5:
            count -= 1
    return day


def _safe_date(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day)
    except ValueError:
        return None


def _next_month_day(today: date, month: int, day: int) -> date | None:
    """Next occurrence of a month and day: this year if not past, else the next year that has it (Feb 29)."""
    for year in range(today.year, today.year + 9):
        candidate = _safe_date(year, month, day)
        if candidate is not None and candidate >= today:
            return candidate
    return None


def _next_day_of_month(today: date, day: int) -> date | None:
    """Next occurrence of a day of the month: this month if not past, else the next month that has it."""
    for months in range(13):
        year, month = _shift_month(today, months)
        candidate = _safe_date(year, month, day)
        if candidate is not None and candidate >= today:
            return candidate
    return None


def _next_not_past(today: date, resolve: Callable[[int], date | None]) -> date | None:
    """A period given without a year (6月底, Q2, 下半年): this year's if not over, else next year's."""
    this_year = resolve(today.year)
    if this_year is not None and this_year >= today:
        return this_year
    return resolve(today.year + 1)


# --- reading the pieces of a phrase ----------------------------------------------------------------------

_CN_WEEKDAYS = {"一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "日": 7, "天": 7, "七": 7}
_EN_WEEKDAYS: dict[str, int] = {
    "monday": 1, "mon": 1, "tuesday": 2, "tues": 2, "tue": 2, "wednesday": 3, "wed": 3,
    "thursday": 4, "thurs": 4, "thur": 4, "thu": 4, "friday": 5, "fri": 5,
    "saturday": 6, "sat": 6, "sunday": 7, "sun": 7,
}  # fmt: skip
_EN_MONTHS: dict[str, int] = {
    "january": 1, "jan": 1, "february": 2, "feb": 2, "march": 3, "mar": 3, "april": 4, "apr": 4,
    "may": 5, "june": 6, "jun": 6, "july": 7, "jul": 7, "august": 8, "aug": 8, "september": 9,
    "sept": 9, "sep": 9, "october": 10, "oct": 10, "november": 11, "nov": 11, "december": 12, "dec": 12,
}  # fmt: skip
_EN_COUNTS: dict[str, int] = {
    "a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
    "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "fifteen": 15, "twenty": 20,
    "thirty": 30, "forty": 40, "forty-five": 45, "fifty": 50, "sixty": 60, "ninety": 90,
    "a couple of": 2, "couple of": 2, "a couple": 2, "couple": 2,
}  # fmt: skip
_EN_UNITS = {"wk": "week", "wks": "week", "mo": "month", "mos": "month", "yr": "year", "yrs": "year"}
# Recognized so that "a few weeks" is matched as a whole and rejected rather than read as "weeks".
_EN_VAGUE_COUNTS = ("a few", "few", "several", "some", "many")
_EN_ORDINALS = {"first": 1, "1st": 1, "second": 2, "2nd": 2, "third": 3, "3rd": 3, "fourth": 4, "4th": 4}

# Offsets of the words placed before 月/周/季度: 本月, 下个月, 下下周, 上个季度.
_CN_RELATIVE = {
    "本": 0, "这": 0, "这个": 0, "当": 0, "下": 1, "下个": 1, "下下": 2, "下下个": 2,
    "上": -1, "上个": -1, "上上": -2, "上上个": -2,
}  # fmt: skip
_CN_YEAR_WORDS = {"今年": 0, "本年": 0, "明年": 1, "来年": 1, "后年": 2, "去年": -1}
_EN_RELATIVE = {"this": 0, "current": 0, "coming": 0, "the": 0, "next": 1, "last": -1}


def _alternation(words: Iterable[str]) -> str:
    """A regex alternation of the words, longest first so that "march" wins over "mar"."""
    return "|".join(re.escape(word) for word in sorted(words, key=len, reverse=True))


_CN_REL = r"(?P<rel>下下个|下下|下个|下|上上个|上上|上个|上|这个|这|本|当)"
_CN_YEAR = (
    r"(?:(?P<year>\d{4}|\d{2}|[〇零一二三四五六七八九]{4})年|(?P<year_word>今年|本年|明年|来年|后年|去年))"
)
_CN_MONTH = r"(?P<month>1[0-2]|0?[1-9]|十[一二]?|[一二三四五六七八九])"
_CN_DAY = r"(?P<day>3[01]|[12]\d|0?[1-9]|[二三]?十[一二三四五六七八九]?|[一二三四五六七八九])"
# A count starts where its numeral starts: "27年" inside "2027年" or "5个月" inside "1.5个月" is no count.
_CN_COUNT = r"(?<![\d.零〇一二两三四五六七八九十百]) (?P<n>\d{1,3}(?:\.5)?|[零一二两三四五六七八九十百]{1,4})"
# 内/后 count forward from today; 前 after a duration means "ago" (3天前), after a date "before" (6月30日前).
_CN_AFTER = r"(?P<suffix>之?内|以内|之?后|以后|之?前|以前)"
_EN_MONTH = rf"(?P<mon>{_alternation(_EN_MONTHS)})\b\.?"
_EN_WEEKDAY = _alternation(_EN_WEEKDAYS)
_EN_YEAR_AFTER = r"(?:,?\s*(?:of\s+)?(?P<year_after>\d{4}|this\s+year|next\s+year))"
_EN_EDGE = (
    r"(?:\b(?P<edge>end|beginning|start|early|mid|middle|late|last\s+day|first\s+day|within)"
    r"(?:\s+of|-)?\s*(?:the\s+)?)"
)
# What an English edge word means: a period's last day, its first day, its middle, or no date at all.
_EDGE_KINDS = {
    "end": "end", "last day": "end", "within": "end", "beginning": "start", "start": "start",
    "first day": "start", "mid": "mid", "middle": "mid", "early": "vague", "late": "vague",
}  # fmt: skip
_EN_COUNT = rf"(?P<n>\d+(?:\.5)?|{_alternation([*_EN_COUNTS, *_EN_VAGUE_COUNTS])})"


def _count(text: str) -> int | None:
    """A small count written in digits, Chinese numerals or English words."""
    if text.isdigit():
        return int(text)
    if text in _EN_COUNTS:
        return _EN_COUNTS[text]
    return parse_chinese_numeral(text)


def _group(match: re.Match[str], name: str) -> str | None:
    """A named group that may not exist in this pattern."""
    return match.groupdict().get(name)


def _year(match: re.Match[str], today: date) -> int | None:
    """The year a phrase names (2027年, 27年, 二〇二七年, 明年, 2027, next year), None when it names none."""
    digits = _group(match, "year") or _group(match, "year_after") or _group(match, "year_before")
    word = _group(match, "year_word")
    if digits and digits.endswith("year"):
        word = digits
    elif digits:
        value = _count(digits)
        if value is None:
            return None
        return value + 2000 if len(digits) == 2 else value  # 27年 is 2027
    if word:
        return today.year + (_CN_YEAR_WORDS[word] if word in _CN_YEAR_WORDS else _en_offset(word))
    return None


def _en_offset(words: str) -> int:
    return _EN_RELATIVE.get(words.split()[0], 0)


def _edge(match: re.Match[str]) -> str | None:
    """The kind of English edge word before a period ("end", "start", "mid", "vague"), if any."""
    edge = _group(match, "edge")
    return None if edge is None else _EDGE_KINDS[" ".join(edge.split())]


def _month_part(year: int, month: int, part: str | None) -> date | None:
    """A part of a month: its end by default, 中 the 15th, 上旬/中旬/下旬 the 10th/20th/end."""
    if part in (None, "", "底", "末", "内", "之内", "以内", "下旬", "end"):
        return _month_end(year, month)
    if part in ("中", "mid"):
        return date(year, month, 15)
    if part == "上旬":
        return date(year, month, 10)
    if part == "中旬":
        return date(year, month, 20)
    if part == "start":
        return date(year, month, 1)
    return None  # 初, early, late: a stretch of days, not a date


# --- Chinese phrases ------------------------------------------------------------------------------------


@_rule(rf"(?<!\d) {_CN_YEAR} 的? {_CN_MONTH} 月 {_CN_DAY} [日号]? (?!\d)")
def _cn_year_month_day(match: re.Match[str], today: date) -> date | None:
    year, month, day = _year(match, today), _count(match["month"]), _count(match["day"])
    return None if year is None or month is None or day is None else _safe_date(year, month, day)


@_rule(rf"(?<![\d年]) {_CN_MONTH} 月 {_CN_DAY} [日号]? (?!\d)")
def _cn_month_day(match: re.Match[str], today: date) -> date | None:
    month, day = _count(match["month"]), _count(match["day"])
    return None if month is None or day is None else _next_month_day(today, month, day)


@_rule(rf"{_CN_REL} 个?月 的? {_CN_DAY} [日号]")
def _cn_relative_month_day(match: re.Match[str], today: date) -> date | None:
    day = _count(match["day"])
    year, month = _shift_month(today, _CN_RELATIVE[match["rel"]])
    return None if day is None else _safe_date(year, month, day)


@_rule(rf"(?<![\d月一二三四五六七八九十]) {_CN_DAY} [日号]")
def _cn_day_of_month(match: re.Match[str], today: date) -> date | None:
    day = _count(match["day"])
    return None if day is None else _next_day_of_month(today, day)


@_rule(rf"(?<!\d) (?:{_CN_YEAR} 的?)? {_CN_MONTH} 月份? (?P<part>底|末|之?内|以内|中旬|上旬|下旬|中|初)?")
def _cn_month(match: re.Match[str], today: date) -> date | None:
    month = _count(match["month"])
    if month is None or not 1 <= month <= 12:
        return None
    year = _year(match, today)
    if year is not None:
        return _month_part(year, month, match["part"])
    return _next_not_past(today, lambda year: _month_part(year, month, match["part"]))


@_rule(
    rf"{_CN_REL} 个?月份? (?P<part>底|末|之?内|以内|中旬|上旬|下旬|中|初)?"
    r"| (?<![\d一二三四五六七八九十个]) 月 (?P<bare>底|末|之?内|以内|中旬|上旬|下旬|中|初)"
)
def _cn_relative_month(match: re.Match[str], today: date) -> date | None:
    year, month = _shift_month(today, _CN_RELATIVE[match["rel"]] if match["rel"] else 0)
    return _month_part(year, month, match["part"] or match["bare"])


@_rule(rf"{_CN_COUNT} 个? (?:(?P<business>工作日)|天|日(?=之?内|以内|之?后|以后|之?前|以前)) {_CN_AFTER}?")
def _cn_days(match: re.Match[str], today: date) -> date | None:
    return _after(today, match["n"], "business" if match["business"] else "day", ago=_is_ago(match))


@_rule(rf"{_CN_COUNT} 个? (?:周|星期|礼拜) {_CN_AFTER}?")
def _cn_weeks(match: re.Match[str], today: date) -> date | None:
    return _after(today, match["n"], "week", ago=_is_ago(match))


@_rule(
    rf"(?: {_CN_COUNT} 个 (?P<half>半)? | (?<![\d.])(?P<two>两) | (?<![\d.])(?P<half_only>半) 个? )"
    rf"月 {_CN_AFTER}?"
)
def _cn_months(match: re.Match[str], today: date) -> date | None:
    count = "0.5" if match["half_only"] else (match["n"] or "2") + (".5" if match["half"] else "")
    return _after(today, count, "month", ago=_is_ago(match))


@_rule(rf"(?:{_CN_COUNT} 个? | (?<![\d.])(?P<half_only>半) 个?) 年 (?P<half>半)? {_CN_AFTER}?")
def _cn_years(match: re.Match[str], today: date) -> date | None:
    count = "0.5" if match["half_only"] else match["n"] + (".5" if match["half"] else "")
    return _after(today, count, "year", ago=_is_ago(match))


def _is_ago(match: re.Match[str]) -> bool:
    """3天前, 2 weeks ago: the past; returned as such so that the caller can say it is past."""
    suffix = _group(match, "suffix") or ""
    return "前" in suffix or suffix == "ago"


@_rule(rf"{_CN_REL}? (?:周|星期|礼拜|週) (?P<weekday>[一二三四五六日天七1-7])")
def _cn_weekday(match: re.Match[str], today: date) -> date | None:
    weekday = _CN_WEEKDAYS.get(match["weekday"]) or int(match["weekday"])
    if match["rel"] is None:
        return _upcoming_weekday(today, weekday)
    return _monday(today, _CN_RELATIVE[match["rel"]]) + timedelta(days=weekday - 1)


@_rule(rf"{_CN_REL} 个? (?:周|星期|礼拜|週) (?:末|之?内|以内)? | (?<![\d一二三四五六七八九十两个]) 周末")
def _cn_week(match: re.Match[str], today: date) -> date | None:
    return _monday(today, _CN_RELATIVE[match["rel"]] if match["rel"] else 0) + timedelta(days=6)


@_rule(r"大后天|后天|明天|明日|明早|明晚|今天|今日|今晚|今儿|昨天|前天")
def _cn_day_word(match: re.Match[str], today: date) -> date | None:
    offsets = {"大后天": 3, "后天": 2, "明天": 1, "明日": 1, "明早": 1, "明晚": 1, "昨天": -1, "前天": -2}
    return today + timedelta(days=offsets.get(match.group(), 0))


@_rule(
    rf"{_EN_EDGE}? (?:{_CN_YEAR} 的? | (?<!\d)(?P<year_before>\d{{4}}) \s*)?"
    r"(?: 第? (?P<q_cn>[一二三四1-4]) 季度? | (?<![a-z]) q (?P<q>[1-4]) (?!\d))"
    r"(?P<part>末|底|之?内|以内|结束|初)?"
    rf"(?: \s* {_EN_YEAR_AFTER})?"
)
def _quarter(match: re.Match[str], today: date) -> date | None:
    quarter = _count(match["q"] or match["q_cn"])
    edge = _edge(match)
    if quarter is None or match["part"] == "初" or edge in ("mid", "vague"):
        return None  # early in or the middle of a quarter is a vague stretch

    def resolve(year: int) -> date:
        if edge == "start":
            return date(year, quarter * 3 - 2, 1)
        return _month_end(year, quarter * 3)

    year = _year(match, today)
    return resolve(year) if year is not None else _next_not_past(today, resolve)


@_rule(rf"{_CN_REL} 个? (?:季度|季) (?P<part>末|底|之?内|以内|初)? | 季度? (?P<bare>末|底)")
def _cn_relative_quarter(match: re.Match[str], today: date) -> date | None:
    if match["part"] == "初":
        return None
    offset = _CN_RELATIVE[match["rel"]] if match["rel"] else 0
    year, month = _shift_month(today, 3 * offset)
    return _month_end(year, (month - 1) // 3 * 3 + 3)


@_rule(
    r"(?<!\d) (?: (?P<year>\d{4}|[〇零一二三四五六七八九]{4}) 年 | (?P<yy>\d{2}) 年 (?=年?[底末])"
    r"     | (?P<year_word>今年|本年|明年|来年|后年|去年) )"
    r"  (?P<part>年?底|年?末|之?内|以内|年中|中|年初|初)?"
    r"| (?<![\d一二三四五六七八九十两半个]) 年 (?P<bare>底|末|之?内|以内|中|初)"
)
def _cn_year(match: re.Match[str], today: date) -> date | None:
    if match["yy"]:
        year: int | None = 2000 + int(match["yy"])
    else:
        year = _year(match, today) if match["year"] or match["year_word"] else today.year
    part = (match["part"] or match["bare"] or "").removeprefix("年")
    if year is None or part == "初":
        return None  # 年初 is a vague stretch
    if part == "中" and not (match["year"] or match["yy"] or match["year_word"]):
        return _next_not_past(today, lambda year: date(year, 6, 30))  # a bare 年中 is the next one
    return date(year, 6, 30) if part == "中" else date(year, 12, 31)


@_rule(rf"(?:{_CN_YEAR} 的?)? (?P<half>上|下) 半年 (?:末|底)?")
def _cn_half_year(match: re.Match[str], today: date) -> date | None:
    month = 6 if match["half"] == "上" else 12
    year = _year(match, today)
    if year is not None:
        return _month_end(year, month)
    return _next_not_past(today, lambda year: _month_end(year, month))


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


@_rule(rf"(?:\bthe\s+)? (?P<holiday>{_alternation(_HOLIDAYS)})")
def _holiday(match: re.Match[str], today: date) -> date | None:
    month_day = _HOLIDAYS[match["holiday"]]
    return None if month_day is None else _next_month_day(today, *month_day)


# --- numeric dates --------------------------------------------------------------------------------------


@_rule(r"(?<![\d.]) (?P<year>\d{4}) [-/.] (?P<month>\d{1,2}) (?: [-/.] (?P<day>\d{1,2}) )? (?![\d])")
def _iso_date(match: re.Match[str], today: date) -> date | None:
    year, month = int(match["year"]), int(match["month"])
    if not 1 <= month <= 12:
        return None
    return _safe_date(year, month, int(match["day"])) if match["day"] else _month_end(year, month)


@_rule(r"(?<![\d/.-]) (?P<a>\d{1,2}) [/.-] (?P<b>\d{1,2}) (?: [/.-] (?P<y>\d{4}|\d{2}) )? (?![\d/.-])")
def _day_month_numbers(match: re.Match[str], today: date) -> date | None:
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
        return _safe_date(year + 2000 if year < 100 else year, month, day)
    return _next_month_day(today, month, day)


# --- English phrases ------------------------------------------------------------------------------------


@_rule(rf"\b {_EN_MONTH} [\s/-]* (?P<day>\d{{1,2}}) (?:st|nd|rd|th)? \b (?:[,\s/-]+(?P<year>\d{{4}}))?")
def _en_month_day(match: re.Match[str], today: date) -> date | None:
    return _en_date(match, today)


@_rule(
    rf"\b (?P<day>\d{{1,2}}) (?:st|nd|rd|th)? (?:\s+of\s+|[\s/-]+) {_EN_MONTH} (?:[,\s/-]+(?P<year>\d{{4}}))?"
)
def _en_day_month(match: re.Match[str], today: date) -> date | None:
    return _en_date(match, today)


def _en_date(match: re.Match[str], today: date) -> date | None:
    month, day = _EN_MONTHS[match["mon"].rstrip(".")], int(match["day"])
    if match["year"]:
        return _safe_date(int(match["year"]), month, day)
    return _next_month_day(today, month, day)


# "may" alone is a month only at the start or after a word that introduces a date: "by May", "in May".
_MAY_AS_MONTH = re.compile(r"(?:^|\b(?:by|in|before|until|till|due|on|of|from))\s*$")


@_rule(rf"{_EN_EDGE}? \b {_EN_MONTH} {_EN_YEAR_AFTER}?")
def _en_month(match: re.Match[str], today: date) -> date | None:
    month, edge = _EN_MONTHS[match["mon"].rstrip(".")], _edge(match)
    year = _year(match, today)
    bare_may = match["mon"] == "may" and year is None and edge is None
    if bare_may and not _MAY_AS_MONTH.search(match.string[: match.start()]):
        return None  # "I may finish it" is not about May
    if year is not None:
        return _month_part(year, month, edge)
    return _next_not_past(today, lambda year: _month_part(year, month, edge))


@_rule(
    rf"{_EN_EDGE}? (?:\b(?P<rel>this|next|current|coming|last)\s+)? \b (?P<unit>week|month|quarter|year) \b"
    r"(?! \s* -? \s* end)"
)
def _en_period(match: re.Match[str], today: date) -> date | None:
    edge, unit = _edge(match), match["unit"]
    if edge is None and match["rel"] is None:
        return None  # "month" alone names no date
    if edge == "vague" or (edge == "mid" and unit not in ("month", "year")):
        return None  # a stretch of days, not a date
    offset = _en_offset(match["rel"]) if match["rel"] else 0
    first_day = edge == "start"
    if unit == "week":
        monday = _monday(today, offset)
        return monday if first_day else monday + timedelta(days=6)
    if unit == "month":
        year, month = _shift_month(today, offset)
        return _month_part(year, month, edge)
    if unit == "quarter":
        year, month = _shift_month(today, 3 * offset)
        quarter_start = (month - 1) // 3 * 3 + 1
        return date(year, quarter_start, 1) if first_day else _month_end(year, quarter_start + 2)
    if edge == "mid":
        if match["rel"] is None:
            return _next_not_past(today, lambda year: date(year, 6, 30))
        return date(today.year + offset, 6, 30)
    return date(today.year + offset, 1, 1) if first_day else date(today.year + offset, 12, 31)


@_rule(r"\b (?: eo(?P<abbr>[dwmqy]) | (?P<unit>week|month|quarter|year) \s* -? \s* end ) \b")
def _en_period_end(match: re.Match[str], today: date) -> date | None:
    unit = (
        match["unit"] or {"d": "day", "w": "week", "m": "month", "q": "quarter", "y": "year"}[match["abbr"]]
    )
    if unit == "day":
        return today
    if unit == "week":
        return _monday(today) + timedelta(days=6)
    if unit == "month":
        return _month_end(today.year, today.month)
    if unit == "quarter":
        return _month_end(today.year, (today.month - 1) // 3 * 3 + 3)
    return date(today.year, 12, 31)


@_rule(r"\b (?:(?P<rel>this|next|the|coming)\s+)? weekend \b | \b (?:the\s+)? week \s+ after \s+ next \b")
def _en_weekend(match: re.Match[str], today: date) -> date | None:
    weeks = 2 if "after" in match.group() else _en_offset(match["rel"]) if match["rel"] else 0
    return _monday(today, weeks) + timedelta(days=6)


@_rule(
    rf"\b (?:(?P<rel>this\s+coming|the\s+coming|coming|this|next|last)\s+)? (?P<weekday>{_EN_WEEKDAY}) \b \.?"
    r"  (?:\s+(?P<after>after\s+next|next\s+week|this\s+week|last\s+week))?"
    rf"| \b (?P<week_rel>this|next|last) \s+ week(?:'s)? \s+ (?P<week_weekday>{_EN_WEEKDAY}) \b"
)
def _en_weekday(match: re.Match[str], today: date) -> date | None:
    weekday = _EN_WEEKDAYS[match["weekday"] or match["week_weekday"]]
    after = match["after"] or ""
    rel = match["week_rel"] or match["rel"] or ""
    if after.startswith("after"):
        weeks: int | None = 2
    elif after:
        weeks = _en_offset(after)
    elif rel in ("next", "last") or match["week_rel"]:
        weeks = _en_offset(rel)
    else:
        weeks = None  # "Friday", "this Friday", "this coming Friday": the first one from today on
    if weeks is None:
        return _upcoming_weekday(today, weekday)
    return _monday(today, weeks) + timedelta(days=weekday - 1)


@_rule(
    r"\b (?: (?:the\s+)? day \s+ (?:after\s+tomorrow|before\s+yesterday) | tomorrow | tmrw? | today"
    r"     | tonight | eod | end \s+ of \s+ (?:the\s+)? day | end \s+ of \s+ today | yesterday ) \b"
)
def _en_day_word(match: re.Match[str], today: date) -> date | None:
    text = match.group()
    if "after" in text or "before" in text:
        return today + timedelta(days=2 if "after" in text else -2)
    if text.startswith("tom") or text.startswith("tmr"):
        return today + timedelta(days=1)
    return today - timedelta(days=1) if text == "yesterday" else today


@_rule(
    r"\b (?:the\s+)? (?P<day>\d{1,2}) (?:st|nd|rd|th) \b (?:\s+ of \s+ (?:(?P<rel>this|next|the)\s+)? month)?"
    r"| \b (?P<rel2>this|next) \s+ month (?:\s+on)? \s+ (?:the\s+)? (?P<day2>\d{1,2}) (?:st|nd|rd|th)? \b"
)
def _en_day_of_month(match: re.Match[str], today: date) -> date | None:
    day = int(match["day"] or match["day2"])
    rel = match["rel"] or match["rel2"]
    if rel is None:
        return _next_day_of_month(today, day)
    year, month = _shift_month(today, _en_offset(rel))
    return _safe_date(year, month, day)


@_rule(rf"\b (?P<ordinal>{_alternation(_EN_ORDINALS)}) \s+ quarter \b {_EN_YEAR_AFTER}?")
def _en_ordinal_quarter(match: re.Match[str], today: date) -> date | None:
    quarter = _EN_ORDINALS[match["ordinal"]]
    year = _year(match, today)
    if year is not None:
        return _month_end(year, quarter * 3)
    return _next_not_past(today, lambda year: _month_end(year, quarter * 3))


@_rule(
    rf"(?:\b(?P<year_before>\d{{4}})\s*)? \b (?: h(?P<h>[12]) | (?P<ordinal>first|second) \s+ half ) \b"
    rf"{_EN_YEAR_AFTER}?"
)
def _en_half_year(match: re.Match[str], today: date) -> date | None:
    month = 12 if match["h"] == "2" or match["ordinal"] == "second" else 6
    year = _year(match, today)
    if year is not None:
        return _month_end(year, month)
    return _next_not_past(today, lambda year: _month_end(year, month))


# Not after letters: "FY2027" is a fiscal year, and fiscal years end on different dates in each company.
@_rule(rf"{_EN_EDGE}? (?<![a-z\d./-]) (?P<year_after>20\d{{2}}) (?![\d./-])")
def _en_year(match: re.Match[str], today: date) -> date | None:
    year = int(match["year_after"])
    edge = _edge(match)
    if edge == "start":
        return date(year, 1, 1)
    if edge == "mid":
        return date(year, 6, 30)
    return None if edge == "vague" else date(year, 12, 31)


@_rule(
    r"(?:\b(?:in|within|after|over)\s+)? (?:\bthe\s+)? (?:\bnext\s+)?"
    rf"(?<![\d.]) \b {_EN_COUNT} \s* (?P<business>business\s+|working\s+)?"
    r"(?P<unit>days?|weeks?|wks?|months?|mos?|years?|yrs?|fortnights?) \b"
    r"(?:\s+(?P<suffix>from\s+(?:now|today)|later|time|ago))?"
    r"| \b half \s+ (?:a\s+)? (?P<half_unit>year|month) \b"
)
def _en_duration(match: re.Match[str], today: date) -> date | None:
    if match["half_unit"]:
        return _after(today, "0.5", match["half_unit"])
    unit = _EN_UNITS.get(match["unit"], match["unit"].rstrip("s"))
    if match["business"] and unit == "day":
        unit = "business"
    if unit == "fortnight":
        count = _count(match["n"])
        return None if count is None else _after(today, str(2 * count), "week", ago=_is_ago(match))
    return _after(today, match["n"], unit, ago=_is_ago(match))


def _after(today: date, count_text: str, unit: str, *, ago: bool = False) -> date | None:
    """today + N units (or - N when ago); month arithmetic clamps to the month's end.

    Halves are only meaningful for months (+15 days: 一个半月, 半个月) and years (+6 months: 半年).
    """
    whole_text, half = count_text.removesuffix(".5"), count_text.endswith(".5")
    count = _count(whole_text)
    if count is None or (half and unit not in ("month", "year")):
        return None
    sign = -1 if ago else 1
    if unit == "day":
        return today + timedelta(days=sign * count)
    if unit == "business":
        return None if ago else _add_business_days(today, count)
    if unit == "week":
        return today + timedelta(weeks=sign * count)
    if unit == "month":
        return _add_months(today, sign * count) + timedelta(days=sign * 15 if half else 0)
    return _add_months(today, sign * (12 * count + (6 if half else 0)))


# --- the fallback and the entry point ------------------------------------------------------------------

# Words that promise no date at all; they only stop the dateparser fallback, so "ASAP, by Friday" works.
_VAGUE = re.compile(
    r"尽快|越快越好|尽早|马上|立刻|立即|随时|有空|改天|回头|早日|以后再说"
    r"|\b(?:asap|as\s+soon\s+as\s+possible|soon|someday|some\s+day|whenever|eventually|later|anytime|no\s+rush|tbd)\b"
)
# dateparser reads almost anything ("123" is 1900-01-01 01:02:03): only hand it what looks like a date.
_LOOKS_LIKE_DATE = re.compile(
    rf"\d|[年月日号周星期礼拜天]|\b(?:{_alternation(_EN_MONTHS)}|{_EN_WEEKDAY}|yesterday|tomorrow|today)\b"
)
_ONLY_NUMBERS = re.compile(r"[\d\s.,+-]+")
# A deadline is a short phrase; a long message is not handed to dateparser, which is slow on long text.
_DATEPARSER_MAX_LENGTH = 60
_CJK_SPACE = re.compile(r"\s*([\u3000-\u303f\u4e00-\u9fff])\s*")
_DATEPARSER_LANGUAGES = {"zh_CN": ["zh", "en"], "en": ["en", "zh"]}
# The timestamp parser turns "1700000000" into a date; no one types a Unix time as a deadline.
_DATEPARSER_PARSERS = ["relative-time", "custom-formats", "absolute-time", "no-spaces-time"]


def _clean(text: str) -> str:
    """Lower-case, full-width to ASCII, and no spaces around Chinese characters ("6 月 30 日" → "6月30日")."""
    return _CJK_SPACE.sub(r"\1", normalize(text).lower().replace("’", "'")).strip()


def _by_rules(text: str, today: date) -> tuple[bool, date | None]:
    """(whether a rule matched, its date): the longest match wins, ties go to the earlier rule."""
    best: tuple[int, re.Match[str], _Handler] | None = None
    for pattern, handler in _RULES:
        match = pattern.search(text)
        if match and match.end() > match.start() and (best is None or match.end() - match.start() > best[0]):
            best = (match.end() - match.start(), match, handler)
    if best is None:
        return False, None
    try:
        return True, best[2](best[1], today)
    except (ValueError, OverflowError):
        return True, None  # a year out of range: "0000年", "in 9999 years"


def _by_dateparser(text: str, today: date, lang: str) -> date | None:
    languages = _DATEPARSER_LANGUAGES.get(lang) or (["zh", "en"] if lang.startswith("zh") else ["en", "zh"])
    settings: dict[str, Any] = {
        "RELATIVE_BASE": datetime(today.year, today.month, today.day),
        "PREFER_DATES_FROM": "future",
        "PARSERS": _DATEPARSER_PARSERS,
        "RETURN_AS_TIMEZONE_AWARE": False,
    }
    try:
        parsed = dateparser.parse(text, languages=languages, settings=settings)
    except (ValueError, OverflowError):
        return None  # dateparser builds impossible dates from some garbage ("in10:302027 year's")
    if not isinstance(parsed, datetime):
        return None
    # Sanity, not policy: a century away is dateparser misreading digits, not a deadline.
    return parsed.date() if abs(parsed.year - today.year) <= 100 else None


def parse_deadline(text: str, *, today: date, lang: str) -> date | None:
    """The date a deadline phrase names, resolved against `today`; None for vague phrases and garbage.

    `lang` ("zh_CN" or "en") only orders dateparser's languages: both languages are always understood.
    Past dates are returned as such; judging them is the caller's job.
    """
    cleaned = _clean(text)
    if not cleaned:
        return None
    matched, deadline = _by_rules(cleaned, today)
    if matched:
        return deadline
    if len(cleaned) > _DATEPARSER_MAX_LENGTH or _VAGUE.search(cleaned):
        return None
    if not _LOOKS_LIKE_DATE.search(cleaned) or _ONLY_NUMBERS.fullmatch(cleaned):
        return None
    return _by_dateparser(cleaned, today, lang)


def warm_up() -> None:
    """Load dateparser's language data now, so that the first user does not wait ~0.1 s for it."""
    today = date(2026, 1, 1)
    for lang in _DATEPARSER_LANGUAGES:
        for phrase in ("15 december 2026", "2026年12月15日", "in 3 days", "3天后", "yesterday"):
            _by_dateparser(phrase, today, lang)
