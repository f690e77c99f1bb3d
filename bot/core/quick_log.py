"""Understanding a salesperson's one-line report of a day: "拜访3次 电话12个 签单1个 共5万", "yesterday 3 visits,
12 calls, 1 deal 50k". Used by the daily review's fast path and by /log (the caller strips "/log").

How a line is read:

- A day phrase is looked for first ("昨天", "上周五", "11月20日", "yesterday", "2026-11-20") and resolved by
  `parse_deadline`. Phrases that name no particular occurrence ("11月20日", "周三", "Friday", "20号") mean
  the latest one on or before today, since a report looks back: "周三" said on a Friday is two days ago.
  The phrase is taken out of the line so that its digits are not counted. `day` is None for today.
- Numbers come from `find_numbers` (Chinese numerals, 万/k/M, currencies, full-width digits), plus
  scientific forms it leaves out on purpose ("1e12", "10^12"), so that such a count is refused as absurd
  rather than ignored. "a"/"an" right before an English activity word is one ("a deal").
- Activity words are `ACTIVITY_WORDS` plus report words (past tenses, synonyms, revenue words).
  见/见面/会谈/meeting/met are meetings; 拜访/走访/上门/visit are visits. A number directly followed by
  单 is a deal, by 通 a call ("签了一单", "打了20通").
- Each number is paired with the word right before or right after it, whichever reading of the whole line
  leaves the fewest numbers unexplained, then pairs the most, then has the tightest gaps. Only measure
  words (次个通单家…), particles (了的有), colons, fillers (客户, clients) and at most two unknown words or
  three unknown Chinese characters may stand between a number and its word; commas, 、, "and", 和 never.
  A word naming something we do not log (邮件, leads, 小时, 还差, target) claims its number first, so
  that "plan: 5 calls" logs no call.
- A number with a money mark (万, 亿, k, M, ¥, $, 元, "thousand") and no word is revenue, as is one after a
  revenue word (共, 合计, 金额, 销售额, 回款, revenue, sales, worth…). A deal word with an amount is the
  deals' revenue ("签单5万", "deal 50k"). A number followed by a count measure word (个, 次) is never
  revenue ("共3个" is not 3 yuan).
- The same measure twice is summed: "上午电话5个 下午电话7个" is 12 calls.
- Anything with a number that cannot be placed goes to `unknown` ("5封邮件", "3 leads", "2小时", an
  impossible date "2月30日", a second day phrase naming another day), and so do amounts that are not the
  day's result ("还差2万", "目标5万", "本周累计60个", "50k short"): callers should show them back rather
  than drop them silently. A line where nothing could be placed is NOTHING, whatever `unknown` holds.

Problems, first match wins: FUTURE_DAY / TOO_OLD (the day alone decides, so "明天" is FUTURE_DAY),
NEGATIVE, ABSURD (on the day's sums), NOT_WHOLE (a count with a fraction), NOTHING.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from enum import StrEnum
from typing import NamedTuple

from bot.core.deadlines import parse_deadline
from bot.core.numbers import CHINESE_DIGITS, find_numbers, normalize
from bot.core.plan_inputs import ACTIVITY_WORDS


class Measure(StrEnum):
    REVENUE = "revenue"
    DEALS = "deals"
    NEW_CUSTOMERS = "new_customers"
    VISITS = "visits"
    CALLS = "calls"
    MEETINGS = "meetings"
    TRAININGS = "trainings"
    EVENTS = "events"


@dataclass(frozen=True)
class QuickReport:
    values: dict[Measure, Decimal]  # what was reported, in Measure order; the same measure twice is summed
    day_text: str | None  # the day phrase found, if any ("yesterday", "昨天", "11月20日")
    day: date | None  # that day resolved against `today`; None means today
    unknown: list[str]  # fragments holding a number we could not place, in the order of the text


class ReportProblem(StrEnum):
    NOTHING = "nothing"
    NEGATIVE = "negative"
    ABSURD = "absurd"
    FUTURE_DAY = "future_day"
    TOO_OLD = "too_old"
    NOT_WHOLE = "not_whole"


# Beyond these a day's figure is a typo or a joke, not a report.
MAX_COUNT_PER_DAY = Decimal(1000)
MAX_CALLS_PER_DAY = Decimal(2000)
MAX_REVENUE_PER_DAY = Decimal(10) ** 10
MAX_DAYS_BACK = 31
_LIMITS: dict[Measure, Decimal] = {measure: MAX_COUNT_PER_DAY for measure in Measure} | {
    Measure.CALLS: MAX_CALLS_PER_DAY,
    Measure.REVENUE: MAX_REVENUE_PER_DAY,
}

_V, _C, _M = Measure.VISITS, Measure.CALLS, Measure.MEETINGS
_T, _E, _D, _N, _R = Measure.TRAININGS, Measure.EVENTS, Measure.DEALS, Measure.NEW_CUSTOMERS, Measure.REVENUE
_BY_VALUE: dict[str, Measure] = {measure.value: measure for measure in Measure}

# What a report says beyond ACTIVITY_WORDS (written for plan targets). None marks an activity that is
# recognised but has no measure: its number goes to `unknown` instead of to a neighbouring word.
_REPORT_WORDS: dict[str, Measure | None] = {
    "visited": _V, "site visit": _V, "site visits": _V, "customer visit": _V, "customer visits": _V,
    "client visit": _V, "sales visit": _V, "sales visits": _V, "走访": _V, "上门": _V, "跑客户": _V, "陌拜": _V,
    "called": _C, "phone call": _C, "sales call": _C, "sales calls": _C, "cold call": _C, "cold calls": _C,
    "打电话": _C, "致电": _C, "外呼": _C, "通话": _C, "通": _C,
    "met": _M, "sales meeting": _M, "sales meetings": _M, "见": _M, "会谈": _M, "面谈": _M, "会见": _M,
    "约见": _M, "洽谈": _M, "开会": _M, "电话会议": _M, "会": _M,
    "training session": _T, "training sessions": _T,
    "trade show": _E, "trade shows": _E, "expo": _E, "expos": _E, "conference": _E, "conferences": _E,
    "exhibition": _E, "exhibitions": _E, "峰会": _E, "沙龙": _E, "活动": _E, "行业活动": _E,
    "成交": _D, "签约": _D, "出单": _D, "订单": _D, "合同": _D, "单": _D, "contract": _D, "contracts": _D,
    "order": _D, "orders": _D,
    "new client": _N, "new clients": _N, "new account": _N, "new accounts": _N, "新增客户": _N,
    "新开客户": _N, "新签客户": _N,
    "共": _R, "一共": _R, "总共": _R, "共计": _R, "合计": _R, "总计": _R, "总额": _R, "总金额": _R,
    "金额": _R, "销售额": _R, "成交额": _R, "成交金额": _R, "签单额": _R, "签单金额": _R, "签约额": _R,
    "签约金额": _R, "合同额": _R, "合同金额": _R, "业绩": _R, "营收": _R, "收入": _R, "营业额": _R,
    "回款": _R, "收款": _R, "到账": _R, "流水": _R, "revenue": _R, "sale": _R, "sales": _R, "worth": _R,
    "amount": _R, "total": _R, "income": _R, "turnover": _R, "gmv": _R, "collected": _R, "value": _R,
    "email": None, "emails": None, "邮件": None, "微信": None, "wechat": None, "message": None,
    "messages": None, "短信": None, "demo": None, "demos": None, "演示": None, "quote": None,
    "quotes": None, "报价": None, "proposal": None, "proposals": None, "方案": None, "线索": None,
    "商机": None, "prospect": None, "小时": None, "分钟": None, "hour": None, "hours": None,
    "minute": None, "minutes": None, "mins": None, "hrs": None,
    # Amounts that are not the day's result: what is missing, the target, a running total.
    "还差": None, "差": None, "目标": None, "指标": None, "任务": None, "还剩": None, "剩下": None,
    "剩": None, "缺口": None, "计划": None, "累计": None, "本月": None, "这个月": None, "本周": None,
    "这周": None, "本季度": None, "今年": None, "全年": None, "target": None, "goal": None,
    "quota": None, "short": None, "left": None, "remaining": None, "plan": None, "planned": None,
    "so far": None, "total so far": None, "this month": None, "this week": None, "this quarter": None,
    "this year": None, "mtd": None, "ytd": None,
}  # fmt: skip
_WORDS: dict[str, Measure | None] = {
    word: _BY_VALUE.get(measure) for word, measure in ACTIVITY_WORDS.items()
} | _REPORT_WORDS

# "3 sales" are deals, "sales 12000" is revenue.
_SALES = frozenset({"sale", "sales"})

_NUMERAL_CHARS = "".join(CHINESE_DIGITS) + "十百千"
# Words that are words only in some company: 见 not in 意见/看见, 共 not in 公共/共同, 单/通 only right
# after a number (一单, 20通), never inside 订单 or 通知, and 会 only after a measure word.
_GUARDS: dict[str, tuple[str, str]] = {
    "见": (r"(?<![意看听遇预再不少常可])", r"(?![解识])"),
    "共": (r"(?<!公)", r"(?![同享识事])"),
    "单": (rf"(?<=[\d{_NUMERAL_CHARS}])", ""),
    "通": (rf"(?<=[\d{_NUMERAL_CHARS}])", r"(?!知过)"),
    "会": (r"(?<=[个场次])", r"(?![议面谈见员计话])"),  # 3个会 is three meetings
    "差": (r"(?<!出)", r"(?![不点评])"),  # not 出差 (a trip) or 差不多 (about)
    "目标": ("", r"(?!客户)"),  # 目标客户 are target customers, a filler like 客户
}


def _word_pattern(word: str) -> str:
    prefix, suffix = _GUARDS.get(word, ("", ""))
    body = r"\s+".join(re.escape(part) for part in word.split())
    if word.isascii():
        body = rf"\b{body}\b"
    return prefix + body + suffix


# Longest first, so that "行业会议" wins over "会议" and "sales calls" over "sales".
_WORD = re.compile(
    "|".join(_word_pattern(word) for word in sorted(_WORDS, key=len, reverse=True)), re.IGNORECASE
)

# --- day phrases ---------------------------------------------------------------------------------------

_CN_MONTH = r"(?:1[0-2]|0?[1-9]|十[一二]?|[一二三四五六七八九])"
_CN_DAY = r"(?:3[01]|[12]\d|0?[1-9]|[二三]?十[一二三四五六七八九]?|[一二三四五六七八九])"
_CN_WEEKDAY = r"(?:周|星期|礼拜|週)[一二三四五六日天1-7](?![次个遍回])"
# Not "sat" and "sun": "sat down with 3 clients".
_EN_WEEKDAY = (
    r"(?:monday|mon|tuesday|tues|tue|wednesday|wed|thursday|thurs|thur|thu|friday|fri|saturday|sunday)"
)
_EN_MONTH = (
    r"(?:january|february|march|april|may|june|july|august|september|october|november|december"
    r"|jan|feb|mar|apr|jun|jul|aug|sept|sep|oct|nov|dec)(?![a-z])"
)
_ORDINAL = r"(?:st|nd|rd|th)"
# Only locating phrases here: what they mean is parse_deadline's business. Anchored phrases name one
# day relative to today; recurring ones name a day that comes back (a weekday, a date without a year).
_ANCHORED_DAYS = [
    rf"(?<!\d)(?:\d{{4}}|\d{{2}}|[〇零一二三四五六七八九]{{4}})年{_CN_MONTH}月{_CN_DAY}[日号]?(?!\d)",
    r"(?<![\d.])\d{4}[-/.]\d{1,2}[-/.]\d{1,2}(?![\d.])",
    rf"(?:上上|上|下下|下|本|这)个?月{_CN_DAY}[日号]",
    rf"(?:上上|上|下下|下|本|这)个?{_CN_WEEKDAY}",
    r"大前天|前天|昨天|昨日|昨儿|昨晚|今天|今日|今儿|今早|今晚|大后天|后天|明天|明日",
    r"(?<![\d.])(?:\d{1,2}|[一二两三四五六七八九十]{1,3})[天日]之?前",
    rf"\b{_EN_MONTH}\.?\s*\d{{1,2}}{_ORDINAL}?,?\s*\d{{4}}\b",
    rf"\b\d{{1,2}}{_ORDINAL}?\s+(?:of\s+)?{_EN_MONTH}\.?,?\s*\d{{4}}\b",
    r"\b(?:the\s+)?day\s+before\s+yesterday\b|\byesterday\b|\btoday\b|\btonight\b|\btomorrow\b|\btmrw?\b",
    r"\bthis\s+(?:morning|afternoon|evening)\b",
    r"\b(?:\d{1,2}|an?|one|two|three|four|five|six|seven|eight|nine|ten)\s+days?\s+ago\b",
    rf"\b(?:last|next)\s+{_EN_WEEKDAY}\b|\b{_EN_WEEKDAY}\s+last\s+week\b",
]
_RECURRING_DAYS = [
    rf"(?<![\d年]){_CN_MONTH}月{_CN_DAY}[日号]?(?!\d)",
    r"(?<![\d/.])\d{1,2}/\d{1,2}(?![\d/])",
    rf"(?<![\d月零〇一二两三四五六七八九十第]){_CN_DAY}[日号](?!\d)",
    rf"(?<![每一两几]){_CN_WEEKDAY}",
    rf"\b{_EN_MONTH}\.?\s*\d{{1,2}}{_ORDINAL}?\b",
    rf"\b\d{{1,2}}{_ORDINAL}?\s+(?:of\s+)?{_EN_MONTH}\.?",
    rf"\b(?:on\s+|this\s+)?{_EN_WEEKDAY}\b",
    rf"(?:^|\bon\s+)(?:the\s+)?\d{{1,2}}{_ORDINAL}\b",
]
_DAY = re.compile(
    rf"(?P<anchored>{'|'.join(_ANCHORED_DAYS)})|(?P<recurring>{'|'.join(_RECURRING_DAYS)})", re.IGNORECASE
)
# Phrases parse_deadline does not know, or reads otherwise (it finds 前天 inside 大前天).
_DAY_ALIASES = {
    "大前天": "3天前", "昨日": "昨天", "昨儿": "昨天", "昨晚": "昨天", "今早": "今天",
    "this morning": "today", "this afternoon": "today", "this evening": "today",
}  # fmt: skip
# How far back a recurring phrase may reach: a week (weekdays), a month (20号), a year (11月20日).
_RECURRING_WINDOWS = (7, 31, 366)

# --- numbers and what may stand between a number and its word ------------------------------------------

# Times of day and "1e12"-style numbers are taken out before find_numbers runs: a time is no count, and
# find_numbers refuses scientific forms, which would otherwise leave "1e12 calls" silently unread.
_TIME_OF_DAY = re.compile(
    r"(?<![\d.:])\d{1,2}:\d{2}(?:\s*[ap]\.?m\b\.?)?(?![\d:])"
    r"|(?<![\d.])\d{1,2}\s*[ap]\.?m\b\.?"
    r"|(?<![\d.一二两三四五六七八九十])(?:\d{1,2}|十[一二]?|[一二两三四五六七八九])点"
    r"(?:半|钟|一刻|三刻|\d{1,2}分|[一二三四五]?十?[一二三四五六七八九]?分)?(?![\d一二三四五六七八九十百千万亿])",
    re.IGNORECASE,
)
_SCIENTIFIC = re.compile(
    r"(?<![\w.])(?P<negative>-)?(?P<mantissa>\d+(?:\.\d+)?)\s*"
    r"(?:e(?P<sign>[+-]?)|(?P<power>\^|\*\*)|[x×*]\s*10\s*(?:\^|\*\*))"
    r"\s*(?P<exponent>\d+)(?![\w.])",
    re.IGNORECASE,
)
# Exponents beyond this make a number absurd anyway; computing 10^99999 would only waste time.
_MAX_EXPONENT = 40
_BEYOND_ANY_LIMIT = Decimal(10) ** _MAX_EXPONENT
_MONEY_MARK = re.compile(
    r"[¥$€£万萬亿億]|rmb|cny|usd|hkd|eur|gbp|yuan|dollar|buck|euro|thousand|million|billion"
    r"|\d\s*(?:k|m|mn|b|bn|w)$",
    re.IGNORECASE,
)
_MONEY_AFTER = re.compile(r"\s*(?:元|块|人民币|美元|美金|港币|欧元|刀)")
_COUNT_AFTER = re.compile(r"\s*(?:[次个通单家场位名件回趟笔份条封轮]|times\b)", re.IGNORECASE)
_ARTICLE_BEFORE = re.compile(r"(?<![a-z'])an?\s+\Z", re.IGNORECASE)
_ARTICLE_REACH = 8  # "an" and a few spaces; searching the whole head of the text would be quadratic

_GLUE = re.compile(
    r"[:=~*×\-–—]|\b(?:x|with|of|for|about|around|approx|approximately|roughly|times|clients?|customers?"
    r"|people|persons?|companies|company|accounts?)\b"
    r"|大约|大概|约|近|了|过|的|有|是|为|各|目标客户|客户|客人|顾客|企业|公司|老板|人|[次个通单家场位名件回趟笔份条封轮]",
    re.IGNORECASE,
)
_BLOCKER = re.compile(r"\b(?:and|plus|then|but|also|or)\b|和|及|与|还有|另外|然后|但|或", re.IGNORECASE)
_GAP_WORD = re.compile(r"[a-z][a-z'-]*|[\u4e00-\u9fff]+", re.IGNORECASE)
_MAX_GAP_LATIN_WORDS = 2
_MAX_GAP_CJK_CHARS = 3
_UNPLACEABLE_CLAIM = 3  # beats a measure word across the same gap, not one across a loose gap

# Where an unknown fragment stops: clause punctuation, and a joining word at its start.
_CLAUSE_SEPARATOR = re.compile(r"[,;，；、。!?！？\n|]")
_LEADING_JOINER = re.compile(r"^(?:(?:and|plus|then|also)\b|和|及|以及|还有|另外|然后)\s*", re.IGNORECASE)
_TRAILING_MEASURE = re.compile(
    r"\s*(?:[次个通单家场位名件回趟笔份条封轮](?:客户|客人|顾客|人)?|元|块钱?|times\b)", re.IGNORECASE
)

# For has_report_content: something that can be a number at all.
_NUMBERISH = re.compile(
    rf"\d|[{_NUMERAL_CHARS}]|\b(?:an?|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve"
    r"|twenty|thirty|forty|fifty|hundred)\b",
    re.IGNORECASE,
)
_MONEY_AMOUNT = re.compile(
    r"[¥$€£]\s*\d|\d\s*(?:[kw万亿元块]|m\b)|[一二两三四五六七八九十百千][万亿]", re.IGNORECASE
)


# find_numbers reads no number glued to a word ("3visits") and none after "x" ("x3"). Three letters at
# least, so that 50k, 1.2M, 2bn and 3rd stay as they are.
_DIGIT_THEN_WORD = re.compile(r"(?<=\d)(?=[A-Za-z]{3})")
_DIGIT_THEN_TIMES = re.compile(r"(?<=\d)([x×])(?![A-Za-z])")
_TIMES_THEN_DIGIT = re.compile(r"(?<![A-Za-z])([x×])(?=\d)")


class _Number(NamedTuple):
    value: Decimal
    start: int
    end: int
    money: bool  # carries a currency or a multiplier: an amount unless a word says otherwise
    counted: bool  # followed by a count measure word (个, 次): never an amount


class _Word(NamedTuple):
    measure: Measure | None
    start: int
    end: int
    latin: bool
    number_first_deals: bool  # "3 sales" are deals, "sales 12000" is revenue


_Item = _Number | _Word
# Lower is better: (numbers left with no word and no money mark, -pairs, gap cost).
_Score = tuple[int, int, int]


def _prepare(text: str) -> str:
    """Full-width to ASCII, and spaces where people leave none: "3visits" → "3 visits", "x3" → "x 3"."""
    text = _DIGIT_THEN_WORD.sub(" ", normalize(text))
    text = _DIGIT_THEN_TIMES.sub(r" \1", text)
    return _TIMES_THEN_DIGIT.sub(r"\1 ", text)


def _blank(text: str, spans: list[tuple[int, int]]) -> str:
    """The text with the spans replaced by spaces, so that every other index stays where it was."""
    if not spans:
        return text
    chars = list(text)
    for start, end in spans:
        chars[start:end] = " " * (end - start)
    return "".join(chars)


# --- the day -------------------------------------------------------------------------------------------


def _resolve_day(phrase: str, *, recurring: bool, today: date, lang: str) -> date | None:
    """The day a phrase names; for a recurring phrase, its latest occurrence on or before today."""
    query = _DAY_ALIASES.get(" ".join(phrase.lower().split()), phrase)
    first = parse_deadline(query, today=today, lang=lang)
    if not recurring or first is None or first <= today:
        return first
    # parse_deadline gives the next occurrence from the day it is told is today: start from a day in the
    # past, the smallest window first, then step forward while a later occurrence is still not future
    # (a 31-day window can hold two 28ths).
    for window in _RECURRING_WINDOWS:
        found = parse_deadline(query, today=today - timedelta(days=window - 1), lang=lang)
        if found is None or found > today:
            continue
        while (later := parse_deadline(query, today=found + timedelta(days=1), lang=lang)) is not None:
            if later > today:
                break
            found = later
        return found
    return None


def _find_day(
    text: str, today: date, lang: str
) -> tuple[str | None, date | None, str, list[tuple[int, str]]]:
    """(the day phrase, its day, the text with day phrases blanked, phrases that could not be used)."""
    day_text: str | None = None
    day: date | None = None
    unusable: list[tuple[int, str]] = []
    spans: list[tuple[int, int]] = []
    for match in _DAY.finditer(text):
        phrase = match.group().strip()
        found = _resolve_day(phrase, recurring=match["recurring"] is not None, today=today, lang=lang)
        # Blanked even when unresolvable: 2月30日 holds no count, and "3/5" (either side may be the month)
        # is a date or a ratio, either way not five of something.
        spans.append(match.span())
        if found is not None and day_text is None:
            day_text, day = phrase, found
        elif found is None or found != day:
            unusable.append((match.start(), phrase))  # 2月30日, or a second phrase naming another day
    return day_text, day, _blank(text, spans), unusable


# --- numbers and words ---------------------------------------------------------------------------------


def _scientific_value(match: re.Match[str]) -> Decimal:
    exponent = min(int(match["exponent"]), _MAX_EXPONENT)
    sign = -1 if match["negative"] else 1  # -2^40 is -(2^40), as everywhere
    mantissa = Decimal(match["mantissa"])
    try:
        if match["power"]:
            return sign * mantissa**exponent
        return sign * mantissa.scaleb(-exponent if match["sign"] == "-" else exponent)
    except ArithmeticError:  # beyond what Decimal holds: a thousand-digit mantissa to the 40th
        return sign * _BEYOND_ANY_LIMIT


def _number(text: str, value: Decimal, start: int, end: int, *, money_mark: bool) -> _Number:
    counted = _COUNT_AFTER.match(text, end) is not None
    money = money_mark or _MONEY_AFTER.match(text, end) is not None
    return _Number(value, start, end, money and not counted, counted)


def _items(text: str) -> tuple[str, list[_Item]]:
    """(the text with times of day blanked, its numbers and words in order)."""
    numbers: list[_Number] = []
    scientific = list(_SCIENTIFIC.finditer(text))
    for match in scientific:
        numbers.append(_number(text, _scientific_value(match), match.start(), match.end(), money_mark=False))
    text = _blank(text, [match.span() for match in scientific])
    text = _blank(text, [match.span() for match in _TIME_OF_DAY.finditer(text)])
    for value, start, end in find_numbers(text):
        numbers.append(_number(text, value, start, end, money_mark=bool(_MONEY_MARK.search(text[start:end]))))
    in_number = bytearray(len(text))
    for number in numbers:
        in_number[number.start : number.end] = b"\x01" * (number.end - number.start)
    words: list[_Word] = []
    for match in _WORD.finditer(text):
        start, end = match.span()
        if any(in_number[start:end]):
            continue  # a numeral read as part of a word elsewhere
        key = " ".join(match.group().lower().split())
        if key not in _WORDS:
            continue  # matched only by Unicode case folding ("ſales"): not a word anyone types
        words.append(_Word(_WORDS[key], start, end, key.isascii(), key in _SALES))
        counts = _WORDS[key] not in (None, Measure.REVENUE) or key in _SALES
        if counts and (article := _ARTICLE_BEFORE.search(text, max(0, start - _ARTICLE_REACH), start)):
            numbers.append(_Number(Decimal(1), article.start(), article.end(), money=False, counted=False))
    items: list[_Item] = [*numbers, *words]
    items.sort(key=lambda item: item.start)
    return text, items


def _gap_cost(gap: str) -> int | None:
    """How loosely a number and a word are joined by what stands between them; None if they are not."""
    if not gap.strip():
        return 0
    if _BLOCKER.search(gap):
        return None
    pieces = _GLUE.sub(" ", gap).split()
    latin = cjk = 0
    for piece in pieces:
        if not _GAP_WORD.fullmatch(piece):
            return None
        if piece.isascii():
            latin += 1
        else:
            cjk += len(piece)
    if latin > _MAX_GAP_LATIN_WORDS or cjk > _MAX_GAP_CJK_CHARS:
        return None
    return 1 if not pieces else 2 + latin + cjk


def _pairing(text: str, first: _Item, second: _Item) -> tuple[Measure | None, int, int] | None:
    """What a number and the word next to it mean together: (measure, pairs it counts as, cost)."""
    if isinstance(first, _Number) and isinstance(second, _Word):
        number, word, number_first = first, second, True
    elif isinstance(first, _Word) and isinstance(second, _Number):
        number, word, number_first = second, first, False
    else:
        return None
    gap_text = text[first.end : second.start]
    gap = _gap_cost(gap_text)
    if gap is None:
        return None
    cost = 2 * gap
    measure = word.measure
    if measure is None:
        # A word without a measure wins its number over a measure word: "plan: 5 calls" reports no call,
        # "calls 2 hours" no two calls. Before the number, or right after it: "target 50k", "50k short",
        # "5封邮件"; in Chinese a space ends a clause, so "电话12个 本周累计60个" keeps its 12 calls.
        # One that does not claim its number only takes it when nothing else would ("5万 目标还差10万": 5万 is
        # revenue).
        claims = not number_first or word.latin or not any(char.isspace() for char in gap_text)
        return (None, 1, cost - _UNPLACEABLE_CLAIM) if claims else (None, 0, cost)
    if number_first and word.number_first_deals and not number.money:
        measure = Measure.DEALS
    if measure is Measure.REVENUE:
        if number.counted:
            return None
        cost += 0 if number.money else 3  # "total 5 calls": 5 is calls
    elif number.money:
        if measure is Measure.DEALS:
            measure = Measure.REVENUE  # "签单5万", "deal 50k": what the deals brought
        else:
            cost += 3
    # English puts the number first ("3 visits"), Chinese reports mostly after ("拜访3次").
    cost += 0 if number_first == word.latin else 1
    return measure, 1, cost


def _add(score: _Score, unknowns: int, pairs: int, cost: int) -> _Score:
    return score[0] + unknowns, score[1] - pairs, score[2] + cost


def _leftover_is_unknown(item: _Item) -> int:
    return int(isinstance(item, _Number) and not item.money)


def _best_pairs(text: str, items: list[_Item]) -> list[tuple[int, Measure | None]]:
    """The best pairing of neighbouring items: [(index of the pair's first item, its measure)].

    Pairs only join neighbours, so this is a matching on a path: dynamic programming over the items.
    """
    # best[i]: the best score over the first i items; choice[i]: whether item i-1 ends a pair, and as what.
    best: list[_Score] = [(0, 0, 0)]
    choice: list[tuple[bool, Measure | None]] = [(False, None)]
    for index, item in enumerate(items):
        score = _add(best[index], _leftover_is_unknown(item), 0, 0)
        ends_pair: tuple[bool, Measure | None] = (False, None)
        if index > 0 and (pairing := _pairing(text, items[index - 1], item)) is not None:
            measure, pair_count, cost = pairing
            # A word without a measure still explains its number ("还差2万" is no revenue): the pair
            # becomes an unknown fragment, but the number is not left for a worse reading.
            paired = _add(best[index - 1], 0, pair_count, cost)
            if paired < score:
                score, ends_pair = paired, (True, measure)
        best.append(score)
        choice.append(ends_pair)
    pairs: list[tuple[int, Measure | None]] = []
    position = len(items)
    while position > 0:
        is_pair, measure = choice[position]
        if is_pair:
            pairs.append((position - 2, measure))
            position -= 2
        else:
            position -= 1
    return pairs[::-1]


def _fragment(text: str, start: int, end: int, items: list[_Item], index: int) -> str:
    """The words around a number we could not place, up to its neighbours and clause punctuation."""
    left = 0
    if index > 0:
        previous = items[index - 1]
        trailing = _TRAILING_MEASURE.match(text, previous.end)
        left = trailing.end() if trailing and isinstance(previous, _Number) else previous.end
    right = items[index + 1].start if index + 1 < len(items) else len(text)
    for separator in _CLAUSE_SEPARATOR.finditer(text, left, right):
        if separator.end() <= start:
            left = separator.end()
        elif separator.start() >= end:
            right = separator.start()
            break
    return _LEADING_JOINER.sub("", " ".join(text[left:right].split())).strip("()（）[]【】")


def _problem(
    contributions: list[tuple[Measure, Decimal]], totals: dict[Measure, Decimal]
) -> ReportProblem | None:
    if any(value < 0 for _, value in contributions):
        return ReportProblem.NEGATIVE
    if any(total > _LIMITS[measure] for measure, total in totals.items()):
        return ReportProblem.ABSURD
    if any(
        measure is not Measure.REVENUE and value != value.to_integral_value()
        for measure, value in contributions
    ):
        return ReportProblem.NOT_WHOLE
    return None


def parse_report(text: str, *, today: date, lang: str) -> QuickReport | ReportProblem:
    """What a one-line report of a day says: counts and revenue, and the day it is about.

    `lang` ("zh_CN" or "en") only orders parse_deadline's fallback; both languages are always understood.
    Never raises: a line that cannot be taken as a report gives the ReportProblem that says why.
    """
    day_text, day, masked, unknown = _find_day(_prepare(text), today, lang)
    if day is not None and day > today:
        return ReportProblem.FUTURE_DAY
    if day is not None and (today - day).days > MAX_DAYS_BACK:
        return ReportProblem.TOO_OLD

    masked, items = _items(masked)
    paired = dict(_best_pairs(masked, items))
    contributions: list[tuple[Measure, Decimal]] = []
    fragments: list[tuple[int, str]] = []
    index = 0
    while index < len(items):
        item = items[index]
        if index in paired:
            number = item if isinstance(item, _Number) else items[index + 1]
            measure = paired[index]
            if isinstance(number, _Number) and measure is not None:
                contributions.append((measure, number.value))
            else:
                end = items[index + 1].end
                trailing = _TRAILING_MEASURE.match(masked, end)
                fragments.append(
                    (item.start, " ".join(masked[item.start : trailing.end() if trailing else end].split()))
                )
            index += 2
            continue
        if isinstance(item, _Number):
            if item.money:
                contributions.append((Measure.REVENUE, item.value))
            else:
                fragments.append((item.start, _fragment(masked, item.start, item.end, items, index)))
        index += 1

    totals: dict[Measure, Decimal] = {}
    for measure in Measure:
        values = [value for contribution_measure, value in contributions if contribution_measure is measure]
        if values:
            totals[measure] = sum(values, Decimal(0))
    problem = _problem(contributions, totals)
    if problem is not None:
        return problem
    if not totals:
        return ReportProblem.NOTHING
    return QuickReport(
        values=totals,
        day_text=day_text,
        day=None if day == today else day,
        unknown=[fragment for _, fragment in sorted(unknown + fragments)],
    )


def has_report_content(text: str) -> bool:
    """Whether a free-text answer looks like a report at all: an activity word and a number, or an amount.

    A cheap filter before trying parse_report, which still decides; it errs on the side of trying.
    """
    prepared = _prepare(text)
    if _MONEY_AMOUNT.search(prepared):
        return True
    return _WORD.search(prepared) is not None and _NUMBERISH.search(prepared) is not None
