"""A — the average deal of a revenue goal, asked in the wizard after the ambition check.

A revenue goal's deals are its target over the user's own deal size, never a guess from the target: the
answer is an amount ("5万", "50k", "¥50,000"), the number of deals that made up the baseline ("12 deals",
divided here), or "not sure yet", which leaves the plan saying the deal size is not set.
"""

from __future__ import annotations

import re
from decimal import ROUND_HALF_UP, Decimal

from bot.core.dialog import Answer, Reject
from bot.core.goal_draft import GoalDraft
from bot.core.numbers import ENGLISH_NUMBER_PATTERN, parse_small_number
from bot.core.smart import period_between
from bot.i18n import N_, Translator
from bot.services.dialogs.parsing import typed_or_chosen
from bot.services.flows.plan_edits import parse_average_deal
from bot.services.goal_text import amount_text, number_text, period_text
from bot.services.turn import Turn

DEAL_COUNT = re.compile(
    rf"^\s*(?:签了?|closed\s+)?(\d+|[零一二两三四五六七八九十百]+|{ENGLISH_NUMBER_PATTERN})\s*(?:个|笔)?\s*"
    r"(?:deals?|单|笔)\s*$",
    re.IGNORECASE,
)
DEAL_SIZE_UNKNOWN = "unknown"
MAX_DEALS = 10_000  # more deals than this for one goal means the answer was not a deal size


def asks_deal_size(draft: GoalDraft) -> bool:
    return draft.metric == "revenue"


def deal_size_text(turn: Turn, draft: GoalDraft) -> str:
    _ = turn._
    question = _(
        "What is your average deal size, the amount of one typical signed deal? For example 50,000 or 50k. "
        "Your deals, meetings and calls are worked out from it."
    )
    if draft.baseline_known and draft.baseline and draft.start_date and draft.deadline:
        return (
            question
            + "\n"
            + _(
                "Or type how many deals made up the {baseline} of the previous {period} (for example “12 deals”), "
                "and I will divide.",
                baseline=amount_text(draft.baseline, draft, _),
                period=period_text(period_between(draft.start_date, draft.deadline), _),
            )
        )
    return question


DEAL_SIZE_BUTTONS = (((N_("Not sure yet"), DEAL_SIZE_UNKNOWN),),)


def parse_deal_size(answer: Answer, turn: Turn, draft: GoalDraft) -> Decimal | None:
    """An amount ("5万", "50k", "¥50,000"), or a count of the baseline's deals ("12 deals") to divide by."""
    if answer.choice == DEAL_SIZE_UNKNOWN:
        return None
    _ = turn._
    text = typed_or_chosen(answer)
    count = DEAL_COUNT.match(text)
    if count is not None:
        deals = parse_small_number(count.group(1))
        if not (draft.baseline_known and draft.baseline and deals):
            raise Reject(_("Please type the amount of one typical deal, for example 50,000."))
        return (draft.baseline / deals).quantize(Decimal(1), ROUND_HALF_UP)
    # The same reading and limits as "Deal size & rates" on the plan.
    average_deal = parse_average_deal(text, _)
    if draft.target_value is not None and draft.target_value / average_deal > MAX_DEALS:
        raise Reject(
            _(
                "At {deal} a deal, {target} would take more than {limit} deals. Please type the amount of "
                "one typical deal, for example 50,000.",
                deal=amount_text(average_deal, draft, _),
                target=amount_text(draft.target_value, draft, _),
                limit=number_text(MAX_DEALS, _),
            )
        )
    return average_deal


def deal_size_line(average_deal: Decimal | None, draft: GoalDraft, _: Translator) -> str:
    if average_deal is None:
        return _(
            "Fine: set it later with “🔁 Deal size & rates” in /plan; until then the plan counts no deals."
        )
    return _("Average deal: {deal}.", deal=amount_text(average_deal, draft, _))
