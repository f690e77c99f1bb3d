"""The import preview stays within one Telegram message whatever the file: every skip reason, a team of
many members with long names, a long file name, in both languages."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from bot.core.crm.files import SkipReason
from bot.core.utf16 import utf16_length
from bot.i18n import translator
from bot.services.crm_import_text import PreviewFigures, SkipCount, preview_text, team_preview_text
from bot.telegram.limits import MAX_TEXT_LENGTH


def busy_figures() -> PreviewFigures:
    return PreviewFigures(
        rows=100_000, won=99_999, won_total=Decimal("987654321987.65"), first_day=date(2020, 1, 1),
        last_day=date(2026, 12, 31), activities={"calls": 50_000, "visits": 30_000, "meetings": 20_000},
        new=90_000, changed=5_000, unchanged=4_000, reversed=1_000,
        skipped=[SkipCount(reason.value, 99_999, list(range(99_995, 100_000))) for reason in SkipReason],
        overlap_days={"revenue": 900, "deals": 900, "calls": 900, "visits": 900, "meetings": 900},
    )  # fmt: skip


@pytest.mark.parametrize("language", ["en", "zh_CN"])
def test_the_preview_fits_one_message_whatever_the_file(language: str) -> None:
    _ = translator(language)
    long_name = "Deals " + "很长的文件名" * 200 + ".xlsx"
    own = preview_text(long_name, busy_figures(), "CNY", _)
    members = [("成员" * 60 + str(index), busy_figures()) for index in range(300)]
    owners = ["Owner " * 30 + str(index) for index in range(300)]
    team = team_preview_text(long_name, 100_000, members, owners, busy_figures().skipped, "CNY", _)
    for text in (own, team):
        assert utf16_length(text) <= MAX_TEXT_LENGTH
    assert "99,995, 99,996" not in own and "99995, 99996, 99997, 99998, 99999…" in own
    assert _.plural("… and {count} more member", "… and {count} more members", 2, count=2)[:4] in team
    question = _("Import these results into the members' records?")
    assert own.endswith(_("Import these results?")) and team.endswith(question)
