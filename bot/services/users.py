"""Meeting users: create them on first contact, keep their Telegram profile fresh, notice blocks."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from sqlalchemy.ext.asyncio import AsyncSession

from bot.i18n import Translator, resolve_language, translator
from bot.services.inbox import Arrival, mark_handled
from bot.storage.models import User
from bot.storage.repositories.users import UserRepository

if TYPE_CHECKING:
    from bot.services.container import Services


def _column_length(name: str) -> int:
    length = getattr(User.__table__.c[name].type, "length", None)
    assert isinstance(length, int), f"users.{name} is a String(n) column"
    return length


# What Telegram sends is cut to the columns it is stored in (a 300-character first name is 128).
FIRST_NAME_LENGTH = _column_length("first_name")
USERNAME_LENGTH = _column_length("username")
LANGUAGE_CODE_LENGTH = _column_length("telegram_language")
SEEN_PRECISION = timedelta(hours=1)  # ops15: how fresh users.last_seen_at is kept


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
                last_seen_at=now,
            )
        )
        return created, False
    return user, refresh(user, profile, now)


async def meet_for_update(
    session: AsyncSession, profile: TelegramProfile, arrival: Arrival, now: datetime, default_timezone: str
) -> tuple[User, bool] | None:
    """`meet` for an update, moved to done in the inbox in the same transaction (so it commits with what
    its handler does, or not at all); None when the inbox has it handled or failed already: a re-delivery.

    An older update that arrives after a newer one is handled all the same: the inbox knows each update,
    not only the newest (users.last_update_id is no longer read or written).
    """
    if not await mark_handled(session, arrival, now):
        return None
    return await meet(session, profile, now, default_timezone)


def refresh(user: User, profile: TelegramProfile, now: datetime) -> bool:
    """Keep the user's Telegram profile fresh; True when they came back after blocking us."""
    fresh = (profile.first_name, profile.username, profile.language_code)
    if (user.first_name, user.username, user.telegram_language) != fresh:
        user.first_name, user.username, user.telegram_language = fresh
        user.updated_at = now
    if user.last_seen_at is None or now - user.last_seen_at >= SEEN_PRECISION:
        user.last_seen_at = now  # ops15: /admin's active users; written at most hourly, not every update
    came_back = not user.is_active
    if came_back:
        # Writing to the bot again undoes a block: Telegram only lets them write once they unblocked us.
        user.is_active, user.blocked_at, user.updated_at = True, None, now
    return came_back


async def user_language(services: Services, user_id: int | None, telegram_code: str | None) -> str:
    """A user's language by the project's rule, read in a transaction of its own (outside any turn)."""
    saved = None
    if user_id is not None:
        async with services.sessionmaker() as session:
            user = await UserRepository(session).get(user_id)
            saved = user.language if user else None
    return resolve_language(saved, telegram_code, services.settings.default_language)


def user_translator(user: User | None, telegram_code: str | None, default_language: str) -> Translator:
    """The translator for a user by the project's rule: saved choice, Telegram's language, default."""
    saved = user.language if user else None
    return translator(resolve_language(saved, telegram_code, default_language))
