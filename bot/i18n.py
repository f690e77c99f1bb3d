"""Translations: gettext catalogs under locales/, read with Babel. English msgids are the source text."""

from __future__ import annotations

from functools import cache
from pathlib import Path

from babel.messages.pofile import read_po

from bot.settings import SUPPORTED_LANGUAGES

LOCALES_DIR = Path(__file__).resolve().parent.parent / "locales"
DOMAIN = "messages"


def N_(message: str) -> str:
    """Mark a string for extraction where it is defined; it is translated where it is shown."""
    return message


def catalog_path(language: str) -> Path:
    return LOCALES_DIR / language / "LC_MESSAGES" / f"{DOMAIN}.po"


@cache
def _catalog(language: str) -> dict[str, str]:
    with catalog_path(language).open("rb") as po_file:
        catalog = read_po(po_file, locale=language)
    return {
        str(message.id): str(message.string)
        for message in catalog
        if message.id and message.string and not message.fuzzy and isinstance(message.id, str)
    }


class Translator:
    """Translates and fills a message for one language: `_("Hello, {name}", name=...)`."""

    __slots__ = ("_messages", "language")

    def __init__(self, language: str) -> None:
        self.language = language
        self._messages = _catalog(language)

    def __call__(self, message: str, /, **params: object) -> str:
        text = self._messages.get(message, message)
        return text.format(**params) if params else text


@cache
def translator(language: str) -> Translator:
    return Translator(language if language in SUPPORTED_LANGUAGES else "en")


def language_from_telegram(language_code: str | None) -> str | None:
    """Telegram's language_code mapped to ours: zh* is Chinese, anything else given is English."""
    if not language_code:
        return None
    return "zh_CN" if language_code.lower().startswith("zh") else "en"


def resolve_language(saved: str | None, telegram_code: str | None, default: str) -> str:
    """The user's choice, then Telegram's language_code, then the configured default."""
    if saved in SUPPORTED_LANGUAGES:
        return saved
    return language_from_telegram(telegram_code) or default


def warm_up() -> None:
    for language in SUPPORTED_LANGUAGES:
        translator(language)
