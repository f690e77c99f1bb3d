"""The one yes/no vocabulary: words that answer a yes-or-no question typed instead of tapped, in both languages."""

from __future__ import annotations

from bot.core.numbers import normalize

YES_WORDS: frozenset[str] = frozenset(
    {
        "yes", "y", "yeah", "yep", "yup", "sure", "ok", "okay", "correct", "right", "fine", "confirm",
        "是", "是的", "对", "对的", "好", "好的", "行", "可以", "嗯", "没错", "没问题", "正确", "确认", "确定",
    }
)  # fmt: skip
NO_WORDS: frozenset[str] = frozenset(
    {
        "no", "n", "nope", "nah", "not really",
        "不", "不是", "不对", "不行", "不要", "不用", "否", "错", "不正确",
    }
)  # fmt: skip
_TRAILING_PUNCTUATION = ".!?。！？~"


def _word(text: str) -> str:
    return normalize(text).strip().rstrip(_TRAILING_PUNCTUATION).strip().casefold()


def read_yes_no(text: str) -> bool | None:
    """True for a yes ("ok", "好的", "是"), False for a no ("no", "不用"), None for anything else."""
    word = _word(text)
    if word in YES_WORDS:
        return True
    if word in NO_WORDS:
        return False
    return None


def yes_no_choices(*, yes: str, no: str | None = None) -> dict[str, str]:
    """A typed-word table for a two-button question whose buttons mean yes and no: every yes word names `yes`
    and every no word names `no`. Merge the question's own words after it, so that they win."""
    return {word: yes for word in YES_WORDS} | ({word: no for word in NO_WORDS} if no else {})
