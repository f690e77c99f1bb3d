"""Amounts and days as CRM exports write them, in English and Chinese."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from zoneinfo import ZoneInfo


def parse_amount(text: str) -> Decimal | None:
    """ "¥12,000.50", "$1,200", "1.2万", "12万元", "1,234" -> a Decimal; "", "-" or not a number -> None."""
    raise NotImplementedError


def parse_day(text: str, zone: ZoneInfo) -> date | None:
    """A date or datetime cell -> the day in `zone`; a datetime without an offset is already in `zone`."""
    raise NotImplementedError
