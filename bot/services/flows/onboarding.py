"""First contact: language, time zone and review times, then a summary."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from bot.core.dialog import Answer, Button, Outgoing, Prompt, Reject
from bot.core.vocabulary import yes_no_choices
from bot.i18n import N_
from bot.services.dialogs import FINISH, Flow, Step, StepContext
from bot.services.flows.profile_steps import (
    LanguageStep,
    TimezoneStep,
    WeeklyReviewStep,
    choice_of,
    daily_review_step,
    monthly_summary_step,
)
from bot.services.profile_summary import settings_text
from bot.services.scheduling import sync_schedules

ONBOARDING = "onboarding"
SCHEDULE_WORDS = yes_no_choices(yes="keep", no="change") | {
    "keep": "keep",
    "保持": "keep",
    "change": "change",
    "改": "change",
    "修改": "change",
    "更改": "change",
}


class ScheduleChoiceStep(Step):
    """Show the default review times and let the user keep them in one tap."""

    name = "schedule"

    def prompt(self, ctx: StepContext) -> Prompt:
        _ = ctx._
        return Prompt(
            _(
                "Here is how I would check in with you:\n{settings}\n\nKeep these times?",
                settings=settings_text(ctx.user, _),
            ),
            ((Button(_("✔ Keep them"), "keep"), Button(_("Change times"), "change")),),
        )

    def parse(self, answer: Answer, ctx: StepContext) -> str:
        return choice_of(
            answer, SCHEDULE_WORDS, lambda: Reject(ctx._("Please tap “Keep them” or “Change times”."))
        )


def route(current: str, value: Any, ctx: StepContext) -> str | None:
    order = ["language", "timezone", "schedule", "daily_time", "weekly", "monthly_time"]
    if current == "schedule" and value == "keep":
        return FINISH
    index = order.index(current) + 1
    return order[index] if index < len(order) else FINISH


async def finish(ctx: StepContext) -> Sequence[Outgoing]:
    ctx.user.onboarded_at = ctx.user.onboarded_at or ctx.now
    await sync_schedules(ctx.session, ctx.user, ctx.now, ctx.default_language)
    _ = ctx._
    return [
        Outgoing(
            _(
                "All set, {name}! Your settings:\n{settings}\n\n"
                "/settings changes any of them; /help lists everything I can do.",
                name=ctx.user.first_name or "👋",
                settings=settings_text(ctx.user, _),
            )
        )
    ]


def onboarding_flow() -> Flow:
    return Flow(
        name=ONBOARDING,
        steps=[
            LanguageStep(),
            TimezoneStep(),
            ScheduleChoiceStep(),
            daily_review_step(),
            WeeklyReviewStep(),
            monthly_summary_step(),
        ],
        finish=finish,
        route=route,
        cancelled_message=N_(
            "Setup stopped. What you already answered is kept; /settings changes it any time."
        ),
    )
