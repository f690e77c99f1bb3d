"""Understanding times of day, weekdays, working-day patterns and quiet hours as people type them."""

from __future__ import annotations

import re
from datetime import time

from bot.core.numbers import parse_small_number

# ISO weekday numbers: Monday is 1, Sunday is 7.
WEEKDAY_NAMES: dict[str, int] = {
    "mon": 1,
    "monday": 1,
    "tue": 2,
    "tues": 2,
    "tuesday": 2,
    "wed": 3,
    "wednesday": 3,
    "thu": 4,
    "thur": 4,
    "thurs": 4,
    "thursday": 4,
    "fri": 5,
    "friday": 5,
    "sat": 6,
    "saturday": 6,
    "sun": 7,
    "sunday": 7,
}
_ZH_WEEKDAY_DIGITS = {"一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "日": 7, "天": 7, "七": 7}
_ZH_WEEKDAY = re.compile(r"(?:周|星期|礼拜)([一二三四五六日天七])")
_EN_WEEKDAY = re.compile(r"\b(" + "|".join(sorted(WEEKDAY_NAMES, key=len, reverse=True)) + r")\b\.?", re.I)

_AFTERNOON_WORDS = ("下午", "晚上", "傍晚", "pm", "p.m.")
_MORNING_WORDS = ("上午", "早上", "早晨", "凌晨", "am", "a.m.")

_CLOCK = re.compile(
    r"(?P<hour>\d{1,2}|[零〇一二两三四五六七八九十]{1,3})"
    r"(?:\s*(?:[:：.]\s*(?P<minute>\d{2})|点(?:钟)?\s*(?P<zh_minute>半|一刻|三刻|\d{1,2}(?:分)?)?|h(?P<h_minute>\d{2})?))?"
    r"\s*(?P<suffix>am|a\.m\.|pm|p\.m\.)?",
    re.IGNORECASE,
)


def parse_time_of_day(text: str) -> time | None:
    """A wall-clock time: "18:00", "6pm", "6:30 p.m.", "18点", "下午6点半", "18h30". None if not one."""
    cleaned = text.strip().lower()
    match = _CLOCK.search(cleaned)
    if not match or match.group(0).strip() == "" or len(cleaned) > 40:
        return None
    hour = parse_small_number(match.group("hour"))
    explicit = (
        match.group("minute") or match.group("zh_minute") or match.group("h_minute") or match.group("suffix")
    )
    if hour is None or (explicit is None and "点" not in cleaned and not cleaned.isdigit()):
        return None
    minute_text = match.group("minute") or match.group("h_minute") or match.group("zh_minute") or "0"
    minute = {"半": 30, "一刻": 15, "三刻": 45}.get(minute_text)
    if minute is None:
        minute = int(minute_text.removesuffix("分"))
    suffix = (match.group("suffix") or "").lower()
    afternoon = suffix.startswith("p") or any(word in cleaned for word in _AFTERNOON_WORDS[:3])
    morning = suffix.startswith("a") or any(word in cleaned for word in _MORNING_WORDS[:4])
    if (afternoon or morning) and not 1 <= hour <= 12:
        return None
    if afternoon and hour < 12:
        hour += 12
    elif morning and hour == 12:
        hour = 0
    if not (0 <= hour <= 23 and 0 <= minute <= 59):
        return None
    return time(hour, minute)


def parse_weekday(text: str) -> int | None:
    """The ISO weekday (Monday=1) named in `text` ("Friday", "fri", "周五", "星期五"), else None."""
    zh = _ZH_WEEKDAY.search(text)
    if zh:
        return _ZH_WEEKDAY_DIGITS[zh.group(1)]
    en = _EN_WEEKDAY.search(text)
    return WEEKDAY_NAMES[en.group(1).lower()] if en else None


def parse_weekly_slot(text: str) -> tuple[int, time] | None:
    """A weekday with a time ("Friday 17:00", "周五 下午5点"), else None."""
    weekday = parse_weekday(text)
    if weekday is None:
        return None
    rest = _ZH_WEEKDAY.sub(" ", _EN_WEEKDAY.sub(" ", text))
    at = parse_time_of_day(rest)
    return (weekday, at) if at else None


_DAY_RANGE = re.compile(r"^\s*([1-7])\s*[-–~至到]\s*([1-7])\s*$")


def parse_working_days(text: str) -> frozenset[int] | None:
    """Working weekdays: "1-5", "1,2,3,4,5,6", "Mon-Fri", "周一至周五", "周一到周六". None if unclear."""
    cleaned = text.strip()
    numeric = _DAY_RANGE.match(cleaned)
    if numeric:
        first, last = int(numeric.group(1)), int(numeric.group(2))
        return frozenset(range(first, last + 1)) if first <= last else None
    named = [(m.start(), _ZH_WEEKDAY_DIGITS[m.group(1)]) for m in _ZH_WEEKDAY.finditer(cleaned)]
    named += [(m.start(), WEEKDAY_NAMES[m.group(1).lower()]) for m in _EN_WEEKDAY.finditer(cleaned)]
    named.sort()
    days = [day for _, day in named]
    if not days:
        digits = re.findall(r"[1-7]", cleaned)
        if digits and re.fullmatch(r"[1-7\s,，、;]+", cleaned):
            return frozenset(int(d) for d in digits)
        return None
    if len(days) == 2 and re.search(r"[-–~至到]|\bto\b|through", cleaned, re.I):
        return frozenset(range(days[0], days[1] + 1)) if days[0] <= days[1] else None
    return frozenset(days)


_TIME_RANGE_SEPARATOR = re.compile(r"\s*(?:-|–|~|到|至|\bto\b)\s*", re.I)


def parse_time_range(text: str) -> tuple[time, time] | None:
    """Two times such as quiet hours "22:00-08:00" or "晚上10点到早上8点"; may cross midnight."""
    parts = _TIME_RANGE_SEPARATOR.split(text.strip(), maxsplit=1)
    if len(parts) != 2:
        return None
    start, end = parse_time_of_day(parts[0]), parse_time_of_day(parts[1])
    if start is None or end is None or start == end:
        return None
    return start, end
