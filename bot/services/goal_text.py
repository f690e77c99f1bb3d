"""Goals in words: amounts, dates, periods, the one-sentence goal and its SMART card, in the user's language."""

from __future__ import annotations

from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from babel.core import Locale
from babel.dates import format_date, format_skeleton
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


# The bot's one rule for numbers: whole units from 100 up ("$843", "¥9,756"), cents only below ("$99.50").
# Patterns parsed once rather than on every amount (a /log reply shows five): babel takes the parsed forms.
WHOLE_UNITS_FROM = Decimal(100)
_WHOLE = Decimal(1)
_CENTS = Decimal("0.01")
_PERCENT_STEP = Decimal("0.1")
_MONEY_WHOLE = parse_pattern("¤#,##0")
_MONEY_CENTS = parse_pattern("¤#,##0.00")
_NUMBER_WHOLE = parse_pattern("#,##0")
_NUMBER_SMALL = parse_pattern("#,##0.##")
_LOCALES = {code: Locale.parse(code) for code in ("en", "zh_CN")}


def metric_label(draft: GoalDraft, _: Translator) -> str:
    if draft.metric in MEASURE_LABELS:
        return _(MEASURE_LABELS[draft.metric])
    return draft.metric_name or "?"


def _locale(_: Translator) -> Locale | str:
    locale = babel_locale(_)
    return _LOCALES.get(locale, locale)


def rounded(value: Decimal) -> Decimal:
    """The value as the bot shows it: whole from 100 up, to the cent below; halves round up."""
    step = _WHOLE if abs(value) >= WHOLE_UNITS_FROM else _CENTS
    return value.quantize(step, rounding=ROUND_HALF_UP)


def number_text(value: Decimal | int, _: Translator) -> str:
    """A count or a plain quantity: "1,200", "12", "2.5"."""
    shown = rounded(Decimal(value))
    pattern = _NUMBER_WHOLE if abs(shown) >= WHOLE_UNITS_FROM else _NUMBER_SMALL
    return str(format_decimal(shown, format=pattern, locale=_locale(_)))


def money_text(value: Decimal, currency: str, _: Translator) -> str:
    """ "$843", "¥9,756", "$99.50", "$5": whole units from 100 up, cents below (and only when there are any)."""
    shown = rounded(value)
    whole = abs(shown) >= WHOLE_UNITS_FROM or shown == shown.to_integral_value()
    return str(
        format_currency(
            shown,
            currency,
            format=_MONEY_WHOLE if whole else _MONEY_CENTS,
            locale=_locale(_),
            currency_digits=False,
        )
    )


# The standard measures whose counts take English plural forms: "1 deal signed", "10 deals signed".
COUNTED_MEASURES = frozenset(
    ("deals", "new_customers", "visits", "calls", "meetings", "trainings", "events", "leads")
)


def _plural_count(value: Decimal) -> int:
    """The count that picks the plural form: a fraction ("0.5 calls") takes the plural, as English does."""
    return int(value) if value == value.to_integral_value() else 2


def count_text(value: Decimal | int, measure: str, _: Translator) -> str:
    """ "1 deal signed", "12 client visits": a count of one of COUNTED_MEASURES, in its plural form."""
    count, n = number_text(value, _), _plural_count(rounded(Decimal(value)))
    # One literal call per measure, so that extraction finds each pair.
    match measure:
        case "deals":
            return _.plural("{count} deal signed", "{count} deals signed", n, count=count)
        case "new_customers":
            return _.plural("{count} new customer", "{count} new customers", n, count=count)
        case "visits":
            return _.plural("{count} client visit", "{count} client visits", n, count=count)
        case "calls":
            return _.plural("{count} call", "{count} calls", n, count=count)
        case "meetings":
            return _.plural("{count} meeting", "{count} meetings", n, count=count)
        case "trainings":
            return _.plural("{count} client training", "{count} client trainings", n, count=count)
        case "events":
            return _.plural("{count} industry event", "{count} industry events", n, count=count)
        case _:
            return _.plural("{count} new lead", "{count} new leads", n, count=count)


def amount_text(value: Decimal, draft: GoalDraft, _: Translator) -> str:
    """An amount in the goal's unit: "¥500,000", "10 new customers", "12 referrals"."""
    if draft.metric_kind is MetricKind.CURRENCY and len(draft.unit) == 3 and draft.unit.isupper():
        return money_text(value, draft.unit, _)
    if draft.unit == "count" and draft.metric in COUNTED_MEASURES:
        return count_text(value, draft.metric, _)
    if draft.unit == "count":
        return _("{count} {metric}", count=number_text(value, _), metric=metric_label(draft, _))
    return _("{count} {unit}", count=number_text(value, _), unit=draft.unit)


