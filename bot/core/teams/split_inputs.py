"""What the manager types for a split: a weight per member, a part by hand, an over-assignment percentage.

All read by the house's number parser (bot.core.numbers), so "2", "1.5", "两", "30%", "50万" and "5w" mean
what they mean elsewhere. A typed weight of 0 is refused like a negative or unreadable one: to leave
someone out of a split, take them out of it (or give them 0 by hand), so a slip of the finger never
silently zeroes a colleague. A part by hand may be 0.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum

from bot.core.metrics import MetricKind
from bot.core.numbers import parse_amount, parse_percent
from bot.core.smart import AmountProblem, amount_problem
from bot.core.teams.split import MAX_OVER_PERCENT

MAX_WEIGHT = Decimal(10) ** 6


class WeightProblem(StrEnum):
    NOT_A_NUMBER = "not_a_number"
    ZERO = "zero"
    NEGATIVE = "negative"
    TOO_LARGE = "too_large"


def _number(text: str, lang: str) -> Decimal | None:
    """A plain number or a percent ("30%" weighs 30, as "30" does)."""
    percent = parse_percent(text, lang=lang)
    return percent if percent is not None else parse_amount(text, lang=lang)


def parse_weight(text: str, *, lang: str) -> Decimal | WeightProblem:
    """One member's weight, or why it cannot be one."""
    value = _number(text, lang)
    if value is None or not value.is_finite():
        return WeightProblem.NOT_A_NUMBER
    if value < 0:
        return WeightProblem.NEGATIVE
    if value == 0:
        return WeightProblem.ZERO
    return WeightProblem.TOO_LARGE if value > MAX_WEIGHT else value


@dataclass(frozen=True)
class WeightRefusal:
    member_id: int
    problem: WeightProblem


@dataclass(frozen=True)
class ParsedWeights:
    """The weights that parsed and, for the others, why not; usable only when `refusals` is empty."""

    weights: dict[int, Decimal]
    refusals: tuple[WeightRefusal, ...]

    @property
    def ok(self) -> bool:
        return not self.refusals


def parse_weights(texts: Mapping[int, str], *, lang: str) -> ParsedWeights:
    """Each member's typed weight (member id -> text), every refusal with its member."""
    weights: dict[int, Decimal] = {}
    refusals: list[WeightRefusal] = []
    for member, text in texts.items():
        parsed = parse_weight(text, lang=lang)
        if isinstance(parsed, WeightProblem):
            refusals.append(WeightRefusal(member, parsed))
        else:
            weights[member] = parsed
    return ParsedWeights(weights, tuple(refusals))


def parse_hand_part(text: str, kind: MetricKind, *, lang: str) -> int | AmountProblem:
    """A part typed by hand, in whole units; 0 is allowed, cents and percents are not."""
    amount = parse_amount(text, lang=lang)
    problem = amount_problem(amount, kind, zero_allowed=True)
    if problem is not None:
        return problem
    if amount is None:  # amount_problem already said NOT_A_NUMBER; this tells mypy
        return AmountProblem.NOT_A_NUMBER
    if amount != amount.to_integral_value():
        return AmountProblem.NOT_WHOLE
    return int(amount)


class OverAssignmentProblem(StrEnum):
    NOT_A_NUMBER = "not_a_number"
    NEGATIVE = "negative"
    TOO_LARGE = "too_large"  # above MAX_OVER_PERCENT


def parse_over_assignment(text: str, *, lang: str) -> Decimal | OverAssignmentProblem:
    """The over-assignment percentage: "10%", "10", "百分之十", "0" (none)."""
    value = _number(text, lang)
    if value is None or not value.is_finite():
        return OverAssignmentProblem.NOT_A_NUMBER
    if value < 0:
        return OverAssignmentProblem.NEGATIVE
    return OverAssignmentProblem.TOO_LARGE if value > MAX_OVER_PERCENT else value
