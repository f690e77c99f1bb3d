"""Goals in words: amounts, dates, periods, the one-sentence goal and its SMART card, in the user's language."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from babel.core import Locale
from babel.dates import format_date
from babel.numbers import format_currency, format_decimal, parse_pattern

from bot.core.goal_draft import GoalDraft
from bot.core.metrics import MEASURE_LABELS, MetricKind
from bot.core.smart import Ambition, Period, PeriodUnit, period_between
from bot.i18n import N_, Translator
from bot.services.profile_summary import babel_locale

METRIC_BUTTONS = (
    ("revenue", N_("💰 Revenue")),
    ("deals", N_("🤝 Deals signed")),
    ("new_customers", N_("🆕 New customers")),
    ("visits", N_("🚗 Client visits")),
    ("calls", N_("📞 Calls")),
    ("meetings", N_("👥 Meetings & trainings")),
    ("custom", N_("✏️ My own measure")),
)


# Parsed once rather than on every amount (a /log reply shows five): babel takes the parsed forms as well.
_CURRENCY_PATTERN = parse_pattern("¤#,##0.##")
_LOCALES = {code: Locale.parse(code) for code in ("en", "zh_CN")}


def metric_label(draft: GoalDraft, _: Translator) -> str:
    if draft.metric in MEASURE_LABELS:
        return _(MEASURE_LABELS[draft.metric])
    return draft.metric_name or "?"


def plain_number(value: Decimal, _: Translator) -> str:
    return format_decimal(value, locale=babel_locale(_), decimal_quantization=False)


def amount_text(value: Decimal, draft: GoalDraft, _: Translator) -> str:
    """An amount in the goal's unit: "¥500,000", "10 new customers", "12 referrals"."""
    if draft.metric_kind is MetricKind.CURRENCY and len(draft.unit) == 3 and draft.unit.isupper():
        locale = babel_locale(_)
        return format_currency(
            value,
            draft.unit,
            format=_CURRENCY_PATTERN,
            locale=_LOCALES.get(locale, locale),
            currency_digits=False,
        )
    if draft.unit == "count":
        return _("{count} {metric}", count=plain_number(value, _), metric=metric_label(draft, _))
    return _("{count} {unit}", count=plain_number(value, _), unit=draft.unit)


def date_text(day: date, _: Translator) -> str:
    return str(format_date(day, format="long", locale=babel_locale(_)))


def period_text(period: Period, _: Translator) -> str:
    """ "1 month", "3 weeks": the length of a goal's period, in the form its count takes."""
    if period.unit is PeriodUnit.DAYS:
        return _.plural("{count} day", "{count} days", period.count)
    if period.unit is PeriodUnit.WEEKS:
        return _.plural("{count} week", "{count} weeks", period.count)
    return _.plural("{count} month", "{count} months", period.count)


def goal_sentence(draft: GoalDraft, _: Translator) -> str:
    """The whole goal as one sentence a salesperson would say."""
    assert draft.target_value is not None and draft.deadline is not None and draft.start_date is not None
    values = {
        "deadline": date_text(draft.deadline, _),
        "target": amount_text(draft.target_value, draft, _),
        "metric": metric_label(draft, _),
        "description": (draft.description or "").rstrip(".。"),
    }
    if draft.metric_kind is MetricKind.CURRENCY:
        sentence = _("By {deadline}, reach {target} ({metric}): {description}.", **values)
    else:  # A count already names its measure: "12 deals signed".
        sentence = _("By {deadline}, reach {target}: {description}.", **values)
    # Chinese runs sentences together; English separates them with a space.
    joiner = "" if _.language == "zh_CN" else " "
    check = draft.ambition()
    if check.growth_percent is not None and draft.baseline is not None:
        sentence += joiner + _(
            "That is {growth}% more than the previous {period} ({baseline}).",
            growth=_signed(check.growth_percent),
            period=period_text(period_between(draft.start_date, draft.deadline), _),
            baseline=amount_text(draft.baseline, draft, _),
        )
    if draft.relevance:
        sentence += joiner + _("It serves: {objective}.", objective=draft.relevance.rstrip(".。"))
    return sentence


def percent_text(percent: Decimal) -> str:
    """12.50 -> "12.5", 100.0 -> "100": no trailing zeros, no exponent."""
    return format(percent.normalize(), "f")


def _signed(percent: Decimal) -> str:
    return percent_text(percent) if percent < 0 else "+" + percent_text(percent)


def smart_card(draft: GoalDraft, _: Translator) -> str:
    """The summary card: the sentence, then each SMART letter with what satisfied it."""
    assert draft.start_date is not None and draft.deadline is not None and draft.target_value is not None
    check = draft.ambition()
    if check.verdict is Ambition.REALISTIC:
        achievable = _(
            "growth {growth}% over the same length of time; confidence {confidence}/10",
            growth=_signed(check.growth_percent or Decimal(0)),
            confidence=draft.confidence,
        )
    elif check.needs_review:
        achievable = _(
            "growth {growth}%, kept after a warning; confidence {confidence}/10",
            growth=_signed(check.growth_percent or Decimal(0)),
            confidence=draft.confidence,
        )
    else:
        achievable = _(
            "no earlier figure to compare; confidence {confidence}/10", confidence=draft.confidence
        )
    days = (draft.deadline - draft.start_date).days
    deadline = date_text(draft.deadline, _)  # outside the plural call: a nested _ hides it from extraction
    lines = [
        _("Your goal:"),
        goal_sentence(draft, _),
        "",
        "✅ S " + _("Specific: {description}", description=draft.description),
        "✅ M " + _("Measurable: {target}", target=amount_text(draft.target_value, draft, _)),
        ("⚠️ A " if check.needs_review else "✅ A ") + _("Achievable: {details}", details=achievable),
        "✅ R " + _("Relevant: {objective}", objective=draft.relevance),
        "✅ T "
        + _.plural(
            "Time-bound: {deadline} ({count} day from now)",
            "Time-bound: {deadline} ({count} days from now)",
            days,
            deadline=deadline,
        ),
    ]
    return "\n".join(lines)


GOAL_STATUS_LABELS = {
    "active": N_("▶️ Active"),
    "paused": N_("⏸ Paused"),
    "achieved": N_("🏆 Achieved"),
    "abandoned": N_("🏳 Abandoned"),
    "deleted": N_("🗑 Deleted"),
}


def goal_headline(draft: GoalDraft, _: Translator) -> str:
    """A short line for lists and buttons: measure, target, deadline."""
    assert draft.target_value is not None and draft.deadline is not None
    return _(
        "{metric}: {target} by {deadline}",
        metric=metric_label(draft, _),
        target=amount_text(draft.target_value, draft, _),
        deadline=draft.deadline.isoformat(),
    )
