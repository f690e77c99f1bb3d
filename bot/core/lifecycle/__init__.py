"""Status lifecycles: which status may follow which, for every row that has a status.

Each aggregate's module (prompts, nudges, rewards, goals) holds its status enum and its table of
allowed moves. Code outside bot/core/lifecycle and the repositories never writes a status of its own:
it asks `Lifecycle.move` for the next one (tests/test_structure.py checks this).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Generic, TypeVar

S = TypeVar("S", bound=StrEnum)


class MoveNotAllowed(ValueError):
    """A status change the aggregate's table of moves does not allow."""


@dataclass(frozen=True)
class Lifecycle(Generic[S]):
    """The statuses of one aggregate: where a row starts and what may follow what."""

    name: str
    initial: S
    moves: Mapping[S, frozenset[S]]
    # The same table keyed by the stored strings, which rows hold before the enum is applied.
    _follows: dict[str, frozenset[str]] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        follows = {str(status): frozenset(str(new) for new in news) for status, news in self.moves.items()}
        object.__setattr__(self, "_follows", follows)

    def statuses(self) -> frozenset[S]:
        return frozenset(self.moves)

    def allows(self, current: str, new: S) -> bool:
        """Whether a row in `current` may move to `new` (a status the table does not know allows nothing)."""
        return new in self._follows.get(current, frozenset())

    def move(self, current: str, new: S) -> S:
        """`new`, if a row in `current` may move there; MoveNotAllowed otherwise."""
        if not self.allows(current, new):
            raise MoveNotAllowed(f"{self.name}: {current} may not become {new}")
        return new

    def next_or_none(self, current: str, new: S) -> S | None:
        """`new` if the move is allowed, else None (the caller leaves the row as it is)."""
        return new if self.allows(current, new) else None
