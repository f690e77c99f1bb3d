"""Understanding numbers as salespeople type them: Chinese numerals, 万/亿, k/M, currencies and percents.

Everything here is pure and language-agnostic: `lang` only exists so that callers can pass it uniformly,
because users mix Chinese and English notations whatever their interface language is.
"""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation

# Full-width forms (１２３％＄) typed by Chinese IMEs, mapped one character to one character so that spans
# found in the normalized text are spans in the original text too. The full-width comma is left alone: it
# usually separates clauses ("50万，100万"), and only strict digit grouping below reads it as a separator.
_FULLWIDTH = str.maketrans(
    {chr(code): chr(code - 0xFEE0) for code in range(0xFF01, 0xFF5F) if code != 0xFF0C}
    | {"\u3000": " ", "\uffe5": "¥", "\u2212": "-"}
)

CHINESE_DIGITS: dict[str, int] = {
    "零": 0, "〇": 0, "一": 1, "壹": 1, "二": 2, "贰": 2, "貳": 2, "两": 2, "兩": 2,
    "三": 3, "叁": 3, "參": 3, "四": 4, "肆": 4, "五": 5, "伍": 5, "六": 6, "陆": 6, "陸": 6,
    "七": 7, "柒": 7, "八": 8, "捌": 8, "九": 9, "玖": 9,
}  # fmt: skip
_SMALL_UNITS: dict[str, int] = {"十": 10, "拾": 10, "百": 100, "佰": 100, "千": 1000, "仟": 1000}
_BIG_UNITS: dict[str, int] = {"万": 10**4, "萬": 10**4, "亿": 10**8, "億": 10**8}
_UNITS: dict[str, int] = _SMALL_UNITS | _BIG_UNITS
_ZEROS = frozenset("零〇")

_CN_CHARS = "".join(CHINESE_DIGITS) + "".join(_UNITS)
_CN_DIGIT_CHARS = "".join(CHINESE_DIGITS)
# One numeral piece: an Arabic number (digits, optionally grouped by commas, optionally decimal) or one
# Chinese numeral character; "点" is the Chinese decimal point when a digit follows it (一点五万).
# A Chinese IME in Chinese mode types "，" for the comma key, so "80，000" is grouped like "80,000".
_ARABIC = r"(?:\d{1,3}(?:[,，]\d{3})+(?!\d)|\d+)(?:\.\d+)?"
# A whole numeral: pieces in a row, and a space allowed between digits and a Chinese unit ("100 万"). Atomic,
# so that a run of digits is never re-split when what follows it fails (exponential time on "111…1x").
_RUN = (
    rf"(?>(?:{_ARABIC}|[{_CN_CHARS}])"
    rf"(?:{_ARABIC}|[{_CN_CHARS}]|(?<=\d)\s[{''.join(_UNITS)}]|点(?=[\d{_CN_DIGIT_CHARS}]))*)"
)

_PLAIN_DECIMAL = re.compile(r"\d+(?:\.\d+)?")
# A decimal followed by units only: 1.5万, 一点五万, 1.2百万, 十二点五.
_DECIMAL_RUN = re.compile(
    rf"(?P<whole>[^.点]+)[.点](?P<fraction>[\d{_CN_DIGIT_CHARS}]+)(?P<units>[{''.join(_UNITS)}]*)"
)

# The one English number-word table: zero to twenty and the tens. Compounds ("twenty-five") and scales
# ("three hundred") are read from these words.
ENGLISH_NUMBER_WORDS: dict[str, int] = {
    "zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
    "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15,
    "sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19, "twenty": 20, "thirty": 30,
    "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90,
}  # fmt: skip
_EN_SCALES: dict[str, int] = {"hundred": 100, "thousand": 10**3, "million": 10**6, "billion": 10**9}
_EN_FIRST = "|".join(sorted(ENGLISH_NUMBER_WORDS, key=len, reverse=True))
_EN_ANY = "|".join(sorted(ENGLISH_NUMBER_WORDS | _EN_SCALES, key=len, reverse=True))
_EN_WORDS = rf"(?:{_EN_FIRST})(?:(?:\s+|-)(?:and\s+)?(?:{_EN_ANY}))*\b"
# For patterns elsewhere that look for a count: "five", "twenty-five", "one hundred".
ENGLISH_NUMBER_PATTERN = rf"\b{_EN_WORDS}"

