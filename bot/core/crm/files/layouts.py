"""The CRM exports recognised by their headers: Zoho CRM Deals, Calls, Meetings, Tasks; Fxiaoke 商机, 销售订单.

Headers are compared normalised (normalise_header: case, spacing, underscores, full-width forms and a
trailing "*" ignored), in any order; extra columns are ignored. Zoho's module export names columns by
their field labels ("Deal Name", "Closing Date"); its bulk/API exports by API names ("Deal_Name",
"Closing_Date"), which normalise to the same. A layout is recognised when all its required fields are
there; of several, the one with the most of its columns present wins. An export of a module with no
results in it (Zoho Contacts, Accounts, Leads; Fxiaoke 客户, 联系人, 线索) is FileProblem.OTHER_MODULE.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping, Sequence
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
    STAGE = "stage"  # Fxiaoke 销售阶段: the state when there is no 商机状态 column
    LIFE_STATUS = "life_status"  # Fxiaoke 生命状态: 作废 (voided) makes a record lost
    OWNER = "owner"
    TITLE = "title"
    ACCOUNT = "account"
    ACTIVITY_TYPE = "activity_type"  # Zoho Call Type: Outbound, Inbound, Missed
    ACTIVITY_STATUS = "activity_status"  # Zoho Call Status, Meeting Status, a task's Status


@dataclass(frozen=True)
class Layout:
    """A recognised export: which CRM and record kind it holds, and where each field is in this table."""

    key: LayoutKey
    system: CrmSystem
    kind: RecordKind
    columns: Mapping[Field, int] = field(default_factory=dict, hash=False)
    # An amount column in units of 10,000 ("商机金额(万元)"): its numbers are multiplied.
    amount_in_wan: bool = False


@dataclass(frozen=True, slots=True)
class _Spec:
    key: LayoutKey
    system: CrmSystem
    kind: RecordKind
    # Field -> the header names (normalised) that hold it, preferred first.
    names: Mapping[Field, tuple[str, ...]]
    required: frozenset[Field]


def normalise_header(header: str) -> str:
    """A header as layouts compare it: case, spacing, full-width forms and surrounding punctuation ignored."""
    text = unicodedata.normalize("NFKC", header).casefold().replace("_", " ")
    text = re.sub(r"\s+", " ", text).strip(" *:：")
    return re.sub(r"\s*([()])\s*", r"\1", text).replace("(", " (").strip()


def _names(*headers: str) -> tuple[str, ...]:
    return tuple(normalise_header(header) for header in headers)


_ZOHO_ID = _names("Record Id", "Id", "Record ID")
_FX_ID = _names("数据ID", "_id", "ID", "唯一性ID", "记录ID")

SPECS: tuple[_Spec, ...] = (
    _Spec(
        LayoutKey.ZOHO_DEALS,
        CrmSystem.ZOHO,
        RecordKind.DEAL,
        {
            Field.RECORD_ID: _ZOHO_ID + _names("Deal Id", "Potential Id"),
            Field.TITLE: _names("Deal Name", "Potential Name"),
            Field.AMOUNT: _names("Amount"),
            Field.STATE: _names("Stage"),
            Field.DAY: _names("Closing Date", "Close Date"),
            Field.OWNER: _names("Deal Owner", "Potential Owner", "Owner"),
            Field.ACCOUNT: _names("Account Name"),
        },
        frozenset({Field.TITLE, Field.AMOUNT, Field.STATE, Field.DAY}),
    ),
    _Spec(
        LayoutKey.ZOHO_CALLS,
        CrmSystem.ZOHO,
        RecordKind.CALL,
        {
            Field.RECORD_ID: _ZOHO_ID,
            Field.TITLE: _names("Subject"),
            Field.DAY: _names("Call Start Time"),
            Field.OWNER: _names("Call Owner", "Owner"),
            Field.ACCOUNT: _names("Related To", "What Id"),
            Field.ACTIVITY_TYPE: _names("Call Type"),
            Field.ACTIVITY_STATUS: _names("Call Status", "Outgoing Call Status"),
        },
        frozenset({Field.DAY, Field.TITLE}),
    ),
    _Spec(
        LayoutKey.ZOHO_MEETINGS,
        CrmSystem.ZOHO,
        RecordKind.MEETING,
        {
            Field.RECORD_ID: _ZOHO_ID,
            Field.TITLE: _names("Title", "Event Title", "Meeting Title", "Subject"),
            Field.DAY: _names("From", "Start DateTime", "Start Date Time"),
            Field.OWNER: _names("Host", "Meeting Owner", "Event Owner", "Owner"),
            Field.ACCOUNT: _names("Related To", "What Id"),
            Field.ACTIVITY_STATUS: _names("Meeting Status"),
        },
        frozenset({Field.DAY, Field.TITLE}),
    ),
    _Spec(
        LayoutKey.ZOHO_TASKS,
        CrmSystem.ZOHO,
        RecordKind.TASK,
        {
            Field.RECORD_ID: _ZOHO_ID,
            Field.TITLE: _names("Subject"),
            Field.DAY: _names("Due Date"),
            Field.ACTIVITY_STATUS: _names("Status"),
            Field.OWNER: _names("Task Owner", "Owner"),
            Field.ACCOUNT: _names("Related To", "What Id"),
        },
        frozenset({Field.DAY, Field.TITLE, Field.ACTIVITY_STATUS}),
    ),
    _Spec(
        LayoutKey.FXIAOKE_OPPORTUNITIES,
        CrmSystem.FXIAOKE,
        RecordKind.DEAL,
        {
            Field.RECORD_ID: _names("商机编号", "编号") + _FX_ID,
            Field.TITLE: _names("商机名称"),
            Field.ACCOUNT: _names("客户名称", "客户"),
            Field.AMOUNT: _names("商机金额", "商机金额(元)", "商机金额(万元)", "金额", "预计金额"),
            Field.STATE: _names("商机状态", "状态"),
            Field.STAGE: _names("销售阶段", "阶段", "商机阶段"),
            Field.LIFE_STATUS: _names("生命状态"),
            Field.DAY: _names("结单日期", "预计成交日期", "预计结单日期", "成交日期", "赢单日期"),
            Field.OWNER: _names("负责人", "负责人(主属部门)"),
        },
        frozenset({Field.TITLE, Field.AMOUNT, Field.DAY}),
    ),
    _Spec(
        LayoutKey.FXIAOKE_ORDERS,
        CrmSystem.FXIAOKE,
        RecordKind.ORDER,
        {
            Field.RECORD_ID: _names("销售订单编号", "订单编号", "销售订单号") + _FX_ID,
            Field.ACCOUNT: _names("客户名称", "客户"),
            Field.AMOUNT: _names("订单金额", "订单金额(元)", "订单金额(万元)", "销售订单金额", "金额"),
            Field.DAY: _names("下单日期", "订单日期", "签约日期"),
            Field.STATE: _names("订单状态", "状态"),
            Field.LIFE_STATUS: _names("生命状态"),
            Field.OWNER: _names("负责人", "负责人(主属部门)"),
        },
        frozenset({Field.RECORD_ID, Field.AMOUNT, Field.DAY}),
    ),
)

# Headers only exports of modules without results have (Zoho Contacts, Accounts, Leads, Vendors...;
# Fxiaoke 客户, 联系人, 线索). Checked only when no layout of results matched.
OTHER_MODULE_HEADERS = frozenset(
    _names(
        "Contact Owner",
        "Account Owner",
        "Lead Owner",
        "Lead Status",
        "Lead Name",
        "Vendor Owner",
        "Product Owner",
        "Campaign Owner",
        "Case Owner",
        "Billing City",
        "Billing Street",
        "Mailing City",
        "Mailing Street",
        "客户级别",
        "客户编号",
        "客户类型",
        "联系人姓名",
        "联系人名称",
        "线索名称",
        "线索状态",
        "线索来源",
    )
)


def recognise(table: Table) -> Layout | FileProblem | None:
    """The layout of `table`, FileProblem.OTHER_MODULE for an export of contacts and the like, None if unknown."""
    headers = [normalise_header(header) for header in table.headers]
    best: tuple[int, Layout] | None = None
    for spec in SPECS:
        columns = _columns(spec, headers)
        if not spec.required <= columns.keys():
            continue
        matched = len(columns)
        amount = columns.get(Field.AMOUNT)
        layout = Layout(
            spec.key,
            spec.system,
            spec.kind,
            columns,
            amount_in_wan=amount is not None and "万" in headers[amount],
        )
        if best is None or matched > best[0]:
            best = (matched, layout)
    if best is not None:
        return best[1]
    if OTHER_MODULE_HEADERS.intersection(headers) or {"first name", "last name"} <= set(headers):
        return FileProblem.OTHER_MODULE
    return None


def _columns(spec: _Spec, headers: Sequence[str]) -> dict[Field, int]:
    """Field -> the index of its first present header name (names earlier in the spec preferred)."""
    positions: dict[str, int] = {}
    for index, header in enumerate(headers):
        positions.setdefault(header, index)
    found: dict[Field, int] = {}
    taken: set[int] = set()
    for name_field, names in spec.names.items():
        for name in names:
            position = positions.get(name)
            if position is not None and position not in taken:
                found[name_field] = position
                taken.add(position)
                break
    return found
