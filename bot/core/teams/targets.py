"""A team's target as the manager types it: an amount ("600万", "120 deals") or growth over last year.

Growth is read by the same number parser as /newgoal ("+30%", "增长30%", "30% more than last year",
"百分之三十") and checked by the same SMART rules (bot.core.smart); a decline ("减少10%", "10% less") is
refused, since a target below last year is typed as an amount. A team target is split in whole currency
units or whole counts, so an amount with cents is refused and a growth target rounds up to a whole unit:
"+30%" never means less than 30%.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import ROUND_CEILING, Decimal
from enum import StrEnum

from bot.core.metrics import MetricKind
from bot.core.numbers import normalize, parse_amount, parse_percent
from bot.core.smart import amount_problem, growth_problem, target_from_growth


class TargetKind(StrEnum):
    AMOUNT = "amount"
    GROWTH = "growth"


class TargetProblem(StrEnum):
    NOT_A_NUMBER = "not_a_number"
    ZERO = "zero"
    NEGATIVE = "negative"
    TOO_LARGE = "too_large"
    NOT_WHOLE = "not_whole"
    DECLINE = "decline"  # "10% less than last year": type the amount instead
    NO_BASELINE = "no_baseline"  # growth over a figure nobody knows
    ZERO_BASELINE = "zero_baseline"  # growth on top of nothing


@dataclass(frozen=True)
class TeamTargetSpec:
    """What the manager meant: an amount, or a growth percentage over the baseline (last year)."""

    kind: TargetKind
    value: Decimal  # the amount, or the growth percent

    @property
    def is_growth(self) -> bool:
        return self.kind is TargetKind.GROWTH


_DECLINE = re.compile(
    r"\b(?:less|fewer|lower|down|decrease|decline|drop|reduce|cut)\b|下降|减少|降低|下滑|缩减", re.IGNORECASE
)
# "no less than 30% more", "不低于": a negated decline word is no decline.
_NEGATION = re.compile(r"(?:\bno|\bnot|不)\s*$", re.IGNORECASE)


def _says_decline(text: str) -> bool:
    cleaned = normalize(text)
    return any(not _NEGATION.search(cleaned[: found.start()]) for found in _DECLINE.finditer(cleaned))


def parse_team_target(text: str, kind: MetricKind, *, lang: str) -> TeamTargetSpec | TargetProblem:
    """The team target in the manager's words, or why it cannot be one."""
    percent = parse_percent(text, lang=lang)
    if percent is not None:
        if percent > 0 and _says_decline(text):
            return TargetProblem.DECLINE
        growth = growth_problem(percent)
        return TargetProblem(growth.value) if growth else TeamTargetSpec(TargetKind.GROWTH, percent)
    amount = parse_amount(text, lang=lang)
    problem = amount_problem(amount, kind)
    if problem is not None:
        return TargetProblem(problem.value)
    if amount is None:  # amount_problem already said NOT_A_NUMBER; this tells mypy
        return TargetProblem.NOT_A_NUMBER
    if amount != amount.to_integral_value():
        return TargetProblem.NOT_WHOLE
    return TeamTargetSpec(TargetKind.AMOUNT, amount)


def target_units(spec: TeamTargetSpec, baseline: Decimal | None, kind: MetricKind) -> int | TargetProblem:
    """The target in whole units (currency units or counts): the amount, or the baseline grown by the
    percent and rounded up; a growth target needs a positive baseline (last year's figure)."""
    if not spec.is_growth:
        return int(spec.value)
    if baseline is None:
        return TargetProblem.NO_BASELINE
    if baseline <= 0:
        return TargetProblem.ZERO_BASELINE
    grown = target_from_growth(baseline, spec.value, kind).to_integral_value(rounding=ROUND_CEILING)
    problem = amount_problem(grown, kind)
    return TargetProblem(problem.value) if problem else int(grown)
