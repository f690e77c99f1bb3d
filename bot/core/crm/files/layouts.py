"""The CRM exports recognised by their headers: Zoho CRM Deals, Calls, Meetings, Tasks; Fxiaoke 商机, 销售订单."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum

from bot.core.crm.files.problems import FileProblem
from bot.core.crm.files.tables import Table
from bot.core.crm.records import CrmSystem, RecordKind


class LayoutKey(StrEnum):
    ZOHO_DEALS = "zoho_deals"
    ZOHO_CALLS = "zoho_calls"
    ZOHO_MEETINGS = "zoho_meetings"
    ZOHO_TASKS = "zoho_tasks"
    FXIAOKE_OPPORTUNITIES = "fxiaoke_opportunities"
    FXIAOKE_ORDERS = "fxiaoke_orders"


class Field(StrEnum):
    """What a column of a known layout holds, as far as a CrmRecord is concerned."""

    RECORD_ID = "record_id"
    DAY = "day"
    AMOUNT = "amount"
    STATE = "state"  # Zoho Stage, Fxiaoke 商机状态 / 订单状态
    OWNER = "owner"
    TITLE = "title"
    ACCOUNT = "account"


@dataclass(frozen=True)
class Layout:
    """A recognised export: which CRM and record kind it holds, and where each field is in this table."""

    key: LayoutKey
    system: CrmSystem
    kind: RecordKind
    columns: Mapping[Field, int] = field(default_factory=dict, hash=False)


def normalise_header(header: str) -> str:
    """A header as layouts compare it: case, spacing, full-width forms and surrounding punctuation ignored."""
    raise NotImplementedError


def recognise(table: Table) -> Layout | FileProblem | None:
    """The layout of `table`, FileProblem.OTHER_MODULE for an export of contacts and the like, None if unknown."""
    raise NotImplementedError
