"""Official working-day changes the `holidays` package does not carry yet, per country.

China publishes each year's holidays and make-up working days (调休) in the autumn before; the
`holidays` package picks them up in a later release. Until it does, add the official days here:
True marks a make-up working day (usually a weekend day), False an extra day off. Upgrading
`holidays` makes an entry redundant, never wrong.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date

# As of holidays 0.109 (2026-11), China's 2026 make-up days are in the package; 2027's are not
# published there yet. Add them here from the State Council's notice when it appears.
OFFICIAL_ADJUSTMENTS: Mapping[str, Mapping[date, bool]] = {
    "CN": {},
}


def adjustments_for(country: str | None) -> Mapping[date, bool]:
    return OFFICIAL_ADJUSTMENTS.get(country or "", {})
