"""A goal's progress chart as PNG bytes, drawn headless with Agg.

Only `matplotlib.figure.Figure` and `FigureCanvasAgg` are used, never pyplot: no global figure
registry, no GUI backend, no rcParams changes, so renders are independent of each other and safe
in the bot's asyncio process (run them in a worker thread, e.g. asyncio.to_thread: one render
is ~60 ms of CPU that would otherwise block the event loop).
"""

from __future__ import annotations

import importlib.util
import io
import logging
import math
import threading
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

import numpy as np
import numpy.typing as npt
from matplotlib import font_manager
from matplotlib.axes import Axes
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.font_manager import FontProperties
from matplotlib.lines import Line2D
from matplotlib.text import Text

from bot.services.chart_axes import FONT_FAMILIES, MUTED_COLOR, SMALL_SIZE, style_axes

logger = logging.getLogger(__name__)

# Noto Sans CJK SC (bundled by mplfonts), the first of FONT_FAMILIES.
CJK_FONT_FILE = "NotoSansCJKsc-Regular.otf"

WIDTH_IN, HEIGHT_IN, DPI = 8.0, 5.0, 100

TARGET_COLOR = "#9ca3af"
ACTUAL_COLOR = "#1d4ed8"
FORECAST_COLOR = "#f97316"
DEADLINE_COLOR = "#dc2626"
TODAY_COLOR = "#4b5563"
TEXT_COLOR = "#111827"

# Axes placement in figure fractions: title and legend rows above, tick labels below and left.
AXES_LEFT, AXES_RIGHT, AXES_BOTTOM, AXES_TOP = 0.1, 0.955, 0.1, 0.78
TITLE_X, TITLE_Y, LEGEND_Y = 0.03, 0.955, 0.885
TITLE_SIZE, TITLE_MIN_SIZE, LEGEND_SIZE = 14.0, 11.0, 10.0
# Free band above the highest value, where the Today/Deadline labels sit without touching the data.
HEADROOM = 0.16
# Today is shown even when just outside the goal's dates, stretching the axis by at most this much.
TODAY_REACH_FRACTION, TODAY_REACH_MIN_DAYS = 0.25, 14

_font_lock = threading.Lock()
_font_registered = False


@dataclass(frozen=True)
class ChartLabels:
    """Every text on the chart, already translated by the caller."""

    title: str
    actual: str
    target_path: str
    forecast: str
    deadline: str
    today: str
    y_axis: str
    # Language of the compact numbers (万/亿 or K/M) and of the dates on the x axis: "zh_CN" or "en".
    compact_language: str = "en"
    # Written above the target's horizontal line, e.g. "Target ¥2,000,000"; empty: the line alone.
    target_line: str = ""


@dataclass(frozen=True)
class ChartData:
    """One goal's numbers; amounts are cumulative."""

    target: Decimal
    start: date
    deadline: date
    today: date
    target_path: Sequence[tuple[date, Decimal]]  # planned cumulative amount per day, start..deadline
    actual: Sequence[tuple[date, Decimal]]  # actual cumulative amount per day, start..min(today, deadline)
    # Where the pace lands at the deadline, (low, high); None before there is enough evidence.
    forecast: tuple[Decimal, Decimal] | None
    labels: ChartLabels


