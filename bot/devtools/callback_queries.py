"""Callback queries of the emulated Bot API: each one answerable only while it is young.

Telegram shows a progress bar after a press until the bot calls answerCallbackQuery; a query answered
too late, or one Telegram does not know, is refused with 400 "query is too old and response timeout
expired or query ID is invalid" (QUERY_ID_INVALID as tdlib/telegram-bot-api's Client.cpp words it).
"""

from __future__ import annotations

from collections.abc import Callable

from bot.devtools.telegram_rules import QUERY_TOO_OLD, bad_request


class CallbackQueries:
    """When each query was made (the press), on the emulator's clock; `answer` refuses the old ones."""

    def __init__(self, clock: Callable[[], float], life: float) -> None:
        self.clock, self.life = clock, life
        self.pressed_at: dict[str, float] = {}

    def press(self, query_id: str) -> None:
        """Note a query at the moment of its press; a query delivered again keeps its first moment."""
        self.pressed_at.setdefault(query_id, self.clock())

    def age(self, query_id: str) -> float | None:
        pressed = self.pressed_at.get(query_id)
        return None if pressed is None else self.clock() - pressed

    def answer(self, query_id: str) -> None:
        age = self.age(query_id)
        if age is None or age > self.life:
            raise bad_request(QUERY_TOO_OLD)
