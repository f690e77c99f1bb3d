"""Dates as people type them, in Chinese and English, and the calendar arithmetic behind them.

- calendar: pure arithmetic (month and quarter ends, ISO weeks, adding months, nearest occurrences).
- phrase: the public parser, `parse_date_phrase` with a Direction, `parse_deadline`, `parse_date_range`.
- zh, en, neutral: the rules of each language and those written alike in both; words: their vocabulary.
- holidays: deadlines named after a public holiday of the user's country ("端午节前", "by Thanksgiving").
- fallback: dateparser, for what no rule knows.
- days_in_text: the day phrases inside a longer line (a /log report), resolved looking back.
"""

from bot.core.dates.calendar import Direction, local_date, month_end, week_start
from bot.core.dates.days_in_text import DayPhrase, find_day_phrases
from bot.core.dates.fallback import warm_up
from bot.core.dates.phrase import (
    DatePhrase,
    DateRange,
    find_date_phrase,
    names_only_a_year,
    parse_date_phrase,
    parse_date_range,
    parse_deadline,
    reads_as_date,
)

__all__ = [
    "DatePhrase",
    "DateRange",
    "DayPhrase",
    "Direction",
    "find_date_phrase",
    "find_day_phrases",
    "local_date",
    "month_end",
    "names_only_a_year",
    "parse_date_phrase",
    "parse_date_range",
    "parse_deadline",
    "reads_as_date",
    "warm_up",
    "week_start",
]
