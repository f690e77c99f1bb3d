"""A Bot API server model in memory: it answers Bot API methods, keeps what the bot sent, queues updates.

One model serves three front ends: the in-process transport (handler tests, the local shell) and the
HTTP emulator in tests/ (end-to-end tests). It is as strict as Telegram (bot/devtools/telegram_rules.py):
offsets confirm updates when getUpdates arrives, a second getUpdates ends the open one with 409
(bot/devtools/long_polls.py), callback queries expire, over-long texts and captions,
callback data over 64 bytes, ids outside 64 bits and oversized files are refused with the Bot API's texts.
Its clock (`clock`) runs with real time and tests move it. Faults can be injected per method and chat;
flood control (`flood`) is off until a test switches it on.
"""

from __future__ import annotations

import asyncio
import itertools
import json
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from bot.devtools import telegram_rules as rules
from bot.devtools.api_clock import ApiClock
from bot.devtools.bot_files import BotFiles
from bot.devtools.callback_queries import CallbackQueries
from bot.devtools.fake_groups import FakeGroups
from bot.devtools.fake_webhook import GET_UPDATES_CONFLICT, WebhookMethods, WebhookState
from bot.devtools.faults import Fault
from bot.devtools.flood_control import FloodControl
from bot.devtools.long_polls import LongPolls
from bot.devtools.update_queue import UpdateQueue

__all__ = ["JSON", "FakeBotApi", "Fault", "SentCall"]
JSON = dict[str, Any]
BOT_ID = 7_000_000_001
# A refused token never reaches the bot's update queue, so such a getUpdates confirms nothing.
TOKEN_REFUSED = (401, 404)


@dataclass
class SentCall:
    """One Bot API call the bot made, with its decoded parameters and uploaded files."""

    method: str
    params: JSON
    files: dict[str, bytes] = field(default_factory=dict)
    result: Any = None  # the result, or for a refused call the error body
    file_names: dict[str, str] = field(default_factory=dict)  # the uploads' names, as multipart gave them

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


SEND_METHODS = {"sendMessage", "sendPhoto", "sendDocument"}


