"""What a flow is made of: steps that each declare their question, their parser and their next step.

A plain question is a `Question(...)` declaration; a `Step` subclass is kept for a step with behaviour of
its own (an asynchronous store, a prompt that reads the database). Each flow keeps its answers in a
typed dataclass, `Flow.answers`, which the engine loads from and saves to `dialog_states.data`.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass, fields, is_dataclass
from typing import Any, Generic, TypeVar

from bot.core.dialog import Answer, Button, Outgoing, Prompt
from bot.i18n import N_
from bot.services.dialogs.answers import answers_from_data, answers_to_data
from bot.services.turn import Turn

A = TypeVar("A", contravariant=True)  # The answers a step reads: a step for a base class fits its subclasses.
V = TypeVar("V")  # The value of a parsed answer.
T = TypeVar("T")  # A flow's answers class.

FINISH = "<finish>"  # The next step after the last one: the flow's `finish` runs.
FOLLOWING = "<following>"  # The next step is the one listed after this one (or FINISH after the last).

ButtonRows = tuple[tuple[Button, ...], ...]
# Static buttons: rows of (label, value); labels are message ids, translated when the question is asked.
ChoiceRows = tuple[tuple[tuple[str, str], ...], ...]
Route = Callable[[V, Turn, A], str]


class Step(Generic[A, V]):
    """One question. A subclass overrides `prompt` and `parse`, and `save` when it stores somewhere else."""

    name: str
    next: str | Route[V, A] = FOLLOWING

    def prompt(self, turn: Turn, answers: A) -> Prompt:
        raise NotImplementedError

    def parse(self, answer: Answer, turn: Turn, answers: A) -> V:
        """The value of a valid answer, or raise Reject with a message that says what would fit."""
        raise NotImplementedError

    async def save(self, value: V, turn: Turn, answers: A) -> str | None:
        """Keep the value (by default in the answers' field named like the step); may return a confirmation."""
        if not is_dataclass(answers) or self.name not in {field.name for field in fields(answers)}:
            raise LookupError(f"{type(answers).__name__} has no field for the answer to {self.name}")
        setattr(answers, self.name, value)
        return None

    def next_step(self, value: V, turn: Turn, answers: A) -> str:
        """A step name, FOLLOWING or FINISH; called after `save`, so it sees the answers with this one."""
        return self.next if isinstance(self.next, str) else self.next(value, turn, answers)


@dataclass(frozen=True, eq=False)
class Question(Step[A, V]):
    """A question as a declaration: its text and buttons, how to read the answer, where to keep it.

    `text` is a message id (translated when asked) or a function of the turn and the answers;
    `buttons` likewise: rows of (label id, value), or a function returning rows of Buttons.
    Without `store`, the value goes into the answers' field named `name`; `store=not_kept` (in
    bot.services.dialogs.parsing) drops an answer that only chooses the next step.
    """

    name: str
    text: str | Callable[[Turn, A], str]
    parser: Callable[[Answer, Turn, A], V]
    buttons: ChoiceRows | Callable[[Turn, A], ButtonRows] = ()
    store: Callable[[V, Turn, A], str | None] | None = None
    next: str | Route[V, A] = FOLLOWING

    def prompt(self, turn: Turn, answers: A) -> Prompt:
        _ = turn._
        text = _(self.text) if isinstance(self.text, str) else self.text(turn, answers)
        if callable(self.buttons):
            return Prompt(text, self.buttons(turn, answers))
        return Prompt(
            text, tuple(tuple(Button(_(label), value) for label, value in row) for row in self.buttons)
        )

    def parse(self, answer: Answer, turn: Turn, answers: A) -> V:
        return self.parser(answer, turn, answers)

    async def save(self, value: V, turn: Turn, answers: A) -> str | None:
        if self.store is None:
            return await super().save(value, turn, answers)
        return self.store(value, turn, answers)


@dataclass(frozen=True)
class NoAnswers:
    """The answers of a flow whose steps store everything elsewhere (on the user, say)."""


@dataclass(frozen=True, eq=False)
class Flow(Generic[T]):
    """A named dialog: its answers' class, its steps (the first one starts it), what happens at the end."""

    name: str
    answers: type[T]
    steps: Sequence[Step[T, Any]]
    finish: Callable[[Turn, T], Awaitable[Sequence[Outgoing]]]
    cancelled_message: str = N_("Stopped. Nothing else was changed.")

    def step(self, name: str) -> Step[T, Any] | None:
        return next((step for step in self.steps if step.name == name), None)

    def after(self, step: Step[T, Any], value: Any, turn: Turn, answers: T) -> str:
        """The name of the step after `step` given its value, or FINISH."""
        chosen = step.next_step(value, turn, answers)
        if chosen != FOLLOWING:
            return chosen
        index = list(self.steps).index(step) + 1
        return self.steps[index].name if index < len(self.steps) else FINISH

    def load(self, data: Mapping[str, Any]) -> T:
        return answers_from_data(self.answers, data)

    @staticmethod
    def dump(answers: object) -> dict[str, Any]:
        return answers_to_data(answers)
