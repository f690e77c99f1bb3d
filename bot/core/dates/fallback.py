"""dateparser, for what looks like a date but no rule knows ("in 36 hours", "2pm").

dateparser reads almost anything ("123" is 1900-01-01 01:02:03), is slow on long text (~0.5 ms against
~0.03 ms for the rules) and loads its language data on first use (~0.1 s): only short phrases that look
like a date and promise one reach it, and warm_up loads the data before the first user does.
"""

from __future__ import annotations

import re
from datetime import date, datetime
from typing import Any

import dateparser

from bot.core.dates.calendar import Direction
from bot.core.dates.words import EN_MONTHS, EN_WEEKDAY, alternation

# Words that promise no date at all; they only stop the fallback, so "ASAP, by Friday" works.
_VAGUE = re.compile(
    r"尽快|越快越好|尽早|马上|立刻|立即|随时|有空|改天|回头|早日|以后再说"
    r"|\b(?:asap|as\s+soon\s+as\s+possible|soon|someday|some\s+day|whenever|eventually|later|anytime|no\s+rush|tbd)\b"
)
_LOOKS_LIKE_DATE = re.compile(
    rf"\d|[年月日号周星期礼拜天]|\b(?:{alternation(EN_MONTHS)}|{EN_WEEKDAY}|yesterday|tomorrow|today)\b"
)
_ONLY_NUMBERS = re.compile(r"[\d\s.,+-]+")
# A date phrase is short; a long message is not handed to dateparser, which is slow on long text.
_MAX_LENGTH = 60
_LANGUAGES = {"zh_CN": ["zh", "en"], "en": ["en", "zh"]}
# The timestamp parser turns "1700000000" into a date; no one types a Unix time as a date.
_PARSERS = ["relative-time", "custom-formats", "absolute-time", "no-spaces-time"]
_PREFER = {Direction.FUTURE: "future", Direction.PAST: "past"}


def worth_trying(cleaned: str) -> bool:
    """Whether a cleaned phrase no rule matched may still be a date dateparser reads."""
    if len(cleaned) > _MAX_LENGTH or _VAGUE.search(cleaned):
        return False
    return _LOOKS_LIKE_DATE.search(cleaned) is not None and not _ONLY_NUMBERS.fullmatch(cleaned)


def by_dateparser(text: str, today: date, lang: str, direction: Direction = Direction.FUTURE) -> date | None:
    languages = _LANGUAGES.get(lang) or (["zh", "en"] if lang.startswith("zh") else ["en", "zh"])
    settings: dict[str, Any] = {
        "RELATIVE_BASE": datetime(today.year, today.month, today.day),
        "PREFER_DATES_FROM": _PREFER[direction],
        "PARSERS": _PARSERS,
        "RETURN_AS_TIMEZONE_AWARE": False,
    }
    try:
        parsed = dateparser.parse(text, languages=languages, settings=settings)
    except (ValueError, OverflowError):
        return None  # dateparser builds impossible dates from some garbage ("in10:302027 year's")
    if not isinstance(parsed, datetime):
        return None
    # Sanity, not policy: a century away is dateparser misreading digits, not a date anyone means.
    return parsed.date() if abs(parsed.year - today.year) <= 100 else None


def warm_up() -> None:
    """Load dateparser's language data now, so that the first user does not wait ~0.1 s for it."""
    today = date(2026, 1, 1)
    for lang in _LANGUAGES:
        for phrase in ("15 december 2026", "2026年12月15日", "in 3 days", "3天后", "yesterday"):
            by_dateparser(phrase, today, lang)
