"""Coaching dialogs: reflecting on a setback (/lost), adjusting strategy (/change), self-chosen rewards (/reward)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from bot.core.dates import parse_deadline
from bot.core.dialog import Answer, Button, Outgoing, Prompt, Reject
from bot.core.goal_draft import ABSOLUTE, GoalDraft
from bot.core.lifecycle.goals import is_open
from bot.core.lifecycle.rewards import REWARDS
from bot.core.numbers import parse_amount
from bot.core.smart import AmountProblem, amount_problem
from bot.i18n import N_, Translator
from bot.services.dialogs import FINISH, FOLLOWING, ButtonRows, Flow, Question, Step
from bot.services.dialogs.parsing import echo, short_text, typed_or_chosen
from bot.services.flows import goal_questions as smart
from bot.services.flows.setback_sharing import offer_follow_up
from bot.services.goal_text import amount_text, date_text, goal_headline
from bot.services.goals import apply_changes, audit_text, draft_of
from bot.services.plans import local_today
from bot.services.turn import Turn
from bot.storage.coaching_models import Reward, Setback, StrategyChange
from bot.storage.models import Goal
from bot.storage.repositories.goals import GoalRepository
from bot.storage.repositories.rewards import RewardRepository
from bot.storage.repositories.setbacks import SetbackRepository
from bot.storage.repositories.strategy import StrategyChangeRepository

SETBACK, STRATEGY, REWARD = "setback", "strategy", "reward"
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


# Words in a typed answer to "What will you do about it?" that point at a decision.
DECISION_HINTS = {
    "deadline": ("截止", "延期", "推迟", "延后", "deadline", "postpone", "more time", "later"),
    "target": ("目标", "降低", "下调", "上调", "target", "lower", "raise"),
    "refocus": ("聚焦", "专注", "换产品", "focus", "another product", "switch"),
    "tactics": ("战术", "打法", "方法", "策略", "tactic", "approach", "bundle"),
}


def likely_reason(note: str) -> str | None:
    return hinted(note, REASON_HINTS)


def hinted(text: str, hints: dict[str, tuple[str, ...]]) -> str | None:
    """The first choice whose hint words the text holds."""
    lowered = text.casefold()
    return next((choice for choice, words in hints.items() if any(w in lowered for w in words)), None)


def text_question(name: str, question: str, limit: int = 300, next: str = FOLLOWING) -> Question[object, str]:
    """A short free-text answer, kept in the answers' field `name`."""

    def parse(answer: Answer, turn: Turn, answers: object) -> str:
        return short_text(answer, turn, limit, turn._("A few words, please."))

    return Question(name=name, text=question, parser=parse, next=next)


def pick_one(
    choices: tuple[tuple[str, str], ...], hints: dict[str, tuple[str, ...]] | None = None
) -> Callable[[Answer, Turn, object], str]:
    """A button, or typed words that name a choice: its label, or one of its `hints`."""

    def parse(answer: Answer, turn: Turn, answers: object) -> str:
        choice = typed_or_chosen(answer)
        if choice in dict(choices):
            return choice
        typed = choice.casefold()
        by_label = {turn._(label).casefold(): value for value, label in choices}
        matched = by_label.get(typed) or (hinted(typed, hints) if hints and answer.choice is None else None)
        if matched is None:
            raise Reject(turn._("Please tap one of the choices."))
        return matched

    return parse


# Choosing the goal -------------------------------------------------------------------------------


@dataclass
class GoalChoiceAnswers(GoalDraft):
    """A dialog about one open goal; its draft fields shape the questions' amounts and dates."""

    goals: list[tuple[int, str]] = field(default_factory=list)  # (id, headline) offered when it started
    goal_id: int | None = None


class GoalChoiceStep(Step[GoalChoiceAnswers, int]):
    """Which open goal; the choices were listed when the dialog started and are checked again on save."""

    name = "goal"

    def prompt(self, turn: Turn, answers: GoalChoiceAnswers) -> Prompt:
        buttons = tuple((Button(headline[:60], str(goal_id)),) for goal_id, headline in answers.goals)
        return Prompt(turn._("Which goal?"), buttons)

    def parse(self, answer: Answer, turn: Turn, answers: GoalChoiceAnswers) -> int:
        choice = typed_or_chosen(answer)
        ids = {str(goal_id): goal_id for goal_id, _headline in answers.goals}
        if choice not in ids:
            raise Reject(turn._("Please tap one of your goals."))
        return int(ids[choice])

    async def save(self, value: int, turn: Turn, answers: GoalChoiceAnswers) -> None:
        answers.goal_id = value
        # The goal's measure and deadline shape the next questions (amounts, dates).
        goal = await GoalRepository(turn.session).owned(turn.user.id, value)
        if goal is not None:
            smart.copy_draft(draft_of(goal), answers)


