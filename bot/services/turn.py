"""The per-update context: one update's transaction, its user, the time, the language and the services.

Made once where an update (or a scheduled prompt) enters and handed to services and dialog steps alike,
so nothing below the entry point passes `session, user, now, default_language` by hand.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy.ext.asyncio import AsyncSession

from bot.core.dialog import Reply
from bot.i18n import Translator, resolve_language, translator
from bot.storage.models import User

if TYPE_CHECKING:
    from bot.services.container import Services
    from bot.settings import Settings


@dataclass(slots=True)
class Turn:
    """One update being handled (or one scheduled prompt being sent)."""

    session: AsyncSession
    user: User
    now: datetime
    services: Services
    # What the user is told, in order; sent once the update's transaction has committed.
    replies: list[Reply] = field(default_factory=list)
    # What other people are told because of this update (a manager told of a join, say): (chat id, message),
    # recorded in the outbox with the update's effects and sent by the outbox's next tick.
    notices: list[tuple[int, Reply]] = field(default_factory=list)
    # sync14: the update's message held a secret (CRM credentials): after the commit it is deleted from
    # the chat, and its stored copy in the inbox is dropped in this transaction.
    forget_message: bool = False

    def reply(self, messages: Iterable[Reply]) -> None:
        self.replies.extend(messages)

    def tell(self, chat_id: int, messages: Iterable[Reply]) -> None:
        """Messages for another chat (already in its reader's language), committed with this update."""
        self.notices.extend((chat_id, message) for message in messages)

    @property
    def settings(self) -> Settings:
        return self.services.settings

    @property
    def default_language(self) -> str:
        return self.services.settings.default_language

    @property
    def language(self) -> str:
        """The user's language by the project's rule: saved choice, Telegram's language, the default."""
        return resolve_language(self.user.language, self.user.telegram_language, self.default_language)

    @property
    def _(self) -> Translator:
        # Looked up on each use: a step that changes the language makes the next prompt speak it.
        return translator(self.language)
