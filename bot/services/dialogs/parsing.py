"""Helpers every flow's parsers share: one reading of buttons and text, short free text, choices."""

from __future__ import annotations

import re
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
    """A button value, or typed words that name one; `choices` maps lower-case words to values. A typed
    label ("Keep my goal", "✔ Keep them") names the value its words name, if they all name the same one."""
    if answer.choice is not None and answer.choice in choices.values():
        return answer.choice
    word = typed_label(answer.text or "")
    if word in choices:
        return choices[word]
    named = {choices[part] for part in re.findall(r"[\w/]+", word) if part in choices}
    if len(named) == 1:
        return named.pop()
    raise reject()


def typed_label(text: str) -> str:
    """Typed words as a choice's key: lower case, without the marks a button label starts with (✔, 💾,
    ✏️: a label typed or pasted as shown) or the full stop it may end with."""
    text = text.strip()
    while text and not text[0].isalnum():
        text = text[1:]
    return text.strip().rstrip(".!。！").casefold()


def in_rows(buttons: Sequence[Item], width: int) -> tuple[tuple[Item, ...], ...]:
    """Buttons (or their (label, value) pairs) laid out `width` to a row."""
    return tuple(tuple(buttons[i : i + width]) for i in range(0, len(buttons), width))


def not_kept(value: object, turn: Turn, answers: object) -> None:
    """The `store` of a question whose answer only chooses the next step."""
