"""The numbers and words of a one-line report, read out of the line in order: "拜访3次" is the word
拜访 (visits) and the number 3 (counted: 次 follows it), "签单5万" the word 签单 and a money amount.
How they pair up into a report is quick_log's business.
"""

from __future__ import annotations

import re
from decimal import Decimal
from enum import StrEnum
from typing import NamedTuple

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

# --- numbers -----------------------------------------------------------------------------------------

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

# find_numbers reads no number glued to a word ("3visits") and none after "x" ("x3"). Three letters at
# least, so that 50k, 1.2M, 2bn and 3rd stay as they are.
_DIGIT_THEN_WORD = re.compile(r"(?<=\d)(?=[A-Za-z]{3})")
_DIGIT_THEN_TIMES = re.compile(r"(?<=\d)([x×])(?![A-Za-z])")
_TIMES_THEN_DIGIT = re.compile(r"(?<![A-Za-z])([x×])(?=\d)")


class Number(NamedTuple):
    value: Decimal
    start: int
    end: int
    money: bool  # carries a currency or a multiplier: an amount unless a word says otherwise
    counted: bool  # followed by a count measure word (个, 次): never an amount


class Word(NamedTuple):
    measure: Measure | None
    start: int
    end: int
    latin: bool
    number_first_deals: bool  # "3 sales" are deals, "sales 12000" is revenue


Item = Number | Word


def prepare_line(text: str) -> str:
    """Full-width to ASCII, and spaces where people leave none: "3visits" → "3 visits", "x3" → "x 3"."""
    text = _DIGIT_THEN_WORD.sub(" ", normalize(text))
    text = _DIGIT_THEN_TIMES.sub(r" \1", text)
    return _TIMES_THEN_DIGIT.sub(r"\1 ", text)


def blank(text: str, spans: list[tuple[int, int]]) -> str:
    """The text with the spans replaced by spaces, so that every other index stays where it was."""
    if not spans:
        return text
    chars = list(text)
    for start, end in spans:
        chars[start:end] = " " * (end - start)
    return "".join(chars)


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


def _number(text: str, value: Decimal, start: int, end: int, *, money_mark: bool) -> Number:
    counted = _COUNT_AFTER.match(text, end) is not None
    money = money_mark or _MONEY_AFTER.match(text, end) is not None
    return Number(value, start, end, money and not counted, counted)


def read_items(text: str) -> tuple[str, list[Item]]:
    """(the text with times of day blanked, its numbers and words in order)."""
    numbers: list[Number] = []
    scientific = list(_SCIENTIFIC.finditer(text))
    for match in scientific:
        numbers.append(_number(text, _scientific_value(match), match.start(), match.end(), money_mark=False))
    text = blank(text, [match.span() for match in scientific])
    text = blank(text, [match.span() for match in _TIME_OF_DAY.finditer(text)])
    for value, start, end in find_numbers(text):
        numbers.append(_number(text, value, start, end, money_mark=bool(_MONEY_MARK.search(text[start:end]))))
    in_number = bytearray(len(text))
    for number in numbers:
        in_number[number.start : number.end] = b"\x01" * (number.end - number.start)
    words: list[Word] = []
    for match in _WORD.finditer(text):
        start, end = match.span()
        if any(in_number[start:end]):
            continue  # a numeral read as part of a word elsewhere
        key = " ".join(match.group().lower().split())
        if key not in _WORDS:
            continue  # matched only by Unicode case folding ("ſales"): not a word anyone types
        words.append(Word(_WORDS[key], start, end, key.isascii(), key in _SALES))
        counts = _WORDS[key] not in (None, Measure.REVENUE) or key in _SALES
        if counts and (article := _ARTICLE_BEFORE.search(text, max(0, start - _ARTICLE_REACH), start)):
            numbers.append(Number(Decimal(1), article.start(), article.end(), money=False, counted=False))
    items: list[Item] = [*numbers, *words]
    items.sort(key=lambda item: item.start)
    return text, items
