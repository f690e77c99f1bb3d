"""What typed text means when it is not a command: the open dialog's answer, else the answer to the
review prompt or the note for the pre-meeting prompt just above it, else results to /log with one tap, else a pointer to /log and /help."""

from __future__ import annotations

from datetime import timedelta

from bot.core.dialog import Answer, Outgoing
from bot.core.lifecycle.prompts import GOAL_INVITE
from bot.core.quick_log import QuickReport, parse_report
from bot.services.flows.log_offer import offer_log
from bot.services.flows.review_texts import revenue_currency
from bot.services.flows.reviews import start_review
from bot.services.meeting_notes import note_typed_under_prompt
from bot.services.plans import local_today
from bot.services.turn import Turn
from bot.storage.repositories.goals import GoalRepository
from bot.storage.repositories.occurrences import OccurrenceRepository

# A prompt of today or yesterday (the user's day) still takes the answer typed under it.
PROMPT_ANSWERABLE_FOR = timedelta(days=1)


async def answer_free_text(turn: Turn, text: str | None, message_id: int | None = None) -> list[Outgoing]:
    """The reply to a message that is not a command (text, or a sticker, photo, ... when `text` is None);
    `message_id` is that message's, kept with results recorded from it."""
    dialog_reply = await turn.services.dialogs.answer(turn, Answer(text=text))
    if dialog_reply is not None:
        return dialog_reply
    if text is not None and text.strip():
        today = local_today(turn.user, turn.now)
        prompt = await OccurrenceRepository(turn.session).latest_awaiting_answer(
            turn.user.id, since=today - PROMPT_ANSWERABLE_FOR
        )
        # meeting13: text straight under a pre-meeting prompt (newer than any review prompt) is its note.
        note = await note_typed_under_prompt(turn, text, prompt.sent_at if prompt is not None else None)
        if note is not None:
            return note
        if (
            prompt is not None and prompt.kind != GOAL_INVITE
        ):  # text under the set-a-goal prompt answers nothing
            # The review opens for that prompt and the text answers its first question (for the daily
            # review, the one-line report), as if "Answer now" had been tapped first.
            await start_review(turn, prompt)
            return await turn.services.dialogs.answer(turn, Answer(text=text)) or []
        if isinstance(parse_report(text, today=today, lang=turn._.language), QuickReport):
            goals = await GoalRepository(turn.session).open_goals(turn.user.id)
            return await offer_log(turn, text.strip(), today, revenue_currency(goals), message_id)
    return [Outgoing(not_waiting(turn))]


def not_waiting(turn: Turn) -> str:
    return turn._(
        "I am not waiting for an answer right now. To record results, type /log and what you did, "
        "e.g. “/log 3 visits, 1 deal 50k”; /help shows what I can do."
    )
