"""Amounts and days as CRM exports write them, in English and Chinese.

Amounts: a currency sign or code before or after ("¥12,000.50", "$1,200", "12000 CNY", "12万元"), thousands
separators (a comma, an apostrophe or a space; "1.234,50" with a comma decimal when both appear), the
Chinese multipliers 万 and 亿 (and k), a leading minus or accounting parentheses. Empty cells, dashes and
text that is no number are None.

Days, the rule for the order of day and month: an ISO date (year first: "2024-09-09", "2024/9/9",
"2024.9.9") and a Chinese date ("2024年9月9日") are read as they are; so are dates with an English month
name ("Sep 9, 2024", "9 Sep 2024"). A date with the year last ("09/13/2024", "13/09/2024") is read in the
one order that makes a date when only one does; when both would ("09/10/2024") the caller says which order
the file uses (`day_first`; read_records infers it from the whole column), and without that the day is
unknown (None). A time after the date is allowed; with a UTC offset ("2024-09-09T13:20:35+08:00", "...Z")
the moment is converted to `zone` first, without one it is already the user's local time (Zoho writes
datetimes in the exporting user's zone), so the day is the date part.
"""

from __future__ import annotations

import re
import unicodedata
from datetime import date, datetime, time, timedelta, timezone
from decimal import Decimal, InvalidOperation
from zoneinfo import ZoneInfo

_MULTIPLIERS = {"万": Decimal(10_000), "亿": Decimal(100_000_000), "k": Decimal(1_000)}
# Currency signs and codes a CRM puts around an amount; removed before the number is read.
_CURRENCY = re.compile(
    r"(?i)(?:rmb|cny|usd|us\$|hk\$|hkd|eur|gbp|jpy|sgd|aud|cad|人民币|美元|元|圆|块|[¥￥$€£])"
)
_NUMBER = re.compile(r"\d+(?:\.\d+)?|\.\d+")
_GROUPED = re.compile(r"\d{1,3}(?:,\d{3})+(?:\.\d+)?")
_BLANKS = frozenset({"", "-", "--", "—", "–", "n/a", "na", "null", "none", "无", "空"})
_MAX_AMOUNT_TEXT = 40


def parse_amount(text: str) -> Decimal | None:
    """ "¥12,000.50", "$1,200", "1.2万", "12万元", "1,234" -> a Decimal; "", "-" or not a number -> None."""
    cleaned = unicodedata.normalize("NFKC", text).strip().lower()
    if len(cleaned) > _MAX_AMOUNT_TEXT or cleaned in _BLANKS:
        return None
    negative = False
    if cleaned.startswith("(") and cleaned.endswith(")"):
        negative, cleaned = True, cleaned[1:-1]
    cleaned = _CURRENCY.sub("", cleaned).replace(" ", "").replace("'", "").replace("\u00a0", "")
    if cleaned.startswith("-"):
        negative, cleaned = not negative, cleaned[1:]
    elif cleaned.startswith("+"):
        cleaned = cleaned[1:]
    multiplier = Decimal(1)
    if cleaned and cleaned[-1] in _MULTIPLIERS:
        multiplier, cleaned = _MULTIPLIERS[cleaned[-1]], cleaned[:-1]
    number = _plain_number(cleaned)
    if number is None:
        return None
    try:
        value = Decimal(number) * multiplier
    except InvalidOperation:
        return None
    return -value if negative else value


def _plain_number(text: str) -> str | None:
    """The digits of `text` with "." as the decimal point, or None if it is not one number."""
    if "," in text and "." in text:
        if text.rfind(",") > text.rfind("."):  # "1.234,50": the comma is the decimal point
            text = text.replace(".", "").replace(",", ".")
        elif _GROUPED.fullmatch(text):
            text = text.replace(",", "")
        else:
            return None
    elif "," in text:
        if _GROUPED.fullmatch(text):  # "1,234" and "12,000,000": thousands, as English and Chinese write them
            text = text.replace(",", "")
        elif re.fullmatch(r"\d+,\d{1,2}", text):  # "12,5": a decimal comma
            text = text.replace(",", ".")
        else:
            return None
    return text if _NUMBER.fullmatch(text) else None