def per_day_text(value: Decimal, draft: GoalDraft, _: Translator) -> str:
    """What each remaining working day needs: money as any amount; a count to one decimal ("1.5 client
    visits", an average a salesperson can plan by, where "1.47" would claim precision nobody has)."""
    if draft.metric_kind is MetricKind.CURRENCY:
        return amount_text(value, draft, _)
    shown = value.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
    if value > 0 and not shown:
        shown = Decimal("0.1")  # a little is still something to do
    return amount_text(shown, draft, _)


def date_text(day: date, _: Translator) -> str:
    return str(format_date(day, format="long", locale=babel_locale(_)))


def month_text(year: int, month: int, _: Translator) -> str:
    """A calendar month as the user's language names it: "Nov 2026", "2026年11月"."""
    return str(format_skeleton("yMMM", date(year, month, 1), locale=babel_locale(_)))


def period_text(period: Period, _: Translator) -> str:
    """ "1 month", "3 weeks": the length of a goal's period, in the form its count takes."""
    if period.unit is PeriodUnit.DAYS:
        return _.plural("{count} day", "{count} days", period.count)
    if period.unit is PeriodUnit.WEEKS:
        return _.plural("{count} week", "{count} weeks", period.count)
    return _.plural("{count} month", "{count} months", period.count)


def goal_sentence(draft: GoalDraft, _: Translator, *, over_last_year: bool = False) -> str:
    """The whole goal as one sentence a salesperson would say; `over_last_year` when its baseline is last
    year's figure (a team goal's growth), not the period of the same length before it."""
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
        growth, baseline = percent_text(check.growth_percent), amount_text(draft.baseline, draft, _)
        if over_last_year:
            sentence += joiner + _(
                "That is {growth}% more than last year ({baseline}).", growth=growth, baseline=baseline
            )
        else:
            sentence += joiner + _(
                "That is {growth}% more than the previous {period} ({baseline}).",
                growth=growth,
                period=period_text(period_between(draft.start_date, draft.deadline), _),
                baseline=baseline,
            )
    if draft.relevance:
        sentence += joiner + _("It serves: {objective}.", objective=draft.relevance.rstrip(".。"))
    return sentence


def percent_text(percent: Decimal) -> str:
    """A percentage rounded half-up to one decimal, without trailing zeros: 6.25 -> "6.3", 100.0 -> "100"."""
    shown = percent.quantize(_PERCENT_STEP, rounding=ROUND_HALF_UP)
    return format(shown.normalize() if shown else Decimal(0), "f")


def percent_of(part: Decimal, whole: Decimal) -> str:
    """`part` as a percentage of `whole`: 50 of 120 -> "41.7". Short of the whole never reads "100"."""
    if not whole:
        return "0"
    percent = part * 100 / whole
    if part < whole and percent.quantize(_PERCENT_STEP, rounding=ROUND_HALF_UP) >= 100:
        percent = Decimal("99.9")
    return percent_text(percent)


def smart_card(draft: GoalDraft, _: Translator) -> str:
    """The summary card: the sentence, then each SMART letter with what satisfied it."""
    assert draft.start_date is not None and draft.deadline is not None and draft.target_value is not None
    check = draft.ambition()
    if check.verdict is Ambition.REALISTIC:
        achievable = _(
            "growth {growth}% over the same length of time; confidence {confidence} out of 10",
            growth=percent_text(check.growth_percent or Decimal(0)),
            confidence=draft.confidence,
        )
    elif check.needs_review:
        achievable = _(
            "growth {growth}%, kept after a warning; confidence {confidence} out of 10",
            growth=percent_text(check.growth_percent or Decimal(0)),
            confidence=draft.confidence,
        )
    else:
        achievable = _(
            "no earlier figure to compare; confidence {confidence} out of 10", confidence=draft.confidence
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
    """A short line for lists and buttons: target (with its measure) and deadline, and no colon of its own,
    so that a line such as "{goal}: {done}" has only one."""
    assert draft.target_value is not None and draft.deadline is not None
    target = amount_text(draft.target_value, draft, _)
    if draft.metric_kind is MetricKind.CURRENCY:
        return _(
            "{target} {metric} by {deadline}",
            target=target,
            metric=metric_label(draft, _),
            deadline=draft.deadline.isoformat(),
        )
    # A count already names its measure: "10 deals signed by 2027-03-31".
    return _("{target} by {deadline}", target=target, deadline=draft.deadline.isoformat())
