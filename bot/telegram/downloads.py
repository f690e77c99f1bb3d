"""Files users sent, downloaded through the Bot API (getFile, then the file URL): up to 20 MB."""

from __future__ import annotations

import logging

from telegram import Bot
from telegram.error import TelegramError

from bot.telegram.limits import MAX_DOWNLOAD_BYTES

log = logging.getLogger(__name__)


class TelegramFiles:
    """bot.services.flows.crm_import_answers.FileSource over the bot's Bot API."""

    def __init__(self, bot: Bot) -> None:
        self.bot = bot

    async def download(self, file_id: str) -> bytes | None:
        try:
            file = await self.bot.get_file(file_id)
            if file.file_size is not None and file.file_size > MAX_DOWNLOAD_BYTES:
                return None
            return bytes(await file.download_as_bytearray())
        except TelegramError as error:  # too big, an unknown or expired file_id, the network
            log.info("could not download a user's file: %s", error)
            return None
