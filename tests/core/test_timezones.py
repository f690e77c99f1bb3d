from __future__ import annotations

import pytest

from bot.core.timezones import parse_timezone


@pytest.mark.parametrize(
    ("text", "zone"),
    [
        ("UTC+8", "Etc/GMT-8"),
        ("utc+08:00", "Etc/GMT-8"),
        ("GMT-5", "Etc/GMT+5"),
        ("+05:30", "Asia/Kolkata"),
        ("UTC", "Etc/UTC"),
        ("GMT+0", "Etc/UTC"),
        ("UTC-3:30", "America/St_Johns"),
        ("America/New_York", "America/New_York"),
        ("Europe/Berlin", "Europe/Berlin"),
        ("上海", "Asia/Shanghai"),
        ("北京", "Asia/Shanghai"),
        ("深圳", "Asia/Shanghai"),
        ("北京时间", "Asia/Shanghai"),
        ("Shanghai", "Asia/Shanghai"),
        ("new york", "America/New_York"),
        ("纽约", "America/New_York"),
        ("伦敦", "Europe/London"),
        ("Los Angeles", "America/Los_Angeles"),
        ("san francisco", "America/Los_Angeles"),
        ("Sao Paulo", "America/Sao_Paulo"),
        ("São Paulo", "America/Sao_Paulo"),
        ("香港", "Asia/Hong_Kong"),
        ("新加坡", "Asia/Singapore"),
        ("东京", "Asia/Tokyo"),
        ("柏林", "Europe/Berlin"),
    ],
)
def test_understood(text: str, zone: str) -> None:
    assert parse_timezone(text) == zone


@pytest.mark.parametrize(
    "text", ["Mars/Base", "", "   ", "UTC+15", "GMT+5:61", "nowhere", "x" * 5000, "🚀", "12345"]
)
def test_not_understood(text: str) -> None:
    assert parse_timezone(text) is None
