"""A goal as the wizard collects it: plain values that round-trip through the dialog's JSON data."""

from __future__ import annotations

from dataclasses import asdict, dataclass, fields
from datetime import date
from decimal import Decimal
from typing import Any

from bot.core.metrics import CUSTOM, METRICS, MetricKind
from bot.core.smart import Ambition, AmbitionCheck, assess_ambition, target_from_growth

ABSOLUTE = "absolute"
GROWTH = "growth"
_DECIMALS = ("target_value", "growth_percent", "baseline", "reviewed_target")
_DATES = ("start_date", "deadline")


@dataclass
class GoalDraft:
    metric: str | None = None
    metric_name: str | None = None
    kind: str = MetricKind.COUNT.value
    unit: str = "count"
    description: str | None = None
    target_kind: str = ABSOLUTE
    target_value: Decimal | None = None
    growth_percent: Decimal | None = None
    baseline: Decimal | None = None
    baseline_known: bool = False
    start_date: date | None = None
    deadline: date | None = None
    confidence: int | None = None
    ambition_decision: str | None = None
    # The target the user last confirmed despite a warning; a different target is checked again.
    reviewed_target: Decimal | None = None
    relevance: str | None = None

    @property
    def metric_kind(self) -> MetricKind:
        return MetricKind(self.kind)

    @property
    def is_custom(self) -> bool:
        return self.metric == CUSTOM

    def choose_metric(self, key: str, currency: str) -> None:
        self.metric = key
        if key in METRICS:
            self.kind = METRICS[key].kind.value
            self.unit = currency if METRICS[key].kind is MetricKind.CURRENCY else "count"
            self.metric_name = None

    def settle_target(self) -> None:
        """A growth target becomes an absolute one as soon as the baseline is known."""
        if self.target_kind == GROWTH and self.growth_percent is not None and self.baseline is not None:
            self.target_value = target_from_growth(self.baseline, self.growth_percent, self.metric_kind)

    def ambition(self) -> AmbitionCheck:
        if self.target_value is None:
            return AmbitionCheck(Ambition.NO_BASELINE, None)
        return assess_ambition(self.target_value, self.baseline if self.baseline_known else None)

    @property
    def awaits_ambition_review(self) -> bool:
        return self.ambition().needs_review and self.reviewed_target != self.target_value

    def to_data(self) -> dict[str, Any]:
        data = asdict(self)
        for name in _DECIMALS:
            data[name] = None if data[name] is None else str(data[name])
        for name in _DATES:
            data[name] = None if data[name] is None else data[name].isoformat()
        return data

    @classmethod
    def from_data(cls, data: dict[str, Any]) -> GoalDraft:
        known = {f.name for f in fields(cls)}
        values = {key: value for key, value in data.items() if key in known}
        for name in _DECIMALS:
            if values.get(name) is not None:
                values[name] = Decimal(values[name])
        for name in _DATES:
            if values.get(name) is not None:
                values[name] = date.fromisoformat(values[name])
        return cls(**values)
