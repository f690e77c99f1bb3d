"""What happens when a handler fails: log with context, tell the user kindly, notice blocks."""

from __future__ import annotations

import logging

from telegram import Update
from telegram.error import Forbidden

from bot.i18n import resolve_language, translator
from bot.scheduler.delivery import DeliveryError
from bot.services.scheduling import stop_prompts
from bot.storage.repositories.users import UserRepository
from bot.telegram.context import BotContext

log = logging.getLogger(__name__)


async def on_error(update: object, context: BotContext) -> None:
    error = context.error
    deps = context.services
    user = update.effective_user if isinstance(update, Update) else None
    if isinstance(error, Forbidden) and user is not None:
        now = deps.now()
        async with deps.sessionmaker.begin() as session:
            await UserRepository(session).mark_blocked(user.id, now)
            await stop_prompts(session, user.id, now)
        log.info("user %s blocked the bot (%s); marked inactive", user.id, error.message)
        return
    update_id = update.update_id if isinstance(update, Update) else None
    log.error(
        "update %s from user %s failed: %r", update_id, user.id if user else None, error, exc_info=error
    )
    chat = update.effective_chat if isinstance(update, Update) else None
    if chat is None:
        return
    sending = context.bot_data.sending
    if isinstance(update, Update) and update.callback_query is not None:
        await sending.answer_query(update.callback_query)  # the pressed button stops spinning
    language = await _language_of(context, user.id if user else None, user.language_code if user else None)
    _ = translator(language)
    try:
        # Straight out, not through the outbox: the turn's transaction (and its outbox rows) rolled back.
        await sending.text(
            chat.id,
            _("Sorry, something went wrong on my side. What you saved before is safe; please try again."),
        )
    except DeliveryError as failure:
        log.warning("could not tell chat %s about the failure (%s)", chat.id, failure)


async def _language_of(context: BotContext, user_id: int | None, telegram_code: str | None) -> str:
    deps = context.services
    saved = None
    if user_id is not None:
        try:
            async with deps.sessionmaker() as session:
                user = await UserRepository(session).get(user_id)
                saved = user.language if user else None
        except Exception:  # The database may be what failed; the message must still go out.
            log.warning("could not read the language of user %s", user_id)
    return resolve_language(saved, telegram_code, deps.settings.default_language)
