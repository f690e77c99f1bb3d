"""A user's settings as text in their language."""

from __future__ import annotations

from datetime import time
from typing import Literal

from babel import Locale
from babel.dates import get_day_names

from bot.core.work_calendar import NO_COUNTRY, country_for
from bot.i18n import Translator
from bot.storage.models import User


def babel_locale(_: Translator) -> str:
    return "zh_CN" if _.language == "zh_CN" else "en"


def weekday_name(weekday: int, _: Translator, width: Literal["abbreviated", "wide"] = "wide") -> str:
    """An ISO weekday (Monday=1) as the user's language names it."""
    return str(get_day_names(width, locale=babel_locale(_))[weekday - 1])


def weekdays_text(weekdays: frozenset[int], _: Translator) -> str:
    """Working days compactly: a run such as Mon-Fri or Sun-Thu (across the week's end) as a range."""
    days = sorted(weekdays)
    for first in days:
        run = [(first - 1 + offset) % 7 + 1 for offset in range(len(days))]
        if len(days) > 2 and set(run) == weekdays:
            return _(
                "{first}–{last}",
                first=weekday_name(run[0], _, "abbreviated"),
                last=weekday_name(run[-1], _, "abbreviated"),
            )
    return _(", ").join(weekday_name(day, _, "abbreviated") for day in days)


def country_name(country: str, _: Translator) -> str:
    return str(Locale.parse(babel_locale(_)).territories.get(country, country))


def country_text(user: User, _: Translator) -> str:
    """Whose public holidays the plan keeps: the chosen country, or the one the time zone gives (named, so
    the user can see it is the right one)."""
    if user.country == NO_COUNTRY:
        return _("none")
    if user.country is None:
        guessed = country_for(user.timezone, _.language)
        if guessed is None:
            return _("none (your time zone names no country)")
        return _("{country} (from your time zone)", country=country_name(guessed, _))
    return country_name(user.country, _)


def clock(value: time) -> str:
    return value.strftime("%H:%M")


def settings_text(user: User, _: Translator) -> str:
    """Every setting the user can change in /settings, one per line."""
    language = "中文" if _.language == "zh_CN" else "English"
    return "\n".join(
        [
            _("Language: {language}", language=language),
            _("Time zone: {timezone}", timezone=user.timezone),
            _("Working days: {days}", days=weekdays_text(user.working_weekdays, _)),
            _("Public holidays: {country}", country=country_text(user, _)),
            _("Daily review: {time} on working days", time=clock(user.daily_review_time)),
            _(
                "Weekly evaluation: {weekday} {time}",
                weekday=weekday_name(user.weekly_review_weekday, _),
                time=clock(user.weekly_review_time),
            ),
            _("Monthly summary: last working day, {time}", time=clock(user.monthly_review_time)),
            _("Quiet hours: {start}–{end}", start=clock(user.quiet_start), end=clock(user.quiet_end)),
        ]
    )
