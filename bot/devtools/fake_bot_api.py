"""A Bot API server model in memory: it answers Bot API methods, keeps what the bot sent, queues updates.

One model serves three front ends: the in-process transport (handler tests, the local shell) and the
HTTP emulator in tests/ (end-to-end tests). Faults can be injected per method and chat.
"""

from __future__ import annotations

import asyncio
import itertools
import json
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

JSON = dict[str, Any]
BOT_ID = 7_000_000_001


@dataclass
class SentCall:
    """One Bot API call the bot made, with its decoded parameters and uploaded files."""

    method: str
    params: JSON
    files: dict[str, bytes] = field(default_factory=dict)
    result: Any = None

    @property
    def chat_id(self) -> int | None:
        chat_id = self.params.get("chat_id")
        return int(chat_id) if chat_id is not None else None

    @property
    def text(self) -> str:
        return str(self.params.get("text") or self.params.get("caption") or "")

    @property
    def buttons(self) -> list[list[JSON]]:
        markup = self.params.get("reply_markup") or {}
        if isinstance(markup, str):
            markup = json.loads(markup)
        return list(markup.get("inline_keyboard") or [])


@dataclass
class Fault:
    """An error to answer instead of the real result, `count` times, for matching calls."""

    status: int
    description: str
    method: str | None = None
    chat_id: int | None = None
    retry_after: int | None = None
    count: int = 1
    delay: float = 0.0
    # Held until this is set (after `delay`): a request that stays under way for as long as a test needs.
    release: asyncio.Event | None = None
    held: int = 0  # requests being held or held so far (wait_for wakes up as it grows)

    def matches(self, method: str, params: JSON) -> bool:
        if self.method is not None and self.method != method:
            return False
        return self.chat_id is None or str(params.get("chat_id")) == str(self.chat_id)


SEND_METHODS = {"sendMessage", "sendPhoto", "sendDocument"}


