"""When Telegram or a handler fails: blocks are recorded, the user hears a kind word, logs stay clean."""

from __future__ import annotations

import logging
from collections.abc import Callable

import pytest
from sqlalchemy.ext.asyncio import AsyncEngine
from telegram import Update
from telegram.ext import CommandHandler

from bot.devtools.fake_bot_api import FakeBotApi
from bot.logs import RedactSecrets
from bot.storage.models import User
from bot.telegram.context import BotApplication, BotContext
from tests.auxil.chat import Chat, texts
from tests.auxil.database import fetch


async def test_a_403_marks_the_user_blocked_and_writing_again_reactivates(
    make_chat: Callable[..., Chat], bot_api: FakeBotApi, engine: AsyncEngine
) -> None:
    chat = make_chat()
    await chat.send("/start")
    bot_api.fail(403, "Forbidden: bot was blocked by the user", method="sendMessage", chat_id=chat.id)

    assert await chat.send("/help") == []

    user = await fetch(engine, User, chat.id)
    assert isinstance(user, User)
    assert (user.is_active, user.blocked_at is not None) == (False, True)

    other = make_chat()
    assert "Hello" in texts(await other.send("/start")), "the bot keeps serving everyone else"

    sent = await chat.send("/help")
    assert "/settings" in texts(sent)
    user = await fetch(engine, User, chat.id)
    assert isinstance(user, User)
    assert (user.is_active, user.blocked_at) == (True, None)


@pytest.mark.parametrize(
    ("language_code", "apology"),
    [("zh-hans", "抱歉，我这边出了点问题"), ("en", "Sorry, something went wrong")],
)
async def test_a_failure_is_reported_in_the_users_language_without_internals(
    app: BotApplication,
    make_chat: Callable[..., Chat],
    caplog: pytest.LogCaptureFixture,
    language_code: str,
    apology: str,
) -> None:
    # A handler that breaks (a Telegram 500 on a reply no longer does: the outbox retries it).
    async def broken(update: Update, context: BotContext) -> None:
        raise RuntimeError("boom")

    app.handlers[0].insert(0, CommandHandler("help", broken))
    chat = make_chat(language_code=language_code)

    with caplog.at_level(logging.ERROR):
        sent = await chat.send("/help")

    assert len(sent) == 1
    assert apology in sent[0].text
    assert "Traceback" not in sent[0].text and "boom" not in sent[0].text
    failure = next(r for r in caplog.records if r.levelno == logging.ERROR)
    assert f"from user {chat.id} failed" in failure.getMessage()
    assert failure.exc_info is not None, "the log keeps the stack trace the user never sees"


def test_the_token_is_redacted_from_messages_arguments_and_tracebacks() -> None:
    token = "123456789:AAE-secret-token"
    handler = logging.Handler()
    seen: list[str] = []
    handler.emit = lambda record: seen.append(logging.Formatter().format(record))  # type: ignore[method-assign]
    handler.addFilter(RedactSecrets([token]))
    logger = logging.getLogger("test.redaction")
    logger.addHandler(handler)
    try:
        logger.warning("POST https://api.telegram.org/bot%s/getMe", token)
        try:
            raise RuntimeError(f"failed at /bot{token}/sendMessage")
        except RuntimeError:
            logger.exception("call failed")
    finally:
        logger.removeHandler(handler)
    assert seen and all(token not in line for line in seen)
    assert "bot<redacted>/getMe" in seen[0]
    assert "<redacted>/sendMessage" in seen[1]
