"""Progress charts: valid PNGs, Chinese drawn with real glyphs, odd goals drawn without a warning."""

from __future__ import annotations

import io
import subprocess
import sys
import warnings
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import replace
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

import matplotlib
import pytest
from matplotlib.image import imread

from bot.services.chart_axes import CompactFormatter
from bot.services.charts import HEADROOM, ChartData, ChartLabels, render_progress_chart, warm_up, y_limits

REPO = Path(__file__).resolve().parent.parent
PNG_MAGIC = b"\x89PNG\r\n\x1a\n"

ZH = ChartLabels(
    title="新客户:2027年3月31日前 120个",
    actual="实际累计",
    target_path="目标路径",
    forecast="预测区间",
    deadline="截止日",
    today="今天",
    y_axis="新客户",
    compact_language="zh_CN",
    target_line="目标 120个",
)
ZH_MONEY = replace(ZH, title="销售额:2027年3月31日前 ¥1,200,000", y_axis="¥", target_line="目标 ¥1,200,000")
EN = ChartLabels(
    title="Revenue: ¥1,200,000 by March 31, 2027",
    actual="Actual (cumulative)",
    target_path="Target path",
    forecast="Forecast range",
    deadline="Deadline",
    today="Today",
    y_axis="¥",
    compact_language="en",
    target_line="Target ¥1,200,000",
)


def goal(
    labels: ChartLabels = EN,
    *,
    start: date = date(2026, 4, 1),
    deadline: date = date(2027, 3, 31),
    today: date = date(2026, 11, 27),
    target: Decimal = Decimal(1_200_000),
    per_day: Decimal = Decimal(2_900),
    forecast: tuple[Decimal, Decimal] | None = (Decimal(980_000), Decimal(1_050_000)),
) -> ChartData:
    """A goal planned evenly from start to deadline, with steady actual progress up to today."""
    days = (deadline - start).days + 1
    path = [(start + timedelta(days=d), target * (d + 1) / days) for d in range(days)]
    done = max(0, min((today - start).days + 1, days))
    actual = [(start + timedelta(days=d), per_day * (d + 1)) for d in range(done)]
    return ChartData(target, start, deadline, today, path, actual, forecast, labels)


def render_strictly(data: ChartData) -> bytes:
    """Renders with every warning an error: a missing glyph is a UserWarning from matplotlib."""
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        return render_progress_chart(data)


def test_png_is_valid_and_800_by_500() -> None:
    png = render_progress_chart(goal())
    assert png.startswith(PNG_MAGIC)
    pixels = imread(io.BytesIO(png), format="png")
    assert pixels.shape[:2] == (500, 800)
    assert pixels.min() < 0.5, "the image is blank"


@pytest.mark.parametrize("labels", [ZH, ZH_MONEY, EN], ids=["zh-count", "zh-money", "en"])
def test_every_character_has_a_glyph(labels: ChartLabels) -> None:
    """Fails on "Glyph NNNN (...) missing from font(s)": Chinese would be drawn as empty boxes."""
    render_strictly(goal(labels))


def test_warm_up_draws_without_warnings() -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        warm_up()


EDGE_CASES: dict[str, Callable[[ChartLabels], ChartData]] = {
    "no actual entries": lambda labels: replace(goal(labels), actual=[], forecast=None),
    "no forecast": lambda labels: goal(labels, forecast=None),
    "today before start": lambda labels: goal(labels, start=date(2026, 12, 1), forecast=None),
    "today long before start": lambda labels: goal(labels, start=date(2027, 6, 1), deadline=date(2028, 1, 1)),
    "today after deadline": lambda labels: goal(labels, deadline=date(2026, 11, 20)),
    "today long after deadline": lambda labels: goal(
        labels, start=date(2024, 1, 1), deadline=date(2024, 12, 31)
    ),
    "today is the deadline": lambda labels: goal(labels, deadline=date(2026, 11, 27)),
    "today is the day before the deadline": lambda labels: goal(labels, deadline=date(2026, 11, 28)),
    "long deadline label close to today": lambda labels: replace(
        goal(labels, deadline=date(2026, 12, 5)),
        labels=replace(labels, deadline=labels.deadline + " 2026-12-05 (Saturday)"),
    ),
    "single-day goal": lambda labels: goal(
        labels, start=date(2026, 11, 27), deadline=date(2026, 11, 27), target=Decimal(3), per_day=Decimal(1)
    ),
    "two-day goal": lambda labels: goal(
        labels, start=date(2026, 11, 27), deadline=date(2026, 11, 28), target=Decimal(3), per_day=Decimal(1)
    ),
    "one-week goal": lambda labels: goal(
        labels, start=date(2026, 11, 23), deadline=date(2026, 11, 29), target=Decimal(10), per_day=Decimal(1)
    ),
    "huge numbers": lambda labels: goal(
        labels, target=Decimal("1e12"), per_day=Decimal("3e9"), forecast=(Decimal("9e11"), Decimal("9.5e11"))
    ),
    "beyond 1e15": lambda labels: goal(labels, target=Decimal("5e16"), per_day=Decimal("1e14")),
    "zero target path": lambda labels: goal(
        labels, target=Decimal(0), per_day=Decimal(0), forecast=(Decimal(0), Decimal(0))
    ),
    "empty target path": lambda labels: replace(goal(labels), target_path=[]),
    "nothing at all": lambda labels: replace(goal(labels), target_path=[], actual=[], forecast=None),
    "fractional amounts": lambda labels: goal(labels, target=Decimal("2.5"), per_day=Decimal("0.01")),
    "negative actual": lambda labels: goal(labels, per_day=Decimal(-100)),
    "non-finite forecast": lambda labels: goal(labels, forecast=(Decimal(0), Decimal("NaN"))),
    "forecast far above the target": lambda labels: goal(labels, forecast=(Decimal("4e6"), Decimal("4.1e7"))),
    "forecast range of one amount": lambda labels: goal(labels, forecast=(Decimal("9e5"), Decimal("9e5"))),
    "no target label": lambda labels: replace(goal(labels), labels=replace(labels, target_line="")),
    "deadline before start": lambda labels: goal(labels, start=date(2027, 3, 31), deadline=date(2026, 4, 1)),
    "dollar signs are not math": lambda labels: replace(
        goal(labels), labels=replace(labels, title="Revenue: $1,200 to $5,000", y_axis="$")
    ),
    "very long title": lambda labels: replace(goal(labels), labels=replace(labels, title=labels.title * 5)),
}


