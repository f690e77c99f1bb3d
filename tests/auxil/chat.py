"""Driving the bot as a Telegram user would, through real Update JSON and the in-process Bot API."""

from __future__ import annotations

from typing import Any

from telegram import Update

from bot.devtools.fake_bot_api import FakeBotApi, SentCall
from bot.telegram.context import BotApplication


class Chat:
    """One user's private chat with the bot. Each action returns what the bot sent in answer."""

    def __init__(self, app: BotApplication, api: FakeBotApi, user: dict[str, Any]) -> None:
        self.app, self.api, self.user = app, api, user
        self.messages: list[dict[str, Any]] = []  # what this user sent, oldest first, as Telegram has it

    @property
    def id(self) -> int:
        return int(self.user["id"])

    async def feed(self, update: dict[str, Any]) -> list[SentCall]:
        if "message" in update:
            self.messages.append(update["message"])
        before = len(self.api.sent_to(self.id))
        await self.app.process_update(Update.de_json(update, self.app.bot))
        return self.api.sent_to(self.id)[before:]

    async def send(self, text: str | None = None, **content: Any) -> list[SentCall]:
        return await self.feed(self.api.message_update(self.user, text, **content))

    def edited_update(self, text: str, message: dict[str, Any] | None = None) -> dict[str, Any]:
        """The update Telegram sends when the user edits `message` (default: their newest) to read `text`:
        an edited_message with the original id and date, the edit's time, a new update id."""
        original = message if message is not None else self.messages[-1]
        fresh = self.api.message_update(self.user, text)  # its update id, and a command's entity if any
        edited = {key: value for key, value in original.items() if key not in ("text", "entities", "caption")}
        edited.update({key: fresh["message"][key] for key in ("text", "entities") if key in fresh["message"]})
        edited["edit_date"] = fresh["message"]["date"]
        return {"update_id": fresh["update_id"], "edited_message": edited}

    async def edit(self, text: str, message: dict[str, Any] | None = None) -> list[SentCall]:
        """Edit `message` (default: the newest this user sent) to read `text`; what the bot said to it."""
        update = self.edited_update(text, message)
        return await self.feed(update)

    async def sticker(self) -> list[SentCall]:
        return await self.feed(self.api.sticker_update(self.user))

    async def photo(self) -> list[SentCall]:
        return await self.feed(self.api.photo_update(self.user))

    async def press(self, label: str, on: SentCall | None = None) -> list[SentCall]:
        """Press the button labelled `label` on `on` (default: the newest message that has buttons)."""
        message = on or self.last_with_buttons()
        return await self.feed(self.api.press(self.user, message, label))

    async def press_data(self, data: str, on: SentCall | None = None) -> list[SentCall]:
        """Press a button with arbitrary callback data, as a tampering client could."""
        message = on or self.last_with_buttons()
        return await self.feed(self.api.callback_update(self.user, message.result, data))

    def last_with_buttons(self) -> SentCall:
        for call in reversed(self.api.sent_to(self.id)):
            if call.buttons:
                return call
        raise LookupError("the bot has sent no buttons to this chat")

    def last_text(self) -> str:
        return self.api.last_sent_to(self.id).text


def texts(calls: list[SentCall]) -> str:
    """Everything the bot said in these calls, joined for `in` assertions."""
    return "\n".join(call.text for call in calls)


def labels(call: SentCall) -> list[str]:
    return [button["text"] for row in call.buttons for button in row]