class FakeBotApi:
    """The Bot API as the bot sees it, kept in memory."""

    def __init__(self, bot_username: str = "QuotaCoachBot") -> None:
        self.bot_user: JSON = {
            "id": BOT_ID,
            "is_bot": True,
            "first_name": "Quota Coach",
            "username": bot_username,
            "can_join_groups": False,
            "can_read_all_group_messages": False,
            "supports_inline_queries": False,
        }
        self.calls: list[SentCall] = []
        self.messages: dict[tuple[int, int], JSON] = {}
        self.commands: dict[str, list[JSON]] = {}
        self.faults: list[Fault] = []
        self.listeners: list[Callable[[SentCall], None]] = []
        self._updates: list[JSON] = []
        self._update_ids = itertools.count(1)
        self._message_ids = itertools.count(1)
        self._callback_ids = itertools.count(1)
        self._changed = asyncio.Condition()

    def continue_update_ids(self, after: int) -> None:
        """Number the next updates from `after` + 1 (a restarted shell goes on where the database is)."""
        self._update_ids = itertools.count(after + 1)

    # What users do -----------------------------------------------------------------------------

    def user(
        self, user_id: int, first_name: str = "Li", language_code: str | None = "en", **extra: Any
    ) -> JSON:
        return {
            "id": user_id,
            "is_bot": False,
            "first_name": first_name,
            "language_code": language_code,
            **extra,
        }

    def _chat(self, user: JSON) -> JSON:
        return {"id": user["id"], "type": "private", "first_name": user["first_name"]}

    def _message_base(self, user: JSON) -> JSON:
        return {
            "message_id": next(self._message_ids),
            "date": int(time.time()),
            "chat": self._chat(user),
            "from": user,
        }

    def message_update(self, user: JSON, text: str | None = None, **content: Any) -> JSON:
        """An update with a message from `user`: text (commands get their entity) or other content."""
        message = self._message_base(user)
        if text is not None:
            message["text"] = text
            if text.startswith("/"):
                command = text.split()[0]
                message["entities"] = [{"type": "bot_command", "offset": 0, "length": len(command)}]
        message.update(content)
        return {"update_id": next(self._update_ids), "message": message}

    def sticker_update(self, user: JSON) -> JSON:
        sticker = {
            "file_id": "CAACAgIAAxkBAAE",
            "file_unique_id": "AgADsticker",
            "type": "regular",
            "width": 512,
            "height": 512,
            "is_animated": False,
            "is_video": False,
            "emoji": "👍",
        }
        return self.message_update(user, sticker=sticker)

    def photo_update(self, user: JSON) -> JSON:
        size = {"file_id": "AgACAgIAAxkBAAphoto", "file_unique_id": "AQADphoto", "width": 90, "height": 90}
        return self.message_update(user, photo=[size])

    def callback_update(self, user: JSON, message: JSON, data: str) -> JSON:
        """An update for `user` pressing a button whose callback data is `data` on `message`."""
        return {
            "update_id": next(self._update_ids),
            "callback_query": {
                "id": str(next(self._callback_ids)),
                "from": user,
                "chat_instance": str(user["id"]),
                "message": message,
                "data": data,
            },
        }

    def press(self, user: JSON, call: SentCall, label: str) -> JSON:
        """An update for `user` pressing the button labelled `label` on a message the bot sent."""
        for row in call.buttons:
            for button in row:
                if button["text"] == label:
                    return self.callback_update(user, call.result, button["callback_data"])
        labels = [button["text"] for row in call.buttons for button in row]
        raise LookupError(f"no button {label!r} on that message; it has {labels}")

    async def push(self, update: JSON) -> None:
        """Queue an update for getUpdates (polling front ends)."""
        async with self._changed:
            self._updates.append(update)
            self._changed.notify_all()

    # What the bot sees -------------------------------------------------------------------------

    def sent_to(self, chat_id: int) -> list[SentCall]:
        return [call for call in self.calls if call.method in SEND_METHODS and call.chat_id == chat_id]

    def last_sent_to(self, chat_id: int) -> SentCall:
        sent = self.sent_to(chat_id)
        if not sent:
            raise LookupError(f"nothing was sent to {chat_id}")
        return sent[-1]

    async def wait_for(self, predicate: Callable[[list[SentCall]], bool], timeout: float = 10.0) -> None:  # noqa: ASYNC109
        """Wait until the calls so far satisfy `predicate` (used by tests of a bot in another process)."""
        async with self._changed:
            await asyncio.wait_for(self._changed.wait_for(lambda: predicate(self.calls)), timeout)

    def fail(self, status: int, description: str, **match: Any) -> Fault:
        fault = Fault(status=status, description=description, **match)
        self.faults.append(fault)
        return fault

    # The Bot API -------------------------------------------------------------------------------

    async def call(
        self, method: str, params: JSON, files: dict[str, bytes] | None = None
    ) -> tuple[int, JSON]:
        """Answer one Bot API request: (HTTP status, response body)."""
        fault = next((f for f in self.faults if f.count > 0 and f.matches(method, params)), None)
        if fault is not None:
            fault.count -= 1
            if fault.delay:
                await asyncio.sleep(fault.delay)
            if fault.release is not None:
                async with self._changed:
                    fault.held += 1
                    self._changed.notify_all()
                await fault.release.wait()
            if fault.status == 200:
                fault = None
        if fault is not None:
            body: JSON = {"ok": False, "error_code": fault.status, "description": fault.description}
            if fault.retry_after is not None:
                body["parameters"] = {"retry_after": fault.retry_after}
            return fault.status, body
        if method == "getUpdates":
            return 200, {"ok": True, "result": await self._get_updates(params)}
        handler = getattr(self, f"_api_{method}", None)
        if handler is None:
            return 404, {"ok": False, "error_code": 404, "description": "Not Found: method not found"}
        result = handler(params, files or {})
        call = SentCall(method, params, files or {}, result)
        async with self._changed:
            self.calls.append(call)
            self._changed.notify_all()
        for listener in self.listeners:
            listener(call)
        return 200, {"ok": True, "result": result}

    async def _get_updates(self, params: JSON) -> list[JSON]:
        offset = int(params.get("offset") or 0)
        timeout = float(params.get("timeout") or 0)
        async with self._changed:
            # Confirming an offset drops everything before it, as Telegram does.
            self._updates = [u for u in self._updates if u["update_id"] >= offset]
            if not self._updates and timeout > 0:
                try:
                    await asyncio.wait_for(self._changed.wait_for(lambda: bool(self._updates)), timeout)
                except TimeoutError:
                    return []
            limit = int(params.get("limit") or 100)
            return list(self._updates[:limit])

    def _bot_message(self, params: JSON, **content: Any) -> JSON:
        chat_id = int(params["chat_id"])
        message: JSON = {
            "message_id": next(self._message_ids),
            "date": int(time.time()),
            "from": self.bot_user,
            "chat": {"id": chat_id, "type": "private", "first_name": "User"},
            **content,
        }
        if params.get("reply_markup"):
            markup = params["reply_markup"]
            message["reply_markup"] = json.loads(markup) if isinstance(markup, str) else markup
        self.messages[(chat_id, message["message_id"])] = message
        return message

    def _api_getMe(self, params: JSON, files: dict[str, bytes]) -> JSON:
        return self.bot_user

    def _api_sendMessage(self, params: JSON, files: dict[str, bytes]) -> JSON:
        return self._bot_message(params, text=str(params["text"]))

    def _api_sendPhoto(self, params: JSON, files: dict[str, bytes]) -> JSON:
        photo = {
            "file_id": f"photo{len(self.calls)}",
            "file_unique_id": f"u{len(self.calls)}",
            "width": 800,
            "height": 600,
        }
        return self._bot_message(params, photo=[photo], caption=params.get("caption"))

    def _api_sendDocument(self, params: JSON, files: dict[str, bytes]) -> JSON:
        document = {"file_id": f"doc{len(self.calls)}", "file_unique_id": f"d{len(self.calls)}"}
        return self._bot_message(params, document=document, caption=params.get("caption"))

    def _edit(self, params: JSON, **changes: Any) -> JSON | bool:
        key = (int(params["chat_id"]), int(params["message_id"]))
        message = self.messages.get(key)
        if message is None:
            return True
        message.update(changes)
        return message

    def _api_editMessageText(self, params: JSON, files: dict[str, bytes]) -> JSON | bool:
        markup = params.get("reply_markup")
        return (
            self._edit(params, text=params["text"], reply_markup=markup)
            if markup
            else self._edit(params, text=params["text"])
        )

    def _api_editMessageReplyMarkup(self, params: JSON, files: dict[str, bytes]) -> JSON | bool:
        return self._edit(params, reply_markup=params.get("reply_markup") or {"inline_keyboard": []})

    def _api_setMyCommands(self, params: JSON, files: dict[str, bytes]) -> bool:
        commands = params["commands"]
        self.commands[str(params.get("language_code") or "")] = (
            json.loads(commands) if isinstance(commands, str) else commands
        )
        return True

    def _api_getMyCommands(self, params: JSON, files: dict[str, bytes]) -> list[JSON]:
        return self.commands.get(str(params.get("language_code") or ""), [])

    def _ok(self, params: JSON, files: dict[str, bytes]) -> bool:
        return True

    _api_answerCallbackQuery = _ok
    _api_deleteWebhook = _ok
    _api_setWebhook = _ok
    _api_deleteMyCommands = _ok
    _api_sendChatAction = _ok
    _api_deleteMessage = _ok
    _api_setChatMenuButton = _ok
    _api_close = _ok
    _api_logOut = _ok

    def _api_getWebhookInfo(self, params: JSON, files: dict[str, bytes]) -> JSON:
        return {"url": "", "has_custom_certificate": False, "pending_update_count": len(self._updates)}