def render_progress_chart(data: ChartData) -> bytes:
    """The chart as an 800x500 PNG."""
    _register_font()
    chinese = data.labels.compact_language.lower().startswith("zh")
    fig = Figure(figsize=(WIDTH_IN, HEIGHT_IN), dpi=DPI, facecolor="white")
    # The Agg canvas, attached to this figure only: no backend switch, no pyplot.
    FigureCanvasAgg(fig)
    fig.subplots_adjust(left=AXES_LEFT, right=AXES_RIGHT, bottom=AXES_BOTTOM, top=AXES_TOP)
    ax = fig.add_subplot()

    target_x, target_y = _series(data.target_path)
    actual_x, actual_y = _series(data.actual)
    start, deadline = min(data.start, data.deadline), max(data.start, data.deadline)
    deadline_x = _day(deadline)

    # The x range: the goal's dates, plus today when it is close enough to be worth showing.
    low, high = start, deadline
    for points in (data.target_path, data.actual):
        if points:
            low, high = min(low, points[0][0]), max(high, points[-1][0])
    reach = timedelta(days=max(TODAY_REACH_MIN_DAYS, int((high - low).days * TODAY_REACH_FRACTION)))
    show_today = low - reach <= data.today <= high + reach
    if show_today:
        low, high = min(low, data.today), max(high, data.today)
    width_days = (high - low).days
    if width_days < 2:
        # A one- or two-day goal: a day either side, so the axis has a width and the points show.
        ax.set_xlim(_day(low) - 1, _day(high) + 1)
    else:
        # Room after the last line so it is not drawn on the frame; before the first only for Today
        # (the goal's own lines start at the frame, where they start from zero).
        pad = max(0.5, width_days * 0.03)
        ax.set_xlim(_day(low) - (pad if low < start else 0), _day(high) + pad)

    handles: list[tuple[Line2D, str]] = []
    if len(target_x):
        # A one-day goal has a single point and so no line: it is drawn as a dot.
        marker = "o" if len(target_x) == 1 else ""
        (line,) = ax.plot(target_x, target_y, color=TARGET_COLOR, linewidth=1.8, marker=marker, zorder=2)
        handles.append((line, data.labels.target_path))
    if len(actual_x):
        ax.fill_between(actual_x, actual_y, 0, color=ACTUAL_COLOR, alpha=0.10, linewidth=0, zorder=1)
        (line,) = ax.plot(actual_x, actual_y, color=ACTUAL_COLOR, linewidth=2.4, zorder=4)
        ax.plot(actual_x[-1:], actual_y[-1:], "o", color=ACTUAL_COLOR, markersize=5, zorder=5)
        handles.insert(0, (line, data.labels.actual))

    bottom, y_top = y_limits(data)
    ax.set_ylim(bottom, y_top)
    target = _finite(data.target)

    # The range starts today (within the goal's dates) at the latest actual amount and fans out to the
    # deadline.
    forecast = _finite_range(data.forecast)
    anchor = min(max(data.today, start), deadline)
    if forecast is not None and anchor < deadline:
        anchor_y = float(actual_y[-1]) if len(actual_y) and math.isfinite(actual_y[-1]) else 0.0
        fan_low, fan_high = forecast
        fan_x = [_day(anchor), deadline_x]
        ax.fill_between(
            fan_x, [anchor_y, fan_low], [anchor_y, fan_high], color=FORECAST_COLOR, alpha=0.18, linewidth=0
        )
        # Both edges dashed (one line when the range is a single amount).
        for edge in sorted({fan_high, fan_low}, reverse=True):
            (line,) = ax.plot(
                fan_x, [anchor_y, edge], color=FORECAST_COLOR, linewidth=1.6, linestyle=(0, (5, 3)), zorder=3
            )
        if fan_high > y_top:
            # Off the scale: a mark at the frame says the range goes on up.
            ax.plot([deadline_x], [y_top], "^", color=FORECAST_COLOR, markersize=7, clip_on=False, zorder=6)
        handles.append((line, data.labels.forecast))

    if target is not None and target > 0:
        ax.axhline(target, color=TARGET_COLOR, linewidth=1.0, linestyle=(0, (2, 2)), zorder=2)
        if data.labels.target_line:
            ax.annotate(
                data.labels.target_line,
                xy=(0, target),
                xycoords=("axes fraction", "data"),
                xytext=(4, 3),
                textcoords="offset points",
                ha="left",
                va="bottom",
                color=MUTED_COLOR,
                fontfamily=FONT_FAMILIES,
                fontsize=SMALL_SIZE,
                parse_math=False,
                bbox={"facecolor": "white", "edgecolor": "none", "pad": 1.0},  # readable across Today's line
                zorder=6,
            )

    ax.axvline(deadline_x, color=DEADLINE_COLOR, linewidth=1.6, linestyle=":", zorder=3)
    if show_today and data.today != deadline:
        ax.axvline(_day(data.today), color=TODAY_COLOR, linewidth=1.0, alpha=0.55, zorder=1)

    style_axes(ax, chinese, width_days)
    _marker_labels(fig, ax, data, deadline_x, show_today)
    _unit_label(ax, data.labels.y_axis)
    _title(fig, data.labels.title)
    if handles:
        legend = fig.legend(
            [line for line, _ in handles],
            [label for _, label in handles],
            loc="upper left",
            bbox_to_anchor=(TITLE_X - 0.008, LEGEND_Y),
            ncol=len(handles),
            frameon=False,
            prop=FontProperties(family=FONT_FAMILIES, size=LEGEND_SIZE),
            handlelength=2.2,
            columnspacing=1.8,
            borderaxespad=0,
        )
        for text in legend.get_texts():
            text.set_parse_math(False)
            text.set_color(TEXT_COLOR)

    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=DPI)
    return buffer.getvalue()


