"""What a CRM's stage and status cells mean: won, lost or open; held or not (rules in reading.py's docstring)."""

from __future__ import annotations

from bot.core.crm.files.mapping import normalise_value
from bot.core.crm.records import DealState

FXIAOKE_WON = frozenset({"赢单", "赢", "已赢单", "成交", "已成交"})
FXIAOKE_LOST = frozenset({"输单", "输", "已输单", "丢单", "无效"})
FXIAOKE_VOID = frozenset({"作废", "已作废"})
ORDER_PENDING = frozenset(
    {"确认中", "待确认", "审核中", "待审核", "审批中", "草稿", "未生效", "待提交", "未提交"}
)
ORDER_UNDONE = frozenset(
    {
        "作废",
        "已作废",
        "取消",
        "已取消",
        "驳回",
        "已驳回",
        "撤回",
        "已撤回",
        "退货",
        "已退货",
        "无效",
        "已关闭",
    }
)
CALL_NOT_HELD_TYPES = frozenset({"missed"})
CALL_NOT_HELD_STATUSES = frozenset({"scheduled", "overdue", "cancelled", "canceled", "missed"})
MEETING_NOT_HELD_STATUSES = frozenset({"cancelled", "canceled"})


def zoho_stage_state(stage: str) -> DealState:
    text = normalise_value(stage).replace("-", " ")
    if text.startswith("closed won") or text == "won":
        return DealState.WON
    if text.startswith("closed lost") or text == "lost":
        return DealState.LOST
    return DealState.OPEN


def fxiaoke_opportunity_state(status: str, stage: str, life_status: str) -> DealState:
    """商机状态 decides; without it, 销售阶段 (whose last stages are 赢单 and 输单); 生命状态 作废 is lost."""
    if normalise_value(life_status) in FXIAOKE_VOID:
        return DealState.LOST
    text = normalise_value(status) or normalise_value(stage)
    if text in FXIAOKE_WON:
        return DealState.WON
    if text in FXIAOKE_LOST or text in FXIAOKE_VOID:
        return DealState.LOST
    return DealState.OPEN


def fxiaoke_order_state(status: str, life_status: str) -> DealState:
    """An order is a sale unless it is still pending or was undone (voided, cancelled, rejected, returned)."""
    text = normalise_value(status)
    if normalise_value(life_status) in FXIAOKE_VOID or text in ORDER_UNDONE:
        return DealState.LOST
    if text in ORDER_PENDING:
        return DealState.OPEN
    return DealState.WON


def mapped_state(cell: str | None, won: frozenset[str], lost: frozenset[str]) -> DealState:
    """A mapping's state column: its won values, its lost values, anything else open; no column: won."""
    if cell is None:
        return DealState.WON
    text = normalise_value(cell)
    if text in won:
        return DealState.WON
    if text in lost:
        return DealState.LOST
    return DealState.OPEN


def zoho_call_held(call_type: str, status: str) -> bool:
    return (
        normalise_value(call_type) not in CALL_NOT_HELD_TYPES
        and normalise_value(status) not in CALL_NOT_HELD_STATUSES
    )


def zoho_meeting_held(status: str) -> bool:
    return normalise_value(status) not in MEETING_NOT_HELD_STATUSES
