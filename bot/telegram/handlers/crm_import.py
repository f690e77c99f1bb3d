"""File import (importflow14): /import and a document sent in the private chat."""

from __future__ import annotations

from telegram import Update

from bot.services.flows.crm_import import ReceivedDocument, receive_document, start_import
from bot.telegram.context import BotContext
from bot.telegram.turns import user_turn


async def import_command(update: Update, context: BotContext) -> None:
    async with user_turn(update, context) as turn:
        turn.reply(await start_import(turn))


async def document(update: Update, context: BotContext) -> None:
    """A CSV or XLSX sent to the bot: its size is checked before anything is downloaded."""
    sent = update.effective_message.document if update.effective_message else None
    if sent is None:
        return
    received = ReceivedDocument(sent.file_id, sent.file_name or "", sent.file_size)
    async with user_turn(update, context) as turn:
        turn.reply(await receive_document(turn, received))
