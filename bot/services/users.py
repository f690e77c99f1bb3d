"""Meeting users: create them on first contact, keep their Telegram profile fresh, notice blocks."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from bot.i18n import Translator, resolve_language, translator
from bot.storage.models import User
from bot.storage.repositories.users import UserRepository


@dataclass(frozen=True, slots=True)
class TelegramProfile:
    """The parts of a Telegram user the bot keeps."""

    id: int
    first_name: str
    username: str | None
    language_code: str | None


async def meet(
    session: AsyncSession, profile: TelegramProfile, now: datetime, default_timezone: str
) -> tuple[User, bool]:
    """The user behind an update, created on first contact; True when they came back after blocking us."""
    repository = UserRepository(session)
    user = await repository.get(profile.id)
    if user is None:
        created = await repository.add(
            User(
                id=profile.id,
                first_name=profile.first_name[:128],
                username=profile.username,
                telegram_language=profile.language_code,
                timezone=default_timezone,
                created_at=now,
                updated_at=now,
            )
        )
        return created, False
    fresh = (profile.first_name[:128], profile.username, profile.language_code)
    if (user.first_name, user.username, user.telegram_language) != fresh:
        user.first_name, user.username, user.telegram_language = fresh
        user.updated_at = now
    came_back = not user.is_active
    if came_back:
        # Writing to the bot again undoes a block: Telegram only lets them write once they unblocked us.
        user.is_active, user.blocked_at, user.updated_at = True, None, now
    return user, came_back


def user_translator(user: User | None, telegram_code: str | None, default_language: str) -> Translator:
    """The translator for a user by the project's rule: saved choice, Telegram's language, default."""
    saved = user.language if user else None
    return translator(resolve_language(saved, telegram_code, default_language))
