"""/settings: pick one setting, change it, see the result."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from bot.core.dialog import Answer, Button, Outgoing, Prompt, Reject
from bot.i18n import N_
from bot.services.dialogs import FINISH, Flow, Step, StepContext
from bot.services.flows.profile_steps import (
    CountryStep,
    LanguageStep,
    NudgeLevelStep,
    QuietHoursStep,
    TimezoneStep,
    WeeklyReviewStep,
    WorkingDaysStep,
    daily_review_step,
    monthly_summary_step,
)
from bot.services.profile_summary import settings_text
from bot.services.scheduling import sync_schedules

SETTINGS = "settings"
MENU_ITEMS = (
    ("language", N_("Language")),
    ("timezone", N_("Time zone")),
    ("working_days", N_("Working days")),
    ("country", N_("Public holidays")),
    ("daily_time", N_("Daily review")),
    ("weekly", N_("Weekly evaluation")),
    ("monthly_time", N_("Monthly summary")),
    ("quiet_hours", N_("Quiet hours")),
    ("nudges", N_("Coaching messages")),
)


class SettingsMenuStep(Step):
    name = "menu"

    def prompt(self, ctx: StepContext) -> Prompt:
        _ = ctx._
        buttons = [Button(_(label), value) for value, label in MENU_ITEMS]
        rows = tuple(tuple(buttons[i : i + 2]) for i in range(0, len(buttons), 2))
        return Prompt(
            _(
                "Your settings:\n{settings}\n\nWhat would you like to change?",
                settings=settings_text(ctx.user, _),
            ),
            rows,
        )

    def parse(self, answer: Answer, ctx: StepContext) -> str:
        chosen = answer.choice or (answer.text or "").strip()
        by_label = {ctx._(label).casefold(): value for value, label in MENU_ITEMS}
        value = chosen if chosen in dict(MENU_ITEMS) else by_label.get(chosen.casefold())
        if value is None:
            raise Reject(ctx._("Please tap the setting you want to change."))
        return value


def route(current: str, value: Any, ctx: StepContext) -> str | None:
    return str(value) if current == "menu" else FINISH


async def finish(ctx: StepContext) -> Sequence[Outgoing]:
    _ = ctx._
    # Time zone, review times, working days, holidays and quiet hours all move the next prompts.
    await sync_schedules(ctx)
    return [Outgoing(_("Saved. Your settings now:\n{settings}", settings=settings_text(ctx.user, _)))]


def settings_flow() -> Flow:
    return Flow(
        name=SETTINGS,
        steps=[
            SettingsMenuStep(),
            LanguageStep(),
            TimezoneStep(),
            WorkingDaysStep(),
            CountryStep(),
            daily_review_step(),
            WeeklyReviewStep(),
            monthly_summary_step(),
            QuietHoursStep(),
            NudgeLevelStep(),
        ],
        finish=finish,
        route=route,
        cancelled_message=N_("Settings closed. Nothing else was changed."),
    )
