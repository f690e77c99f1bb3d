"""Telegram's limits: texts cut to 4,096 UTF-16 units at the best boundary, captions to 1,024, sizes checked."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.core.utf16 import utf16_length
from bot.telegram.limits import (
    MAX_CAPTION_LENGTH,
    MAX_DOWNLOAD_BYTES,
    MAX_PHOTO_BYTES,
    MAX_TEXT_LENGTH,
    LimitExceeded,
    checked_callback_data,
    checked_photo,
    cut,
    downloadable,
    split_caption,
    split_text,
)


def test_a_text_within_the_limit_stays_one_message() -> None:
    text = "x" * MAX_TEXT_LENGTH
    assert split_text(text) == [text]
    assert split_text("") == [""]


def test_length_counts_utf16_units_as_telegram_does() -> None:
    assert utf16_length("签单") == 2
    assert utf16_length("🎯") == 2  # outside the BMP: a surrogate pair
    # 2,048 targets are 4,096 units: one more does not fit, though it is only 2,049 characters.
    assert split_text("🎯" * 2048) == ["🎯" * 2048]
    assert [len(part) for part in split_text("🎯" * 2049)] == [2048, 1]


def test_cut_prefers_paragraphs_then_lines_then_sentences_then_words() -> None:
    assert cut("aaaa bbbb\n\ncccc dddd", 16) == ("aaaa bbbb", "cccc dddd")
    assert cut("aaaa bbbb\ncccc dddd eeee", 16) == ("aaaa bbbb", "cccc dddd eeee")
    assert cut("Aaaa bbb. Cccc dddd eeee", 16) == ("Aaaa bbb.", "Cccc dddd eeee")
    assert cut("拜访三家客户。明天再去两家超市谈", 12) == ("拜访三家客户。", "明天再去两家超市谈")
    assert cut("aaaa bbbb cccc dddd", 16) == ("aaaa bbbb cccc", "dddd")
    assert cut("x" * 20, 16) == ("x" * 16, "xxxx"), "no boundary at all: cut where the limit falls"


def test_a_boundary_in_the_first_half_is_passed_over_for_a_later_one() -> None:
    # The paragraph break would leave a 2-character first message: the last word boundary is used instead.
    assert cut("ab\n\ncccc dddd eeee ffff", 16) == ("ab\n\ncccc dddd", "eeee ffff")


def test_a_decimal_point_is_no_sentence_end() -> None:
    assert cut("amount 3.5 million yuan", 12) == ("amount 3.5", "million yuan")


def test_a_long_report_splits_between_paragraphs_and_keeps_every_word() -> None:
    paragraph = "Visited the Suzhou chain; they want a second demo with their buyers next week.\n" * 4
    text = "\n".join([paragraph] * 30).strip()
    parts = split_text(text)
    assert len(parts) == 3
    assert all(utf16_length(part) <= MAX_TEXT_LENGTH for part in parts)
    assert "\n\n".join(parts) == text


@given(st.text(alphabet=st.sampled_from(["a", "签", "🎯", " ", "\n", ".", "。"]), max_size=600))
def test_parts_fit_are_never_empty_and_keep_every_visible_character(text: str) -> None:
    parts = split_text(text, limit=40)
    assert all(utf16_length(part) <= 40 for part in parts)
    if text.strip():
        assert all(part.strip() for part in parts)
    visible = [char for char in text if not char.isspace()]
    assert [char for part in parts for char in part if not char.isspace()] == visible


def test_a_long_caption_keeps_what_fits_and_the_rest_follows() -> None:
    caption = "Progress this week. " * 80
    head, rest = split_caption(caption)
    assert utf16_length(head) <= MAX_CAPTION_LENGTH and head.endswith(".")
    assert rest and all(utf16_length(part) <= MAX_TEXT_LENGTH for part in rest)
    assert " ".join([head, *rest]).strip() == caption.strip()
    assert split_caption("Chart") == ("Chart", [])
    assert split_caption("") == ("", [])


def test_callback_data_over_64_bytes_is_refused() -> None:
    assert checked_callback_data("d:2147483647:" + "x" * 51) == "d:2147483647:" + "x" * 51
    with pytest.raises(LimitExceeded, match="65 bytes"):
        checked_callback_data("x" * 65)
    with pytest.raises(LimitExceeded):
        checked_callback_data("签" * 22)  # 66 bytes in UTF-8, though 22 characters
    with pytest.raises(LimitExceeded):
        checked_callback_data("")


def test_file_sizes() -> None:
    assert checked_photo(b"x" * MAX_PHOTO_BYTES)
    with pytest.raises(LimitExceeded):
        checked_photo(b"x" * (MAX_PHOTO_BYTES + 1))
    assert downloadable(MAX_DOWNLOAD_BYTES) and downloadable(None)
    assert not downloadable(MAX_DOWNLOAD_BYTES + 1)
