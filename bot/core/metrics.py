"""What a sales goal can measure: outcomes (revenue, deals, new customers) and activities that produce them."""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum

from bot.i18n import N_


class MetricKind(StrEnum):
    CURRENCY = "currency"
    COUNT = "count"


@dataclass(frozen=True, slots=True)
class Metric:
    key: str
    kind: MetricKind
    is_outcome: bool


METRICS: dict[str, Metric] = {
    metric.key: metric
    for metric in (
        Metric("revenue", MetricKind.CURRENCY, is_outcome=True),
        Metric("deals", MetricKind.COUNT, is_outcome=True),
        Metric("new_customers", MetricKind.COUNT, is_outcome=True),
        Metric("visits", MetricKind.COUNT, is_outcome=False),
        Metric("calls", MetricKind.COUNT, is_outcome=False),
        Metric("meetings", MetricKind.COUNT, is_outcome=False),
    )
}
CUSTOM = "custom"

# The one table of measure names, keyed by what goals (METRICS), activity targets and daily reports count.
# A goal that counts "meetings" also counts trainings (services/results.py); its button says so, while
# reports and plans list trainings apart, so the name is "meetings" everywhere.
MEASURE_LABELS: dict[str, str] = {
    "revenue": N_("revenue"),
    "deals": N_("deals signed"),
    "new_customers": N_("new customers"),
    "visits": N_("client visits"),
    "calls": N_("calls"),
    "meetings": N_("meetings"),
    "trainings": N_("client trainings"),
    "events": N_("industry events"),
    "leads": N_("new leads"),
}
# The one exception, kept until one wording is chosen: the daily-report summary says "deals 1"
# (tests/telegram/test_reviews.py asserts it) where goals say "10 deals signed" (tests/telegram/test_goals.py).
REPORT_LABELS: dict[str, str] = MEASURE_LABELS | {"deals": N_("deals")}

# Words that name a standard metric when typed instead of tapped.
METRIC_WORDS: dict[str, str] = {
    "revenue": "revenue",
    "sales": "revenue",
    "销售额": "revenue",
    "营收": "revenue",
    "业绩": "revenue",
    "收入": "revenue",
    "deals": "deals",
    "deal": "deals",
    "签单": "deals",
    "成交": "deals",
    "订单": "deals",
    "new customers": "new_customers",
    "customers": "new_customers",
    "新客户": "new_customers",
    "客户": "new_customers",
    "visits": "visits",
    "拜访": "visits",
    "客户拜访": "visits",
    "calls": "calls",
    "电话": "calls",
    "meetings": "meetings",
    "trainings": "meetings",
    "会议": "meetings",
    "培训": "meetings",
    "custom": CUSTOM,
    "自定义": CUSTOM,
}

_METRIC_KEYS_LONGEST_FIRST = sorted(METRIC_WORDS, key=len, reverse=True)


def metric_in_words(text: str) -> str | None:
    """The one standard metric a sentence names ("本月销售额50万", "more calls this week"), or None when it
    names none or two. Longer names win where they overlap (客户拜访 is visits, not 客户)."""
    rest = text.casefold()
    named: set[str] = set()
    for key in _METRIC_KEYS_LONGEST_FIRST:
        # Latin names are whole words ("calls", not "recalls"); Chinese ones are found inside the sentence.
        pattern = re.escape(key) if not key.isascii() else rf"\b{re.escape(key)}\b"
        rest, found = re.subn(pattern, " ", rest)
        if found:
            named.add(METRIC_WORDS[key])
    return named.pop() if len(named) == 1 else None


_SALES_WORDS = re.compile(
    r"sale|sell|revenue|customer|client|deal|order|contract|lead|prospect|visit|call|meeting|demo|pipeline|"
    r"quota|renewal|upsell|referral|collection|payment|invoice|account|quote|proposal|training|event|"
    r"销|客户|签|单|订|合同|线索|商机|拜访|电话|会议|演示|回款|收款|业绩|续约|转介绍|报价|方案|培训|展会|渠道|成交|营收",
    re.IGNORECASE,
)
_CURRENCY_UNIT = re.compile(
    r"^(?:元|块|万元|¥|￥|\$|€|£|rmb|cny|usd|eur|gbp|yuan|dollars?|euros?|人民币|美元)$", re.I
)


def looks_sales_related(text: str) -> bool:
    """True when a custom metric's name sounds like selling; otherwise the bot asks how it helps sales."""
    return bool(_SALES_WORDS.search(text))


def is_currency_unit(unit: str) -> bool:
    return bool(_CURRENCY_UNIT.match(unit.strip()))
