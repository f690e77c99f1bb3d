"""A Table read into CrmRecords, through a recognised Layout or a ColumnMapping; bad rows skipped, counted.

The rules, row by row (the first that applies skips the row):
- NO_ID: the record id cell is empty. Zoho's "zcrm_" prefix is dropped ("zcrm_5725767000000411001" ->
  "5725767000000411001", the id its API uses). A file without an id column (a ColumnMapping with
  record_id None, a Fxiaoke export without 编号) gets ids from the row's content: "row:" and a hash of the
  record kind and the cells that name the record (a deal or order: its title and account, or its day,
  owner and amount when it has neither; an activity: its day, owner, title and account), with "#2", "#3"
  for a repeat within the file. Amounts and stages are left out of the hash, so the same deal turning
  won or getting a new amount in a later export keeps its id, and re-importing a file gives the same ids.
- FORMULA / BAD_DATE: the day cell is a formula, or is empty or no date. A year-last date ("09/10/2024")
  is read in the order the column shows wherever a date has a part over 12 ("13/09/2024": day first);
  a column with no such date is month first, Zoho's default (MM/dd/yyyy).
- FORMULA / BAD_AMOUNT: a deal's or order's amount is a formula, empty, no number, or negative
  (activities carry no amount). Without an amount column (a mapping) a deal has no amount and is read.
- NOT_HELD: a Zoho call of type Missed, or whose status is Scheduled, Overdue or Cancelled; a meeting
  whose status is Cancelled.
- DUPLICATE_ID: an earlier row of the file gave a record with this id. The first row stands and the later
  ones are shown as skipped, since a CRM export never holds one record twice and guessing which copy is
  right could count the wrong amount.

States: Zoho Stage "Closed Won" -> WON, "Closed Lost" / "Closed-Lost to Competition" -> LOST, anything
else OPEN. Fxiaoke 商机状态 (or, without it, 销售阶段) 赢单 -> WON, 输单 / 无效 -> LOST, anything else
(进行中) OPEN. Fxiaoke 订单状态: an order is a sale (WON) unless it is pending (确认中, 待确认, 审核中,
审批中, 草稿, 未生效 ... -> OPEN) or undone (作废, 已作废, 取消, 已取消, 驳回, 已驳回, 撤回, 已撤回,
退货, 已退货, 无效 -> LOST). A Fxiaoke record whose 生命状态 is 作废 is LOST whatever its status.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from zoneinfo import ZoneInfo

from bot.core.crm.files.layouts import Field, Layout, LayoutKey
from bot.core.crm.files.mapping import ColumnMapping, normalise_value
from bot.core.crm.files.problems import SkipReason
from bot.core.crm.files.states import (
    fxiaoke_opportunity_state,
    fxiaoke_order_state,
    mapped_state,
    zoho_call_held,
    zoho_meeting_held,
    zoho_stage_state,
)
from bot.core.crm.files.tables import Table
from bot.core.crm.files.values import parse_amount, parse_day, year_last_order
from bot.core.crm.records import CrmRecord, CrmSystem, DealState, RecordKind

# Lengths crm_records keeps (bot/storage/crm_models.py): longer ids are hashed, longer texts cut.
MAX_ID, MAX_OWNER, MAX_TITLE = 100, 200, 300
ZOHO_ID_PREFIX = "zcrm_"
_WAN = Decimal(10_000)


@dataclass(frozen=True, slots=True)
class SkippedRow:
    row: int  # the spreadsheet's row number, header = 1
    reason: SkipReason


@dataclass(frozen=True, slots=True)
class RecordsRead:
    records: tuple[CrmRecord, ...]
    skipped: tuple[SkippedRow, ...]
    rows: int  # data rows read: len(records) + len(skipped)


Row = Sequence[str]


@dataclass(frozen=True, slots=True)
class _Plan:
    """Layouts and mappings alike, as the row reader needs them."""

    system: CrmSystem
    columns: Mapping[Field, int]
    kind_of: Callable[[Row], RecordKind]
    state_of: Callable[[Row], DealState]
    held: Callable[[Row], bool]
    amount_in_wan: bool = False


def read_records(table: Table, reading: Layout | ColumnMapping, *, zone: ZoneInfo) -> RecordsRead:
    """One CrmRecord per data row of `table`, or a SkippedRow saying why not."""
    plan = _layout_plan(reading) if isinstance(reading, Layout) else _mapping_plan(reading, table)
    day_column = plan.columns[Field.DAY]
    day_first = _day_first(row[day_column] for row in table.rows)
    records: list[CrmRecord] = []
    skipped: list[SkippedRow] = []
    seen: set[str] = set()
    repeats: dict[str, int] = {}
    for index, row in enumerate(table.rows):
        record = _record(plan, row, zone, day_first, repeats)
        if isinstance(record, CrmRecord) and record.record_id in seen:
            record = SkipReason.DUPLICATE_ID
        if isinstance(record, SkipReason):
            skipped.append(SkippedRow(table.row_number(index), record))
        else:
            seen.add(record.record_id)
            records.append(record)
    return RecordsRead(tuple(records), tuple(skipped), len(table.rows))


def _layout_plan(layout: Layout) -> _Plan:
    columns = dict(layout.columns)

    def cell(row: Row, name: Field) -> str:
        column = columns.get(name)
        return row[column] if column is not None else ""

    def state_of(row: Row) -> DealState:
        if layout.key is LayoutKey.ZOHO_DEALS:
            return zoho_stage_state(cell(row, Field.STATE))
        if layout.key is LayoutKey.FXIAOKE_ORDERS:
            return fxiaoke_order_state(cell(row, Field.STATE), cell(row, Field.LIFE_STATUS))
        return fxiaoke_opportunity_state(
            cell(row, Field.STATE), cell(row, Field.STAGE), cell(row, Field.LIFE_STATUS)
        )

    def held(row: Row) -> bool:
        if layout.key is LayoutKey.ZOHO_CALLS:
            return zoho_call_held(cell(row, Field.ACTIVITY_TYPE), cell(row, Field.ACTIVITY_STATUS))
        if layout.key is LayoutKey.ZOHO_MEETINGS:
            return zoho_meeting_held(cell(row, Field.ACTIVITY_STATUS))
        return True

    return _Plan(
        system=layout.system,
        columns=columns,
        kind_of=lambda _row: layout.kind,
        state_of=state_of,
        held=held,
        amount_in_wan=layout.amount_in_wan,
    )


def _mapping_plan(given: ColumnMapping, table: Table) -> _Plan:
    mapping = given.bind(table)
    width = len(table.headers)
    if mapping is None:
        raise ValueError("the mapping's columns are not all in this table")
    names = {
        Field.RECORD_ID: mapping.record_id,
        Field.DAY: mapping.day,
        Field.AMOUNT: mapping.amount,
        Field.STATE: mapping.state,
        Field.OWNER: mapping.owner,
        Field.TITLE: mapping.title,
        Field.ACCOUNT: mapping.account,
    }
    columns = {name: column for name, column in names.items() if column is not None}
    if any(not 0 <= column < width for column in columns.values()) or not (
        mapping.kind is None or 0 <= mapping.kind < width
    ):
        raise ValueError("a mapped column is outside the table")
    won = frozenset(map(normalise_value, mapping.won_values))
    lost = frozenset(map(normalise_value, mapping.lost_values))
    kinds = {normalise_value(value): kind for value, kind in mapping.kind_values.items()}
    kind_column, state_column = mapping.kind, mapping.state

    def kind_of(row: Row) -> RecordKind:
        if kind_column is None:
            return mapping.default_kind
        return kinds.get(normalise_value(row[kind_column]), mapping.default_kind)

    def state_of(row: Row) -> DealState:
        return mapped_state(None if state_column is None else row[state_column], won, lost)

    return _Plan(CrmSystem.OTHER, columns, kind_of, state_of, held=lambda _row: True)


def _record(
    plan: _Plan, row: Row, zone: ZoneInfo, day_first: bool, repeats: dict[str, int]
) -> CrmRecord | SkipReason:
    def cell(name: Field) -> str:
        column = plan.columns.get(name)
        return row[column] if column is not None else ""

    id_column = plan.columns.get(Field.RECORD_ID)
    record_id = cell(Field.RECORD_ID)
    if id_column is not None and not record_id:
        return SkipReason.NO_ID
    day_text = cell(Field.DAY)
    if day_text.startswith("="):
        return SkipReason.FORMULA
    day = parse_day(day_text, zone, day_first=day_first)
    if day is None:
        return SkipReason.BAD_DATE
    kind = plan.kind_of(row)
    amount: Decimal | None = None
    state: DealState | None = None
    if kind.is_outcome:
        state = plan.state_of(row)
        if Field.AMOUNT in plan.columns:
            amount_text = cell(Field.AMOUNT)
            if amount_text.startswith("="):
                return SkipReason.FORMULA
            amount = parse_amount(amount_text)
            if amount is None or amount < 0:
                return SkipReason.BAD_AMOUNT
            if plan.amount_in_wan:
                amount *= _WAN
    elif not plan.held(row):
        return SkipReason.NOT_HELD
    owner, title, account = (cell(name) or None for name in (Field.OWNER, Field.TITLE, Field.ACCOUNT))
    if id_column is None:
        record_id = _content_id(kind, day.isoformat(), owner, title, account, cell(Field.AMOUNT), repeats)
    return CrmRecord(
        system=plan.system,
        kind=kind,
        record_id=_clean_id(record_id),
        day=day,
        amount=amount,
        state=state,
        owner=owner[:MAX_OWNER] if owner else None,
        title=title[:MAX_TITLE] if title else None,
        account=account[:MAX_TITLE] if account else None,
    )


def _clean_id(record_id: str) -> str:
    if record_id[: len(ZOHO_ID_PREFIX)].lower() == ZOHO_ID_PREFIX:
        record_id = record_id[len(ZOHO_ID_PREFIX) :]
    if len(record_id) > MAX_ID:
        return "long:" + hashlib.sha256(record_id.encode()).hexdigest()[:40]
    return record_id


def _content_id(
    kind: RecordKind,
    day: str,
    owner: str | None,
    title: str | None,
    account: str | None,
    amount: str,
    repeats: dict[str, int],
) -> str:
    """The id of a row in a file without ids (see the module's docstring): stable across re-imports."""
    if kind.is_outcome:
        parts = [title, account] if title or account else [day, owner, amount]
    else:
        parts = [day, owner, title, account]
    key = "\x1f".join([kind.value, *(normalise_value(part or "") for part in parts)])
    digest = "row:" + hashlib.sha256(key.encode()).hexdigest()[:24]
    repeats[digest] = repeats.get(digest, 0) + 1
    return digest if repeats[digest] == 1 else f"{digest}#{repeats[digest]}"


def _day_first(cells: Iterable[str]) -> bool:
    """Whether the column's year-last dates put the day first: yes if one of them shows it and none shows
    the month first; month first otherwise."""
    votes = {True: 0, False: 0}
    for text in cells:
        order = year_last_order(text)
        if order is not None:
            votes[order] += 1
    return votes[True] > 0 and votes[False] == 0
