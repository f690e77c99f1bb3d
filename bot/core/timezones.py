"""Understanding a time zone typed by a person: an IANA name, a city (English or Chinese) or a UTC offset."""

from __future__ import annotations

import re
import unicodedata
import zoneinfo
from functools import cache

from babel.core import get_global
from babel.dates import get_timezone_location

# Cities people name that are not the exemplar city of their zone (Babel only knows one city per zone).
CITY_ALIASES: dict[str, str] = {
    "beijing": "Asia/Shanghai",
    "北京": "Asia/Shanghai",
    "shenzhen": "Asia/Shanghai",
    "深圳": "Asia/Shanghai",
    "guangzhou": "Asia/Shanghai",
    "广州": "Asia/Shanghai",
    "hangzhou": "Asia/Shanghai",
    "杭州": "Asia/Shanghai",
    "chengdu": "Asia/Shanghai",
    "成都": "Asia/Shanghai",
    "wuhan": "Asia/Shanghai",
    "武汉": "Asia/Shanghai",
    "nanjing": "Asia/Shanghai",
    "南京": "Asia/Shanghai",
    "suzhou": "Asia/Shanghai",
    "苏州": "Asia/Shanghai",
    "xian": "Asia/Shanghai",
    "西安": "Asia/Shanghai",
    "tianjin": "Asia/Shanghai",
    "天津": "Asia/Shanghai",
    "chongqing": "Asia/Shanghai",
    "重庆": "Asia/Shanghai",
    "china": "Asia/Shanghai",
    "中国": "Asia/Shanghai",
    "北京时间": "Asia/Shanghai",
    "san francisco": "America/Los_Angeles",
    "旧金山": "America/Los_Angeles",
    "seattle": "America/Los_Angeles",
    "西雅图": "America/Los_Angeles",
    "washington": "America/New_York",
    "华盛顿": "America/New_York",
    "boston": "America/New_York",
    "波士顿": "America/New_York",
    "miami": "America/New_York",
    "dallas": "America/Chicago",
    "houston": "America/Chicago",
    "munich": "Europe/Berlin",
    "慕尼黑": "Europe/Berlin",
    "frankfurt": "Europe/Berlin",
    "法兰克福": "Europe/Berlin",
    "hamburg": "Europe/Berlin",
    "osaka": "Asia/Tokyo",
    "大阪": "Asia/Tokyo",
    "mumbai": "Asia/Kolkata",
    "孟买": "Asia/Kolkata",
    "delhi": "Asia/Kolkata",
    "new delhi": "Asia/Kolkata",
    "新德里": "Asia/Kolkata",
    "bangalore": "Asia/Kolkata",
    "sydney": "Australia/Sydney",
    "utc": "Etc/UTC",
    "gmt": "Etc/UTC",
}

# Offsets that are not whole hours have no Etc/GMT zone; name the zone most people with that offset use.
FRACTIONAL_OFFSET_ZONES: dict[tuple[int, int], str] = {
    (5, 30): "Asia/Kolkata",
    (5, 45): "Asia/Kathmandu",
    (6, 30): "Asia/Yangon",
    (9, 30): "Australia/Darwin",
    (10, 30): "Australia/Lord_Howe",
    (3, 30): "Asia/Tehran",
    (4, 30): "Asia/Kabul",
    (-3, -30): "America/St_Johns",
    (-9, -30): "Pacific/Marquesas",
}

_OFFSET = re.compile(r"^(?:utc|gmt|z)?\s*([+-])\s*(\d{1,2})(?:\s*[:.：]?\s*(\d{2}))?$", re.IGNORECASE)


def _normalise(text: str) -> str:
    # "São Paulo" and "sao paulo" should meet: drop accents, fold case and spacing.
    decomposed = unicodedata.normalize("NFKD", text.strip().replace("_", " "))
    plain = "".join(char for char in decomposed if not unicodedata.combining(char))
    return " ".join(plain.split()).casefold()


@cache
def _names_to_zones() -> dict[str, str]:
    """Every IANA name and every Babel city name (en and zh) that points at exactly one zone."""
    names: dict[str, str] = {}
    ambiguous: set[str] = set()
    aliases = get_global("zone_aliases")
    for zone in sorted(zoneinfo.available_timezones()):
        if zone.startswith(("Etc/", "SystemV/", "posix/", "right/")) or "/" not in zone:
            continue
        names[_normalise(zone)] = zone
        if zone in aliases:
            # Old link names (Asia/Chongqing, US/Eastern) share their city with the canonical zone.
            continue
        for locale in ("en", "zh_CN"):
            city = get_timezone_location(zone, locale=locale, return_city=True)
            if not city:
                continue
            key = _normalise(city)
            if key in names and names[key] != zone:
                ambiguous.add(key)
            names.setdefault(key, zone)
    for key in ambiguous:
        names.pop(key, None)
    names.update(CITY_ALIASES)
    return names


def _from_offset(text: str) -> str | None:
    match = _OFFSET.match(text.replace("＋", "+").replace("－", "-"))
    if not match:
        return None
    sign = 1 if match.group(1) == "+" else -1
    hours, minutes = int(match.group(2)), int(match.group(3) or 0)
    if hours > 14 or minutes >= 60:
        return None
    if minutes == 0:
        # POSIX-style Etc zones invert the sign: UTC+8 is Etc/GMT-8.
        return "Etc/UTC" if hours == 0 else f"Etc/GMT{'-' if sign > 0 else '+'}{hours}"
    return FRACTIONAL_OFFSET_ZONES.get((sign * hours, sign * minutes))


def parse_timezone(text: str) -> str | None:
    """The IANA zone a person means by `text`, or None when it is not a zone we can tell."""
    cleaned = text.strip()
    if not cleaned or len(cleaned) > 64:
        return None
    if "/" in cleaned:
        try:
            zoneinfo.ZoneInfo(cleaned)
        except (zoneinfo.ZoneInfoNotFoundError, ValueError):
            pass
        else:
            return cleaned
    offset_zone = _from_offset(cleaned.replace(" ", ""))
    if offset_zone:
        return offset_zone
    key = _normalise(cleaned).removesuffix("时间").removesuffix("市") or _normalise(cleaned)
    return _names_to_zones().get(key) or _names_to_zones().get(_normalise(cleaned))


def warm_up() -> None:
    """Build the city table now, so the first user who types a city does not wait for it."""
    _names_to_zones()