class FakeBotApi(WebhookMethods):
    """The Bot API as the bot sees it, kept in memory (the webhook's methods: bot/devtools/fake_webhook.py)."""

    def __init__(
        self,
        bot_username: str = "QuotaCoachBot",
        clock: ApiClock | None = None,
        callback_query_life: float = rules.CALLBACK_QUERY_LIFE_SECONDS,
    ) -> None:
        self.bot_user: JSON = {
            "id": BOT_ID,
            "is_bot": True,
            "first_name": "Quota Coach",
            "username": bot_username,
            "can_join_groups": False,
            "can_read_all_group_messages": False,
            "supports_inline_queries": False,
        }
        self.clock = clock or ApiClock()
        self.calls: list[SentCall] = []
        self.refused: list[SentCall] = []  # calls Telegram's rules refused, with the error body as result
        self.messages: dict[tuple[int, int], JSON] = {}
        # The users' own messages (chat id, message id): a bot may delete them in a private chat.
        self.user_messages: set[tuple[int, int]] = set()
        self.commands: dict[str, list[JSON]] = {}
        self.faults: list[Fault] = []
        self.listeners: list[Callable[[SentCall], None]] = []
        self.updates = UpdateQueue()
        self.polls = LongPolls()  # one open getUpdates: a second one ends it with 409, as Telegram does
        self.callback_queries = CallbackQueries(self.clock, callback_query_life)
        self.files = BotFiles()
        self.flood = FloodControl(self.clock)
        self._update_ids = itertools.count(1)
        self._message_ids = itertools.count(1)
        self._callback_ids = itertools.count(1)
        self._changed = asyncio.Condition()
        self.groups = FakeGroups(self)  # the groups the bot is in, and group privacy mode
        self.webhook = WebhookState()  # set: updates go by POST (tests/emulator/webhook.py), not getUpdates

    @property
    def callback_query_life(self) -> float:
        return self.callback_queries.life

    @callback_query_life.setter
    def callback_query_life(self, seconds: float) -> None:
        self.callback_queries.life = seconds

    def continue_update_ids(self, after: int) -> None:
        """Number the next updates from `after` + 1 (a restarted shell goes on where the database is)."""
        self._update_ids = itertools.count(after + 1)

    def continue_message_ids(self, after: int) -> None:
        """Number the next messages from `after` + 1 (e.g. near the top of the 32-bit range)."""
        self._message_ids = itertools.count(after + 1)

    # What users do -----------------------------------------------------------------------------

    def user(
        self, user_id: int, first_name: str = "Li", language_code: str | None = "en", **extra: Any
    ) -> JSON:
        return {
            "id": rules.check_id(user_id, "user id"),
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
            "date": int(self.clock()),
            "chat": self._chat(user),
            "from": user,
        }

    def message_update(self, user: JSON, text: str | None = None, **content: Any) -> JSON:
        """An update with a message from `user`: text (commands get their entity) or other content."""
        message = self._message_base(user)
        self.user_messages.add((message["chat"]["id"], message["message_id"]))
        if text is not None:
            message["text"] = text
            if text.startswith("/"):
                command = text.split()[0]
                message["entities"] = [{"type": "bot_command", "offset": 0, "length": len(command)}]
        message.update(content)
        return {"update_id": next(self._update_ids), "message": message}

    def sticker_update(self, user: JSON) -> JSON:
        sticker = {
            **self.files.add("stickers", b"RIFF-webp-sticker").described(),
            "type": "regular",
            "width": 512,
            "height": 512,
            "is_animated": False,
            "is_video": False,
            "emoji": "👍",
        }
        return self.message_update(user, sticker=sticker)

    def photo_update(
        self, user: JSON, content: bytes = b"\xff\xd8\xff photo", size: int | None = None
    ) -> JSON:
        """A photo from `user`; `size` alone makes one of that many bytes (e.g. over the 20 MB download limit)."""
        stored = self.files.add("photos", None if size is not None else content, size)
        return self.message_update(user, photo=[{**stored.described(), "width": 90, "height": 90}])

    def document_update(
        self, user: JSON, content: bytes = b"%PDF-1.4", size: int | None = None, file_name: str = "file.pdf"
    ) -> JSON:
        stored = self.files.add("documents", None if size is not None else content, size)
        return self.message_update(user, document={**stored.described(), "file_name": file_name})

    def callback_update(self, user: JSON, message: JSON, data: str) -> JSON:
        """An update for `user` pressing a button whose callback data is `data` on `message`.

        The query's life starts now, at the press (see `callback_query_life`).
        """
        query_id = str(next(self._callback_ids))
        self.callback_queries.press(query_id)
        return {
            "update_id": next(self._update_ids),
            "callback_query": {
                "id": query_id,
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
        """Queue an update for getUpdates (polling front ends), if group privacy mode lets it through."""
        if not self.groups.delivers(update):
            return
        query = update.get("callback_query")
        if query is not None:  # one built elsewhere (the control route) is pressed when it is queued
            self.callback_queries.press(str(query["id"]))
        await self.updates.push(update)

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
        self,
        method: str,
        params: JSON,
        files: dict[str, bytes] | None = None,
        file_names: dict[str, str] | None = None,
    ) -> tuple[int, JSON]:
        """Answer one Bot API request: (HTTP status, response body)."""
        files, file_names = files or {}, file_names or {}
        if method == "getUpdates" and self.webhook.active:  # refused before it confirms anything
            return 409, rules.error_body(409, GET_UPDATES_CONFLICT)
        fault = next((f for f in self.faults if f.count > 0 and f.matches(method, params)), None)
        if method == "getUpdates" and (fault is None or fault.status not in TOKEN_REFUSED):
            self.updates.confirm(params)  # at arrival, whatever the answer, as Telegram does
        if fault is not None and (answer := await self._fault_answer(fault)) is not None:
            return answer
        if method == "getUpdates":
            return await self.polls.answer(self.updates.fetch(params))
        handler = getattr(self, f"_api_{method}", None)
        if handler is None:
            return 404, {"ok": False, "error_code": 404, "description": "Not Found: method not found"}
        try:
            result = handler(params, files)
        except rules.Refusal as refusal:
            await self._record(self.refused, SentCall(method, params, files, refusal.body(), file_names))
            return refusal.http_status, refusal.body()
        if isinstance(result, dict) and isinstance(result.get("document"), dict) and "document" in file_names:
            result["document"]["file_name"] = file_names["document"]  # as Telegram's Document tells it
        call = SentCall(method, params, files, result, file_names)
        await self._record(self.calls, call)
        for listener in self.listeners:
            listener(call)
        return 200, {"ok": True, "result": result}

    async def _fault_answer(self, fault: Fault) -> tuple[int, JSON] | None:
        """Play an injected fault: its delay or hold, then its error (None for a status 200 fault)."""
        fault.count -= 1
        if fault.delay:
            await asyncio.sleep(fault.delay)
        if fault.release is not None:
            async with self._changed:
                fault.held += 1
                self._changed.notify_all()
            await fault.release.wait()
        if fault.status == 200:
            return None
        return fault.status, rules.error_body(fault.status, fault.description, fault.retry_after)

    async def _record(self, into: list[SentCall], call: SentCall) -> None:
        async with self._changed:
            into.append(call)
            self._changed.notify_all()

    def _bot_message(self, params: JSON, **content: Any) -> JSON:
        """A message the bot sends, once Telegram's rules and flood control let it through."""
        chat_id = rules.chat_id(params)
        markup = rules.reply_markup(params)
        self.groups.check_send(chat_id)
        self.flood.admit(chat_id)
        message: JSON = {
            "message_id": next(self._message_ids),
            "date": int(self.clock()),
            "from": self.bot_user,
            "chat": {"id": chat_id, "type": "private" if chat_id > 0 else "group", "first_name": "User"},
            **content,
        }
        if markup:
            message["reply_markup"] = markup
        self.messages[(chat_id, message["message_id"])] = message
        return message

    def _api_getMe(self, params: JSON, files: dict[str, bytes]) -> JSON:
        return self.bot_user

    def _api_sendMessage(self, params: JSON, files: dict[str, bytes]) -> JSON:
        return self._bot_message(params, text=rules.check_text(params))

    def _api_sendPhoto(self, params: JSON, files: dict[str, bytes]) -> JSON:
        return self._send_file("sendPhoto", "photo", "photos", params, files)

    def _api_sendDocument(self, params: JSON, files: dict[str, bytes]) -> JSON:
        return self._send_file("sendDocument", "document", "documents", params, files)

    def _send_file(self, method: str, field: str, kind: str, params: JSON, files: dict[str, bytes]) -> JSON:
        rules.check_upload(method, files)
        caption = rules.check_caption(params)
        known = self.files.by_id.get(str(params.get(field)))  # a file_id sent again
        stored = known if field not in files and known else self.files.add(kind, files.get(field, b""))
        described = stored.described()
        content = [{**described, "width": 800, "height": 600}] if field == "photo" else described
        return self._bot_message(params, **{field: content}, caption=caption)

    def _edited(self, params: JSON, changes: JSON) -> JSON:
        chat_id = rules.chat_id(params)
        self.groups.check_send(chat_id)
        message = self.messages.get((chat_id, rules.message_id(params, rules.MESSAGE_TO_EDIT_NOT_FOUND)))
        if message is None:
            raise rules.bad_request(rules.MESSAGE_TO_EDIT_NOT_FOUND)
        if all(message.get(key) == value for key, value in changes.items()):
            raise rules.bad_request(rules.MESSAGE_NOT_MODIFIED)
        for key, value in changes.items():  # an edit without reply_markup removes the keyboard
            if value is None:
                message.pop(key, None)
            else:
                message[key] = value
        return dict(message)

    def _api_editMessageText(self, params: JSON, files: dict[str, bytes]) -> JSON:
        text = rules.check_text(params, edit=True)
        return self._edited(params, {"text": text, "reply_markup": rules.reply_markup(params)})

    def _api_editMessageReplyMarkup(self, params: JSON, files: dict[str, bytes]) -> JSON:
        return self._edited(params, {"reply_markup": rules.reply_markup(params)})

    def _api_deleteMessage(self, params: JSON, files: dict[str, bytes]) -> bool:
        chat_id = rules.chat_id(params)
        key = (chat_id, rules.message_id(params, rules.MESSAGE_TO_DELETE_NOT_FOUND))
        if key in self.user_messages:
            self.user_messages.discard(key)
            return True
        if self.messages.pop(key, None) is None:
            raise rules.bad_request(rules.MESSAGE_TO_DELETE_NOT_FOUND)
        return True

    def _api_answerCallbackQuery(self, params: JSON, files: dict[str, bytes]) -> bool:
        rules.check_callback_answer(params)
        self.callback_queries.answer(str(params.get("callback_query_id") or ""))
        return True

    def _api_getFile(self, params: JSON, files: dict[str, bytes]) -> JSON:
        return self.files.get_file(params)

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

    _api_deleteMyCommands = _ok
    _api_sendChatAction = _ok
    _api_setChatMenuButton = _ok
    _api_close = _ok
    _api_logOut = _ok
