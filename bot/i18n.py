"""Translations: gettext catalogs under locales/, read with Babel. English msgids are the source text.

The .po files are the only artefact translators touch (`make i18n` keeps them current): at start-up each is
compiled to .mo in memory and loaded as `babel.support.Translations`, so plural forms follow each catalog's
Plural-Forms header (English: one/other; Chinese: a single form).
"""

from __future__ import annotations

from functools import cache
from io import BytesIO
from pathlib import Path

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.support import Translations

from bot.settings import SUPPORTED_LANGUAGES

LOCALES_DIR = Path(__file__).resolve().parent.parent / "locales"
DOMAIN = "messages"


def N_(message: str) -> str:
    """Mark a string for extraction where it is defined; it is translated where it is shown."""
    return message


def catalog_path(language: str) -> Path:
    return LOCALES_DIR / language / "LC_MESSAGES" / f"{DOMAIN}.po"


@cache
def _translations(language: str) -> Translations:
    """The language's catalog compiled in memory; fuzzy and untranslated entries fall back to the msgid."""
    with catalog_path(language).open("rb") as po_file:
        catalog = read_po(po_file, locale=language)
    compiled = BytesIO()
    write_mo(compiled, catalog, use_fuzzy=False)
    compiled.seek(0)
    return Translations(compiled, domain=DOMAIN)


class Translator:
    """Translates and fills a message for one language.

    `_("Hello, {name}", name=...)` for one text; `_.plural("{count} day", "{count} days", count)` for a text
    whose wording depends on a number (`count` is also its placeholder). Compute the values before a plural
    call: Babel's extractor reads a call that contains `_` among its arguments as a `_` call and loses the
    plural form.
    """

    __slots__ = ("_translations", "language")

    def __init__(self, language: str) -> None:
        self.language = language
        self._translations = _translations(language)

    def __call__(self, message: str, /, **params: object) -> str:
        text = self._translations.gettext(message)
        return text.format(**params) if params else text

    def plural(self, singular: str, plural: str, count: int, /, **params: object) -> str:
        """The form the language uses for `count`, filled; pass count=... in params to show it formatted."""
        text = self._translations.ngettext(singular, plural, count)
        return text.format(**{"count": count, **params})


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