_MONTHS = {
    name: number
    for number, names in enumerate(
        (
            ("jan", "january"),
            ("feb", "february"),
            ("mar", "march"),
            ("apr", "april"),
            ("may",),
            ("jun", "june"),
            ("jul", "july"),
            ("aug", "august"),
            ("sep", "sept", "september"),
            ("oct", "october"),
            ("nov", "november"),
            ("dec", "december"),
        ),
        start=1,
    )
    for name in names
}
_MONTH = r"(?P<mname>[a-z]{3,9})\.?"
_DATES = (
    re.compile(r"(?P<y>\d{4})\s*[-/.]\s*(?P<m>\d{1,2})\s*[-/.]\s*(?P<d>\d{1,2})"),
    re.compile(r"(?P<y>\d{4})\s*年\s*(?P<m>\d{1,2})\s*月\s*(?P<d>\d{1,2})\s*[日号]?"),
    re.compile(r"(?P<a>\d{1,2})\s*[-/.]\s*(?P<b>\d{1,2})\s*[-/.]\s*(?P<y>\d{4}|\d{2})(?!\d)"),
    re.compile(_MONTH + r"\s+(?P<d>\d{1,2})(?:st|nd|rd|th)?,?\s+(?P<y>\d{4})"),
    re.compile(r"(?P<d>\d{1,2})(?:st|nd|rd|th)?[\s-]+" + _MONTH + r"[\s,-]+(?P<y>\d{4})"),
)
_TIME = re.compile(
    r"(?:[t\s]+|\s*(?=上午|下午))(?P<half>上午|下午)?\s*(?P<h>\d{1,2})\s*[:时]\s*(?P<mi>\d{2})"
    r"(?:\s*[:分]\s*(?P<s>\d{2})(?:[.,]\d+)?\s*秒?)?\s*(?P<ampm>[ap]\.?m\.?)?"
)
_OFFSET = re.compile(r"\s*(?:(?P<z>z|utc|gmt)(?P<zs>[+-]\d{1,2}(?::?\d{2})?)?|(?P<o>[+-]\d{2}:?\d{2}))")


def parse_day(text: str, zone: ZoneInfo, *, day_first: bool | None = None) -> date | None:
    """A date or datetime cell -> the day in `zone`; a datetime without an offset is already in `zone`.

    `day_first` settles "09/10/2024" (day first: 9 October); None leaves such a date unknown.
    """
    cleaned = unicodedata.normalize("NFKC", text).strip().lower()
    if not cleaned or len(cleaned) > 64:
        return None
    for pattern in _DATES:
        found = pattern.match(cleaned)
        if found is not None:
            day = _day_of(found, day_first)
            rest = cleaned[found.end() :]
            break
    else:
        return None
    if day is None:
        return None
    return _apply_time(day, rest, zone)


def _day_of(found: re.Match[str], day_first: bool | None) -> date | None:
    parts = found.groupdict()
    year = int(parts["y"])
    if year < 100:
        year += 2000
    if parts.get("mname") is not None:
        month = _MONTHS.get(parts["mname"])
        if month is None:
            return None
        return _date(year, month, int(parts["d"]))
    if parts.get("a") is not None:
        first, second = int(parts["a"]), int(parts["b"])
        if first > 12 or (second <= 12 and first != second and day_first is True):
            return _date(year, second, first)
        if second > 12 or first == second or day_first is False:
            return _date(year, first, second)
        return None  # both orders make a date and the file's order is not known
    return _date(year, int(parts["m"]), int(parts["d"]))


def year_last_order(text: str) -> bool | None:
    """What a year-last date says about its file's order: True day first ("13/09/2024"), False month
    first ("09/13/2024"), None if it is not such a date or either order fits."""
    found = _DATES[2].match(unicodedata.normalize("NFKC", text).strip())
    if found is None:
        return None
    first, second = int(found["a"]), int(found["b"])
    if first > 12 >= second:
        return True
    if second > 12 >= first:
        return False
    return None


def _date(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day)
    except ValueError:
        return None


def _apply_time(day: date, rest: str, zone: ZoneInfo) -> date | None:
    """The day once the text after the date (a time, an offset, or nothing) is taken into account."""
    if not rest.strip():
        return day
    found = _TIME.match(rest)
    if found is None:
        return None
    hour, minute, second = int(found["h"]), int(found["mi"]), int(found["s"] or 0)
    if found["ampm"] or found["half"]:
        if not 1 <= hour <= 12:
            return None
        afternoon = (found["ampm"] or "").startswith("p") or found["half"] == "下午"
        hour = hour % 12 + (12 if afternoon else 0)
    if hour > 23 or minute > 59 or second > 59:
        return None
    rest = rest[found.end() :]
    if not rest.strip():
        return day  # no offset: the user's local time already
    offset = _OFFSET.fullmatch(rest)
    if offset is None:
        return None
    shift = _offset(offset)
    if shift is None:
        return None
    moment = datetime.combine(day, time(hour, minute, second), timezone(shift))
    return moment.astimezone(zone).date()


def _offset(found: re.Match[str]) -> timedelta | None:
    text = found["o"] or found["zs"]
    if text is None:
        return timedelta(0)
    sign = -1 if text[0] == "-" else 1
    digits = text[1:].replace(":", "")
    hours, minutes = (int(digits[:-2]), int(digits[-2:])) if len(digits) > 2 else (int(digits), 0)
    if hours > 18 or minutes > 59:
        return None
    return sign * timedelta(hours=hours, minutes=minutes)
