"""A team goal's chart: each member's cumulative results stacked (one colour each), the team's planned path
and its target. A member's view shows their own band and the rest of the team as one "others" band."""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from matplotlib.artist import Artist
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.font_manager import FontProperties

from bot.services.chart_axes import FONT_FAMILIES, style_axes
from bot.services.charts import (
    AXES_BOTTOM,
    AXES_LEFT,
    AXES_RIGHT,
    AXES_TOP,
    DEADLINE_COLOR,
    DPI,
    HEADROOM,
    HEIGHT_IN,
    LEGEND_SIZE,
    LEGEND_Y,
    TARGET_COLOR,
    TEXT_COLOR,
    TITLE_X,
    WIDTH_IN,
    _day,
    _register_font,
    _title,
    _unit_label,
)

# One colour per band, in order; "others" in a member's view is the muted last one.
BAND_COLORS = ("#1d4ed8", "#059669", "#d97706", "#7c3aed", "#db2777", "#0891b2", "#65a30d", "#dc2626")
OTHERS_COLOR = "#9ca3af"
MAX_BANDS = len(BAND_COLORS)


@dataclass(frozen=True)
class Band:
    label: str
    daily: Sequence[Decimal]  # results per day, from the chart's start through its last day shown
    others: bool = False


@dataclass(frozen=True)
class TeamChartData:
    title: str
    y_axis: str
    target_label: str
    path_label: str
    language: str  # "zh_CN" or "en": dates and compact numbers
    start: date
    deadline: date
    target: Decimal
    target_path: Sequence[Decimal]  # planned cumulative amount per day, start..deadline
    bands: Sequence[Band]  # each as long as the days shown so far


def cumulative(values: Sequence[Decimal]) -> list[float]:
    running, out = Decimal(0), []
    for value in values:
        running += value
        out.append(float(running))
    return out


def render_team_chart(data: TeamChartData) -> bytes:
    """The chart as an 800x500 PNG."""
    _register_font()
    fig = Figure(figsize=(WIDTH_IN, HEIGHT_IN), dpi=DPI, facecolor="white")
    FigureCanvasAgg(fig)
    fig.subplots_adjust(left=AXES_LEFT, right=AXES_RIGHT, bottom=AXES_BOTTOM, top=AXES_TOP)
    ax = fig.add_subplot()
    days = [_day(data.start + timedelta(days=n)) for n in range(len(data.target_path))]
    (path,) = ax.plot(days, [float(v) for v in data.target_path], color=TARGET_COLOR, linewidth=1.8, zorder=2)
    shown = max((len(band.daily) for band in data.bands), default=0)
    stacked = [cumulative(band.daily) for band in data.bands]
    colors = [
        OTHERS_COLOR if band.others else BAND_COLORS[n % MAX_BANDS] for n, band in enumerate(data.bands)
    ]
    handles: list[Artist] = [path]
    labels = [data.path_label]
    if shown and stacked:
        areas = ax.stackplot(days[:shown], *stacked, colors=colors, alpha=0.75, zorder=3)
        handles += list(areas)
        labels += [band.label for band in data.bands]
    target = float(data.target)
    totals = [sum(values) for values in zip(*stacked, strict=True)] if stacked else []
    top = max(target, *totals, *(float(v) for v in data.target_path)) or 1.0
    ax.set_ylim(0, top * (1 + HEADROOM))
    ax.set_xlim(_day(data.start), _day(data.deadline) + 1)
    ax.axhline(target, color=TARGET_COLOR, linewidth=1.0, linestyle=(0, (2, 2)), zorder=2)
    ax.axvline(_day(data.deadline), color=DEADLINE_COLOR, linewidth=1.6, linestyle=":", zorder=3)
    style_axes(ax, data.language.lower().startswith("zh"), (data.deadline - data.start).days)
    _unit_label(ax, data.y_axis)
    _title(fig, data.title)
    legend = fig.legend(handles, labels, loc="upper left", bbox_to_anchor=(TITLE_X - 0.008, LEGEND_Y),
                        ncol=min(len(handles), 5), frameon=False,
                        prop=FontProperties(family=FONT_FAMILIES, size=LEGEND_SIZE), borderaxespad=0)  # fmt: skip
    for text in legend.get_texts():
        text.set_parse_math(False)
        text.set_color(TEXT_COLOR)
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=DPI)
    return buffer.getvalue()
