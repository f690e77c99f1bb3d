"""After /lost saves a setback: why the deal was lost, then (for a member of a team) whether to share it.

The reason is one of a few keys (price, competitor, ...), from a button or typed words in either language,
kept among the setback's answers; the weekly digest matches the same reason across people
(bot.core.teams.discussion) by the key a share carries. A setback stays private unless the member shares
it with one of their teams here; the share is checked against their seat when they answer, so someone
removed meanwhile is told, and nothing is shared.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from bot.core.dialog import Answer, Button, Outgoing, Prompt, Reject
from bot.i18n import N_
from bot.services.dialogs import FINISH, ButtonRows, Flow, Question, Step
from bot.services.dialogs.parsing import echo, in_rows, typed_or_chosen
from bot.services.team_sharing import share_setback, teams_to_share_with
from bot.services.turn import Turn
from bot.storage.coaching_models import Setback
from bot.storage.repositories.setbacks import SetbackRepository

SETBACK_FOLLOW_UP = "setback_follow_up"
NO = "no"
LOSS_REASONS = (
    ("price", N_("💰 Price")),
    ("competitor", N_("⚔️ Competitor")),
    ("timing", N_("⏰ Timing")),
    ("budget", N_("📉 Budget")),
    ("relationship", N_("🤝 Relationship")),
    ("product_fit", N_("🧩 Product fit")),
    ("other", N_("Other")),
)
# Typed words that name a reason, in both languages (checked in this order: "竞品价格" is the competitor's).
REASON_WORDS = {
    "competitor": ("competitor", "competition", "rival", "竞品", "竞争", "对手", "友商"),
    "price": (
        "price",
        "cheaper",
        "expensive",
        "discount",
        "cost",
        "价格",
        "价钱",
        "贵",
        "便宜",
        "报价",
        "折扣",
    ),
    "budget": ("budget", "no money", "funding", "预算", "没钱", "资金"),
    "timing": (
        "timing",
        "too late",
        "too early",
        "delay",
        "postpone",
        "时机",
        "时间",
        "太晚",
        "推迟",
        "延期",
    ),
    "relationship": ("relationship", "trust", "contact", "关系", "信任", "对接人"),
    "product_fit": ("product", "feature", "fit", "requirement", "产品", "功能", "需求", "不匹配"),
    "other": ("other", "其他", "其它"),
}


@dataclass
class FollowUpAnswers:
    setback_id: int = 0
    summary: str = ""
    teams: list[tuple[int, str]] = field(default_factory=list)  # (id, name) offered when it started
    reason: str = ""
    share: str = ""  # a team id, or NO


def parse_loss_reason(answer: Answer, turn: Turn, answers: FollowUpAnswers) -> str:
    text = typed_or_chosen(answer)
    if text in dict(LOSS_REASONS):
        return text
    typed = text.casefold()
    by_label = {turn._(label).casefold(): key for key, label in LOSS_REASONS}
    found = by_label.get(typed) or next(
        (key for key, words in REASON_WORDS.items() if any(word in typed for word in words)), None
    )
    if found is None:
        raise Reject(turn._("Please tap the reason closest to it, or type it in a word or two (e.g. price)."))
    return found


class ReasonStep(Step[FollowUpAnswers, str]):
    """Why it was lost; kept on the setback at once, so leaving the next question loses nothing."""

    name = "reason"

    def prompt(self, turn: Turn, answers: FollowUpAnswers) -> Prompt:
        buttons = in_rows([Button(turn._(label), key) for key, label in LOSS_REASONS], 2)
        return Prompt(turn._("What was the main reason the deal was lost?"), buttons)

    def parse(self, answer: Answer, turn: Turn, answers: FollowUpAnswers) -> str:
        return parse_loss_reason(answer, turn, answers)

    async def save(self, value: str, turn: Turn, answers: FollowUpAnswers) -> None:
        answers.reason = value
        repository = SetbackRepository(turn.session)
        setback = await repository.owned(turn.user.id, answers.setback_id)
        if setback is not None:
            repository.note_reason(setback, value)

    def next_step(self, value: str, turn: Turn, answers: FollowUpAnswers) -> str:
        return "share" if answers.teams else FINISH


def share_text(turn: Turn, answers: FollowUpAnswers) -> str:
    return turn._(
        "Share this setback (“{what}”) with your team's managers? It stays private unless you do.",
        what=echo(answers.summary),
    )


def share_buttons(turn: Turn, answers: FollowUpAnswers) -> ButtonRows:
    teams = tuple(
        (Button(turn._("Share with {team}", team=name)[:60], str(team_id)),)
        for team_id, name in answers.teams
    )
    return (*teams, (Button(turn._("No, keep it private"), NO),))


def parse_share(answer: Answer, turn: Turn, answers: FollowUpAnswers) -> str:
    choice = typed_or_chosen(answer)
    if choice == NO or choice in {str(team_id) for team_id, _name in answers.teams}:
        return choice
    if choice.casefold() in {"no", "不", "不要", "否", turn._("No, keep it private").casefold()}:
        return NO
    raise Reject(turn._("Please tap a team to share it with, or “No, keep it private”."))


async def finish_follow_up(turn: Turn, answers: FollowUpAnswers) -> Sequence[Outgoing]:
    team_id = int(answers.share) if answers.share.isdigit() else None
    return await share_setback(turn, answers.setback_id, answers.reason, team_id)


def follow_up_flow() -> Flow[FollowUpAnswers]:
    return Flow(SETBACK_FOLLOW_UP, FollowUpAnswers, [
        ReasonStep(),
        Question(name="share", text=share_text, buttons=share_buttons, parser=parse_share),
    ], finish_follow_up, N_("Stopped; the setback is saved and stays private."))  # fmt: skip


async def offer_follow_up(turn: Turn, setback: Setback, preface: Sequence[Outgoing]) -> list[Outgoing]:
    """The questions after a setback is saved: its reason, then sharing it (for a member of a team)."""
    teams = await teams_to_share_with(turn)
    answers = FollowUpAnswers(setback_id=setback.id, summary=setback.summary, teams=teams)
    return await turn.services.dialogs.start(turn, SETBACK_FOLLOW_UP, answers=answers, preface=preface)
