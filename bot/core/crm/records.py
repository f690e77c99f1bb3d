"""One CRM record as the coach understands it: a deal, an order, a call, a meeting, a visit or a task.

Files (Zoho CRM and Fxiaoke exports, any mapped layout) and API syncs both produce `CrmRecord`s; the import
service lands them in crm_records and derives the results (entries, activity logs) from them, so a record
is counted once however often it arrives.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from enum import StrEnum


class CrmSystem(StrEnum):
    """Where a record came from; with the record id it names the record for good."""

    ZOHO = "zoho"
    FXIAOKE = "fxiaoke"
    OTHER = "other"  # a file of any other layout, read through a column mapping


class RecordKind(StrEnum):
    """What a record is. Deals and orders are outcomes; the rest are activities."""

    DEAL = "deal"
    ORDER = "order"
    CALL = "call"
    MEETING = "meeting"
    VISIT = "visit"
    TASK = "task"

    @property
    def is_outcome(self) -> bool:
        return self in (RecordKind.DEAL, RecordKind.ORDER)


class DealState(StrEnum):
    """Where a deal or order stands. Only a won one is a result; one that leaves WON is reversed."""

    WON = "won"
    LOST = "lost"
    OPEN = "open"


# The activity measure (bot.core.metrics.MEASURE_LABELS) each activity kind counts toward; tasks count nowhere.
ACTIVITY_MEASURES: dict[RecordKind, str] = {
    RecordKind.CALL: "calls",
    RecordKind.MEETING: "meetings",
    RecordKind.VISIT: "visits",
}


@dataclass(frozen=True, slots=True)
class CrmRecord:
    """A record read from a CRM file or API, already in the user's terms (their local day, a Decimal amount).

    `day` is the closing date of a deal, the order date of an order, the start day of an activity.
    `state` is None for activities (an activity in the file happened). `owner` is the CRM's owner name,
    which a team import matches to a member.
    """

    system: CrmSystem
    kind: RecordKind
    record_id: str
    day: date
    amount: Decimal | None = None
    state: DealState | None = None
    owner: str | None = None
    title: str | None = None
    account: str | None = None

    @property
    def counts(self) -> bool:
        """Whether the record is a result today: a won deal or order, or an activity that counts somewhere."""
        if self.kind.is_outcome:
            return self.state is DealState.WON
        return self.kind in ACTIVITY_MEASURES

    @property
    def fingerprint(self) -> str:
        """A short hash of what the results derive from: the same fingerprint means nothing to change."""
        amount = "" if self.amount is None else format(self.amount.normalize() + 0, "f")
        parts = (
            self.kind,
            self.day.isoformat(),
            amount,
            self.state or "",
            self.owner or "",
            self.title or "",
        )
        return hashlib.sha256("\x1f".join(parts).encode()).hexdigest()[:32]
