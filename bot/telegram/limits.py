"""Telegram's limits on what a bot sends, and texts cut to fit them.

The numbers are python-telegram-bot's `telegram.constants`, which follow https://core.telegram.org/bots/api:
a message text is at most 4,096 characters and a caption 1,024, both counted after entity parsing (the
bot sends plain text, so the text itself) in UTF-16 code units, as Telegram measures; callback data is at
most 64 bytes; a photo upload at most 10 MB, any other file 50 MB; a file the bot downloads (getFile) at
most 20 MB.
"""

from __future__ import annotations

import re

from telegram.constants import FileSizeLimit, InlineKeyboardButtonLimit, MessageLimit

from bot.core.utf16 import utf16_prefix

MAX_TEXT_LENGTH = int(MessageLimit.MAX_TEXT_LENGTH)
MAX_CAPTION_LENGTH = int(MessageLimit.CAPTION_LENGTH)
MAX_CALLBACK_DATA_BYTES = int(InlineKeyboardButtonLimit.MAX_CALLBACK_DATA)
MAX_PHOTO_BYTES = int(FileSizeLimit.PHOTOSIZE_UPLOAD)
MAX_DOWNLOAD_BYTES = int(FileSizeLimit.FILESIZE_DOWNLOAD)
MAX_DOCUMENT_BYTES = int(FileSizeLimit.FILESIZE_UPLOAD)  # 50 MB, what sendDocument takes
# Where a text is best cut, best first: between paragraphs, between lines, after a sentence, between words.
_PARAGRAPH, _LINE = re.compile(r"\n\s*\n"), re.compile(r"\n")
# A sentence ends at CJK punctuation, or at Western punctuation followed by a space (not inside "3.5").
_SENTENCE = re.compile(r"(?<=[。！？；…])\s*|(?<=[.!?;])\s+")
_WORD = re.compile(r"\s+")


class LimitExceeded(ValueError):
    """Something the bot was about to send that Telegram would refuse."""


def cut(text: str, limit: int) -> tuple[str, str]:
    """`text` as a head within `limit` and the rest ("" when it all fits), cut at the best boundary
    that keeps the head at least half the limit long: a paragraph, a line, a sentence, a word; else
    wherever the limit falls. The whitespace at the cut is dropped."""
    end = utf16_prefix(text, limit)
    if end == len(text):
        return text, ""
    window, shortest = text[:end], end // 2
    for boundary in (_PARAGRAPH, _LINE, _SENTENCE, _WORD):
        cuts = [match for match in boundary.finditer(window) if match.start() >= max(shortest, 1)]
        if cuts:
            last = cuts[-1]
            return text[: last.start()].rstrip(), text[last.end() :]
    return window, text[end:]


def split_text(text: str, limit: int = MAX_TEXT_LENGTH) -> list[str]:
    """`text` as consecutive messages of at most `limit` UTF-16 units each, cut as `cut` does."""
    parts: list[str] = []
    rest = text
    while rest:
        head, rest = cut(rest, limit)
        if head.strip():
            parts.append(head)
    return parts or [text]


def split_caption(caption: str) -> tuple[str, list[str]]:
    """A photo's caption within Telegram's 1,024 and the rest of it as the texts that follow the photo."""
    head, rest = cut(caption, MAX_CAPTION_LENGTH)
    return head, split_text(rest) if rest.strip() else []


def checked_callback_data(data: str) -> str:
    """`data` if Telegram takes it as a button's callback data (1 to 64 bytes)."""
    size = len(data.encode("utf-8"))
    if not 1 <= size <= MAX_CALLBACK_DATA_BYTES:
        raise LimitExceeded(
            f"callback data of {size} bytes; Telegram takes 1 to {MAX_CALLBACK_DATA_BYTES} bytes"
        )
    return data


def checked_photo(png: bytes) -> bytes:
    if len(png) > MAX_PHOTO_BYTES:
        raise LimitExceeded(f"a photo of {len(png)} bytes; Telegram takes uploads up to {MAX_PHOTO_BYTES}")
    return png


def checked_document(content: bytes) -> bytes:
    if len(content) > MAX_DOCUMENT_BYTES:
        raise LimitExceeded(
            f"a file of {len(content)} bytes; Telegram takes uploads up to {MAX_DOCUMENT_BYTES}"
        )
    return content


def downloadable(file_size: int | None) -> bool:
    """Whether the Bot API lets the bot download a file of `file_size` bytes (getFile, 20 MB); a size
    Telegram did not tell is tried (the Bot API refuses it then with "file is too big")."""
    return file_size is None or file_size <= MAX_DOWNLOAD_BYTES
