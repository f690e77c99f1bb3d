"""Telling other people: a message for each, in their own language, committed with the update that causes it."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence

from bot.core.dialog import Outgoing, Reply
from bot.i18n import Translator
from bot.services.turn import Turn
from bot.services.users import user_translator
from bot.storage.models import User
from bot.storage.repositories.users import UserRepository


def tell_each(turn: Turn, users: Iterable[User], compose: Callable[[Translator], Outgoing]) -> None:
    """One message to each of `users` (their private chat), composed in their language; it goes to the
    outbox with the turn's effects, so a change and the news of it commit together."""
    for user in users:
        if user.id != turn.user.id:
            turn.tell(
                user.id, [compose(user_translator(user, user.telegram_language, turn.default_language))]
            )


async def tell_user(turn: Turn, user_id: int, build: Callable[[Translator], Sequence[Reply]]) -> None:
    """What `build` says, in `user_id`'s language, to their private chat with the turn's effects."""
    user = await UserRepository(turn.session).get(user_id)
    _ = user_translator(user, user.telegram_language if user else None, turn.default_language)
    turn.tell(user_id, build(_))
