"""What the bot process writes to its terminal: a useful log, never the bot token."""

from __future__ import annotations

import pytest

from tests.e2e.harness import TOKEN, Harness

pytestmark = pytest.mark.e2e


async def test_the_token_never_reaches_the_output_even_at_debug(harness: Harness) -> None:
    chat = harness.chat(424_242_401, language_code="zh-hans")
    # One failed call too: its error is logged, another place a token could slip into.
    harness.api.fail(500, "Internal Server Error", method="sendMessage", chat_id=chat.id)
    bot = await harness.start()  # LOG_LEVEL=DEBUG, set by the fixture.
    await chat.send("/start", expect="你希望我用哪种语言？")  # the greeting is sent again after the 500
    await chat.press("English", expect="Which time zone are you in?")
    exit_code = await bot.terminate()  # A clean stop flushes everything the bot had to say.

    output = bot.output
    secret = TOKEN.partition(":")[2]
    assert secret not in output, "the bot token (or its secret half) appears in the bot's output"
    assert TOKEN.replace(":", "%3A") not in output
    # The log is not simply empty: it shows the start, the Bot API calls and the failed send.
    assert "starting on http://127.0.0.1:" in output
    assert "Calling Bot API endpoint `sendMessage`" in output
    assert f"to chat {chat.id} not sent (retry: Internal Server Error); again in 1 s" in output
    assert "<redacted>" in output, "the Bot API URL should be logged, with the token hidden"
    assert exit_code == 0, bot.tail()
