"""What a dialog says and hears, free of Telegram: prompts with buttons, answers, rejections."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TypeAlias

# Values of the navigation buttons every prompt carries; no step uses them as an answer.
BACK = "<back>"
CANCEL = "<cancel>"
MAX_ANSWER_LENGTH = 1000


@dataclass(frozen=True, slots=True)
class Button:
    label: str
    value: str


@dataclass(frozen=True, slots=True)
class Outgoing:
    """One message to the user. Buttons of a dialog prompt carry the dialog's version to spot stale presses."""

    text: str
    buttons: tuple[tuple[Button, ...], ...] = ()
    dialog_version: int | None = None


@dataclass(frozen=True, slots=True)
class Photo:
    """An image for the user. `render` makes its PNG when it is sent, after the update's commit, so the
    tens of milliseconds a chart takes are not spent inside the transaction."""

    render: Callable[[], bytes]
    caption: str | None = None


@dataclass(frozen=True, slots=True)
class Document:
    """A file for the user (an /export workbook, say), the name it arrives under and a caption. `render`
    makes its bytes when it is sent, after the update's commit, as a photo's does."""

    render: Callable[[], bytes]
    file_name: str
    caption: str | None = None


Reply: TypeAlias = Outgoing | Photo | Document


@dataclass(frozen=True, slots=True)
class Prompt:
    """A question: its text and the buttons that answer it (navigation buttons are added by the engine)."""

    text: str
    buttons: tuple[tuple[Button, ...], ...] = field(default=())


@dataclass(frozen=True, slots=True)
class Answer:
    """What the user sent: typed text, a pressed button's value, or neither (a sticker, a photo)."""

    text: str | None = None
    choice: str | None = None
    dialog_version: int | None = None

    @property
    def is_empty(self) -> bool:
        return self.choice is None and not (self.text or "").strip()


class Reject(Exception):
    """An answer that does not fit the step; `message` tells the user why, already translated.

    `offer` are buttons for answers that would fit ("明年" → the end of next year), shown above the
    question's own when it is asked again.
    """

    def __init__(self, message: str, offer: tuple[Button, ...] = ()) -> None:
        super().__init__(message)
        self.message = message
        self.offer = offer
