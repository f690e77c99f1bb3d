"""Messages to other people than the one whose update is handled (a member told their part, a manager told
of a discussion): recorded in the outbox in the turn's transaction, so they go out exactly when the change
that causes them commits, in each recipient's own language."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from bot.core.dialog import Reply
from bot.i18n import Translator
from bot.services.turn import Turn
from bot.services.users import user_translator
from bot.storage.repositories.outbox import OutboxRepository
from bot.storage.repositories.users import UserRepository
from bot.telegram.render import new_messages


async def tell(turn: Turn, user_id: int, build: Callable[[Translator], Sequence[Reply]]) -> None:
    """Record for `user_id`'s private chat what `build` says in their language."""
    user = await UserRepository(turn.session).get(user_id)
    _ = user_translator(user, user.telegram_language if user else None, turn.default_language)
    messages = await new_messages(build(_))
    await OutboxRepository(turn.session).add(user_id, messages, turn.now)
