"""A bare python-telegram-bot echo bot: the baseline that bench_throughput.py compares the real bot with.

Same PTB, same default transport (HTTPXRequest, built by ApplicationBuilder as in bot/app.py), long
polling, no rate limiter, updates handled one at a time (PTB's default), one handler that sends back the
text of every text message (commands included) with send_message, as bot/telegram/render.py does.

    TELEGRAM_BOT_TOKEN=... TELEGRAM_BASE_URL=http://127.0.0.1:8081/bot .venv/bin/python bench/echo_bot.py
"""

from __future__ import annotations

import logging
import os

from telegram import Update
from telegram.ext import Application, ApplicationBuilder, ContextTypes, MessageHandler, filters


async def echo(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    message = update.effective_message
    if message is not None and message.text:
        await context.bot.send_message(message.chat_id, message.text)


def build(token: str, base_url: str) -> Application:  # type: ignore[type-arg]
    application = ApplicationBuilder().token(token).base_url(base_url).build()
    application.add_handler(MessageHandler(filters.TEXT, echo))
    return application


def main() -> None:
    logging.basicConfig(level=logging.WARNING, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    application = build(os.environ["TELEGRAM_BOT_TOKEN"], os.environ["TELEGRAM_BASE_URL"])
    application.run_polling(allowed_updates=Update.ALL_TYPES)


if __name__ == "__main__":
    main()
