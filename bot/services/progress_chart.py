"""The data and labels of a goal's progress chart, from its outlook, in the user's language: the planned
path and the actual cumulative amount from the goal's first day, the target, and the forecast range once
there is one."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

from babel.numbers import get_currency_name

from bot.i18n import Translator
from bot.services.charts import ChartData, ChartLabels
from bot.services.goal_text import amount_text, date_text, goal_headline, metric_label
from bot.services.plans import GoalOutlook


def currency_label(code: str, _: Translator) -> str:
    """The y axis' unit: the ISO code in English (USD), the currency's name in Chinese (人民币), so a Chinese
    chart carries no Latin letters of its own."""
    if _.language != "zh_CN":
        return code
    return str(get_currency_name(code, locale="zh_CN"))


def chart_data(view: GoalOutlook, _: Translator) -> ChartData:
    plan = view.plan
    path = []
    day = plan.start
    while day <= plan.deadline:
        path.append((day, plan.cumulative(day)))
        day += timedelta(days=1)
    actual = []
    running = Decimal(0)
    day = plan.start
    last = min(view.through, plan.deadline)
    while day <= last:
        running += view.actuals.get(day, Decimal(0))
        actual.append((day, running))
        day += timedelta(days=1)
    labels = ChartLabels(
        title=goal_headline(view.draft, _),
        actual=_("Actual (cumulative)"),
        target_path=_("Planned path"),
        forecast=_("Forecast range"),
        deadline=_("Deadline {date}", date=date_text(plan.deadline, _)),
        today=_("Today"),
        y_axis=currency_label(view.draft.unit, _) if view.is_currency else metric_label(view.draft, _),
        compact_language=_.language,
        target_line=_("Target {amount}", amount=amount_text(plan.target, view.draft, _)),
    )
    forecast = view.progress.forecast
    return ChartData(
        target=plan.target,
        start=plan.start,
        deadline=plan.deadline,
        today=view.today,
        target_path=path,
        actual=actual,
        forecast=None if forecast is None else (forecast.low, forecast.high),
        labels=labels,
    )