def y_limits(data: ChartData) -> tuple[float, float]:
    """The y axis' range: from 0 (or the lowest value) to a band above the larger of the target and the
    plan and actual amounts. Never the forecast: one big day must not squash the target path against the
    axis; a forecast beyond the top is cut at the frame."""
    points = (*data.target_path, *data.actual)
    values = [v for v in (*(_finite(amount) for _, amount in points), _finite(data.target)) if v is not None]
    top, bottom = max(values, default=0.0), min(0.0, *values)
    if top <= bottom:
        top = bottom + 1.0
    return bottom, top + (top - bottom) * HEADROOM


def warm_up() -> None:
    """Register the font and draw one small chart, so that the first user does not wait for start-up."""
    today = date(2026, 1, 10)
    path = [(date(2026, 1, day), Decimal(day * 10)) for day in range(1, 32)]
    labels = ChartLabels(
        "销售额 Revenue ¥1,234", "实际 Actual", "计划", "预测", "截止日", "今天", "¥", "zh_CN", "目标"
    )
    span = (Decimal(290), Decimal(330))
    data = ChartData(Decimal(310), date(2026, 1, 1), date(2026, 1, 31), today, path, path[:10], span, labels)
    render_progress_chart(data)


def _register_font() -> None:
    """Add the bundled CJK font to matplotlib's font list, once per process."""
    global _font_registered
    if _font_registered:
        return
    with _font_lock:
        if _font_registered:
            return
        path = _cjk_font_path()
        if path is None:
            logger.warning(
                "%s not found (is mplfonts installed?): Chinese text will not render", CJK_FONT_FILE
            )
        else:
            font_manager.fontManager.addfont(str(path))
        _font_registered = True


def _cjk_font_path() -> Path | None:
    # find_spec locates the package without importing it: mplfonts' import pulls in extra modules,
    # and its own install functions would write to matplotlib's configuration.
    spec = importlib.util.find_spec("mplfonts")
    for folder in (spec.submodule_search_locations or []) if spec else []:
        path = Path(folder) / "fonts" / CJK_FONT_FILE
        if path.is_file():
            return path
    return None


def _day(value: date) -> float:
    """Matplotlib's date number: days since its default epoch, 1970-01-01 (rcParams["date.epoch"],
    which nothing in the bot changes)."""
    return float(_days([value])[0])


def _days(values: Sequence[date]) -> npt.NDArray[np.float64]:
    # Computed from numpy's datetime64 directly: matplotlib.dates.date2num is unannotated.
    days = np.array(values, dtype="datetime64[D]") - np.datetime64("1970-01-01", "D")
    return days.astype(np.float64)


def _series(
    points: Sequence[tuple[date, Decimal]],
) -> tuple[npt.NDArray[np.float64], npt.NDArray[np.float64]]:
    x = _days([day for day, _ in points])
    y = np.array([float(amount) for _, amount in points], dtype=np.float64)
    return x, y


def _finite_range(values: tuple[Decimal, Decimal] | None) -> tuple[float, float] | None:
    if values is None:
        return None
    low, high = _finite(values[0]), _finite(values[1])
    if low is None or high is None:
        return None
    return min(low, high), max(low, high)


