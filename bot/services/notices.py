"""Telling other people: a message for each, in their own language, committed with the update that causes it."""

from __future__ import annotations

from collections.abc import Callable, Iterable

from bot.core.dialog import Outgoing
from bot.i18n import Translator, resolve_language, translator
from bot.services.turn import Turn
from bot.storage.models import User


def reader_translator(user: User, default_language: str) -> Translator:
    """The translator of the person a message is for, by the project's rule for their language."""
    return translator(resolve_language(user.language, user.telegram_language, default_language))


def tell_each(turn: Turn, users: Iterable[User], compose: Callable[[Translator], Outgoing]) -> None:
    """One message to each of `users` (their private chat), composed in their language; it goes to the
    outbox with the turn's effects, so a change and the news of it commit together."""
    for user in users:
        if user.id != turn.user.id:
            turn.tell(user.id, [compose(reader_translator(user, turn.default_language))])
