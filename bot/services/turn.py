"""The per-update context: one update's transaction, its user, the time, the language and the services.

Made once where an update (or a scheduled prompt) enters and handed to services and dialog steps alike,
so nothing below the entry point passes `session, user, now, default_language` by hand.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy.ext.asyncio import AsyncSession

from bot.i18n import Translator, resolve_language, translator
from bot.storage.models import User

if TYPE_CHECKING:
    from bot.services.container import Services
    from bot.settings import Settings


@dataclass(slots=True)
class Turn:
    """One update being handled. While a dialog step runs, `data` holds that dialog's answers so far."""

    session: AsyncSession
    user: User
    now: datetime
    services: Services
    data: dict[str, Any] = field(default_factory=dict)

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
