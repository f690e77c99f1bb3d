"""Meeting users: create them on first contact, keep their Telegram profile fresh, notice blocks."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from bot.i18n import Translator, resolve_language, translator
from bot.storage.models import User
from bot.storage.repositories.users import UserRepository


def _column_length(name: str) -> int:
    length = getattr(User.__table__.c[name].type, "length", None)
    assert isinstance(length, int), f"users.{name} is a String(n) column"
    return length


# What Telegram sends is cut to the columns it is stored in (a 300-character first name is 128).
FIRST_NAME_LENGTH = _column_length("first_name")
USERNAME_LENGTH = _column_length("username")
LANGUAGE_CODE_LENGTH = _column_length("telegram_language")


@dataclass(frozen=True, slots=True)
class TelegramProfile:
    """The parts of a Telegram user the bot keeps, each cut to its column."""

    id: int
    first_name: str
    username: str | None
    language_code: str | None

    def __post_init__(self) -> None:
        object.__setattr__(self, "first_name", self.first_name[:FIRST_NAME_LENGTH])
        if self.username is not None:
            object.__setattr__(self, "username", self.username[:USERNAME_LENGTH])
        if self.language_code is not None:
            object.__setattr__(self, "language_code", self.language_code[:LANGUAGE_CODE_LENGTH])


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
                first_name=profile.first_name,
                username=profile.username,
                telegram_language=profile.language_code,
                timezone=default_timezone,
                created_at=now,
                updated_at=now,
            )
        )
        return created, False
    return user, refresh(user, profile, now)


async def meet_for_update(
    session: AsyncSession, profile: TelegramProfile, update_id: int, now: datetime, default_timezone: str
) -> tuple[User, bool] | None:
    """`meet` for an update, which becomes the user's newest handled one; None when it was handled before.

    The usual case (a known user, a new update) is one UPDATE ... RETURNING: the check and the write of
    `last_update_id` in one statement, which on PostgreSQL also locks the user's row for the transaction,
    so two processes handed the same update cannot both pass.
    """
    user = await UserRepository(session).claim_update(profile.id, update_id)
    if user is not None:
        return user, refresh(user, profile, now)
    user, came_back = await meet(session, profile, now, default_timezone)
    if user.last_update_id is not None and update_id <= user.last_update_id:
        # Telegram re-sends updates that a crash left unconfirmed; this one was already handled.
        return None
    user.last_update_id = update_id
    return user, came_back


def refresh(user: User, profile: TelegramProfile, now: datetime) -> bool:
    """Keep the user's Telegram profile fresh; True when they came back after blocking us."""
    fresh = (profile.first_name, profile.username, profile.language_code)
    if (user.first_name, user.username, user.telegram_language) != fresh:
        user.first_name, user.username, user.telegram_language = fresh
        user.updated_at = now
    came_back = not user.is_active
    if came_back:
        # Writing to the bot again undoes a block: Telegram only lets them write once they unblocked us.
        user.is_active, user.blocked_at, user.updated_at = True, None, now
    return came_back


def user_translator(user: User | None, telegram_code: str | None, default_language: str) -> Translator:
    """The translator for a user by the project's rule: saved choice, Telegram's language, default."""
    saved = user.language if user else None
    return translator(resolve_language(saved, telegram_code, default_language))
