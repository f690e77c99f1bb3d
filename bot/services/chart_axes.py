"""The progress chart's axes: ticks, their labels (dates in each language, amounts with the locale's short
units, 800K / 80万) and the fonts and muted colours they share with the chart's other small text."""

from __future__ import annotations

from functools import cache

from babel.core import Locale
from babel.numbers import format_decimal
from matplotlib.axes import Axes
from matplotlib.dates import AutoDateLocator, ConciseDateFormatter, DateLocator, DayLocator
from matplotlib.ticker import Formatter, MaxNLocator

# Noto Sans CJK SC (bundled by mplfonts, registered by bot.services.charts) draws Chinese and Latin alike;
# DejaVu Sans, matplotlib's own font, catches any glyph it lacks. Naming the families on every text keeps
# rcParams untouched.
CJK_FAMILY = "Noto Sans CJK SC"
FONT_FAMILIES = [CJK_FAMILY, "DejaVu Sans"]
MUTED_COLOR = "#6b7280"
GRID_COLOR = "#e5e7eb"
SMALL_SIZE = 9.0

# ConciseDateFormatter's formats (years, months, days, hours, minutes, seconds): as a tick, as the
# first tick of its year/month/day, and as the axis offset. %-d (glibc, macOS) drops the leading zero;
# %b is English because the bot never calls setlocale.
DATE_FORMATS_ZH = (
    ["%Y年", "%-m月", "%-d日", "%H:%M", "%H:%M", "%S.%f"],
    ["", "%Y年", "%-m月", "%-m月%-d日", "%H:%M", "%H:%M"],
    ["", "%Y年", "%Y年%-m月", "%Y年%-m月%-d日", "%Y年%-m月%-d日", "%Y年%-m月%-d日 %H:%M"],
)
DATE_FORMATS_EN = (
    ["%Y", "%b", "%-d", "%H:%M", "%H:%M", "%S.%f"],
    ["", "%Y", "%b", "%b %-d", "%H:%M", "%H:%M"],
    ["", "%Y", "%b %Y", "%b %-d, %Y", "%b %-d, %Y", "%b %-d, %Y %H:%M"],
)


@cache
def compact_units(language: str) -> tuple[tuple[int, str], ...]:
    """The language's short number units from CLDR (through Babel), largest first: T, B, M, K / 万亿, 亿, 万."""
    patterns = Locale.parse(language).compact_decimal_formats["short"]["other"]
    units = {
        # "00万" at 100000 means 10 万: the magnitude over the pattern's digits is the unit's size.
        int(magnitude) // 10 ** (pattern.pattern.count("0") - 1): pattern.suffix[0]
        for magnitude, pattern in patterns.items()
        if pattern.suffix[0]
    }
    return tuple(sorted(units.items(), reverse=True))


class CompactFormatter(Formatter):
    """Axis numbers with grouped digits, large ones shortened per tick in the locale's units: 800K, 1.2M /
    80万, 1.5亿. Babel's format_compact_decimal alone would write 5000万 and leave 5000 plain beside 1万."""

    # Below this largest tick, plain numbers ("8,000") read better than short ones ("8K").
    COMPACT_FROM = 10_000

    def __init__(self, language: str) -> None:
        self.language = language
        self.units = compact_units(language)
        self.compact = False

    def set_locs(self, locs: list[float]) -> None:
        """All ticks shortened or none, decided by the largest."""
        super().set_locs(locs)
        self.compact = max((abs(loc) for loc in locs), default=0.0) >= self.COMPACT_FROM

    def __call__(self, x: float, pos: int | None = None) -> str:
        if x == 0:
            return "0"
        scale, suffix = 1, ""
        if self.compact:
            # Each tick in its own unit, as Chinese writes it (5000万, 1亿) and as dashboards do (800K, 1.2M).
            scale, suffix = next(((s, n) for s, n in self.units if abs(x) >= s), self.units[-1])
        return format_decimal(x / scale, format="#,##0.##", locale=self.language) + suffix


def style_axes(ax: Axes, chinese: bool, width_days: int) -> None:
    """Spines, grid, tick style, date ticks for the axis' width and compact amounts."""
    for side in ("top", "right", "left"):
        ax.spines[side].set_visible(False)
    ax.spines["bottom"].set_color("#d1d5db")
    ax.grid(axis="y", color=GRID_COLOR, linewidth=0.8)
    ax.set_axisbelow(True)
    ax.tick_params(labelsize=SMALL_SIZE, labelcolor=MUTED_COLOR, labelfontfamily=FONT_FAMILIES)
    ax.tick_params(axis="y", length=0, pad=6)
    ax.tick_params(axis="x", color="#d1d5db")

    # A few days' axis gets one tick a day, never AutoDateLocator's hourly ticks.
    # (matplotlib.dates has no type annotations, hence the ignores.)
    locator: DateLocator = (
        DayLocator(interval=1 if width_days <= 8 else 2)  # type: ignore[no-untyped-call]
        if width_days <= 14
        else AutoDateLocator(maxticks=8)  # type: ignore[no-untyped-call]
    )
    formats, zero_formats, offset_formats = DATE_FORMATS_ZH if chinese else DATE_FORMATS_EN
    formatter = ConciseDateFormatter(  # type: ignore[no-untyped-call]
        locator, formats=formats, zero_formats=zero_formats, offset_formats=offset_formats
    )
    ax.xaxis.set_major_locator(locator)
    ax.xaxis.set_major_formatter(formatter)
    ax.xaxis.get_offset_text().set(fontfamily=FONT_FAMILIES, fontsize=SMALL_SIZE, color=MUTED_COLOR)
    ax.yaxis.set_major_locator(MaxNLocator(nbins=5, integer=True, min_n_ticks=2))
    ax.yaxis.set_major_formatter(CompactFormatter("zh_CN" if chinese else "en"))