def goal_choices(goals: Sequence[Goal], _: Translator) -> list[tuple[int, str]]:
    return [(goal.id, goal_headline(draft_of(goal), _)) for goal in goals]


async def chosen_goal(turn: Turn, answers: GoalChoiceAnswers) -> Goal | None:
    """The dialog's goal, if it is still the user's and open (it may have been archived meanwhile)."""
    goal = await GoalRepository(turn.session).owned(turn.user.id, int(answers.goal_id or 0))
    return goal if goal is not None and is_open(goal.status) else None


def goal_gone(_: Translator) -> list[Outgoing]:
    return [Outgoing(_("That goal is no longer open, so nothing was changed."))]


async def start_about_a_goal(
    turn: Turn, flow: str, answers: GoalChoiceAnswers, goals: Sequence[Goal], first_after_goal: str
) -> list[Outgoing]:
    """`flow` about one of `goals`: with one goal there is nothing to choose, so it starts after the choice."""
    if not goals:
        return [Outgoing(turn._("You have no open goals yet. /newgoal sets one in about two minutes."))]
    answers.goals = goal_choices(goals, turn._)
    if len(goals) > 1:
        return await turn.services.dialogs.start(turn, flow, answers=answers)
    answers.goal_id = goals[0].id
    smart.copy_draft(draft_of(goals[0]), answers)
    return await turn.services.dialogs.start(turn, flow, answers=answers, first_step=first_after_goal)


# /lost -----------------------------------------------------------------------------------------


@dataclass
class SetbackAnswers:
    what: str = ""
    lesson: str = ""
    next: str = ""


async def save_setback(turn: Turn, answers: SetbackAnswers) -> Sequence[Outgoing]:
    _ = turn._
    setback = await SetbackRepository(turn.session).add_saved(Setback(user_id=turn.user.id, day=local_today(turn.user, turn.now), summary=answers.what[:300],
                             answers={"lesson": answers.lesson, "next": answers.next}, created_at=turn.now))  # fmt: skip
    thanks = Outgoing(_("Thank you for looking at it squarely. A lost deal is information: you named the lesson "
                        "and the next step. I'll bring them back in your weekly evaluation."))  # fmt: skip
    return await offer_follow_up(turn, setback, [thanks])  # its reason, and sharing it with a team


async def start_setback(turn: Turn, note: str, preface: Sequence[Outgoing] = ()) -> list[Outgoing]:
    """The reflection on a lost deal; a note given with /lost answers its first question."""
    if note:
        answers = SetbackAnswers(what=note)
        return await turn.services.dialogs.start(
            turn, SETBACK, answers=answers, first_step="lesson", preface=preface
        )
    return await turn.services.dialogs.start(turn, SETBACK, preface=preface)


# /change ---------------------------------------------------------------------------------------


@dataclass
class StrategyAnswers(GoalChoiceAnswers):
    note: str = ""  # what the user wrote after /change
    hint: str | None = None  # the reason the note points at
    reason: str | None = None
    decision: str | None = None
    tactic: str | None = None
    focus: str | None = None


def reason_text(turn: Turn, answers: StrategyAnswers) -> str:
    _ = turn._
    said = _("You said: “{note}”.", note=echo(answers.note)) + "\n" if answers.note else ""
    return said + _("What changed?")


def parse_reason(answer: Answer, turn: Turn, answers: StrategyAnswers) -> tuple[str, str]:
    """(the reason, the words typed for it): "竞争对手降价了" is competition, in the user's words."""
    choice = typed_or_chosen(answer)
    if answer.choice is not None or choice in dict(REASONS):
        return pick_one(REASONS)(answer, turn, answers), ""
    words = short_text(answer, turn, 300, turn._("A few words, please, or tap one of the choices."))
    by_label = {turn._(label).casefold(): value for value, label in REASONS}
    return by_label.get(words.casefold()) or likely_reason(words) or "other", words