@pytest.mark.parametrize("labels", [ZH_MONEY, EN], ids=["zh", "en"])
@pytest.mark.parametrize("case", EDGE_CASES.keys())
def test_edge_cases_render_without_warnings(case: str, labels: ChartLabels) -> None:
    png = render_strictly(EDGE_CASES[case](labels))
    assert imread(io.BytesIO(png), format="png").shape[:2] == (500, 800)


def test_renders_share_no_state() -> None:
    """The same goal gives the same bytes whatever was drawn before it, and whichever thread draws it."""
    first = render_progress_chart(goal(ZH_MONEY))
    render_progress_chart(EDGE_CASES["huge numbers"](EN))
    assert render_progress_chart(goal(ZH_MONEY)) == first
    with ThreadPoolExecutor(max_workers=3) as pool:
        results = list(pool.map(render_progress_chart, [goal(ZH_MONEY), goal(EN)] * 3))
    assert results[::2] == [first] * 3
    assert len(set(results[1::2])) == 1


def test_rcparams_untouched() -> None:
    before = dict(matplotlib.rcParams)
    warm_up()
    render_progress_chart(goal(ZH))
    assert dict(matplotlib.rcParams) == before


def test_pyplot_never_imported() -> None:
    """pyplot brings global figure state and GUI backends; checked in a fresh interpreter."""
    script = (
        "import sys\n"
        "from bot.services.charts import warm_up\n"
        "warm_up()\n"
        "assert 'matplotlib.pyplot' not in sys.modules, 'pyplot was imported'\n"
    )
    subprocess.run([sys.executable, "-c", script], check=True, cwd=REPO, capture_output=True)


@pytest.mark.parametrize(
    ("chinese", "ticks", "expected"),
    [
        (False, [0, 2_000, 4_000, 6_000, 8_000], ["0", "2,000", "4,000", "6,000", "8,000"]),
        (False, [0, 300_000, 600_000, 1_200_000, 1_500_000], ["0", "300K", "600K", "1.2M", "1.5M"]),
        (False, [0, 2.5e11, 5e11, 1e12], ["0", "250B", "500B", "1T"]),
        (False, [0, 5e15], ["0", "5,000T"]),
        (False, [0, 0.5, 1, 1.5], ["0", "0.5", "1", "1.5"]),
        (False, [-20_000, 0, 20_000], ["-20K", "0", "20K"]),
        (True, [0, 300_000, 600_000, 1_200_000], ["0", "30万", "60万", "120万"]),
        (True, [0, 5_000, 10_000, 15_000], ["0", "0.5万", "1万", "1.5万"]),
        (True, [0, 5e7, 1e8, 1.5e8], ["0", "5,000万", "1亿", "1.5亿"]),
        (True, [0, 2.5e11, 1e12], ["0", "2,500亿", "1万亿"]),
        (True, [0, 3, 6, 9], ["0", "3", "6", "9"]),
    ],
)
def test_axis_numbers_are_compact(chinese: bool, ticks: list[float], expected: list[str]) -> None:
    formatter = CompactFormatter("zh_CN" if chinese else "en")
    assert formatter.format_ticks(ticks) == expected


def test_the_scale_follows_the_target_never_the_forecast() -> None:
    """A forecast 30 times the target (one big day, extrapolated) leaves the target path its full height."""
    early = goal(EN, today=date(2026, 4, 3), forecast=(Decimal("4e6"), Decimal("3.6e7")))
    assert y_limits(early) == y_limits(replace(early, forecast=None))
    assert y_limits(early) == (0.0, 1_200_000 * (1 + HEADROOM))
    render_strictly(early)


def test_the_scale_reaches_an_actual_above_the_target() -> None:
    ahead = goal(EN, per_day=Decimal(10_000))  # 2.4 million by late November
    bottom, top = y_limits(ahead)
    assert bottom == 0 and top == pytest.approx(float(ahead.actual[-1][1]) * (1 + HEADROOM))
