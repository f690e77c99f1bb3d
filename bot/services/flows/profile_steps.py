"""Questions about the user's own settings, shared by onboarding and /settings; each stores on the user."""

from __future__ import annotations

from datetime import time
from zoneinfo import ZoneInfo

from babel import Locale
from babel.dates import get_timezone_location

from bot.core.dialog import Answer, Button, Reject
from bot.core.times_of_day import parse_time_of_day, parse_time_range, parse_weekly_slot, parse_working_days
from bot.core.timezones import parse_timezone
from bot.core.work_calendar import NO_COUNTRY, parse_country
from bot.i18n import N_, translator
from bot.services.dialogs import ButtonRows, Question
from bot.services.dialogs.parsing import echo, in_rows, typed_or_chosen
from bot.services.profile_summary import babel_locale, clock, weekday_name, weekdays_text
from bot.services.turn import Turn

LANGUAGE_WORDS = {
    "en": "en",
    "english": "en",
    "英文": "en",
    "英语": "en",
    "zh": "zh_CN",
    "zh_cn": "zh_CN",
    "chinese": "zh_CN",
    "中文": "zh_CN",
    "汉语": "zh_CN",
    "简体中文": "zh_CN",
}
COMMON_ZONES = (
    "Asia/Shanghai",
    "Asia/Hong_Kong",
    "Asia/Singapore",
    "Asia/Tokyo",
    "Europe/London",
    "Europe/Berlin",
    "America/New_York",
    "America/Los_Angeles",
)


def touched(turn: Turn) -> None:
    turn.user.updated_at = turn.now


# Language ----------------------------------------------------------------------------------------


def parse_language(answer: Answer, turn: Turn, answers: object) -> str:
    language = LANGUAGE_WORDS.get(typed_or_chosen(answer).casefold())
    if language is None:
        raise Reject(turn._("Please choose English or 中文 with the buttons."))
    return language


def keep_language(value: str, turn: Turn, answers: object) -> str:
    turn.user.language = value
    touched(turn)
    return translator(value)(N_("I will speak English with you."))


LANGUAGE = Question(
    name="language",
    text=N_("Which language shall I use?"),
    buttons=((("English", "en"), ("中文", "zh_CN")),),
    parser=parse_language,
    store=keep_language,
)


# Time zone ---------------------------------------------------------------------------------------


