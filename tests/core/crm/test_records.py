"""What a CRM record counts for, and when two arrivals of one record are the same."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from decimal import Decimal

from bot.core.crm.records import CrmRecord, CrmSystem, DealState, RecordKind

WON_DEAL = CrmRecord(
    CrmSystem.ZOHO, RecordKind.DEAL, "5725767000000411001", date(2026, 11, 3), Decimal("12000"), DealState.WON
)


def test_only_a_won_deal_counts() -> None:
    assert WON_DEAL.counts
    assert not replace(WON_DEAL, state=DealState.LOST).counts
    assert not replace(WON_DEAL, state=DealState.OPEN).counts


def test_activities_count_where_a_measure_takes_them() -> None:
    call = CrmRecord(CrmSystem.ZOHO, RecordKind.CALL, "1", date(2026, 11, 3))
    assert call.counts
    assert not replace(call, kind=RecordKind.TASK).counts


def test_the_fingerprint_changes_with_what_results_derive_from_only() -> None:
    assert WON_DEAL.fingerprint == replace(WON_DEAL, amount=Decimal("12000.00")).fingerprint
    assert WON_DEAL.fingerprint == replace(WON_DEAL, account="Acme").fingerprint
    assert WON_DEAL.fingerprint != replace(WON_DEAL, amount=Decimal("12500")).fingerprint
    assert WON_DEAL.fingerprint != replace(WON_DEAL, day=date(2026, 11, 4)).fingerprint
    assert WON_DEAL.fingerprint != replace(WON_DEAL, state=DealState.LOST).fingerprint
