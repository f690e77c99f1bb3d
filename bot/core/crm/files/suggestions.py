"""What the mapping dialog offers first for a layout we do not know: a guessed mapping, and a column's values.

suggest_mapping guesses each column from its header's words (English and Chinese) and, for the date and
amount, from its cells (most of them must read as days / amounts); the user confirms or corrects every
guess in the dialog, so a wrong guess costs a tap, not a wrong import.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import replace
from zoneinfo import ZoneInfo

from bot.core.crm.files.layouts import normalise_header
from bot.core.crm.files.mapping import ColumnMapping, normalise_value
from bot.core.crm.files.tables import Table
from bot.core.crm.files.values import parse_amount, parse_day

_UTC = ZoneInfo("UTC")
_SAMPLE = 200  # rows looked at to judge a column's cells
# Header words per field, most telling first; a header matches a word it equals or contains.
WORDS: dict[str, tuple[str, ...]] = {
    "record_id": ("record id", "id", "编号", "单号", "number", "no.", "ref", "reference"),
    "day": ("closing date", "close date", "date", "日期", "day", "time", "时间", "when"),
    "amount": ("amount", "value", "金额", "revenue", "total", "sum", "price", "销售额", "收入"),
    "state": ("status", "stage", "状态", "阶段", "result", "outcome", "结果"),
    "owner": ("owner", "rep", "salesperson", "负责人", "销售", "sales", "业务员", "user", "员工"),
    "title": ("deal name", "name", "title", "subject", "名称", "主题", "标题", "项目"),
    "account": ("customer", "account", "client", "company", "客户", "公司"),
    "kind": ("type", "kind", "activity", "类型", "活动"),
}
WON_WORDS = ("closed won", "won", "win", "signed", "赢单", "成交", "已签约", "签约", "已成交", "赢")
LOST_WORDS = ("closed lost", "lost", "lose", "dead", "cancelled", "输单", "丢单", "失败", "已取消", "作废")


def distinct_values(table: Table, column: int, *, limit: int = 20) -> tuple[str, ...]:
    """A column's non-empty values, the most frequent first (ties in file order): the dialog's buttons for
    "which of these mean won" and "which rows are calls or visits"."""
    counts = Counter(row[column] for row in table.rows if row[column])
    first_seen = {
        value: index for index, value in reversed(list(enumerate(row[column] for row in table.rows)))
    }
    ranked = sorted(counts, key=lambda value: (-counts[value], first_seen[value]))
    return tuple(ranked[:limit])


def suggest_mapping(table: Table) -> ColumnMapping | None:
    """A first guess at the table's mapping; None when no column holds dates (a mapping needs one)."""
    headers = [normalise_header(header) for header in table.headers]
    sample = table.rows[:_SAMPLE]
    taken: set[int] = set()

    def pick(name: str, fits: Callable[[str], bool] | None = None) -> int | None:
        for word in WORDS[name]:
            for index, header in enumerate(headers):
                matches = header == word or (len(word) > 2 and word in header)
                if index not in taken and matches and (fits is None or _share(sample, index, fits) >= 0.5):
                    taken.add(index)
                    return index
        return None

    day = pick("day", _is_day)
    if day is None:
        day = next(
            (i for i in range(len(headers)) if i not in taken and _share(sample, i, _is_day) >= 0.8), None
        )
        if day is None:
            return None
        taken.add(day)
    amount = pick("amount", _is_amount)
    record_id = pick("record_id")
    state = pick("state")
    mapping = ColumnMapping(
        record_id=record_id,
        day=day,
        amount=amount,
        state=state,
        owner=pick("owner"),
        title=pick("title"),
        kind=pick("kind"),
        account=pick("account"),
        headers=table.headers,
    )
    if state is None:
        return mapping
    values = distinct_values(table, state, limit=50)
    return replace(
        mapping, won_values=_matching(values, WON_WORDS), lost_values=_matching(values, LOST_WORDS)
    )


def _matching(values: Sequence[str], words: Sequence[str]) -> frozenset[str]:
    """The values that are one of `words` (compared normalised)."""
    return frozenset(value for value in values if normalise_value(value) in words)


def _is_day(text: str) -> bool:
    return parse_day(text, _UTC, day_first=True) is not None


def _is_amount(text: str) -> bool:
    return parse_amount(text) is not None


def _share(rows: Sequence[Sequence[str]], column: int, fits: Callable[[str], bool]) -> float:
    """The share of the column's non-empty sample cells that `fits` accepts."""
    cells = [row[column] for row in rows if row[column]]
    if not cells:
        return 0.0
    return sum(1 for cell in cells if fits(cell)) / len(cells)
