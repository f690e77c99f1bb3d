"""Which currency an amount is in: a symbol the user typed, else the user's country, else their language."""

from __future__ import annotations

import re

from babel.core import get_global
from babel.numbers import get_territory_currencies

_SYMBOLS: tuple[tuple[str, str], ...] = (
    (r"us\$|\$|usd|美元|dollars?", "USD"),
    (r"€|eur|euros?|欧元", "EUR"),
    (r"£|gbp|英镑", "GBP"),
    (r"hk\$|hkd|港币|港元", "HKD"),
    (r"¥|￥|rmb|cny|元|块|人民币|yuan", "CNY"),
)
_PATTERNS = [(re.compile(pattern, re.IGNORECASE), code) for pattern, code in _SYMBOLS]


def currency_in_text(text: str) -> str | None:
    """The ISO code of a currency named in `text` ("$5k", "5万元", "EUR 300"), else None."""
    # HK$ before $, so check the longer symbols first.
    if re.search(r"hk\$|hkd|港币|港元", text, re.IGNORECASE):
        return "HKD"
    return next((code for pattern, code in _PATTERNS if pattern.search(text)), None)


def default_currency(timezone: str, language: str) -> str:
    """The currency of the country the user's time zone is in; CNY or USD by language for offsets."""
    territory = get_global("zone_territories").get(timezone)
    if territory and territory != "001":
        currencies = get_territory_currencies(territory)
        if currencies:
            return str(currencies[0])
    return "CNY" if language == "zh_CN" else "USD"
