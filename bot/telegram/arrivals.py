"""What the inbox keeps of a Telegram update: its id, its sender and chat, and its JSON."""

from __future__ import annotations

from telegram import Update

from bot.services.inbox import Arrival


def arrival_of(update: Update) -> Arrival:
    user, chat = update.effective_user, update.effective_chat
    return Arrival(
        update.update_id,
        user.id if user is not None else None,
        chat.id if chat is not None else None,
        update.to_dict,
    )
