"""The day phrases inside a longer line, such as a /log report: "昨天 电话20通", "Nov 20: 3 visits".

Only phrases naming one day are located (a weekday, a date, 昨天, "2 days ago"), never periods or
durations ("本月", "this week", "3 days"): in a report those are running totals or measures. Each phrase
is resolved by parse_date_phrase looking back, since a report looks back: "周三" said on a Friday is two
days ago, "11月20日" the latest November 20.
"""

from __future__ import annotations

import re
from datetime import date
from typing import NamedTuple

from bot.core.dates.calendar import Direction
from bot.core.dates.phrase import parse_date_phrase
from bot.core.dates.words import (
    CN_DAY_NUMBER,
    CN_MONTH_NUMBER,
    CN_WEEK_WORD,
    CN_YEAR_NUMBER,
    EN_MONTH_NAME,
    EN_ORDINAL_SUFFIX,
    EN_WEEKDAYS,
    alternation,
)


class DayPhrase(NamedTuple):
    start: int
    end: int
    text: str  # as written, stripped
    day: date | None  # None when it names no day that exists (2月30日) or names none for sure (3/5)


_MONTH, _DAY, _ORDINAL = CN_MONTH_NUMBER, CN_DAY_NUMBER, EN_ORDINAL_SUFFIX
# No 周七 (not said; "这周七通电话" is seven calls) and no 周三次 (three times a week).
_CN_WEEKDAY = rf"{CN_WEEK_WORD}[一二三四五六日天1-7](?![次个遍回])"
# Not "sat" and "sun": "sat down with 3 clients".
_EN_WEEKDAY = rf"(?:{alternation(name for name in EN_WEEKDAYS if name not in ('sat', 'sun'))})"
_EN_MONTH = rf"{EN_MONTH_NAME}(?![a-z])"
_PHRASES = [
    rf"(?<!\d){CN_YEAR_NUMBER}年{_MONTH}月{_DAY}[日号]?(?!\d)",
    r"(?<![\d.])\d{4}[-/.]\d{1,2}[-/.]\d{1,2}(?![\d.])",
    rf"(?:上上|上|下下|下|本|这)个?月{_DAY}[日号]",
    rf"(?:上上|上|下下|下|本|这)个?{_CN_WEEKDAY}",
    r"大前天|前天|昨天|昨日|昨儿|昨晚|今天|今日|今儿|今早|今晚|大后天|后天|明天|明日",
    r"(?<![\d.])(?:\d{1,2}|[一二两三四五六七八九十]{1,3})[天日]之?前",
    rf"\b{_EN_MONTH}\.?\s*\d{{1,2}}{_ORDINAL}?,?\s*\d{{4}}\b",
    rf"\b\d{{1,2}}{_ORDINAL}?\s+(?:of\s+)?{_EN_MONTH}\.?,?\s*\d{{4}}\b",
    r"\b(?:the\s+)?day\s+before\s+yesterday\b|\byesterday\b|\btoday\b|\btonight\b|\btomorrow\b|\btmrw?\b",
    r"\bthis\s+(?:morning|afternoon|evening)\b",
    r"\b(?:\d{1,2}|an?|one|two|three|four|five|six|seven|eight|nine|ten)\s+days?\s+ago\b",
    rf"\b(?:last|next)\s+{_EN_WEEKDAY}\b|\b{_EN_WEEKDAY}\s+last\s+week\b",
    # Days that come back: the nearest one looking back is meant.
    rf"(?<![\d年]){_MONTH}月{_DAY}[日号]?(?!\d)",
    r"(?<![\d/.])\d{1,2}/\d{1,2}(?![\d/])",
    rf"(?<![\d月零〇一二两三四五六七八九十第]){_DAY}[日号](?!\d)",
    rf"(?<![每一两几]){_CN_WEEKDAY}",
    rf"\b{_EN_MONTH}\.?\s*\d{{1,2}}{_ORDINAL}?\b",
    rf"\b\d{{1,2}}{_ORDINAL}?\s+(?:of\s+)?{_EN_MONTH}\.?",
    rf"\b(?:on\s+|this\s+)?{_EN_WEEKDAY}\b",
    rf"(?:^|\bon\s+)(?:the\s+)?\d{{1,2}}{_ORDINAL}\b",
]
_DAY_PHRASE = re.compile("|".join(_PHRASES), re.IGNORECASE)
# Phrases the rules do not know, or read otherwise (they find 前天 inside 大前天).
_ALIASES = {
    "大前天": "3天前", "昨日": "昨天", "昨儿": "昨天", "昨晚": "昨天", "今早": "今天",
    "this morning": "today", "this afternoon": "today", "this evening": "today",
}  # fmt: skip


def find_day_phrases(text: str, *, today: date, lang: str) -> list[DayPhrase]:
    """The day phrases in the text, in order, each resolved against `today` looking back."""
    found: list[DayPhrase] = []
    for match in _DAY_PHRASE.finditer(text):
        phrase = match.group().strip()
        query = _ALIASES.get(" ".join(phrase.lower().split()), phrase)
        day = parse_date_phrase(query, today=today, lang=lang, direction=Direction.PAST)
        found.append(DayPhrase(match.start(), match.end(), phrase, day))
    return found
