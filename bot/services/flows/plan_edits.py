"""Dialogs that shape a goal's plan: month split, sales funnel, activity targets, and the day template."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from bot.core.activity import Funnel, FunnelError
from bot.core.dialog import Answer, Button, Outgoing, Prompt, Reject
from bot.core.metrics import MetricKind
from bot.core.numbers import parse_amount, parse_percent
from bot.core.plan import ShareError, rebalance_shares
from bot.core.plan_inputs import BlocksError, BlocksProblem, parse_activity_target, parse_time_blocks
from bot.core.smart import MAX_AMOUNT
from bot.i18n import N_, Translator
from bot.services.dialogs import FINISH, Flow, Step, StepContext
from bot.services.flows.profile_steps import echo, typed_or_chosen
from bot.services.plans import Month, month_key, month_of
from bot.storage.models import GoalPlan
from bot.storage.repositories.goals import GoalRepository
from bot.storage.repositories.plans import PlanRepository

PLAN_SPLIT = "plan_split"
PLAN_FUNNEL = "plan_funnel"
PLAN_ACTIVITY = "plan_activity"
DAY_TEMPLATE = "day_template"
GOAL_ID = "goal_id"
KEEP = "keep"


async def plan_row_of(ctx: StepContext) -> GoalPlan | None:
    """The plan of the dialog's goal, if the goal is still the user's and open."""
    goal = await GoalRepository(ctx.session).owned(ctx.user.id, int(ctx.data[GOAL_ID]))
    return None if goal is None else await PlanRepository(ctx.session).plan_row(goal.id, ctx.now)


def gone(_: Translator) -> list[Outgoing]:
    return [Outgoing(_("That goal is no longer there, so nothing was changed."))]


# Month split ---------------------------------------------------------------------------------------
# The dialog data holds "months": {"2026-12": working days, ...} and "shares": {"2026-12": "40", ...}.


def _months(ctx: StepContext) -> dict[Month, int]:
    return {month_of(k): int(v) for k, v in ctx.data["months"].items()}


def _fixed(ctx: StepContext) -> dict[Month, Decimal]:
    return {month_of(k): Decimal(v) for k, v in ctx.data["shares"].items()}


class SplitMonthStep(Step):
    name = "month"

    def prompt(self, ctx: StepContext) -> Prompt:
        _ = ctx._
        shares = rebalance_shares(_months(ctx), _fixed(ctx))
        buttons = [
            Button(f"{month_key(m)} · {shares[m].normalize():f}%", month_key(m)) for m in sorted(shares)
        ]
        return Prompt(
            _(
                "Which month's share of the target do you want to set? Now each month gets its share by working days "
                "unless you fixed it."
            ),
            tuple(tuple(buttons[i : i + 3]) for i in range(0, len(buttons), 3)),
        )

    def parse(self, answer: Answer, ctx: StepContext) -> str:
        chosen = typed_or_chosen(answer)
        if chosen not in ctx.data["months"]:
            raise Reject(ctx._("Please tap one of the goal's months."))
        return chosen


SHARE_PROBLEMS = {
    "negative": N_("A share cannot be negative."),
    "above_100": N_("A month's share cannot be above 100%."),
    "sum_above_100": N_("Together with the months you fixed before, that is above 100%."),
    "sum_below_100": N_(
        "The months you fixed then add up to less than 100% and no other month is left to take the rest."
    ),
    "no_other_month": N_(
        "The months you fixed then add up to less than 100% and no other month is left to take the rest."
    ),
    "month_without_working_days": N_(
        "That month has no working days in your plan, so it cannot carry a share."
    ),
    "unknown_month": N_("That month is not part of this goal."),
}


class ShareStep(Step):
    name = "share"

    def prompt(self, ctx: StepContext) -> Prompt:
        return Prompt(
            ctx._(
                "What share of the whole target should {month} carry? Type a percentage, e.g. 40%.",
                month=ctx.data["month"],
            )
        )

    def parse(self, answer: Answer, ctx: StepContext) -> Decimal:
        text = typed_or_chosen(answer)
        percent = parse_percent(text, lang=ctx._.language)
        if percent is None:
            amount = parse_amount(text, lang=ctx._.language)
            percent = amount if amount is not None and amount.is_finite() else None
        if percent is None:
            raise Reject(
                ctx._("I could not read a percentage in “{text}”. Type, for example, 40%.", text=echo(text))
            )
        month = (int(ctx.data["month"][:4]), int(ctx.data["month"][5:]))
        try:
            rebalance_shares(_months(ctx), {**_fixed(ctx), month: percent})
        except ShareError as error:
            raise Reject(ctx._(SHARE_PROBLEMS[error.reason])) from None
        return percent

    async def store(self, value: Decimal, ctx: StepContext) -> None:
        ctx.data["shares"] = {**ctx.data["shares"], ctx.data["month"]: format(value.normalize(), "f")}


async def save_split(ctx: StepContext) -> Sequence[Outgoing]:
    row = await plan_row_of(ctx)
    if row is None:
        return gone(ctx._)
    row.month_shares = dict(ctx.data["shares"])
    row.updated_at = ctx.now
    return [Outgoing(ctx._("Saved. /plan shows the new month, week and day targets."))]


# Funnel ------------------------------------------------------------------------------------------


class FunnelNumberStep(Step):
    """One number of the funnel: the average deal or a conversion rate; "keep" leaves it as it is."""

    def __init__(self, name: str, question: str) -> None:
        self.name, self.question = name, question

    def prompt(self, ctx: StepContext) -> Prompt:
        _ = ctx._
        current = ctx.data["current"][self.name]
        shown = (
            f"{Decimal(current) * 100:f}%".replace(".00%", "%") if self.name != "average_deal" else current
        )
        return Prompt(_(self.question, current=shown), ((Button(_("Keep {current}", current=shown), KEEP),),))

    def parse(self, answer: Answer, ctx: StepContext) -> Decimal | None:
        if answer.choice == KEEP:
            return None
        text = typed_or_chosen(answer)
        _ = ctx._
        if self.name == "average_deal":
            amount = parse_amount(text, lang=_.language)
            if amount is None or not amount.is_finite():
                raise Reject(
                    _("I could not read an amount in “{text}”. Example: 50000 or 5万.", text=echo(text))
                )
            if amount <= 0:
                raise Reject(
                    _(
                        "An average deal of zero or less cannot be worked back from. Type your typical deal size."
                    )
                )
            if amount > MAX_AMOUNT[MetricKind.CURRENCY]:
                raise Reject(_("That number is far beyond what one salesperson can reach; please check it."))
            return amount
        percent = parse_percent(text, lang=_.language)
        if percent is None:
            number = parse_amount(text, lang=_.language)
            # "0.25" is a rate, "25" a percentage.
            percent = (
                None if number is None or not number.is_finite() else (number * 100 if number < 1 else number)
            )
        if percent is None:
            raise Reject(
                _("I could not read a rate in “{text}”. Type a percentage such as 25%.", text=echo(text))
            )
        if percent <= 0 or percent > 100:
            raise Reject(_("A conversion rate must be above 0% and at most 100%."))
        return percent / 100

    async def store(self, value: Decimal | None, ctx: StepContext) -> None:
        if value is not None:
            ctx.data["current"] = {**ctx.data["current"], self.name: format(value.normalize(), "f")}


FUNNEL_STEPS = (
    ("average_deal", N_("What is your average deal size? Now: {current}.")),
    ("win_rate", N_("Out of every 100 meetings, how many become a deal? Now: {current}.")),
    ("meeting_rate", N_("Out of every 100 client visits, how many lead to a meeting? Now: {current}.")),
    ("visit_rate", N_("Out of every 100 calls, how many lead to a visit? Now: {current}.")),
)


async def save_funnel(ctx: StepContext) -> Sequence[Outgoing]:
    row = await plan_row_of(ctx)
    if row is None:
        return gone(ctx._)
    values = {name: Decimal(value) for name, value in ctx.data["current"].items()}
    try:
        Funnel(**values)
    except FunnelError:  # Each answer was checked; this guards against a tampered dialog state.
        return [Outgoing(ctx._("Nothing changed."))]
    row.average_deal, row.win_rate = values["average_deal"], values["win_rate"]
    row.meeting_rate, row.visit_rate = values["meeting_rate"], values["visit_rate"]
    row.updated_at = ctx.now
    return [Outgoing(ctx._("Saved. /plan shows the activities your goal now needs."))]


# Activity targets --------------------------------------------------------------------------------


class ActivityTargetStep(Step):
    name = "activity_target"

    def prompt(self, ctx: StepContext) -> Prompt:
        _ = ctx._
        return Prompt(
            _(
                "Type an activity target, for example “20 visits a week”, “1 industry event a week”, "
                "“5 client trainings a month” or “每周拜访20次”."
            ),
            ((Button(_("Clear my activity targets"), "clear"),),),
        )

    def parse(self, answer: Answer, ctx: StepContext) -> dict[str, Any] | None:
        if answer.choice == "clear":
            return None
        text = typed_or_chosen(answer)
        target = parse_activity_target(text)
        if target is None:
            raise Reject(
                ctx._("I need an activity, a number from 1 to 10000 and a period, e.g. “20 visits a week”.")
            )
        return {"activity": target.activity, "count": target.count, "per": target.per}

    async def store(self, value: dict[str, Any] | None, ctx: StepContext) -> None:
        ctx.data["target"] = value


async def save_activity(ctx: StepContext) -> Sequence[Outgoing]:
    row = await plan_row_of(ctx)
    if row is None:
        return gone(ctx._)
    target = ctx.data.get("target")
    if target is None:
        row.activity_targets = {}
    else:
        row.activity_targets = {
            **row.activity_targets,
            target["activity"]: {"count": target["count"], "per": target["per"]},
        }
    row.updated_at = ctx.now
    return [Outgoing(ctx._("Saved. /plan and /today show it."))]


# Day template ------------------------------------------------------------------------------------

BLOCK_PROBLEMS = {
    BlocksProblem.UNREADABLE_LINE: N_(
        "I could not read “{line}”. Write each block as “9:00-11:00 client visits”."
    ),
    BlocksProblem.END_BEFORE_START: N_("In “{line}” the block ends before it starts."),
    BlocksProblem.OVERLAP: N_("The block at {line} overlaps the one before it."),
    BlocksProblem.TOO_MANY: N_("Please keep the day to 12 blocks at most."),
    BlocksProblem.LABEL_TOO_LONG: N_("Please keep each block's name short (40 characters): “{line}”."),
}


class DayTemplateStep(Step):
    name = "blocks"

    def prompt(self, ctx: StepContext) -> Prompt:
        _ = ctx._
        return Prompt(
            _(
                "Send your working day as time blocks, one per line, for example:\n9:00-11:00 client visits\n"
                "13:00-15:00 calls\n15:00-17:00 client records"
            ),
            ((Button(_("Use the suggested day"), "default"),),),
        )

    def parse(self, answer: Answer, ctx: StepContext) -> list[dict[str, str]] | None:
        if answer.choice == "default":
            return None
        parsed = parse_time_blocks(typed_or_chosen(answer))
        if isinstance(parsed, BlocksError):
            raise Reject(ctx._(BLOCK_PROBLEMS[parsed.problem], line=echo(parsed.line)))
        if not parsed:
            raise Reject(ctx._(BLOCK_PROBLEMS[BlocksProblem.UNREADABLE_LINE], line=""))
        return [
            {"start": f"{b.start:%H:%M}", "end": f"{b.end:%H:%M}", "activity": b.activity} for b in parsed
        ]

    async def store(self, value: list[dict[str, str]] | None, ctx: StepContext) -> None:
        ctx.user.day_template = value
        ctx.user.updated_at = ctx.now


async def template_saved(ctx: StepContext) -> Sequence[Outgoing]:
    return [Outgoing(ctx._("Saved. /today shows your day with these blocks."))]


def finish_after_each(current: str, value: Any, ctx: StepContext) -> str | None:
    return "share" if current == "month" else FINISH


def plan_edit_flows() -> list[Flow]:
    cancelled = N_("Stopped; the plan is unchanged.")
    funnel_steps: list[Step] = [FunnelNumberStep(name, question) for name, question in FUNNEL_STEPS]
    return [
        Flow(PLAN_SPLIT, [SplitMonthStep(), ShareStep()], save_split, finish_after_each, cancelled),
        Flow(PLAN_FUNNEL, funnel_steps, save_funnel, None, cancelled),
        Flow(PLAN_ACTIVITY, [ActivityTargetStep()], save_activity, None, cancelled),
        Flow(DAY_TEMPLATE, [DayTemplateStep()], template_saved, None, cancelled),
    ]
