"""Coaching dialogs: reflecting on a setback (/lost), adjusting strategy (/change), self-chosen rewards (/reward)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from decimal import Decimal
from typing import Any

from bot.core.dates import parse_deadline
from bot.core.dialog import Answer, Button, Outgoing, Prompt, Reject
from bot.core.goal_draft import ABSOLUTE
from bot.core.lifecycle.goals import is_open
from bot.core.lifecycle.rewards import REWARDS
from bot.core.numbers import parse_amount
from bot.core.smart import AmountProblem, amount_problem
from bot.i18n import N_, Translator
from bot.services.dialogs import FINISH, Flow, Step, StepContext
from bot.services.flows.goal_wizard import DeadlineStep, TargetStep, amount_problem_message, draft_in, keep
from bot.services.flows.profile_steps import echo, short_text, typed_or_chosen
from bot.services.goal_text import amount_text, date_text, goal_headline
from bot.services.goals import apply_changes, audit_text, draft_of
from bot.services.plans import local_today
from bot.storage.models import Goal, Reward, Setback, StrategyChange
from bot.storage.repositories.goals import GoalRepository
from bot.storage.repositories.rewards import RewardRepository
from bot.storage.repositories.setbacks import SetbackRepository
from bot.storage.repositories.strategy import StrategyChangeRepository

SETBACK, STRATEGY, REWARD = "setback", "strategy", "reward"
GOALS, GOAL_ID = "goals", "goal_id"
REASONS = (
    ("market", N_("📈 Market demand changed")),
    ("competition", N_("⚔️ Competition")),
    ("client", N_("🤝 A client's needs changed")),
    ("economy", N_("🌧 Economy")),
    ("personal", N_("🧭 Personal or time")),
    ("other", N_("Other")),
)
DECISIONS = (
    ("tactics", N_("Keep the target, change tactics")),
    ("deadline", N_("Move the deadline")),
    ("target", N_("Change the target")),
    ("refocus", N_("Refocus on another product or measure")),
)
# Words in a /change note that point at a reason, so the likely one can be named first.
REASON_HINTS = {
    "competition": ("竞争", "对手", "降价", "competitor", "competition", "price war", "undercut"),
    "market": ("需求", "市场", "demand", "market", "jumped", "surge"),
    "client": ("客户", "client", "customer"),
    "economy": ("经济", "预算", "economy", "budget", "recession"),
}


def likely_reason(note: str) -> str | None:
    lowered = note.casefold()
    return next((reason for reason, words in REASON_HINTS.items() if any(w in lowered for w in words)), None)


class GoalChoiceStep(Step):
    """Which open goal; the choices were listed when the dialog started and are checked again on save."""

    name = "goal"

    def prompt(self, ctx: StepContext) -> Prompt:
        buttons = tuple((Button(headline[:60], str(goal_id)),) for goal_id, headline in ctx.data[GOALS])
        return Prompt(ctx._("Which goal?"), buttons)

    def parse(self, answer: Answer, ctx: StepContext) -> int:
        choice = typed_or_chosen(answer)
        ids = {str(goal_id): goal_id for goal_id, _headline in ctx.data[GOALS]}
        if choice not in ids:
            raise Reject(ctx._("Please tap one of your goals."))
        return int(ids[choice])

    async def store(self, value: int, ctx: StepContext) -> None:
        ctx.data[GOAL_ID] = value
        # The goal's measure and deadline shape the next questions (amounts, dates).
        goal = await GoalRepository(ctx.session).owned(ctx.user.id, value)
        if goal is not None:
            keep(ctx, draft_of(goal))


async def chosen_goal(ctx: StepContext) -> Goal | None:
    """The dialog's goal, if it is still the user's and open (it may have been archived meanwhile)."""
    goal = await GoalRepository(ctx.session).owned(ctx.user.id, int(ctx.data[GOAL_ID]))
    return goal if goal is not None and is_open(goal.status) else None


def goal_gone(_: Translator) -> list[Outgoing]:
    return [Outgoing(_("That goal is no longer open, so nothing was changed."))]


# /lost -----------------------------------------------------------------------------------------


class TextStep(Step):
    def __init__(self, name: str, question: str, limit: int = 300) -> None:
        self.name, self.question, self.limit = name, question, limit

    def prompt(self, ctx: StepContext) -> Prompt:
        return Prompt(ctx._(self.question))

    def parse(self, answer: Answer, ctx: StepContext) -> str:
        return short_text(answer, ctx, self.limit, ctx._("A few words, please."))


async def save_setback(ctx: StepContext) -> Sequence[Outgoing]:
    _ = ctx._
    SetbackRepository(ctx.session).add(Setback(user_id=ctx.user.id, day=local_today(ctx.user, ctx.now), summary=ctx.data["what"][:300],
                            answers={"lesson": ctx.data["lesson"], "next": ctx.data["next"]}, created_at=ctx.now))  # fmt: skip
    return [Outgoing(_("Thank you for looking at it squarely. A lost deal is information: you named the lesson "
                       "and the next step. I'll bring them back in your weekly evaluation."))]  # fmt: skip


def setback_route(current: str, value: Any, ctx: StepContext) -> str | None:
    return {"what": "lesson", "lesson": "next"}.get(current, FINISH)


# /change ---------------------------------------------------------------------------------------


class ChoiceStep(Step):
    def __init__(self, name: str, question: str, choices: tuple[tuple[str, str], ...]) -> None:
        self.name, self.question, self.choices = name, question, choices

    def prompt(self, ctx: StepContext) -> Prompt:
        _ = ctx._
        text = _(self.question)
        note = ctx.data.get("note")
        if self.name == "reason" and note:
            text = _("You said: “{note}”.", note=echo(note)) + "\n" + text
        hint = ctx.data.get("hint") if self.name == "reason" else None
        # The reason the user's own words point at comes first.
        ordered = sorted(self.choices, key=lambda choice: choice[0] != hint)
        return Prompt(text, tuple((Button(_(label), value),) for value, label in ordered))

    def parse(self, answer: Answer, ctx: StepContext) -> str:
        choice = typed_or_chosen(answer)
        if choice not in dict(self.choices):
            raise Reject(ctx._("Please tap one of the choices."))
        return choice

    async def store(self, value: str, ctx: StepContext) -> None:
        ctx.data[self.name] = value


class TacticStep(TextStep):
    def __init__(self) -> None:
        super().__init__(
            "tactic", N_("What will you do differently? One line, e.g. “bundle training with the licence”.")
        )


class FocusStep(TextStep):
    def __init__(self) -> None:
        super().__init__(
            "focus",
            N_("What will you focus on instead? One line, e.g. “push product X to existing clients”."),
        )


def strategy_route(current: str, value: Any, ctx: StepContext) -> str | None:
    if current == "goal":
        return "reason"
    if current == "reason":
        return "decision"
    if current == "decision":
        return {"tactics": "tactic", "deadline": "deadline", "target": "target", "refocus": "focus"}[
            str(value)
        ]
    return FINISH


def _numbers(goal: Goal) -> dict[str, str | None]:
    return {"target_value": audit_text(goal.target_value), "deadline": audit_text(goal.deadline)}


async def save_strategy(ctx: StepContext) -> Sequence[Outgoing]:
    _ = ctx._
    goal = await chosen_goal(ctx)
    if goal is None:
        return goal_gone(_)
    before = _numbers(goal)
    decision = ctx.data["decision"]
    if decision in ("deadline", "target"):
        draft = draft_of(goal)
        changed = draft_in(ctx)
        draft.deadline, draft.target_value = (
            changed.deadline or draft.deadline,
            changed.target_value or draft.target_value,
        )
        if decision == "target":
            draft.target_kind, draft.growth_percent = ABSOLUTE, None
        await apply_changes(ctx.session, ctx.user, goal, draft, ctx.now)
    note = ctx.data.get("tactic") or ctx.data.get("focus") or ctx.data.get("note")
    StrategyChangeRepository(ctx.session).add(StrategyChange(
        user_id=ctx.user.id, goal_id=goal.id, at=ctx.now, reason=ctx.data["reason"], decision=decision,
        note=(note or None) and note[:300], before=before, after=_numbers(goal)))  # fmt: skip
    lines = [_("Strategy change saved. /history shows the goal's strategy log.")]
    if decision == "tactics":
        lines.append(_("I'll ask about the new tactic in your next weekly evaluation."))
    return [Outgoing("\n".join(lines))]


class NewTargetStep(TargetStep):
    """The target step of the wizard, for an absolute new target only."""

    def parse(self, answer: Answer, ctx: StepContext) -> tuple[str, Decimal, str | None]:
        kind, number, currency = super().parse(answer, ctx)
        if kind != ABSOLUTE:
            raise Reject(ctx._("Please type the new target as a number, e.g. 80万."))
        return kind, number, currency


# /reward ---------------------------------------------------------------------------------------


class RewardAmountStep(Step):
    name = "amount"

    def prompt(self, ctx: StepContext) -> Prompt:
        return Prompt(ctx._("If you reach how much? Type the amount or count, e.g. 10万 or 5."))

    def parse(self, answer: Answer, ctx: StepContext) -> Decimal:
        text = typed_or_chosen(answer)
        draft = draft_in(ctx)
        amount = parse_amount(text, lang=ctx._.language)
        problem = amount_problem(amount, draft.metric_kind)
        if problem is not None or amount is None:
            raise Reject(amount_problem_message(problem or AmountProblem.NOT_A_NUMBER, text, draft, ctx._))
        return amount

    async def store(self, value: Decimal, ctx: StepContext) -> None:
        ctx.data["amount"] = format(value, "f")


class RewardDeadlineStep(Step):
    name = "by"

    def prompt(self, ctx: StepContext) -> Prompt:
        return Prompt(ctx._("By when? For example: this Friday, end of the month, 12月15日."))

    def parse(self, answer: Answer, ctx: StepContext) -> date:
        text = typed_or_chosen(answer)
        _ = ctx._
        today = local_today(ctx.user, ctx.now)
        day = parse_deadline(text, today=today, lang=_.language)
        if day is None:
            raise Reject(
                _(
                    "I could not read a date in “{text}”. Try: end of next month, 下周五, 2027-03-31.",
                    text=echo(text),
                )
            )
        if day <= today:
            raise Reject(_("{date} is not in the future. Please pick a later day.", date=date_text(day, _)))
        deadline = date.fromisoformat(ctx.data["deadline"])
        if day > deadline:
            raise Reject(_("That is after the goal's deadline ({date}); a reward belongs inside the goal.",
                           date=date_text(deadline, _)))  # fmt: skip
        return day

    async def store(self, value: date, ctx: StepContext) -> None:
        ctx.data["by"] = value.isoformat()


class TreatStep(TextStep):
    def __init__(self) -> None:
        super().__init__(
            "treat", N_("And then you will treat yourself to what? e.g. “a weekend in Hangzhou”."), 200
        )


def reward_route(current: str, value: Any, ctx: StepContext) -> str | None:
    return {"goal": "amount", "amount": "by", "by": "treat"}.get(current, FINISH)


async def save_reward(ctx: StepContext) -> Sequence[Outgoing]:
    _ = ctx._
    goal = await chosen_goal(ctx)
    if goal is None:
        return goal_gone(_)
    by = date.fromisoformat(ctx.data["by"])
    amount = Decimal(ctx.data["amount"])
    RewardRepository(ctx.session).add(Reward(user_id=ctx.user.id, goal_id=goal.id, target=amount, start_date=local_today(ctx.user, ctx.now), deadline=by,
                           treat=ctx.data["treat"], status=REWARDS.initial, created_at=ctx.now, updated_at=ctx.now))  # fmt: skip
    return [Outgoing(_("Deal: reach {amount} by {date} and you treat yourself to “{treat}”. I'm keeping count.",
                       amount=amount_text(amount, draft_of(goal), _), date=date_text(by, _), treat=ctx.data["treat"]))]  # fmt: skip


def coaching_flows() -> list[Flow]:
    return [
        Flow(SETBACK, [TextStep("what", N_("What happened? One or two lines.")),
                       TextStep("lesson", N_("What can you learn from it?")),
                       TextStep("next", N_("What will you try next time?"))],
             save_setback, setback_route, N_("Stopped; nothing was saved.")),
        Flow(STRATEGY, [GoalChoiceStep(), ChoiceStep("reason", N_("What changed?"), REASONS),
                        ChoiceStep("decision", N_("What will you do about it?"), DECISIONS), TacticStep(),
                        DeadlineStep(), NewTargetStep(), FocusStep()],
             save_strategy, strategy_route, N_("Stopped; the goal is unchanged.")),
        Flow(REWARD, [GoalChoiceStep(), RewardAmountStep(), RewardDeadlineStep(), TreatStep()],
             save_reward, reward_route, N_("Stopped; no reward was set.")),
    ]  # fmt: skip


def goal_choices(goals: Sequence[Goal], _: Translator) -> list[tuple[int, str]]:
    return [(goal.id, goal_headline(draft_of(goal), _)) for goal in goals]