# Multipliers written after a number: 500k, 1.2M, 2bn, 5w (w is the pinyin shorthand for 万), 3 thousand.
_SUFFIX_WORDS: dict[str, int] = {
    "k": 10**3, "thousand": 10**3, "hundred": 100, "w": 10**4, "m": 10**6, "mn": 10**6, "million": 10**6,
    "b": 10**9, "bn": 10**9, "billion": 10**9,
}  # fmt: skip

_NUMBER_TOKEN = re.compile(
    rf"""
    (?P<pct_prefix>百分之)(?P<pct_body>{_RUN})
    |
    (?<![A-Za-z0-9_.{_CN_CHARS}])           # not the tail of an identifier (Q2, v1.2) or of a numeral
    (?:
        (?P<words>{_EN_WORDS})
        |
        (?P<sign>[-负])?
        (?P<currency>(?:rmb|cny|usd|hkd|eur|gbp|us\$|hk\$|[$¥€£])\s?)?
        (?P<body>{_RUN})
        (?:\s?(?P<word_suffix>thousand|million|billion|hundred|mn|bn)\b|(?P<letter_suffix>[kmbw]))?
        (?P<percent>\s?(?:%|percent\b|per\s?cent\b|pct\b|个百分点))?
        (?:\s?(?:rmb|cny|usd|hkd|eur|gbp|yuan|dollars?|bucks|euros?)\b)?
        (?![A-Za-z0-9]|\.\d)                # 1e309, 3rd, 5kg and 1.2.3 are not amounts
    )
    """,
    re.IGNORECASE | re.VERBOSE,
)

# Characters after a lone Chinese numeral that make it a count (十个, 两家, 三单) rather than part of a word
# (一定, 十分, 一起); measure words, currency and time units.
_MEASURE_WORDS = frozenset("个位家单笔次元块件台套份张场通人名天周月年项户批回趟条封倍万亿千百")
# Before a Chinese numeral these make it an ordinal, a weekday or an approximation, not a quantity.
_NOT_QUANTITY_BEFORE = ("第", "周", "星期", "礼拜", "初", "几", "数")
_APPROXIMATE_AFTER = frozenset("多几来余")


def normalize(text: str) -> str:
    """Full-width ASCII to ASCII, keeping every character at its index."""
    return text.translate(_FULLWIDTH)


