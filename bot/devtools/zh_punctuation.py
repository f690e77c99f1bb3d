"""Full-width punctuation in the Chinese catalog: `python -m bot.devtools.zh_punctuation [--check]`.

Rewrites every zh_CN msgstr that holds Chinese text so that , : ; ! ? ( ) become ，：；！？（）, with the
spaces around them dropped (full-width marks carry their own spacing). Left alone: {placeholders}, URLs,
/commands and a quoted command example (“/log 3 visits, 12 calls”: what the user types), and marks between
digits (1,200 · 18:00). Running it again changes nothing. `--check` only reports, exit 1 if a change is due.
"""

from __future__ import annotations

import re
import sys
from io import BytesIO
from pathlib import Path

from babel.messages.pofile import read_po, write_po

from bot.i18n import catalog_path

FULL_WIDTH = {",": "，", ":": "：", ";": "；", "!": "！", "?": "？", "(": "（", ")": "）"}
_CJK = r"\u3000-\u303f\u3400-\u4dbf\u4e00-\u9fff\uff00-\uffef“”"
_HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff]")
# Spans copied as they are: a placeholder, a URL, a quoted command example, a /command, a number or time
# whose digits a mark joins.
_PROTECTED = re.compile(
    r"\{[^{}]*\}"
    r"|https?://\S+"
    r"|“/[^”]*”"
    r"|(?<![\w/])/[A-Za-z_]+"
    r"|\d+(?:[,:]\d+)+"
)
_ADJACENT = re.compile(rf"[{_CJK}]\s*[,:;!?()]|[,:;!?()]\s*[{_CJK}]")
# Spaces beside a full-width mark; newlines are kept.
_SPACES_AROUND = re.compile(r" *([，：；！？（）]) *")


def is_chinese(text: str) -> bool:
    return _HAN.search(text) is not None


def _free_text(text: str) -> str:
    converted = "".join(FULL_WIDTH.get(char, char) for char in text)
    return _SPACES_AROUND.sub(r"\1", converted)


def full_width(text: str) -> str:
    """`text` with its ASCII punctuation made full-width outside protected spans, if it is Chinese text."""
    if not is_chinese(text):
        return text
    parts: list[str] = []
    last = 0
    for match in _PROTECTED.finditer(text):
        parts.append(_free_text(text[last : match.start()]))
        parts.append(match.group())
        last = match.end()
    parts.append(_free_text(text[last:]))
    # A space stripped beside a protected span would need the span's context: strip it after joining.
    return _SPACES_AROUND.sub(r"\1", "".join(parts))


def ascii_marks_next_to_chinese(text: str) -> list[str]:
    """The ASCII , : ; ! ? ( ) that touch Chinese text, outside protected spans: what the test rejects."""
    unprotected = _PROTECTED.sub("\x00", text)
    return [match.group() for match in _ADJACENT.finditer(unprotected)]


def rewrite_catalog(path: Path) -> int:
    """Rewrites the catalog at `path` in place; returns how many msgstrs changed."""
    with path.open("rb") as po_file:
        catalog = read_po(po_file, locale="zh_CN")
    changed = 0
    for message in catalog:
        if not message.id:
            continue  # the header
        forms = _forms(message.string)
        new: str | tuple[str, ...] = (
            full_width(message.string) if isinstance(message.string, str) else tuple(map(full_width, forms))
        )
        if new != (message.string if isinstance(message.string, str) else forms):
            message.string = new
            changed += 1
    if changed:
        out = BytesIO()
        # The same options as `make i18n` (pybabel update), so only the changed msgstrs differ.
        write_po(out, catalog, width=76, omit_header=False, ignore_obsolete=True, include_previous=False)
        path.write_bytes(out.getvalue())
    return changed


def main(argv: list[str]) -> int:
    path = catalog_path("zh_CN")
    if "--check" in argv:
        with path.open("rb") as po_file:
            catalog = read_po(po_file, locale="zh_CN")
        due = [m.id for m in catalog if m.id and _forms(m.string) != tuple(map(full_width, _forms(m.string)))]
        for message_id in due:
            print(f"needs full-width punctuation: {message_id!r}")
        return 1 if due else 0
    print(f"{path}: {rewrite_catalog(path)} msgstr(s) rewritten")
    return 0


def _forms(string: object) -> tuple[str, ...]:
    if isinstance(string, str):
        return (string,)
    if isinstance(string, (tuple, list)):
        return tuple(str(form or "") for form in string)
    return ()


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
