"""Text measured as Telegram measures it: in UTF-16 code units (a character outside the BMP, such as
most emoji, counts 2). Message, caption and entity limits are all in these units."""

from __future__ import annotations


def utf16_units(char: str) -> int:
    return 2 if ord(char) > 0xFFFF else 1


def utf16_length(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


def utf16_prefix(text: str, limit: int) -> int:
    """How many characters of `text` make its longest prefix within `limit` units."""
    used = 0
    for index, char in enumerate(text):
        used += utf16_units(char)
        if used > limit:
            return index
    return len(text)
