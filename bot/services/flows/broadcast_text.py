"""/broadcast alone: the admin is asked for the message, then chooses its audience (bot/services/broadcasts.py)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from bot.core.dialog import Answer, Outgoing, Reject
from bot.core.smart import has_words
from bot.i18n import N_
from bot.services.broadcasts import MAX_BROADCAST_LENGTH, draft_broadcast, is_admin
from bot.services.dialogs import Flow, Question
from bot.services.turn import Turn

BROADCAST_TEXT = "broadcast_text"


@dataclass
class BroadcastTextAnswers:
    text: str = ""


def parse_text(answer: Answer, turn: Turn, answers: BroadcastTextAnswers) -> str:
    """The message as typed, line breaks kept (unlike short answers)."""
    text = (answer.text or "").strip()
    if not has_words(text):
        raise Reject(turn._("Please type the message itself, in words."))
    if len(text) > MAX_BROADCAST_LENGTH:
        raise Reject(
            turn._("A broadcast is one message: at most {limit} characters.", limit=MAX_BROADCAST_LENGTH)
        )
    return text


async def save_text(turn: Turn, answers: BroadcastTextAnswers) -> Sequence[Outgoing]:
    if not is_admin(turn):  # ADMIN_IDS changed while the question was open
        return [Outgoing(turn._("Only the bot's administrators can broadcast."))]
    return await draft_broadcast(turn, answers.text)


broadcast_text_flow: Flow[BroadcastTextAnswers] = Flow(
    BROADCAST_TEXT,
    BroadcastTextAnswers,
    [
        Question(
            name="text",
            text=N_("What should the message say? Type it as it should arrive."),
            parser=parse_text,
        )
    ],
    save_text,
)


async def start_broadcast(turn: Turn, text: str) -> list[Outgoing]:
    """`/broadcast the text` drafts it at once; `/broadcast` alone asks for it."""
    if text:
        return await draft_broadcast(turn, text)
    return await turn.services.dialogs.start(turn, BROADCAST_TEXT)
