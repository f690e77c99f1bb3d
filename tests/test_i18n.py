"""Every user-facing string has a Chinese translation with the same placeholders, and catalogs are current."""

from __future__ import annotations

import string
from pathlib import Path

import pytest
from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.pofile import read_po

from bot.devtools.zh_punctuation import ascii_marks_next_to_chinese, full_width
from bot.i18n import catalog_path, resolve_language, translator

REPO = Path(__file__).resolve().parent.parent
# A plural entry: (singular, plural) in the code, msgid/msgid_plural in the catalogs.
Message = str | tuple[str, str]


def source_messages() -> set[Message]:
    """The msgids in the code, extracted as `make i18n` does: with babel.cfg's method map and keywords."""
    with (REPO / "babel.cfg").open() as config:
        method_map, options_map = parse_mapping_cfg(config)
    found = extract_from_dir(str(REPO), method_map, options_map, keywords=DEFAULT_KEYWORDS)
    messages: set[Message] = set()
    for _file, _line, message, _comments, _context in found:
        if isinstance(message, str):
            messages.add(message)
        elif len(message) == 2 and all(isinstance(form, str) for form in message):
            messages.add((str(message[0]), str(message[1])))
    return messages


def catalog(language: str) -> dict[Message, tuple[str, ...]]:
    """Each msgid (a pair for plural entries) with its translated forms: one, or one per plural form."""
    with catalog_path(language).open("rb") as po_file:
        entries = [m for m in read_po(po_file) if m.id and not m.fuzzy]
    result: dict[Message, tuple[str, ...]] = {}
    for entry in entries:
        if isinstance(entry.id, str):
            result[entry.id] = (str(entry.string or ""),)
        else:
            result[(str(entry.id[0]), str(entry.id[1]))] = tuple(str(form or "") for form in entry.string)
    return result


def placeholders(text: str) -> set[str]:
    return {field for _, field, _, _ in string.Formatter().parse(text) if field is not None}


def test_every_message_in_the_code_is_in_both_catalogs() -> None:
    in_code = source_messages()
    assert in_code, "extraction found nothing: the test would pass vacuously"
    assert any(isinstance(message, tuple) for message in in_code), "no plural entry was extracted"
    for language in ("en", "zh_CN"):
        missing = in_code - catalog(language).keys()
        assert not missing, (
            f"run `make i18n` and translate; missing in {language}: {sorted(map(str, missing))}"
        )


def test_every_message_has_a_chinese_translation_with_the_same_placeholders() -> None:
    zh = catalog("zh_CN")
    for message in source_messages():
        forms = zh.get(message, ())
        # Chinese has one plural form (msgstr[0]); it names the same placeholders as both English forms.
        expected = placeholders(message) if isinstance(message, str) else placeholders(message[1])
        assert forms and all(form.strip() for form in forms), f"no zh_CN translation for {message!r}"
        for form in forms:
            assert placeholders(form) == expected, f"placeholders differ for {message!r}"


def test_plural_entries_name_the_same_placeholders_in_both_english_forms() -> None:
    plurals = [message for message in source_messages() if isinstance(message, tuple)]
    for singular, plural in plurals:
        assert placeholders(singular) == placeholders(plural), f"placeholders differ in {singular!r}"
        assert "count" in placeholders(plural), f"{plural!r} does not show its count"


def test_translator_fills_placeholders() -> None:
    assert translator("zh_CN")("Time zone: {timezone}", timezone="Asia/Shanghai") == "时区：Asia/Shanghai"
    assert translator("en")("Time zone: {timezone}", timezone="UTC") == "Time zone: UTC"


@pytest.mark.parametrize(
    ("language", "count", "expected"),
    [("en", 1, "1 day"), ("en", 0, "0 days"), ("en", 5, "5 days"), ("zh_CN", 1, "1天"), ("zh_CN", 5, "5天")],
)
def test_plural_forms_follow_the_language(language: str, count: int, expected: str) -> None:
    assert translator(language).plural("{count} day", "{count} days", count) == expected


def test_plural_count_can_be_shown_formatted() -> None:
    _ = translator("en")
    assert _.plural("{count} day", "{count} days", 1200, count="1,200") == "1,200 days"


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


def test_chinese_translations_use_full_width_punctuation() -> None:
    """`python -m bot.devtools.zh_punctuation` fixes what this finds: , : ; ! ? ( ) touching Chinese text."""
    offending = {
        message: marks
        for message, forms in catalog("zh_CN").items()
        for form in forms
        if (marks := ascii_marks_next_to_chinese(form))
    }
    assert not offending, f"run `python -m bot.devtools.zh_punctuation`; ASCII punctuation in: {offending}"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("时区:Asia/Shanghai", "时区：Asia/Shanghai"),
        ("已完成:{actual} / {target}({percent}%)", "已完成：{actual} / {target}（{percent}%）"),
        ("上海 (UTC+8), 纽约", "上海（UTC+8），纽约"),
        ("共 1,200 次, 18:00 提醒, 比例 3/5!", "共 1,200 次，18:00 提醒，比例 3/5！"),
        ("撤销最近一次 /log(24 小时内)", "撤销最近一次 /log（24 小时内）"),
        (
            "试试“/log 3 visits, 12 calls”或 https://example.com/a,b",
            "试试“/log 3 visits, 12 calls”或 https://example.com/a,b",
        ),
        ("Time zone: {timezone}", "Time zone: {timezone}"),
    ],
)
def test_full_width_rewrites_chinese_text_only_and_is_idempotent(text: str, expected: str) -> None:
    assert full_width(text) == expected
    assert full_width(expected) == expected
    assert not ascii_marks_next_to_chinese(expected)
