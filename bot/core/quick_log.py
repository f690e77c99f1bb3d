"""Understanding a salesperson's one-line report of a day: "拜访3次 电话12个 签单1个 共5万", "yesterday 3 visits,
12 calls, 1 deal 50k". Used by the daily review's fast path and by /log (the caller strips "/log").

How a line is read:

- A day phrase is looked for first ("昨天", "上周五", "11月20日", "yesterday", "2026-11-20") by
  `find_day_phrases`, which resolves it looking back: phrases that name no particular occurrence
  ("11月20日", "周三", "Friday", "20号") mean the latest one on or before today, since a report looks
  back: "周三" said on a Friday is two days ago. The phrase is taken out of the line so that its digits
  are not counted. `day` is None for today.
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
from datetime import date
from decimal import Decimal
from enum import StrEnum

from bot.core.dates import find_day_phrases
from bot.core.report_items import Item, Measure, Number, Word, blank, prepare_line, read_items

__all__ = [
    "MAX_CALLS_PER_DAY",
    "MAX_COUNT_PER_DAY",
    "MAX_DAYS_BACK",
    "MAX_REVENUE_PER_DAY",
    "Measure",  # defined with the words that name one, in report_items
    "QuickReport",
    "ReportProblem",
    "parse_report",
]


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

# --- what may stand between a number and its word ---------------------------------------------------

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

# Lower is better: (numbers left with no word and no money mark, -pairs, gap cost).
_Score = tuple[int, int, int]


# --- the day -------------------------------------------------------------------------------------------


def _find_day(
    text: str, today: date, lang: str
) -> tuple[str | None, date | None, str, list[tuple[int, str]]]:
    """(the day phrase, its day, the text with day phrases blanked, phrases that could not be used)."""
    day_text: str | None = None
    day: date | None = None
    unusable: list[tuple[int, str]] = []
    spans: list[tuple[int, int]] = []
    for phrase in find_day_phrases(text, today=today, lang=lang):
        # Blanked even when unresolvable: 2月30日 holds no count, and "3/5" (either side may be the month)
        # is a date or a ratio, either way not five of something.
        spans.append((phrase.start, phrase.end))
        if phrase.day is not None and day_text is None:
            day_text, day = phrase.text, phrase.day
        elif phrase.day is None or phrase.day != day:
            unusable.append((phrase.start, phrase.text))  # 2月30日, or a second phrase naming another day
    return day_text, day, blank(text, spans), unusable


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


def _pairing(text: str, first: Item, second: Item) -> tuple[Measure | None, int, int] | None:
    """What a number and the word next to it mean together: (measure, pairs it counts as, cost)."""
    if isinstance(first, Number) and isinstance(second, Word):
        number, word, number_first = first, second, True
    elif isinstance(first, Word) and isinstance(second, Number):
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


def _leftover_is_unknown(item: Item) -> int:
    return int(isinstance(item, Number) and not item.money)


def _best_pairs(text: str, items: list[Item]) -> list[tuple[int, Measure | None]]:
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


def _fragment(text: str, start: int, end: int, items: list[Item], index: int) -> str:
    """The words around a number we could not place, up to its neighbours and clause punctuation."""
    left = 0
    if index > 0:
        previous = items[index - 1]
        trailing = _TRAILING_MEASURE.match(text, previous.end)
        left = trailing.end() if trailing and isinstance(previous, Number) else previous.end
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

    `lang` ("zh_CN" or "en") only orders the date parser's fallback; both languages are always understood.
    Never raises: a line that cannot be taken as a report gives the ReportProblem that says why.
    """
    day_text, day, masked, unknown = _find_day(prepare_line(text), today, lang)
    if day is not None and day > today:
        return ReportProblem.FUTURE_DAY
    if day is not None and (today - day).days > MAX_DAYS_BACK:
        return ReportProblem.TOO_OLD

    masked, items = read_items(masked)
    paired = dict(_best_pairs(masked, items))
    contributions: list[tuple[Measure, Decimal]] = []
    fragments: list[tuple[int, str]] = []
    index = 0
    while index < len(items):
        item = items[index]
        if index in paired:
            number = item if isinstance(item, Number) else items[index + 1]
            measure = paired[index]
            if isinstance(number, Number) and measure is not None:
                contributions.append((measure, number.value))
            else:
                end = items[index + 1].end
                trailing = _TRAILING_MEASURE.match(masked, end)
                fragments.append(
                    (item.start, " ".join(masked[item.start : trailing.end() if trailing else end].split()))
                )
            index += 2
            continue
        if isinstance(item, Number):
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
