"""Questions about the user's own settings, shared by onboarding and /settings."""

from __future__ import annotations

from collections.abc import Callable
from datetime import time
from zoneinfo import ZoneInfo

from babel import Locale
from babel.dates import get_timezone_location

from bot.core.dialog import Answer, Button, Prompt, Reject
from bot.core.smart import has_words
from bot.core.times_of_day import parse_time_of_day, parse_time_range, parse_weekly_slot, parse_working_days
from bot.core.timezones import parse_timezone
from bot.core.work_calendar import NO_COUNTRY, parse_country
from bot.i18n import N_, translator
from bot.services.dialogs import Step, StepContext
from bot.services.profile_summary import babel_locale, clock, weekday_name, weekdays_text

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


def typed_or_chosen(answer: Answer) -> str:
    """Buttons and typed text go through the same parser, so a tampered button is just a bad answer."""
    return (answer.choice if answer.choice is not None else answer.text or "").strip()


def short_text(answer: Answer, ctx: StepContext, limit: int, no_words: str) -> str:
    """A free-text answer in a few words: spacing folded, letters required, at most `limit` characters."""
    text = " ".join(typed_or_chosen(answer).split())
    if not has_words(text):
        raise Reject(no_words)
    if len(text) > limit:
        raise Reject(ctx._("Please keep it to {limit} characters.", limit=limit))
    return text


def echo(text: str) -> str:
    """A user's text quoted back in a reply, cut short so a long paste does not flood the chat."""
    return text if len(text) <= 40 else text[:39] + "…"


class LanguageStep(Step):
    name = "language"

    def prompt(self, ctx: StepContext) -> Prompt:
        return Prompt(
            ctx._("Which language shall I use?"), ((Button("English", "en"), Button("中文", "zh_CN")),)
        )

    def parse(self, answer: Answer, ctx: StepContext) -> str:
        language = LANGUAGE_WORDS.get(typed_or_chosen(answer).casefold())
        if language is None:
            raise Reject(ctx._("Please choose English or 中文 with the buttons."))
        return language

    async def store(self, value: str, ctx: StepContext) -> str:
        ctx.user.language = value
        ctx.user.updated_at = ctx.now
        return translator(value)(N_("I will speak English with you."))


class TimezoneStep(Step):
    name = "timezone"

    def prompt(self, ctx: StepContext) -> Prompt:
        _ = ctx._
        locale = babel_locale(_)
        buttons = [
            Button(
                f"{get_timezone_location(zone, locale=locale, return_city=True)} ({utc_offset(zone, ctx)})",
                zone,
            )
            for zone in COMMON_ZONES
        ]
        rows = tuple(tuple(buttons[i : i + 2]) for i in range(0, len(buttons), 2))
        return Prompt(
            _(
                "Which time zone are you in? I send your reviews by your local clock.\n"
                "Tap one, or type a city (Shanghai, 纽约), a zone name (America/New_York) or an offset (UTC+8).\n"
                "Now set: {timezone}",
                timezone=ctx.user.timezone,
            ),
            rows,
        )

    def parse(self, answer: Answer, ctx: StepContext) -> str:
        text = typed_or_chosen(answer)
        zone = parse_timezone(text)
        if zone is None:
            raise Reject(
                ctx._(
                    "I don't know the time zone “{text}”. Try a city such as Shanghai or New York, "
                    "a zone name such as Asia/Shanghai, or an offset such as UTC+8.",
                    text=echo(text),
                )
            )
        return zone

    async def store(self, value: str, ctx: StepContext) -> str:
        ctx.user.timezone = value
        ctx.user.updated_at = ctx.now
        local = ctx.now.astimezone(ZoneInfo(value))
        return ctx._(
            "Time zone set to {timezone}; your local time is {time}.",
            timezone=value,
            time=clock(local.time()),
        )


