"""Which days a user works: their weekly pattern, their country's public holidays, their vacations.

Public holidays and official make-up working days come from the `holidays` package. China moves
working days around its long holidays: some Saturdays or Sundays become working days (调休), which the
package lists as `weekend_workdays` (2026-02-14 and 2026-02-28 are such Saturdays). The State Council
publishes each year's list in the preceding November or December, and a package release follows; as of
holidays 0.109 China's 2027 make-up working days are NOT listed (only 2026's), while 2027's holidays
are. `WorkCalendar.adjustments` exists for exactly this gap: official days the package does not know
yet, given as date -> True (a make-up working day) or False (a day off), winning over the package.

Holiday tables are built once per (country, year) and cached, so a year of lookups costs set lookups.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import lru_cache
from types import MappingProxyType
from typing import NamedTuple

import holidays
from babel.core import get_global

MONDAY_TO_FRIDAY: frozenset[int] = frozenset({1, 2, 3, 4, 5})
_ISO_WEEKDAYS = frozenset(range(1, 8))


class _OfficialYear(NamedTuple):
    """One country's official days of one year."""

    holidays: frozenset[date]
    makeup_workdays: frozenset[date]


_NO_OFFICIAL_DAYS = _OfficialYear(frozenset(), frozenset())


@lru_cache(maxsize=1024)
def _official_year(country: str, year: int) -> _OfficialYear:
    try:
        calendar = holidays.country_holidays(country, years=year)
    except NotImplementedError:
        # An unknown code (typo, a territory the package does not cover) means no public holidays.
        return _NO_OFFICIAL_DAYS
    # Keep only the year's own dates: the package may carry make-up days of other years along.
    return _OfficialYear(
        holidays=frozenset(day for day in calendar if day.year == year),
        makeup_workdays=frozenset(day for day in calendar.weekend_workdays if day.year == year),
    )


def official_days(country: str | None, year: int) -> tuple[frozenset[date], frozenset[date]]:
    """(public holidays, make-up working days) of `country` in `year`; both empty for None or unknown."""
    if not country:
        return _NO_OFFICIAL_DAYS.holidays, _NO_OFFICIAL_DAYS.makeup_workdays
    official = _official_year(country.upper(), year)
    return official.holidays, official.makeup_workdays


@dataclass(frozen=True)
class WorkCalendar:
    """A user's working days. Vacations beat everything; `adjustments` beat the holidays package."""

    country: str | None
    weekdays: frozenset[int]
    vacations: frozenset[date] = frozenset()
    # Left out of the hash (a mapping is not hashable) so calendars can still be cached and compared.
    adjustments: Mapping[date, bool] = field(default_factory=lambda: MappingProxyType({}), hash=False)

    def __post_init__(self) -> None:
        # Freeze what the caller passed, so a later change to their set or dict cannot leak in.
        object.__setattr__(self, "weekdays", frozenset(self.weekdays))
        if not self.weekdays <= _ISO_WEEKDAYS:
            raise ValueError(f"weekdays must be ISO weekdays 1..7, got {sorted(self.weekdays)}")
        object.__setattr__(self, "vacations", frozenset(self.vacations))
        object.__setattr__(self, "adjustments", MappingProxyType(dict(self.adjustments)))

    def is_working_day(self, day: date) -> bool:
        if day in self.vacations:
            return False
        adjusted = self.adjustments.get(day)
        if adjusted is not None:
            return adjusted
        public_holidays, makeup_workdays = official_days(self.country, day.year)
        if day in public_holidays:
            return False
        return day.isoweekday() in self.weekdays or day in makeup_workdays

    def working_days(self, start: date, end: date) -> list[date]:
        """Working days from start to end, both included, ascending; empty when start > end."""
        one_day = timedelta(days=1)
        days: list[date] = []
        day = start
        while day <= end:
            if self.is_working_day(day):
                days.append(day)
            day += one_day
        return days


def _is_simplified_chinese(language: str) -> bool:
    return language.replace("-", "_").casefold() == "zh_cn"


def country_for(timezone: str, language: str) -> str | None:
    """The default holiday country for a user: from their time zone, China for zh_CN on an offset zone.

    A zh_CN user who gave only a UTC offset ("Etc/GMT-8") tells us nothing about their territory, so
    their language decides. Everyone else gets the territory Babel (CLDR) assigns to the zone.
    """
    zone = get_global("zone_aliases").get(timezone, timezone)  # Asia/Chongqing, PRC -> Asia/Shanghai
    territory: str | None = get_global("zone_territories").get(zone)
    if _is_simplified_chinese(language) and (territory == "CN" or zone.startswith("Etc/")):
        return "CN"
    # CLDR marks zones without a territory "ZZ" (Etc/*) or "001" (the world); neither is a country.
    if territory is None or territory in {"ZZ", "001"}:
        return None
    return territory


NO_COUNTRY = "-"


@lru_cache(maxsize=1)
def _country_names() -> dict[str, str]:
    """Country names in English and Chinese (from Babel) -> ISO code, for countries `holidays` knows."""
    from babel import Locale

    supported = holidays.list_supported_countries()
    names: dict[str, str] = {}
    for language in ("en", "zh_CN"):
        for code, name in Locale.parse(language).territories.items():
            if code in supported:
                names[name.casefold()] = code
    names.update({"usa": "US", "uk": "GB", "美国": "US", "英国": "GB", "china": "CN", "prc": "CN"})
    return names


def parse_country(text: str) -> str | None:
    """An ISO code ("CN", "us") or a country name ("Germany", "中国") the holidays package covers."""
    cleaned = text.strip()
    if cleaned.upper() in holidays.list_supported_countries():
        return cleaned.upper()
    return _country_names().get(cleaned.casefold())


def warm_up(years: Iterable[int], countries: tuple[str, ...] = ("CN", "US")) -> None:
    """Load the holiday tables most users need, so the first dispatcher tick does not pay for it."""
    for country in countries:
        for year in years:
            official_days(country, year)
