"""The activity a revenue goal takes, worked back through the sales funnel: calls -> visits -> meetings -> deals.

Deals come from the user's own average deal size, never from the target: a revenue goal without one has
no deal count until the user gives it. Counts are spread over the plan's days by `Plan.spread`.
Every step rounds up: half a deal is not a deal, and planning one call too many is cheaper than one
too few. Rates are exact Decimals, computed with fractions so 1 / 0.3 does not turn into 3.333...4.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction
from typing import Literal, NamedTuple

FunnelReason = Literal["deal_size_not_positive", "deal_size_not_set", "rate_not_positive", "rate_above_one"]


class FunnelError(ValueError):
    """A funnel that cannot be worked back; `reason` says why, `field` names the offending field."""

    def __init__(self, reason: FunnelReason, field: str, message: str) -> None:
        super().__init__(message)
        self.reason: FunnelReason = reason
        self.field = field


class FunnelRates(NamedTuple):
    win_rate: Decimal
    meeting_rate: Decimal
    visit_rate: Decimal


# Starting points the user can change: 1 in 4 meetings closes, 1 in 2 visits gets a meeting, 1 in 5 calls
# gets a visit. Rough B2B field-sales rules of thumb, not measurements of this user.
DEFAULT_FUNNEL_RATES = FunnelRates(
    win_rate=Decimal("0.25"), meeting_rate=Decimal("0.5"), visit_rate=Decimal("0.2")
)


@dataclass(frozen=True)
class Funnel:
    average_deal: Decimal | None  # currency per deal; None until the user tells it
    win_rate: Decimal  # meetings -> deals
    meeting_rate: Decimal  # visits -> meetings
    visit_rate: Decimal  # calls -> visits

    def __post_init__(self) -> None:
        if self.average_deal is not None and not self.average_deal > 0:
            raise FunnelError(
                "deal_size_not_positive",
                "average_deal",
                f"average_deal must be positive, got {self.average_deal}",
            )
        for name, rate in (
            ("win_rate", self.win_rate),
            ("meeting_rate", self.meeting_rate),
            ("visit_rate", self.visit_rate),
        ):
            if not rate > 0:
                raise FunnelError("rate_not_positive", name, f"{name} must be above 0, got {rate}")
            if rate > 1:
                raise FunnelError("rate_above_one", name, f"{name} must be at most 1, got {rate}")


@dataclass(frozen=True)
class ActivityNeeds:
    deals: int
    meetings: int
    visits: int
    calls: int


def _ceil_quotient(numerator: int | Decimal, denominator: Decimal) -> int:
    return math.ceil(Fraction(numerator) / Fraction(denominator))


def work_back_from_deals(deals: int, funnel: Funnel) -> ActivityNeeds:
    """Meetings, visits and calls it takes to close `deals`."""
    if deals < 0:
        raise ValueError(f"deals must not be negative, got {deals}")
    meetings = _ceil_quotient(deals, funnel.win_rate)
    visits = _ceil_quotient(meetings, funnel.meeting_rate)
    return ActivityNeeds(
        deals=deals, meetings=meetings, visits=visits, calls=_ceil_quotient(visits, funnel.visit_rate)
    )


def work_back(revenue: Decimal, funnel: Funnel) -> ActivityNeeds:
    """Deals, meetings, visits and calls it takes to bring in `revenue` at the funnel's average deal."""
    if revenue < 0:
        raise ValueError(f"revenue must not be negative, got {revenue}")
    if funnel.average_deal is None:
        raise FunnelError(
            "deal_size_not_set", "average_deal", "revenue is worked back from a known deal size"
        )
    return work_back_from_deals(_ceil_quotient(revenue, funnel.average_deal), funnel)
