"""Input hygiene where an update enters: no control characters in any text the bot reads or stores.

A NUL byte crashes PostgreSQL's text columns, a lone surrogate cannot be encoded to UTF-8, and other C0/C1
controls are invisible to the user who "typed" them. Every string of an update is cleaned once, before
any handler sees it, so nothing downstream has to remember to:

- in free text (message text, captions, callback data) a run of control characters between two visible
  characters becomes one space, because removing it would join two words or two numbers ("3\\x0012" is
  not 312); elsewhere it is removed; message entities are shifted to stay on the same characters;
- everything else (first names, usernames, language codes, titles) loses its control characters.

Newline and tab are kept; a carriage return is a control character here ("\\r\\n" becomes "\\n").

Nearly every update is clean, so `clean_update` first looks for an unsafe character in the update's
strings where they are (one regular-expression search per string) and only then pays for the JSON
round trip (`to_dict`, clean, `de_json`).
"""

from __future__ import annotations

import operator
import re
import unicodedata
from collections.abc import Callable, Mapping
from datetime import datetime, timedelta
from typing import Any

from telegram import TelegramObject, Update
from telegram._utils.defaultvalue import DefaultValue
from telegram.ext import ExtBot

KEPT = frozenset("\n\t")
FREE_TEXT = {"text": "entities", "caption": "caption_entities", "data": None}
_UNSAFE = frozenset(("Cc", "Cs"))
# The same characters as is_unsafe, for one search per string: Cc is U+0000-U+001F and U+007F-U+009F
# (tab and newline kept), Cs the surrogates (tests/telegram/test_input_hygiene.py checks it is the same).
UNSAFE_CHARACTER = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff]")
_search = UNSAFE_CHARACTER.search


def is_unsafe(char: str) -> bool:
    return char not in KEPT and unicodedata.category(char) in _UNSAFE


def _utf16_units(char: str) -> int:
    return 2 if ord(char) > 0xFFFF else 1


def clean_text(text: str, *, free_text: bool = False) -> tuple[str, list[int] | None]:
    """The text without control characters, and (when anything changed) where each UTF-16 offset of
    the original text lands in the cleaned one, for Telegram's entity offsets."""
    if not any(is_unsafe(char) for char in text):
        return text, None
    kept: list[str] = []
    moved: list[int] = []  # moved[i]: the cleaned UTF-16 offset of original UTF-16 offset i
    position = 0
    index = 0
    while index < len(text):
        char = text[index]
        if not is_unsafe(char):
            kept.append(char)
            moved.extend([position] * _utf16_units(char))
            position += _utf16_units(char)
            index += 1
            continue
        end = index
        while end < len(text) and is_unsafe(text[end]):
            end += 1
        separates = free_text and index > 0 and end < len(text)
        separates = separates and not text[index - 1].isspace() and not text[end].isspace()
        moved.extend([position] * sum(_utf16_units(c) for c in text[index:end]))
        if separates:
            kept.append(" ")
            position += 1
        index = end
    moved.append(position)
    return "".join(kept), moved


def _shift_entities(entities: list[Any], moved: list[int]) -> list[Any]:
    shifted = []
    for entity in entities:
        if not isinstance(entity, dict):
            continue
        start = int(entity.get("offset", 0))
        end = start + int(entity.get("length", 0))
        start, end = moved[min(start, len(moved) - 1)], moved[min(end, len(moved) - 1)]
        if end > start:  # an entity made only of control characters is gone
            shifted.append({**entity, "offset": start, "length": end - start})
    return shifted


def clean_data(value: Any) -> tuple[Any, bool]:
    """An update's JSON with every string cleaned; True when anything changed."""
    if isinstance(value, str):
        cleaned, moved = clean_text(value)
        return cleaned, moved is not None
    if isinstance(value, list):
        items = [clean_data(item) for item in value]
        return [item for item, _ in items], any(changed for _, changed in items)
    if not isinstance(value, dict):
        return value, False
    result: dict[str, Any] = {}
    changed = False
    for key, item in value.items():
        if key in FREE_TEXT and isinstance(item, str):
            cleaned, moved = clean_text(item, free_text=True)
            result[key] = cleaned
            entities_key = FREE_TEXT[key]
            if moved is not None:
                changed = True
                if entities_key and isinstance(value.get(entities_key), list):
                    result[entities_key] = _shift_entities(value[entities_key], moved)
            continue
        if key in result:  # entities already shifted along with their text
            continue
        result[key], item_changed = clean_data(item)
        changed = changed or item_changed
    return result, changed


# --- the whole update ------------------------------------------------------------------------------

_SCALARS = (int, float, datetime, timedelta)  # bool is an int
_FIELDS: dict[type, Callable[[Any], tuple[Any, ...]] | None] = {}


class _Unknown(Exception):
    """A value the fast check does not read: the update takes the slow path."""


def _fields_of(kind: type) -> Callable[[Any], tuple[Any, ...]]:
    """A getter of the values `to_dict` reads of a TelegramObject class: its public slots, api_kwargs
    among them (the private ones hold caches of other fields, the bot, and numbers behind deprecated
    names). A class with a __dict__ (a subclass without slots) is not read: the update takes the slow path."""
    if kind not in _FIELDS:
        slots: list[Any] = [getattr(cls, "__slots__", None) for cls in kind.__mro__[:-1]]
        if any(names is None or "__dict__" in names for names in slots):
            _FIELDS[kind] = None
        else:
            listed = [(names,) if isinstance(names, str) else tuple(names) for names in slots]
            public = tuple(dict.fromkeys(n for names in listed for n in names if not n.startswith("_")))
            many = operator.attrgetter(*public)  # never empty: every TelegramObject has api_kwargs
            _FIELDS[kind] = many if len(public) > 1 else lambda item: (many(item),)
    getter = _FIELDS[kind]
    if getter is None:
        raise _Unknown
    return getter


def _may_be_unsafe(value: Any) -> bool:
    # An unset optional field (of LinkPreviewOptions, say): to_dict reads the value it stands for.
    if isinstance(value, DefaultValue):
        value = value.value
    if value is None or isinstance(value, _SCALARS):
        return False
    if isinstance(value, str):
        return _search(value) is not None
    if isinstance(value, TelegramObject):
        # Most fields of an update are None or plain strings: looked at here, without a call each.
        for field in _fields_of(type(value))(value):
            if field is None:
                continue
            if type(field) is str:
                if _search(field) is not None:
                    return True
            elif _may_be_unsafe(field):
                return True
        return False
    if isinstance(value, (list, tuple)):
        return any(_may_be_unsafe(item) for item in value)
    if isinstance(value, Mapping):  # api_kwargs: clean_data cleans the values, never the keys
        return any(_may_be_unsafe(item) for item in value.values())
    raise _Unknown


def may_hold_unsafe_text(update: Update) -> bool:
    """False only when no string of the update holds a character clean_data would change."""
    try:
        return _may_be_unsafe(update)
    except _Unknown:
        return True


def clean_update(update: Update, bot: ExtBot[Any]) -> Update:
    """The update itself when its texts are clean (the usual case), else a cleaned copy."""
    if not may_hold_unsafe_text(update):
        return update
    data, changed = clean_data(update.to_dict())
    if not changed:
        return update
    cleaned = Update.de_json(data, bot)
    return cleaned if cleaned is not None else update