def keep_reason(value: tuple[str, str], turn: Turn, answers: StrategyAnswers) -> None:
    answers.reason, words = value
    labels = {turn._(label).casefold() for _value, label in REASONS}
    if words and words.casefold() not in labels:
        answers.note = f"{answers.note}; {words}" if answers.note else words


def reason_buttons(turn: Turn, answers: StrategyAnswers) -> ButtonRows:
    # The reason the user's own words point at comes first.
    ordered = sorted(REASONS, key=lambda choice: choice[0] != answers.hint)
    return tuple((Button(turn._(label), value),) for value, label in ordered)


def parse_new_target(answer: Answer, turn: Turn, answers: GoalDraft) -> smart.Target:
    """The wizard's target, for an absolute new target only."""
    kind, number, currency = smart.parse_target(answer, turn, answers)
    if kind != ABSOLUTE:
        raise Reject(turn._("Please type the new target as a number, e.g. 800k."))
    return kind, number, currency


def _numbers(goal: Goal) -> dict[str, str | None]:
    return {"target_value": audit_text(goal.target_value), "deadline": audit_text(goal.deadline)}


def strategy_note(answers: StrategyAnswers, _: Translator) -> str | None:
    """What is kept as the change's note: the new tactic or focus, with what the user said changed."""
    chosen = answers.tactic or answers.focus
    if chosen and answers.note:
        return _("{decision} (because: {note})", decision=chosen, note=answers.note)[:300]
    return (chosen or answers.note or None) and (chosen or answers.note)[:300]


def new_value_line(decision: str, goal: Goal, _: Translator) -> str | None:
    """The confirmation of a new target or deadline, stating the value now in force."""
    if decision == "target":
        return _("Target is now {amount}.", amount=amount_text(goal.target_value, draft_of(goal), _))
    if decision == "deadline":
        return _("Deadline is now {date}.", date=date_text(goal.deadline, _))
    return None


async def save_strategy(turn: Turn, answers: StrategyAnswers) -> Sequence[Outgoing]:
    _ = turn._
    goal = await chosen_goal(turn, answers)
    if goal is None:
        return goal_gone(_)
    before = _numbers(goal)
    decision = answers.decision or ""
    if decision in ("deadline", "target"):
        draft = draft_of(goal)
        draft.deadline = answers.deadline or draft.deadline
        draft.target_value = answers.target_value or draft.target_value
        if decision == "target":
            draft.target_kind, draft.growth_percent = ABSOLUTE, None
        await apply_changes(turn.session, turn.user, goal, draft, turn.now)
    StrategyChangeRepository(turn.session).add(StrategyChange(
        user_id=turn.user.id, goal_id=goal.id, at=turn.now, reason=answers.reason, decision=decision,
        note=strategy_note(answers, _), before=before, after=_numbers(goal)))  # fmt: skip
    lines = [line for line in (new_value_line(decision, goal, _),) if line]
    lines.append(_("Strategy change saved. /history shows the goal's strategy log."))
    if decision == "tactics":
        lines.append(_("I'll ask about the new tactic in your next weekly evaluation."))
    elif decision in (
        "target",
        "deadline",
    ):  # the next thing to look at: what the new numbers ask of each day
        lines.append(_("/plan shows what this month, this week and today need now."))
    return [Outgoing("\n".join(lines))]


def strategy_flow() -> Flow[StrategyAnswers]:
    decided = {"tactics": "tactic", "deadline": "deadline", "target": "target", "refocus": "focus"}
    return Flow(STRATEGY, StrategyAnswers, [
        GoalChoiceStep(),
        Question(name="reason", text=reason_text, buttons=reason_buttons, parser=parse_reason,
                 store=keep_reason),
        Question(name="decision", text=N_("What will you do about it?"),
                 buttons=tuple(((label, value),) for value, label in DECISIONS),
                 parser=pick_one(DECISIONS, DECISION_HINTS), next=lambda value, turn, answers: decided[value]),
        text_question("tactic", N_("What will you do differently? One line, e.g. “bundle training with the licence”."),
                      next=FINISH),
        Question(name="deadline", text=smart.DEADLINE_TEXT, parser=smart.parse_goal_deadline,
                 store=smart.set_deadline, next=FINISH),
        Question(name="target", text=smart.target_text, parser=parse_new_target, store=smart.set_target,
                 next=FINISH),
        text_question("focus", N_("What will you focus on instead? One line, e.g. “push product X to existing clients”."),
                      next=FINISH),
    ], save_strategy, N_("Stopped; the goal is unchanged."))  # fmt: skip


