"""Sample CRM export files for every slice's tests: Zoho CRM and Fxiaoke exports, unknown layouts, bad files.

Deterministic: generated rows come from a seeded random.Random, so the same call gives the same bytes
(XLSX included: the workbook's timestamps are pinned). Each builder takes its rows as a parameter: an int
generates that many, a sequence of tuples is written as given (cells as text, or date/Decimal/float/int for
XLSX cells of those types).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from decimal import Decimal

Cell = str | int | float | Decimal | date | datetime | None
Row = Sequence[Cell]

OWNERS = ("Amy Chen", "Bob Li", "Carol Wang")
FXIAOKE_OWNERS = ("张伟", "李娜", "王芳")

ZOHO_DEAL_HEADERS: tuple[str, ...] = ()
ZOHO_CALL_HEADERS: tuple[str, ...] = ()
ZOHO_MEETING_HEADERS: tuple[str, ...] = ()
ZOHO_TASK_HEADERS: tuple[str, ...] = ()
ZOHO_CONTACT_HEADERS: tuple[str, ...] = ()
FXIAOKE_OPPORTUNITY_HEADERS: tuple[str, ...] = ()
FXIAOKE_ORDER_HEADERS: tuple[str, ...] = ()
UNKNOWN_HEADERS = ("ID", "Customer", "Value", "Status", "Date", "Rep")


def zoho_deal_rows(
    count: int = 200, *, owners: Sequence[str] = OWNERS, seed: int = 14
) -> list[tuple[str, ...]]:
    """(record id "zcrm_…", deal name, amount, stage, closing date, owner) tuples."""
    raise NotImplementedError


def zoho_deals_csv(
    rows: int | Sequence[Row] = 200,
    *,
    owners: Sequence[str] = OWNERS,
    seed: int = 14,
    encoding: str = "utf-8-sig",
) -> bytes:
    raise NotImplementedError


def zoho_deals_xlsx(
    rows: int | Sequence[Row] = 200, *, owners: Sequence[str] = OWNERS, seed: int = 14
) -> bytes:
    raise NotImplementedError


def zoho_calls_csv(
    rows: int | Sequence[Row] = 60, *, owners: Sequence[str] = OWNERS, seed: int = 14
) -> bytes:
    """(record id, subject, call type, call start time, duration seconds, call result, owner) tuples."""
    raise NotImplementedError


def zoho_meetings_csv(
    rows: int | Sequence[Row] = 30, *, owners: Sequence[str] = OWNERS, seed: int = 14
) -> bytes:
    """(record id, title, from, to, host) tuples."""
    raise NotImplementedError


def zoho_tasks_csv(
    rows: int | Sequence[Row] = 20, *, owners: Sequence[str] = OWNERS, seed: int = 14
) -> bytes:
    """(record id, subject, due date, status, owner) tuples."""
    raise NotImplementedError


def zoho_contacts_csv(rows: int = 10) -> bytes:
    raise NotImplementedError


def fxiaoke_opportunity_rows(
    count: int = 120, *, owners: Sequence[str] = FXIAOKE_OWNERS, seed: int = 14
) -> list[tuple[str, ...]]:
    """(商机编号, 商机名称, 客户名称, 商机金额, 销售阶段, 商机状态, 结单日期, 负责人) tuples."""
    raise NotImplementedError


def fxiaoke_opportunities_xlsx(
    rows: int | Sequence[Row] = 120, *, owners: Sequence[str] = FXIAOKE_OWNERS, seed: int = 14
) -> bytes:
    raise NotImplementedError


def fxiaoke_opportunities_csv(
    rows: int | Sequence[Row] = 120,
    *,
    owners: Sequence[str] = FXIAOKE_OWNERS,
    seed: int = 14,
    encoding: str = "gbk",
) -> bytes:
    raise NotImplementedError


def fxiaoke_orders_xlsx(
    rows: int | Sequence[Row] = 80, *, owners: Sequence[str] = FXIAOKE_OWNERS, seed: int = 14
) -> bytes:
    """(销售订单编号, 客户名称, 订单金额, 下单日期, 订单状态, 负责人) tuples."""
    raise NotImplementedError


def unknown_layout_csv(rows: int | Sequence[Row] = 40, *, seed: int = 14) -> bytes:
    """UNKNOWN_HEADERS: (ID, Customer, Value, Status, Date, Rep) tuples."""
    raise NotImplementedError


def several_sheets_xlsx(sheets: Sequence[str] = ("Deals", "Calls")) -> bytes:
    raise NotImplementedError


def password_protected_xlsx() -> bytes:
    """What Excel writes for a workbook with a password to open: an OLE2 (CFB) container, not a zip."""
    raise NotImplementedError


def corrupt_xlsx() -> bytes:
    raise NotImplementedError


def headers_only_csv() -> bytes:
    raise NotImplementedError


def formula_deals_xlsx() -> bytes:
    """A Zoho Deals sheet whose amount cells are formulas (=SUM(...)): never evaluated, skipped FORMULA."""
    raise NotImplementedError


def big_deals_xlsx(rows: int = 50_000, *, seed: int = 14) -> bytes:
    """A Zoho Deals workbook for benches, written with openpyxl's write-only mode."""
    raise NotImplementedError
