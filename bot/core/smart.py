"""The SMART checks: is a goal specific, measurable, achievable, relevant and time-bound."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import ROUND_CEILING, ROUND_HALF_UP, Decimal
from enum import StrEnum

from bot.core.dates import find_date_phrase
from bot.core.metrics import MetricKind
from bot.core.numbers import parse_amount, parse_percent

MAX_DESCRIPTION = 200
MAX_RELEVANCE = 300
MAX_AMOUNT = {MetricKind.CURRENCY: Decimal(10) ** 12, MetricKind.COUNT: Decimal(10) ** 6}
MAX_GROWTH_PERCENT = Decimal(1000)
MAX_YEARS_AHEAD = 3
UNREALISTIC_GROWTH = Decimal(50)
TOO_SMALL_GROWTH = Decimal(2)
LOW_CONFIDENCE = 6


class TextProblem(StrEnum):
    NO_WORDS = "no_words"
    TOO_LONG = "too_long"
    VAGUE = "vague"


# A description made only of these words says a direction, not a goal ("increase sales", "做得更好").
_VAGUE_WORDS = {
    "increase",
    "improve",
    "grow",
    "boost",
    "raise",
    "more",
    "better",
    "best",
    "do",
    "my",
    "the",
    "a",
    "to",
    "be",
    "sales",
    "sale",
    "revenue",
    "performance",
    "results",
    "numbers",
    "try",
    "hard",
    "harder",
    "work",
    "get",
    "make",
    "much",
    "lot",
    "lots",
    "of",
    "good",
    "great",
    "well",
    "some",
    "it",
    "things",
    "everything",
    "i",
    "will",
    "want",
    "提高",
    "提升",
    "增加",
    "增长",
    "销售额",
    "销售",
    "业绩",
    "做得",
    "更好",
    "好",
    "更",
    "多",
    "一些",
    "尽力",
    "努力",
    "加油",
    "争取",
    "尽量",
    "做",
    "到",
    "最好",
    "我",
    "要",
    "的",
    "把",
    "得",
    "点",
    "一点",
    "卖",
    "更多",
    "额",
}
_WORD = re.compile(r"[a-zA-Z]+|[\u4e00-\u9fff]")
_CJK_VAGUE_PHRASES = sorted(
    (w for w in _VAGUE_WORDS if re.match(r"[\u4e00-\u9fff]", w)), key=len, reverse=True
)


def has_words(text: str) -> bool:
    """True when the text has letters or Chinese characters, not only emoji, digits or punctuation."""
    return any(unicodedata.category(char).startswith("L") for char in text)


def is_vague(text: str) -> bool:
    """A description that names no customer, product, region or action beyond "sell more"."""
    lowered = text.casefold()
    for phrase in _CJK_VAGUE_PHRASES:
        lowered = lowered.replace(phrase, " ")
    remaining = [word for word in _WORD.findall(lowered) if word not in _VAGUE_WORDS]
    latin = [word for word in remaining if word.isascii()]
    cjk = [word for word in remaining if not word.isascii()]
    return len(latin) + len(cjk) / 2 < 2


def description_problem(text: str) -> TextProblem | None:
    if not has_words(text):
        return TextProblem.NO_WORDS
    if len(text) > MAX_DESCRIPTION:
        return TextProblem.TOO_LONG
    return TextProblem.VAGUE if is_vague(text) else None


def relevance_problem(text: str) -> TextProblem | None:
    """An objective needs a few words: "company goal" alone does not say which one."""
    if not has_words(text):
        return TextProblem.NO_WORDS
    if len(text) > MAX_RELEVANCE:
        return TextProblem.TOO_LONG
    meaningful = len(re.findall(r"[a-zA-Z]+", text)) + len(re.findall(r"[\u4e00-\u9fff]", text)) / 2
    return TextProblem.VAGUE if meaningful < 3 else None


class AmountProblem(StrEnum):
    NOT_A_NUMBER = "not_a_number"
    ZERO = "zero"
    NEGATIVE = "negative"
    TOO_LARGE = "too_large"
    NOT_WHOLE = "not_whole"


def amount_problem(
    value: Decimal | None, kind: MetricKind, *, zero_allowed: bool = False
) -> AmountProblem | None:
    if value is None or not value.is_finite():
        return AmountProblem.NOT_A_NUMBER
    if value < 0:
        return AmountProblem.NEGATIVE
    if value == 0 and not zero_allowed:
        return AmountProblem.ZERO
    if value > MAX_AMOUNT[kind]:
        return AmountProblem.TOO_LARGE
    if kind is MetricKind.COUNT and value != value.to_integral_value():
        return AmountProblem.NOT_WHOLE
    return None


def growth_problem(percent: Decimal) -> AmountProblem | None:
    if percent < 0:
        return AmountProblem.NEGATIVE
    if percent == 0:
        return AmountProblem.ZERO
    return AmountProblem.TOO_LARGE if percent > MAX_GROWTH_PERCENT else None


class DeadlineProblem(StrEnum):
    ASAP = "asap"
    NOT_A_DATE = "not_a_date"
    PAST = "past"
    TOO_FAR = "too_far"


_ASAP = re.compile(
    r"^\s*(?:asap|a\.s\.a\.p\.?|as soon as possible|soon|right away|immediately|now|someday|whenever|"
    r"尽快|越快越好|马上|立刻|立即|早日|尽早|赶紧|随时)\s*[.!。!]*\s*$",
    re.IGNORECASE,
)


def is_asap(text: str) -> bool:
    return bool(_ASAP.match(text))


def deadline_problem(deadline: date, today: date) -> DeadlineProblem | None:
    if deadline <= today:
        return DeadlineProblem.PAST
    if deadline > add_years(today, MAX_YEARS_AHEAD):
        return DeadlineProblem.TOO_FAR
    return None


@dataclass(frozen=True)
class DescribedFigures:
    """What a goal's description already says: a target (an amount or a growth) and a deadline."""

    amount: Decimal | None = None
    growth_percent: Decimal | None = None
    deadline: date | None = None
    deadline_words: str = ""  # the phrase that named it, as typed (cleaned): "下季度"


