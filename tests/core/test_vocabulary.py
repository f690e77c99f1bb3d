"""Yes and no typed in either language."""

from __future__ import annotations

import pytest

from bot.core.vocabulary import NO_WORDS, YES_WORDS, read_yes_no, yes_no_choices


@pytest.mark.parametrize(
    "text",
    [
        "yes",
        "Yes.",
        "y",
        "OK",
        "okay",
        "sure",
        "yep",
        "是",
        "是的",
        "对",
        "好",
        "好的！",
        "可以",
        "行",
        "没问题",
        "ｙｅｓ",
    ],
)
def test_yes(text: str) -> None:
    assert read_yes_no(text) is True


@pytest.mark.parametrize("text", ["no", "No!", "n", "nope", "不", "不是", "不对", "不用", "不要", "否"])
def test_no(text: str) -> None:
    assert read_yes_no(text) is False


@pytest.mark.parametrize("text", ["", "maybe", "也许", "yes and no", "好不好", "keep"])
def test_neither(text: str) -> None:
    assert read_yes_no(text) is None


def test_no_word_is_both() -> None:
    assert not YES_WORDS & NO_WORDS


def test_choices_map_every_word_and_let_the_question_add_its_own() -> None:
    words = yes_no_choices(yes="keep", no="change") | {"change": "change"}
    assert words["好的"] == "keep" and words["ok"] == "keep"
    assert words["不用"] == "change" and words["no"] == "change" and words["change"] == "change"
    assert "no" not in yes_no_choices(yes="save")