def utc_offset(zone: str, turn: Turn) -> str:
    offset = turn.now.astimezone(ZoneInfo(zone)).utcoffset()
    minutes = int(offset.total_seconds() // 60) if offset else 0
    sign = "+" if minutes >= 0 else "-"
    hours, rest = divmod(abs(minutes), 60)
    return f"UTC{sign}{hours}" + (f":{rest:02d}" if rest else "")


def timezone_text(turn: Turn, answers: object) -> str:
    return turn._(
        "Which time zone are you in? I send your reviews by your local clock.\n"
        "Tap one, or type a city (Shanghai, New York), a zone name (America/New_York) or an offset (UTC+8).\n"
        "Now set: {timezone}",
        timezone=turn.user.timezone,
    )


def timezone_buttons(turn: Turn, answers: object) -> ButtonRows:
    locale = babel_locale(turn._)
    return in_rows(
        [
            Button(
                turn._(
                    "{city} ({offset})",
                    city=get_timezone_location(zone, locale=locale, return_city=True),
                    offset=utc_offset(zone, turn),
                ),
                zone,
            )
            for zone in COMMON_ZONES
        ],
        2,
    )


def parse_zone(answer: Answer, turn: Turn, answers: object) -> str:
    text = typed_or_chosen(answer)
    zone = parse_timezone(text)
    if zone is None:
        raise Reject(
            turn._(
                "I don't know the time zone “{text}”. Try a city such as Shanghai or New York, "
                "a zone name such as Asia/Shanghai, or an offset such as UTC+8.",
                text=echo(text),
            )
        )
    return zone


def keep_zone(value: str, turn: Turn, answers: object) -> str:
    turn.user.timezone = value
    touched(turn)
    local = turn.now.astimezone(ZoneInfo(value))
    return turn._(
        "Time zone set to {timezone}; your local time is {time}.",
        timezone=value,
        time=clock(local.time()),
    )


TIMEZONE = Question(
    name="timezone", text=timezone_text, buttons=timezone_buttons, parser=parse_zone, store=keep_zone
)


# Review times ------------------------------------------------------------------------------------


def reject_time(text: str, turn: Turn) -> Reject:
    return Reject(
        turn._("“{text}” is not a time of day I can read. Examples: 18:00, 6pm, 6:30 pm.", text=echo(text))
    )


def parse_time(answer: Answer, turn: Turn, answers: object) -> time:
    text = typed_or_chosen(answer)
    parsed = parse_time_of_day(text)
    if parsed is None:
        raise reject_time(text, turn)
    return parsed


def review_time_question(
    name: str, field: str, question: str, confirmation: str, presets: tuple[str, ...]
) -> Question[object, time]:
    """A time of day for one kind of review, stored in the user's column `field`."""

    def text(turn: Turn, answers: object) -> str:
        return turn._(question, time=clock(getattr(turn.user, field)))

    def store(value: time, turn: Turn, answers: object) -> str:
        setattr(turn.user, field, value)
        touched(turn)
        return turn._(confirmation, time=clock(value))

    return Question(
        name=name,
        text=text,
        buttons=(tuple((preset, preset) for preset in presets),),
        parser=parse_time,
        store=store,
    )


DAILY_TIME = review_time_question(
    "daily_time",
    "daily_review_time",
    N_(
        "At what time should I ask for your daily review on working days? Now: {time}. Tap or type (e.g. 18:30)."
    ),
    N_("Daily review at {time}."),
    ("17:00", "18:00", "19:00", "20:00"),
)
MONTHLY_TIME = review_time_question(
    "monthly_time",
    "monthly_review_time",
    N_("The monthly summary comes on the last working day of each month. At what time? Now: {time}."),
    N_("Monthly summary at {time} on the last working day."),
    ("16:00", "17:00", "18:00"),
)

WEEKLY_PRESETS = ((5, "17:00"), (5, "16:00"), (6, "10:00"), (1, "09:00"))


def weekly_text(turn: Turn, answers: object) -> str:
    _ = turn._
    return _(
        "When should the weekly evaluation come? Now: {weekday} {time}. Tap or type a day and time "
        "(e.g. Friday 16:30, Fri 5pm).",
        weekday=weekday_name(turn.user.weekly_review_weekday, _),
        time=clock(turn.user.weekly_review_time),
    )


def weekly_buttons(turn: Turn, answers: object) -> ButtonRows:
    buttons = [
        Button(f"{weekday_name(day, turn._, 'abbreviated')} {at}", f"{day}@{at}")
        for day, at in WEEKLY_PRESETS
    ]
    return in_rows(buttons, 2)


def parse_weekly(answer: Answer, turn: Turn, answers: object) -> tuple[int, time]:
    text = typed_or_chosen(answer)
    day, _sep, at = text.partition("@")
    if day.isdigit() and 1 <= int(day) <= 7 and (chosen := parse_time_of_day(at)):
        return int(day), chosen
    slot = parse_weekly_slot(text)
    if slot is None:
        only_time = parse_time_of_day(text)
        if only_time is not None:
            return turn.user.weekly_review_weekday, only_time
        raise Reject(turn._("Please give a day and a time, e.g. Friday 17:00 or Fri 5pm."))
    return slot


def keep_weekly(value: tuple[int, time], turn: Turn, answers: object) -> str:
    turn.user.weekly_review_weekday, turn.user.weekly_review_time = value
    touched(turn)
    return turn._(
        "Weekly evaluation on {weekday} at {time}.",
        weekday=weekday_name(value[0], turn._),
        time=clock(value[1]),
    )


WEEKLY = Question(
    name="weekly", text=weekly_text, buttons=weekly_buttons, parser=parse_weekly, store=keep_weekly
)


# Working days, public holidays, quiet hours, coaching messages -----------------------------------

WORKING_DAY_PRESETS = ("12345", "123456", "71234")


def working_days_text(turn: Turn, answers: object) -> str:
    return turn._(
        "Which days do you work? Now: {days}. Tap or type (e.g. Mon-Fri, Mon-Sat, 1-5).",
        days=weekdays_text(turn.user.working_weekdays, turn._),
    )


def working_days_buttons(turn: Turn, answers: object) -> ButtonRows:
    return (
        tuple(Button(weekdays_text(frozenset(int(d) for d in p), turn._), p) for p in WORKING_DAY_PRESETS),
    )


def parse_days(answer: Answer, turn: Turn, answers: object) -> frozenset[int]:
    text = typed_or_chosen(answer)
    days = frozenset(int(d) for d in text) if text.isdigit() and set(text) <= set("1234567") else None
    days = days or parse_working_days(text)
    if not days:
        raise Reject(turn._("I could not tell which days you mean. Examples: Mon-Fri, Mon-Sat, 1,2,3,4,5."))
    return days


def keep_days(value: frozenset[int], turn: Turn, answers: object) -> str:
    turn.user.working_days = "".join(str(day) for day in sorted(value))
    touched(turn)
    return turn._("Working days: {days}.", days=weekdays_text(value, turn._))


WORKING_DAYS = Question(
    name="working_days",
    text=working_days_text,
    buttons=working_days_buttons,
    parser=parse_days,
    store=keep_days,
)

QUIET_PRESETS = ("22:00-08:00", "21:00-07:00", "23:00-09:00")


def quiet_text(turn: Turn, answers: object) -> str:
    return turn._(
        "During quiet hours I send nothing; a review due then waits until they end. Now: {start}–{end}. "
        "Tap or type a range (e.g. 22:00-08:00).",
        start=clock(turn.user.quiet_start),
        end=clock(turn.user.quiet_end),
    )


def parse_quiet(answer: Answer, turn: Turn, answers: object) -> tuple[time, time]:
    hours = parse_time_range(typed_or_chosen(answer))
    if hours is None:
        raise Reject(turn._("Please type two different times, e.g. 22:00-08:00 or 10pm to 8am."))
    return hours


def keep_quiet(value: tuple[time, time], turn: Turn, answers: object) -> str:
    turn.user.quiet_start, turn.user.quiet_end = value
    touched(turn)
    return turn._("Quiet hours {start}–{end}.", start=clock(value[0]), end=clock(value[1]))


QUIET_HOURS = Question(
    name="quiet_hours",
    text=quiet_text,
    buttons=(tuple((preset.replace("-", "–"), preset) for preset in QUIET_PRESETS),),
    parser=parse_quiet,
    store=keep_quiet,
)

COUNTRY_PRESETS = ("CN", "US", "GB", "DE", "SG")


def country_buttons(turn: Turn, answers: object) -> ButtonRows:
    """Whose public holidays and make-up working days count in the user's plans."""
    locale = Locale.parse(babel_locale(turn._))
    buttons = [Button(str(locale.territories[code]), code) for code in COUNTRY_PRESETS]
    buttons.append(Button(turn._("No public holidays"), NO_COUNTRY))
    return (tuple(buttons[:3]), tuple(buttons[3:]))


def parse_country_answer(answer: Answer, turn: Turn, answers: object) -> str:
    text = typed_or_chosen(answer)
    if text == NO_COUNTRY:
        return NO_COUNTRY
    country = parse_country(text)
    if country is None:
        raise Reject(
            turn._(
                "I don't know public holidays for “{text}”. Try a country name or a code such as CN.",
                text=echo(text),
            )
        )
    return country


def keep_country(value: str, turn: Turn, answers: object) -> str:
    turn.user.country = value
    touched(turn)
    if value == NO_COUNTRY:
        return turn._("Plans will count only your working days, no public holidays.")
    name = Locale.parse(babel_locale(turn._)).territories.get(value, value)
    return turn._("Public holidays of {country} now shape your plans.", country=name)


COUNTRY = Question(
    name="country",
    text=N_(
        "Whose public holidays should your plans skip? Tap one or type a country (e.g. Japan, Germany, JP)."
    ),
    buttons=country_buttons,
    parser=parse_country_answer,
    store=keep_country,
)

NUDGE_LEVELS = (
    ("normal", N_("Normal: up to 2 a day")),
    ("fewer", N_("Fewer: big moments only, 1 a day")),
    ("off", N_("Off")),
)


def parse_nudge_level(answer: Answer, turn: Turn, answers: object) -> str:
    choice = typed_or_chosen(answer)
    if choice not in dict(NUDGE_LEVELS):
        raise Reject(turn._("Please tap one of the choices."))
    return choice


def keep_nudge_level(value: str, turn: Turn, answers: object) -> str:
    turn.user.nudge_level = value
    touched(turn)
    return turn._("Coaching messages: {level}.", level=turn._(dict(NUDGE_LEVELS)[value]))


NUDGES = Question(
    name="nudges",
    text=N_("Besides your reviews, I send short coaching messages when your numbers give a reason: milestones, "
            "a comeback, a goal drifting off track, a reward earned. How many would you like?"),
    buttons=tuple(((label, value),) for value, label in NUDGE_LEVELS),
    parser=parse_nudge_level,
    store=keep_nudge_level,
)  # fmt: skip