def figures_in_description(text: str, today: date, country: str | None = None) -> DescribedFigures:
    """The target and the deadline a description holds ("下季度把华东区销售额做到200万" → 200万, 下季度),
    to offer at those questions; a number inside the date phrase ("3月底") is no target."""
    found = find_date_phrase(text, today=today, country=country)
    rest = text if found is None else found.rest
    deadline = found.day if found and found.day and deadline_problem(found.day, today) is None else None
    growth = parse_percent(rest, lang="")
    amount = None if growth is not None else parse_amount(rest, lang="")
    return DescribedFigures(
        amount=amount if amount is not None and amount > 0 else None,
        growth_percent=growth if growth is not None and growth_problem(growth) is None else None,
        deadline=deadline,
        deadline_words=found.words if found and deadline else "",
    )


def add_years(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


class Ambition(StrEnum):
    NO_BASELINE = "no_baseline"
    NEW_GROUND = "new_ground"
    TOO_SMALL = "too_small"
    REALISTIC = "realistic"
    UNREALISTIC = "unrealistic"


@dataclass(frozen=True, slots=True)
class AmbitionCheck:
    verdict: Ambition
    growth_percent: Decimal | None

    @property
    def needs_review(self) -> bool:
        return self.verdict in (Ambition.TOO_SMALL, Ambition.UNREALISTIC)


def assess_ambition(target: Decimal, baseline: Decimal | None) -> AmbitionCheck:
    """Compare a target with the baseline of a period as long as the goal's."""
    if baseline is None:
        return AmbitionCheck(Ambition.NO_BASELINE, None)
    if baseline == 0:
        return AmbitionCheck(Ambition.NEW_GROUND, None)
    growth = ((target / baseline - 1) * 100).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
    if growth >= UNREALISTIC_GROWTH:
        return AmbitionCheck(Ambition.UNREALISTIC, growth)
    if growth <= TOO_SMALL_GROWTH:
        return AmbitionCheck(Ambition.TOO_SMALL, growth)
    return AmbitionCheck(Ambition.REALISTIC, growth)


def target_from_growth(baseline: Decimal, percent: Decimal, kind: MetricKind) -> Decimal:
    """The absolute target a growth percentage means; counts round up, so "+20%" is never under 20%."""
    raw = baseline * (1 + percent / 100)
    if kind is MetricKind.COUNT:
        return raw.to_integral_value(rounding=ROUND_CEILING)
    return raw.quantize(Decimal("0.01"))


@dataclass(frozen=True, slots=True)
class Milestone:
    target: Decimal
    deadline: date


def first_milestone(target: Decimal, start: date, deadline: date, kind: MetricKind) -> Milestone:
    """A smaller first step for a goal the user doubts: half the target by the halfway day."""
    half = target / 2
    half = (
        half.to_integral_value(rounding=ROUND_CEILING)
        if kind is MetricKind.COUNT
        else half.quantize(Decimal(1))
    )
    midpoint = start + timedelta(days=max(1, (deadline - start).days // 2))
    return Milestone(max(half, Decimal(1)), midpoint)


class PeriodUnit(StrEnum):
    DAYS = "days"
    WEEKS = "weeks"
    MONTHS = "months"


@dataclass(frozen=True, slots=True)
class Period:
    count: int
    unit: PeriodUnit


def period_between(start: date, end: date) -> Period:
    """The length from start to end in the unit people would use: months, else weeks, else days."""
    days = (end - start).days
    months = round(days / 30.44)
    if days >= 56 and abs(days - months * 30.44) <= 4:
        return Period(months, PeriodUnit.MONTHS)
    if days >= 14 and days % 7 == 0:
        return Period(days // 7, PeriodUnit.WEEKS)
    return Period(days, PeriodUnit.DAYS)
