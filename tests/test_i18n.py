"""Every user-facing string has a Chinese translation with the same placeholders, and catalogs are current."""

from __future__ import annotations

import string
from pathlib import Path

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po

from bot.i18n import catalog_path, resolve_language, translator

REPO = Path(__file__).resolve().parent.parent


def source_messages() -> set[str]:
    """The msgids in the code, extracted as `make i18n` does."""
    keywords = {"_": None, "N_": None}
    found = extract_from_dir(str(REPO / "bot"), method_map=[("**.py", "python")], keywords=keywords)
    return {message for _file, _line, message, _comments, _context in found if isinstance(message, str)}


def catalog(language: str) -> dict[str, str]:
    with catalog_path(language).open("rb") as po_file:
        return {str(m.id): str(m.string) for m in read_po(po_file) if m.id and not m.fuzzy}


def placeholders(text: str) -> set[str]:
    return {field for _, field, _, _ in string.Formatter().parse(text) if field is not None}


def test_every_message_in_the_code_is_in_both_catalogs() -> None:
    in_code = source_messages()
    assert in_code, "extraction found nothing: the test would pass vacuously"
    for language in ("en", "zh_CN"):
        missing = in_code - catalog(language).keys()
        assert not missing, f"run `make i18n` and translate; missing in {language}: {sorted(missing)}"


def test_every_message_has_a_chinese_translation_with_the_same_placeholders() -> None:
    zh = catalog("zh_CN")
    for message in source_messages():
        translated = zh.get(message, "")
        assert translated.strip(), f"no zh_CN translation for {message!r}"
        assert placeholders(translated) == placeholders(message), f"placeholders differ for {message!r}"


def test_translator_fills_placeholders() -> None:
    assert translator("zh_CN")("Time zone: {timezone}", timezone="Asia/Shanghai") == "时区:Asia/Shanghai"
    assert translator("en")("Time zone: {timezone}", timezone="UTC") == "Time zone: UTC"


@pytest.mark.parametrize(
    ("saved", "telegram", "default", "expected"),
    [
        ("en", "zh-hans", "zh_CN", "en"),
        (None, "zh-hans", "en", "zh_CN"),
        (None, "zh-TW", "en", "zh_CN"),
        (None, "ru", "zh_CN", "en"),
        (None, None, "zh_CN", "zh_CN"),
        ("xx", None, "en", "en"),
    ],
)
def test_language_is_the_choice_then_telegram_then_default(
    saved: str | None, telegram: str | None, default: str, expected: str
) -> None:
    assert resolve_language(saved, telegram, default) == expected
