"""What members bring to the weekly meeting: the kinds of note its prompt asks for."""

from __future__ import annotations

from enum import StrEnum


class NoteKind(StrEnum):
    WIN = "win"
    BLOCKER = "blocker"
    QUESTION = "question"
    NOTE = "note"  # typed straight under the prompt, without picking a kind


# The prompt's buttons, in this order; a note typed under the prompt is a plain NOTE.
PROMPT_KINDS = (NoteKind.WIN, NoteKind.BLOCKER, NoteKind.QUESTION)
MAX_NOTE_LENGTH = 500
