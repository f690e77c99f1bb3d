"""Helpers every flow's parsers share: one reading of buttons and text, short free text, choices."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TypeVar

from bot.core.dialog import Answer, Reject
from bot.core.smart import has_words
from bot.services.turn import Turn

Item = TypeVar("Item")


def typed_or_chosen(answer: Answer) -> str:
    """Buttons and typed text go through the same parser, so a tampered button is just a bad answer."""
    return (answer.choice if answer.choice is not None else answer.text or "").strip()


def short_text(answer: Answer, turn: Turn, limit: int, no_words: str) -> str:
    """A free-text answer in a few words: spacing folded, letters required, at most `limit` characters."""
    text = " ".join(typed_or_chosen(answer).split())
    if not has_words(text):
        raise Reject(no_words)
    if len(text) > limit:
        raise Reject(turn._("Please keep it to {limit} characters.", limit=limit))
    return text


def echo(text: str) -> str:
    """A user's text quoted back in a reply, cut short so a long paste does not flood the chat."""
    return text if len(text) <= 40 else text[:39] + "…"


def choice_of(answer: Answer, choices: dict[str, str], reject: Callable[[], Reject]) -> str:
    """A button value, or a typed word that names one; `choices` maps lower-case words to values."""
    if answer.choice is not None and answer.choice in choices.values():
        return answer.choice
    word = typed_label(answer.text or "")
    if word in choices:
        return choices[word]
    raise reject()


# Marks a button label starts with; U+FE0F is the emoji variation selector that may follow one.
_LABEL_MARKS = ("✔", "✖", "⬅", "➕", "🔄", "🗑", "\ufe0f")


def typed_label(text: str) -> str:
    """Typed words as a choice's key: lower case, without the symbols a button label starts with (✔, ✖,
    ⬅: a label copied or typed as shown) or the punctuation it may end with."""
    return text.strip().lstrip("".join(_LABEL_MARKS)).strip().rstrip(".!。！").casefold()


def in_rows(buttons: Sequence[Item], width: int) -> tuple[tuple[Item, ...], ...]:
    """Buttons (or their (label, value) pairs) laid out `width` to a row."""
    return tuple(tuple(buttons[i : i + width]) for i in range(0, len(buttons), width))


def not_kept(value: object, turn: Turn, answers: object) -> None:
    """The `store` of a question whose answer only chooses the next step."""