async def start_strategy_change(turn: Turn, goal: Goal | None = None, note: str = "") -> list[Outgoing]:
    """/change for `goal`, or for one of the open goals; `note` is what the user said changed."""
    answers = StrategyAnswers(note=note, hint=likely_reason(note))
    goals = [goal] if goal is not None else await GoalRepository(turn.session).open_goals(turn.user.id)
    return await start_about_a_goal(turn, STRATEGY, answers, goals, first_after_goal="reason")


# /reward ---------------------------------------------------------------------------------------


@dataclass
class RewardAnswers(GoalChoiceAnswers):
    amount: Decimal | None = None
    by: date | None = None
    treat: str = ""


def parse_reward_amount(answer: Answer, turn: Turn, answers: GoalDraft) -> Decimal:
    text = typed_or_chosen(answer)
    smart.refuse_date_as_amount(text, turn, answers)
    amount = parse_amount(text, lang=turn._.language)
    problem = amount_problem(amount, answers.metric_kind)
    if problem is not None or amount is None:
        raise Reject(
            smart.amount_problem_message(problem or AmountProblem.NOT_A_NUMBER, text, answers, turn._)
        )
    return amount


def parse_reward_day(answer: Answer, turn: Turn, answers: GoalDraft) -> date:
    text = typed_or_chosen(answer)
    _ = turn._
    today = local_today(turn.user, turn.now)
    day = parse_deadline(text, today=today, lang=_.language, country=smart.country_of(turn))
    if day is None:
        raise smart.unreadable_date(text, _)
    if day <= today:
        raise Reject(_("{date} is not in the future. Please pick a later day.", date=date_text(day, _)))
    deadline = answers.deadline
    assert deadline is not None  # the goal's own deadline, copied when it was chosen
    if day > deadline:
        raise Reject(_("That is after the goal's deadline ({date}); a reward belongs inside the goal.",
                       date=date_text(deadline, _)))  # fmt: skip
    return day


async def save_reward(turn: Turn, answers: RewardAnswers) -> Sequence[Outgoing]:
    _ = turn._
    goal = await chosen_goal(turn, answers)
    if goal is None or answers.amount is None or answers.by is None:
        return goal_gone(_)
    amount, by = answers.amount, answers.by
    RewardRepository(turn.session).add(Reward(user_id=turn.user.id, goal_id=goal.id, target=amount, start_date=local_today(turn.user, turn.now), deadline=by,
                            treat=answers.treat, status=REWARDS.initial, created_at=turn.now, updated_at=turn.now))  # fmt: skip
    return [Outgoing(_("Deal: reach {amount} by {date} and you treat yourself to “{treat}”. I'm keeping count: /progress shows how close you are.",
                       amount=amount_text(amount, draft_of(goal), _), date=date_text(by, _), treat=answers.treat))]  # fmt: skip


def reward_flow() -> Flow[RewardAnswers]:
    return Flow(REWARD, RewardAnswers, [
        GoalChoiceStep(),
        Question(name="amount", text=N_("What result earns the reward? Type an amount or a count, e.g. 100k or 5."),
                 parser=parse_reward_amount),
        Question(name="by", text=N_("By when? For example: this Friday, end of the month, December 15."),
                 parser=parse_reward_day),
        text_question("treat", N_("And what will you treat yourself to? e.g. “a weekend in Hangzhou”."), 200),
    ], save_reward, N_("Stopped; no reward was set."))  # fmt: skip


async def start_reward(turn: Turn) -> list[Outgoing]:
    goals = await GoalRepository(turn.session).open_goals(turn.user.id)
    return await start_about_a_goal(turn, REWARD, RewardAnswers(), goals, first_after_goal="amount")


def coaching_flows() -> list[Flow[Any]]:
    setback = Flow(SETBACK, SetbackAnswers, [
        text_question("what", N_("What happened? One or two lines.")),
        text_question("lesson", N_("What can you learn from it?")),
        text_question("next", N_("What will you try next time?")),
    ], save_setback, N_("Stopped; nothing was saved."))  # fmt: skip
    return [setback, strategy_flow(), reward_flow()]
