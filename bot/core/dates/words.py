"""The words and regex fragments date phrases are made of, in Chinese and English.

Fragments without groups (CN_MONTH_NUMBER, EN_MONTH_NAME, ...) are shared with code that only locates
phrases; the rules wrap them in the named groups they read.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from bot.core.numbers import ENGLISH_NUMBER_WORDS


def alternation(words: Iterable[str]) -> str:
    """A regex alternation of the words, longest first so that "march" wins over "mar"."""
    return "|".join(re.escape(word) for word in sorted(words, key=len, reverse=True))


CN_WEEKDAYS = {"一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "日": 7, "天": 7, "七": 7}
CN_WEEK_WORD = r"(?:周|星期|礼拜|週)"
EN_WEEKDAYS: dict[str, int] = {
    "monday": 1, "mon": 1, "tuesday": 2, "tues": 2, "tue": 2, "wednesday": 3, "wed": 3,
    "thursday": 4, "thurs": 4, "thur": 4, "thu": 4, "friday": 5, "fri": 5,
    "saturday": 6, "sat": 6, "sunday": 7, "sun": 7,
}  # fmt: skip
EN_MONTHS: dict[str, int] = {
    "january": 1, "jan": 1, "february": 2, "feb": 2, "march": 3, "mar": 3, "april": 4, "apr": 4,
    "may": 5, "june": 6, "jun": 6, "july": 7, "jul": 7, "august": 8, "aug": 8, "september": 9,
    "sept": 9, "sep": 9, "october": 10, "oct": 10, "november": 11, "nov": 11, "december": 12, "dec": 12,
}  # fmt: skip
# The number words (bot.core.numbers) and the ones durations add: "a week", "forty-five days", "a couple of".
EN_COUNTS: dict[str, int] = ENGLISH_NUMBER_WORDS | {
    "a": 1, "an": 1, "forty-five": 45, "a couple of": 2, "couple of": 2, "a couple": 2, "couple": 2,
}  # fmt: skip
EN_UNITS = {"wk": "week", "wks": "week", "mo": "month", "mos": "month", "yr": "year", "yrs": "year"}
# Recognized so that "a few weeks" is matched as a whole and rejected rather than read as "weeks".
EN_VAGUE_COUNTS = ("a few", "few", "several", "some", "many")
EN_ORDINALS = {"first": 1, "1st": 1, "second": 2, "2nd": 2, "third": 3, "3rd": 3, "fourth": 4, "4th": 4}
EN_ORDINAL_SUFFIX = r"(?:st|nd|rd|th)"

# Offsets of the words placed before 月/周/季度: 本月, 下个月, 下下周, 上个季度.
CN_RELATIVE = {
    "本": 0, "这": 0, "这个": 0, "当": 0, "下": 1, "下个": 1, "下下": 2, "下下个": 2,
    "上": -1, "上个": -1, "上上": -2, "上上个": -2,
}  # fmt: skip
CN_YEAR_WORDS = {"今年": 0, "本年": 0, "明年": 1, "来年": 1, "后年": 2, "去年": -1}
EN_RELATIVE = {"this": 0, "current": 0, "coming": 0, "the": 0, "next": 1, "last": -1}

CN_MONTH_NUMBER = r"(?:1[0-2]|0?[1-9]|十[一二]?|[一二三四五六七八九])"
CN_DAY_NUMBER = r"(?:3[01]|[12]\d|0?[1-9]|[二三]?十[一二三四五六七八九]?|[一二三四五六七八九])"
CN_YEAR_NUMBER = r"(?:\d{4}|\d{2}|[〇零一二三四五六七八九]{4})"
EN_MONTH_NAME = rf"(?:{alternation(EN_MONTHS)})"

CN_REL = r"(?P<rel>下下个|下下|下个|下|上上个|上上|上个|上|这个|这|本|当)"
CN_YEAR = rf"(?:(?P<year>{CN_YEAR_NUMBER})年|(?P<year_word>今年|本年|明年|来年|后年|去年))"
CN_MONTH = rf"(?P<month>{CN_MONTH_NUMBER})"
CN_DAY = rf"(?P<day>{CN_DAY_NUMBER})"
# A count starts where its numeral starts: "27年" inside "2027年" or "5个月" inside "1.5个月" is no count.
CN_COUNT = r"(?<![\d.零〇一二两三四五六七八九十百]) (?P<n>\d{1,3}(?:\.5)?|[零一二两三四五六七八九十百]{1,4})"
# 内/后 count forward from today; 前 after a duration means "ago" (3天前), after a date "before" (6月30日前).
CN_AFTER = r"(?P<suffix>之?内|以内|之?后|以后|之?前|以前)"
EN_MONTH = rf"(?P<mon>{alternation(EN_MONTHS)})\b\.?"
EN_WEEKDAY = alternation(EN_WEEKDAYS)
EN_YEAR_AFTER = r"(?:,?\s*(?:of\s+)?(?P<year_after>\d{4}|this\s+year|next\s+year))"
EN_EDGE = (
    r"(?:\b(?P<edge>end|beginning|start|early|mid|middle|late|last\s+day|first\s+day|within)"
    r"(?:\s+of|-)?\s*(?:the\s+)?)"
)
# What an English edge word means: a period's last day, its first day, its middle, or no date at all.
EDGE_KINDS = {
    "end": "end", "last day": "end", "within": "end", "beginning": "start", "start": "start",
    "first day": "start", "mid": "mid", "middle": "mid", "early": "vague", "late": "vague",
}  # fmt: skip
EN_COUNT = rf"(?P<n>\d+(?:\.5)?|{alternation([*EN_COUNTS, *EN_VAGUE_COUNTS])})"