def utc_offset(zone: str, ctx: StepContext) -> str:
    offset = ctx.now.astimezone(ZoneInfo(zone)).utcoffset()
    minutes = int(offset.total_seconds() // 60) if offset else 0
    sign = "+" if minutes >= 0 else "-"
    hours, rest = divmod(abs(minutes), 60)
    return f"UTC{sign}{hours}" + (f":{rest:02d}" if rest else "")


def reject_time(text: str, ctx: StepContext) -> Reject:
    return Reject(
        ctx._("“{text}” is not a time of day I can read. Examples: 18:00, 6pm, 下午6点.", text=echo(text))
    )


class ReviewTimeStep(Step):
    """A time of day for one kind of review, stored in the user's column `field`."""

    def __init__(
        self, name: str, field: str, question: str, confirmation: str, presets: tuple[str, ...]
    ) -> None:
        self.name, self.field, self.question, self.confirmation, self.presets = (
            name,
            field,
            question,
            confirmation,
            presets,
        )

    def prompt(self, ctx: StepContext) -> Prompt:
        current = clock(getattr(ctx.user, self.field))
        return Prompt(
            ctx._(self.question, time=current), (tuple(Button(preset, preset) for preset in self.presets),)
        )

    def parse(self, answer: Answer, ctx: StepContext) -> time:
        text = typed_or_chosen(answer)
        parsed = parse_time_of_day(text)
        if parsed is None:
            raise reject_time(text, ctx)
        return parsed

    async def store(self, value: time, ctx: StepContext) -> str:
        setattr(ctx.user, self.field, value)
        ctx.user.updated_at = ctx.now
        return ctx._(self.confirmation, time=clock(value))


def daily_review_step() -> ReviewTimeStep:
    return ReviewTimeStep(
        "daily_time",
        "daily_review_time",
        N_(
            "At what time should I ask for your daily review on working days? Now: {time}. Tap or type (e.g. 18:30)."
        ),
        N_("Daily review at {time}."),
        ("17:00", "18:00", "19:00", "20:00"),
    )


def monthly_summary_step() -> ReviewTimeStep:
    return ReviewTimeStep(
        "monthly_time",
        "monthly_review_time",
        N_("The monthly summary comes on the last working day of each month. At what time? Now: {time}."),
        N_("Monthly summary at {time} on the last working day."),
        ("16:00", "17:00", "18:00"),
    )


class WeeklyReviewStep(Step):
    name = "weekly"
    presets = ((5, "17:00"), (5, "16:00"), (6, "10:00"), (1, "09:00"))

    def prompt(self, ctx: StepContext) -> Prompt:
        _ = ctx._
        buttons = tuple(
            Button(f"{weekday_name(day, _, 'abbreviated')} {at}", f"{day}@{at}") for day, at in self.presets
        )
        return Prompt(
            _(
                "When should the weekly evaluation come? Now: {weekday} {time}. Tap or type a day and time "
                "(e.g. Friday 16:30, 周五 下午5点).",
                weekday=weekday_name(ctx.user.weekly_review_weekday, _),
                time=clock(ctx.user.weekly_review_time),
            ),
            (buttons[:2], buttons[2:]),
        )

    def parse(self, answer: Answer, ctx: StepContext) -> tuple[int, time]:
        text = typed_or_chosen(answer)
        day, _sep, at = text.partition("@")
        if day.isdigit() and 1 <= int(day) <= 7 and (chosen := parse_time_of_day(at)):
            return int(day), chosen
        slot = parse_weekly_slot(text)
        if slot is None:
            only_time = parse_time_of_day(text)
            if only_time is not None:
                return ctx.user.weekly_review_weekday, only_time
            raise Reject(ctx._("Please give a day and a time, e.g. Friday 17:00 or 周五 17:00."))
        return slot

    async def store(self, value: tuple[int, time], ctx: StepContext) -> str:
        ctx.user.weekly_review_weekday, ctx.user.weekly_review_time = value
        ctx.user.updated_at = ctx.now
        return ctx._(
            "Weekly evaluation on {weekday} at {time}.",
            weekday=weekday_name(value[0], ctx._),
            time=clock(value[1]),
        )


class WorkingDaysStep(Step):
    name = "working_days"
    presets = ("12345", "123456", "71234")

    def prompt(self, ctx: StepContext) -> Prompt:
        _ = ctx._
        buttons = tuple(Button(weekdays_text(frozenset(int(d) for d in p), _), p) for p in self.presets)
        return Prompt(
            _(
                "Which days do you work? Now: {days}. Tap or type (e.g. Mon-Sat, 周一至周五, 1-5).",
                days=weekdays_text(ctx.user.working_weekdays, _),
            ),
            (buttons,),
        )

    def parse(self, answer: Answer, ctx: StepContext) -> frozenset[int]:
        text = typed_or_chosen(answer)
        days = frozenset(int(d) for d in text) if text.isdigit() and set(text) <= set("1234567") else None
        days = days or parse_working_days(text)
        if not days:
            raise Reject(
                ctx._("I could not tell which days you mean. Examples: Mon-Fri, 周一至周六, 1,2,3,4,5.")
            )
        return days

    async def store(self, value: frozenset[int], ctx: StepContext) -> str:
        ctx.user.working_days = "".join(str(day) for day in sorted(value))
        ctx.user.updated_at = ctx.now
        return ctx._("Working days: {days}.", days=weekdays_text(value, ctx._))


class QuietHoursStep(Step):
    name = "quiet_hours"
    presets = ("22:00-08:00", "21:00-07:00", "23:00-09:00")

    def prompt(self, ctx: StepContext) -> Prompt:
        return Prompt(
            ctx._(
                "During quiet hours I send nothing; a review due then waits until they end. Now: {start}–{end}. "
                "Tap or type a range (e.g. 22:00-08:00).",
                start=clock(ctx.user.quiet_start),
                end=clock(ctx.user.quiet_end),
            ),
            (tuple(Button(preset.replace("-", "–"), preset) for preset in self.presets),),
        )

    def parse(self, answer: Answer, ctx: StepContext) -> tuple[time, time]:
        text = typed_or_chosen(answer)
        hours = parse_time_range(text)
        if hours is None:
            raise Reject(ctx._("Please type two different times, e.g. 22:00-08:00 or 晚上10点到早上8点."))
        return hours

    async def store(self, value: tuple[time, time], ctx: StepContext) -> str:
        ctx.user.quiet_start, ctx.user.quiet_end = value
        ctx.user.updated_at = ctx.now
        return ctx._("Quiet hours {start}–{end}.", start=clock(value[0]), end=clock(value[1]))


def choice_of(answer: Answer, choices: dict[str, str], reject: Callable[[], Reject]) -> str:
    """A button value, or a typed word that names one; `choices` maps lower-case words to values."""
    if answer.choice is not None and answer.choice in choices.values():
        return answer.choice
    word = (answer.text or "").strip().casefold()
    if word in choices:
        return choices[word]
    raise reject()


class CountryStep(Step):
    """Whose public holidays and make-up working days count in the user's plans."""

    name = "country"
    presets = ("CN", "US", "GB", "DE", "SG")

    def prompt(self, ctx: StepContext) -> Prompt:
        _ = ctx._
        locale = Locale.parse(babel_locale(_))
        buttons = [Button(str(locale.territories[code]), code) for code in self.presets]
        buttons.append(Button(_("No public holidays"), NO_COUNTRY))
        return Prompt(
            _(
                "Whose public holidays should your plans skip? Tap one or type a country (e.g. Japan, 日本, JP)."
            ),
            (tuple(buttons[:3]), tuple(buttons[3:])),
        )

    def parse(self, answer: Answer, ctx: StepContext) -> str:
        text = typed_or_chosen(answer)
        if text == NO_COUNTRY:
            return NO_COUNTRY
        country = parse_country(text)
        if country is None:
            raise Reject(
                ctx._(
                    "I don't know public holidays for “{text}”. Try a country name or a code such as CN.",
                    text=echo(text),
                )
            )
        return country

    async def store(self, value: str, ctx: StepContext) -> str:
        ctx.user.country = value
        ctx.user.updated_at = ctx.now
        if value == NO_COUNTRY:
            return ctx._("Plans will count only your working days, no public holidays.")
        name = Locale.parse(babel_locale(ctx._)).territories.get(value, value)
        return ctx._("Public holidays of {country} now shape your plans.", country=name)


NUDGE_LEVELS = (
    ("normal", N_("Normal: up to 2 a day")),
    ("fewer", N_("Fewer: big moments only, 1 a day")),
    ("off", N_("Off")),
)


class NudgeLevelStep(Step):
    """How much coaching the user wants between reviews."""

    name = "nudges"

    def prompt(self, ctx: StepContext) -> Prompt:
        _ = ctx._
        return Prompt(
            _("Besides your reviews, I send short coaching messages when your numbers give a reason: milestones, "
              "a comeback, a goal drifting off track, a reward earned. How many would you like?"),
            tuple((Button(_(label), value),) for value, label in NUDGE_LEVELS),
        )  # fmt: skip

    def parse(self, answer: Answer, ctx: StepContext) -> str:
        choice = typed_or_chosen(answer)
        if choice not in dict(NUDGE_LEVELS):
            raise Reject(ctx._("Please tap one of the choices."))
        return choice

    async def store(self, value: str, ctx: StepContext) -> str:
        ctx.user.nudge_level, ctx.user.updated_at = value, ctx.now
        return ctx._("Coaching messages: {level}.", level=ctx._(dict(NUDGE_LEVELS)[value]))