def _finite(value: Decimal | None) -> float | None:
    number = float(value) if value is not None and value.is_finite() else math.nan
    return number if math.isfinite(number) else None  # a Decimal beyond float's range is inf


def _marker_labels(fig: Figure, ax: Axes, data: ChartData, deadline_x: float, show_today: bool) -> None:
    """Deadline and Today written in the free band at the top, each beside its own line, never overlapping."""
    gap = 4.0 * DPI / 72
    box = ax.bbox
    right_limit = fig.bbox.width - gap

    def label(text: str, color: str) -> Text:
        return ax.text(
            0,
            0.985,
            text,
            transform=ax.transAxes,
            ha="left",
            va="top",
            color=color,
            fontfamily=FONT_FAMILIES,
            fontsize=SMALL_SIZE,
            parse_math=False,
        )

    def spans(text: Text, line_x: float) -> list[tuple[float, float]]:
        """Where `text` can go, in pixels: just left of its line, or just right of it."""
        width = text.get_window_extent().width
        return [(line_x - gap - width, line_x - gap), (line_x + gap, line_x + gap + width)]

    def fits(span: tuple[float, float]) -> bool:
        return span[0] >= box.x0 and span[1] <= right_limit

    def move(text: Text, span: tuple[float, float]) -> None:
        text.set_x((span[0] - box.x0) / box.width)

    deadline_text = label(data.labels.deadline, DEADLINE_COLOR)
    deadline_spans = spans(deadline_text, ax.transData.transform((deadline_x, 0))[0])
    if not show_today:
        move(deadline_text, next(filter(fits, deadline_spans), deadline_spans[0]))
        return
    today_text = label(data.labels.today, TODAY_COLOR)
    today_spans = spans(today_text, ax.transData.transform((_day(data.today), 0))[0])
    # Each label prefers the side away from the other line, so that they read in the lines' order.
    today_first = data.today <= data.deadline
    deadline_order = deadline_spans if today_first else deadline_spans[::-1]
    today_order = today_spans if today_first else today_spans[::-1]
    pairs = [(d, t) for d in deadline_order for t in today_order]
    chosen = next(
        ((d, t) for d, t in pairs if fits(d) and fits(t) and (t[1] + gap <= d[0] or d[1] + gap <= t[0])),
        None,
    )
    if chosen is None:
        # The lines are too close for both labels on one row: Today goes on a second row, still within
        # the headroom (two rows of small text take well under HEADROOM of the axes' height).
        chosen = (
            next(filter(fits, deadline_order), deadline_order[0]),
            next(filter(fits, today_order), today_order[0]),
        )
        today_text.set_y(0.985 - (today_text.get_window_extent().height + gap / 2) / box.height)
    move(deadline_text, chosen[0])
    move(today_text, chosen[1])


def _unit_label(ax: Axes, text: str) -> None:
    """The y axis' unit above its numbers, level with the title: unlike a rotated label it reads naturally
    in Chinese, and a long one ("industry events") has the whole width."""
    ax.annotate(
        text,
        xy=(TITLE_X, 1),
        xycoords=("figure fraction", "axes fraction"),
        xytext=(0, 6),
        textcoords="offset points",
        ha="left",
        va="bottom",
        color=MUTED_COLOR,
        fontfamily=FONT_FAMILIES,
        fontsize=SMALL_SIZE,
        parse_math=False,
    )


def _title(fig: Figure, text: str) -> None:
    """The title on one line: smaller when long, cut with an ellipsis when still too long."""
    title = fig.text(
        TITLE_X,
        TITLE_Y,
        text,
        ha="left",
        va="top",
        color=TEXT_COLOR,
        fontfamily=FONT_FAMILIES,
        fontsize=TITLE_SIZE,
        parse_math=False,
    )
    available = fig.bbox.width * (1 - 2 * TITLE_X)
    used = title.get_window_extent().width
    if used <= available:
        return
    title.set_fontsize(max(TITLE_MIN_SIZE, TITLE_SIZE * available / used))
    while len(text) > 1 and title.get_window_extent().width > available:
        text = text[: max(1, int(len(text) * 0.9))]
        title.set_text(text.rstrip() + "…")