def parse_chinese_numeral(text: str) -> int | None:
    """An integer written with Chinese numerals, Arabic digits or both: 一百二十万, 3万5千, 1万2, 二〇二七.

    Financial forms (壹贰叁…拾佰仟) and the spoken abbreviations 三百五 (350) and 1万2 (12000) are
    understood. None if the text is anything else.
    """
    pieces = re.findall(r"\d+|\S", normalize(text).strip())
    if not pieces or any(
        not piece.isdigit() and piece not in CHINESE_DIGITS and piece not in _UNITS for piece in pieces
    ):
        return None
    if not any(piece in _UNITS for piece in pieces):
        # Read digit by digit, as years are: 二〇二七 is 2027.
        return int("".join(piece if piece.isdigit() else str(CHINESE_DIGITS[piece]) for piece in pieces))

    total = 0  # whole 亿 groups
    wan = 0  # the 万 group inside the current 亿 group
    low = 0  # below 万
    pending: int | None = None  # a digit still waiting for its unit
    last_unit = 1
    smallest_small_unit = 10**4  # small units must decrease inside a group: 一千二百, never 十百
    zero_since_unit = False
    for piece in pieces:
        if piece.isdigit() or piece in CHINESE_DIGITS:
            if piece in _ZEROS:
                zero_since_unit = True
                continue
            if pending is not None:
                return None
            pending = int(piece) if piece.isdigit() else CHINESE_DIGITS[piece]
            continue
        unit = _UNITS[piece]
        if unit in _SMALL_UNITS.values():
            if unit >= smallest_small_unit:
                return None
            low += (1 if pending is None else pending) * unit
            smallest_small_unit = unit
        elif unit == 10**4:
            if wan:
                return None
            wan = ((low + (pending or 0)) or 1) * unit
            low, smallest_small_unit = 0, 10**4
        else:
            total = (total + ((wan + low + (pending or 0)) or 1)) * unit
            wan, low, smallest_small_unit = 0, 0, 10**4
        pending, last_unit, zero_since_unit = None, unit, False
    if pending is not None:
        # 三百五 is 350 and 1万2 is 12000: a lone trailing digit counts in the next lower unit.
        abbreviated = not zero_since_unit and last_unit >= 100 and pending < 10
        low += pending * (last_unit // 10) if abbreviated else pending
    return total + wan + low


def _parse_english_words(text: str) -> int | None:
    """twenty-five, one hundred and twenty, three million."""
    total = current = 0
    for word in re.split(r"[\s-]+", text.lower()):
        if word == "and":
            continue
        if word in ENGLISH_NUMBER_WORDS:
            current += ENGLISH_NUMBER_WORDS[word]
        elif word == "hundred":
            current = (current or 1) * 100
        elif word in _EN_SCALES:
            total += (current or 1) * _EN_SCALES[word]
            current = 0
        else:
            return None
    return total + current


# A count or a rating typed alone: the number, then a scale ("/10", "out of 10") and a unit ("分", "points").
_SMALL_NUMBER = re.compile(
    r"(?P<number>.+?)\s*(?:(?:/|\bout\s+of\b|\bof\b)\s*(?P<scale>.+?))?\s*(?:分|\bpoints?|\bpts?)?",
    re.IGNORECASE,
)
_TRAILING_PUNCTUATION = ".!?。！？~"


def _whole_number(text: str) -> int | None:
    """Digits, a Chinese numeral or English number words, and nothing else: 7, 七, 两, 二十, twenty-one."""
    if text.isascii() and text.isdigit():
        return int(text)
    if text.isascii():
        words = re.fullmatch(r"(?P<first>[a-z]+)(?:[\s-]+[a-z]+)*", text)
        return _parse_english_words(text) if words and words["first"] in ENGLISH_NUMBER_WORDS else None
    return parse_chinese_numeral(text)


def parse_small_number(text: str, *, out_of: int | None = None) -> int | None:
    """The count or rating in an answer that is only a number: "7", "七", "五", "两", "二十", "eight",
    "twenty-one", "7分", "7/10", "8 out of 10".

    With `out_of`, a scale typed after the number must be that scale: "3/5" answers no 1-10 question. The
    caller checks the range. None for anything else (decimals, negatives, words around the number).
    """
    cleaned = normalize(text).strip().rstrip(_TRAILING_PUNCTUATION).strip().casefold()
    match = _SMALL_NUMBER.fullmatch(cleaned)
    if match is None:
        return None
    if match["scale"] is not None and (
        (scale := _whole_number(match["scale"])) is None or (out_of is not None and scale != out_of)
    ):
        return None
    return _whole_number(match["number"])


def _integral_as_int(value: Decimal) -> Decimal:
    """15000 rather than 15000.0 once a multiplier made a decimal whole; 1234.50 stays as typed."""
    if value == value.to_integral_value() and abs(value) < 10**30:
        return Decimal(int(value))
    return value


def _parse_run(run: str) -> Decimal | None:
    """The value of one numeral run: 80,000 / 1.5万 / 一点五万 / 三十万 / 3万5千."""
    run = re.sub(r"[,，\s]", "", run)
    if _PLAIN_DECIMAL.fullmatch(run):
        return Decimal(run)
    decimal = _DECIMAL_RUN.fullmatch(run)
    if decimal is None:
        integer = parse_chinese_numeral(run)
        return None if integer is None else Decimal(integer)
    whole = parse_chinese_numeral(decimal.group("whole"))
    if whole is None:
        return None
    digits = "".join(
        char if char.isdigit() else str(CHINESE_DIGITS[char]) for char in decimal.group("fraction")
    )
    try:
        value = Decimal(f"{whole}.{digits}")
    except InvalidOperation:
        return None
    for unit in decimal.group("units"):
        value *= _UNITS[unit]
    return value


def _is_lone_chinese_word(text: str, start: int, end: int) -> bool:
    """Whether a Chinese-only numeral is a word (一定, 千万, 第二, 周三, 三十多) rather than a quantity."""
    run = text[start:end]
    after = text[end] if end < len(text) else ""
    ends_a_quantity = after == "" or after.isspace() or after in _MEASURE_WORDS or not after.isalnum()
    before = text[start - 1] if start else ""
    if text[:start].endswith(_NOT_QUANTITY_BEFORE) or after in _APPROXIMATE_AFTER:
        return True
    if before in _APPROXIMATE_AFTER:
        return True  # the 万 of 三十多万 (three hundred thousand or so)
    if run[0] not in CHINESE_DIGITS and run[0] not in "十拾":
        # 百万 and 千万 alone are amounts, but 千万不要 (by all means), 万一 (in case) and 百分 are words.
        return not (all(char in _UNITS for char in run) and ends_a_quantity)
    if not any(char in _UNITS for char in run) and len(run) > 1 and not _ZEROS & set(run):
        return True  # 三五个 is "three to five", not 35
    return len(run) == 1 and not ends_a_quantity


def _scan(text: str) -> tuple[list[tuple[Decimal, int, int]], list[tuple[Decimal, int, int]]]:
    """All plain numbers and all percents in the text, each with its character span."""
    normalized = normalize(text)
    numbers: list[tuple[Decimal, int, int]] = []
    percents: list[tuple[Decimal, int, int]] = []
    for match in _NUMBER_TOKEN.finditer(normalized):
        if match.group("pct_prefix"):
            value = _parse_run(match.group("pct_body"))
            if value is not None:
                percents.append((_integral_as_int(value), match.start(), match.end()))
            continue
        if match.group("words"):
            words_value = _parse_english_words(match.group("words"))
            if words_value is not None:
                numbers.append((Decimal(words_value), match.start(), match.end()))
            continue
        body = match.group("body")
        body_start = match.start("body")
        if not re.search(r"\d", body) and _is_lone_chinese_word(normalized, body_start, match.end("body")):
            continue
        if normalized[:body_start].endswith("第"):
            continue
        value = _parse_run(body)
        if value is None or not value.is_finite():
            continue
        suffix = (match.group("word_suffix") or match.group("letter_suffix") or "").lower()
        value *= _SUFFIX_WORDS.get(suffix, 1)
        if match.group("sign"):
            value = -value
        token = (_integral_as_int(value), match.start(), match.end())
        (percents if match.group("percent") else numbers).append(token)
    return numbers, percents


def find_numbers(text: str) -> list[tuple[Decimal, int, int]]:
    """Every number in the text with its (start, end) span, in order; percents are left out.

    Understands 50万, 1.5万, 三十万, 3万5千, ¥80,000, $1,234.50, RMB 5000, 500k, 1.2M, 5w, 1.2 million,
    twenty five, -5. Ordinals (第二), weekdays (周三), identifiers (Q2) and words that merely contain a
    numeral character (一定, 千万) are not numbers.
    """
    return _scan(text)[0]


def find_percents(text: str) -> list[tuple[Decimal, int, int]]:
    """Every percent in the text with its span: 20%, 20 percent, 百分之二十 and 20个百分点 all give 20."""
    return _scan(text)[1]


def _single_value(tokens: list[tuple[Decimal, int, int]]) -> Decimal | None:
    """The value when the text holds exactly one distinct one; a repeated value counts once."""
    if len({value for value, _, _ in tokens}) != 1:
        return None
    return tokens[0][0]


# Digits that are not an amount a person typed: scientific notation (1e-400, 2E+5, 1.5e3) and a number
# inside code or markup (alert(1), <b>5</b>, {5}, [5], `5`). Read anyway, they gave 400 and 1.
_NOT_AN_AMOUNT = re.compile(
    r"\d\s*[eE]\s*[-+]?\s*\d"  # an exponent
    r"|[A-Za-z_][A-Za-z0-9_]*\("  # a call: a name glued to its parenthesis ("deals (50k)" is prose)
    r"|<[^<>]*>|[{}\[\]`\\]"  # a tag, braces, brackets, backticks, backslashes
    r"|\d\s*(?:分|points?\b|pts?\b)",  # a score or minutes ("8分", "8 points", "20分钟"): not money or a count
    re.IGNORECASE,
)


def parse_amount(text: str, *, lang: str) -> Decimal | None:
    """The amount or count in a message ("50万", "¥80,000", "1.2M", "十个新客户", "签了50万的单").

    None when there is no number or several different ones (a multi-field message), for a percent
    alone (12.5% is not an amount), and for exponents and numbers wrapped in code or markup
    ("1e-400", "alert(1)"). A minus sign is kept so that the caller can reject it explicitly.
    """
    if _NOT_AN_AMOUNT.search(normalize(text)):
        return None
    return _single_value(find_numbers(text))


def parse_percent(text: str, *, lang: str) -> Decimal | None:
    """The percent in a message: "20%", "百分之二十", "20 percent", "增长20%" give Decimal("20").

    None when the text holds no percent, or several different ones.
    """
    return _single_value(find_percents(text))
