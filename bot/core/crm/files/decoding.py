"""The text of a CSV file: UTF-8 (with or without a BOM) tried strictly first, UTF-16 by its BOM, and
otherwise the encoding charset-normalizer detects (GB18030 for what Excel in China saves as GBK)."""

from __future__ import annotations

import codecs

from charset_normalizer import from_bytes

from bot.core.crm.files.problems import FileProblem

# GB2312 and GBK are subsets of GB18030: decoding with the superset reads every file saved as either.
_CHINESE = frozenset({"gb2312", "gbk", "gb18030", "hz", "euc_cn", "cp936"})
# A line "has UTF-8 in it" when it decodes as UTF-8 with a character of three bytes or more (CJK): GBK
# bytes seldom form such a sequence by chance, so lines like that next to lines that are not UTF-8 mean a
# file pasted together from two encodings.
_THREE_BYTE = 0x800


def decode_text(data: bytes) -> str | FileProblem:
    """The file's text, or FileProblem.ENCODING when no encoding reads it or it mixes two."""
    text = _decode(data)
    if isinstance(text, str) and "\x00" in text:  # a binary file, whatever its name says
        return FileProblem.ENCODING
    return text


def _decode(data: bytes) -> str | FileProblem:
    for bom, codec in (
        (codecs.BOM_UTF8, "utf-8"),
        (codecs.BOM_UTF16_LE, "utf-16"),
        (codecs.BOM_UTF16_BE, "utf-16"),
    ):
        if data.startswith(bom):
            try:
                text = data.decode(codec)
            except UnicodeDecodeError:
                return FileProblem.ENCODING
            return text.removeprefix("\ufeff")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    if _mixes_utf8(data):
        return FileProblem.ENCODING
    guess = from_bytes(data).best()
    if guess is None or guess.encoding is None:
        return FileProblem.ENCODING
    encoding = "gb18030" if guess.encoding.replace("-", "_").lower() in _CHINESE else guess.encoding
    try:
        return data.decode(encoding)
    except (UnicodeDecodeError, LookupError):
        return FileProblem.ENCODING


def _mixes_utf8(data: bytes) -> bool:
    """Whether some lines are UTF-8 with CJK text while others are not UTF-8 at all."""
    utf8_lines = other_lines = 0
    for line in data.splitlines():
        if line.isascii():
            continue
        try:
            decoded = line.decode("utf-8")
        except UnicodeDecodeError:
            other_lines += 1
            continue
        if any(ord(char) >= _THREE_BYTE for char in decoded):
            utf8_lines += 1
        if utf8_lines and other_lines:
            return True
    return bool(utf8_lines and other_lines)
