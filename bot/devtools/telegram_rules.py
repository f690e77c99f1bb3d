"""Telegram's limits and the Bot API's refusals: the one set of rules every emulator of ours enforces.

Both front ends (the in-process transport and the HTTP emulator in tests/emulator) hand every request to
the same FakeBotApi, and the model checks it here, so a rule and its wording exist once. The numbers are
python-telegram-bot's `telegram.constants`, which mirror https://core.telegram.org/bots/api; where the Bot
API server and PTB differ, the smaller number is used, so that the emulator is never laxer than Telegram.
The texts are the descriptions the real Bot API answers (PTB strips "Bad Request: " and capitalises the rest
when it raises `BadRequest`), each with where it was seen.
"""

from __future__ import annotations

import json
import math
from html.parser import HTMLParser
from typing import Any

from telegram.constants import (
    CallbackQueryLimit,
    FileSizeLimit,
    FloodLimit,
    InlineKeyboardButtonLimit,
    MessageLimit,
    PollingLimit,
)

from bot.core.utf16 import utf16_length

JSON = dict[str, Any]

# sendMessage/editMessageText: "Text of the message to be sent, 1-4096 characters after entities parsing".
MAX_TEXT_LENGTH = int(MessageLimit.MAX_TEXT_LENGTH)
# sendPhoto/sendDocument: "Photo caption ..., 0-1024 characters after entities parsing".
MAX_CAPTION_LENGTH = int(MessageLimit.CAPTION_LENGTH)
# InlineKeyboardButton.callback_data: "Data to be sent in a callback query to the bot ..., 1-64 bytes".
MAX_CALLBACK_DATA_BYTES = int(InlineKeyboardButtonLimit.MAX_CALLBACK_DATA)
# answerCallbackQuery.text: "0-200 characters".
MAX_CALLBACK_ANSWER_LENGTH = int(CallbackQueryLimit.ANSWER_CALLBACK_QUERY_TEXT_LENGTH)
# "Sending files": "10 MB max size for photos, 50 MB for other files" (multipart uploads).
MAX_PHOTO_UPLOAD_BYTES = int(FileSizeLimit.PHOTOSIZE_UPLOAD)
MAX_UPLOAD_BYTES = int(FileSizeLimit.FILESIZE_UPLOAD)
# getFile: "For the moment, bots can download files of up to 20MB in size." The Bot API server checks
# 20 << 20 (MAX_DOWNLOAD_FILE_SIZE in telegram-bot-api/Client.h); PTB's 20,000,000 is the stricter of the two.
MAX_DOWNLOAD_BYTES = int(FileSizeLimit.FILESIZE_DOWNLOAD)
# Bot FAQ, "My bot is hitting limits": about 1 message per second in one chat, 30 per second in total,
# 20 per minute in one group.
MESSAGES_PER_SECOND_PER_CHAT = int(FloodLimit.MESSAGES_PER_SECOND_PER_CHAT)
MESSAGES_PER_SECOND = int(FloodLimit.MESSAGES_PER_SECOND)
MESSAGES_PER_MINUTE_PER_GROUP = int(FloodLimit.MESSAGES_PER_MINUTE_PER_GROUP)
# getUpdates: limit "Values between 1-100 are accepted"; the server caps timeout at LONG_POLL_MAX_TIMEOUT = 50.
MAX_UPDATES_LIMIT = int(PollingLimit.MAX_LIMIT)
MAX_LONG_POLL_SECONDS = 50.0
# A callback query must be answered soon after the press; the Bot API does not publish the life, and bots
# report "query is too old" after about 15 s (e.g. the comment in teloxide bots: "we took longer than 15
# seconds to answer the callback query"). Tests set a FakeBotApi's own `callback_query_life`.
CALLBACK_QUERY_LIFE_SECONDS = 15.0
# Chat and user ids: "may have more than 32 significant bits ... a signed 64-bit integer ... is safe".
INT64_MIN, INT64_MAX = -(2**63), 2**63 - 1
# message_id is read as a 32-bit integer by the Bot API server (Client::get_message_id: to_integer<int32>).
MESSAGE_ID_MAX = 2**31 - 1

# The Bot API's own texts (tdlib/telegram-bot-api Client.cpp unless said otherwise).
MESSAGE_TOO_LONG = "Bad Request: message is too long"  # sendMessage; tdlib/telegram-bot-api#353
EDITED_MESSAGE_TOO_LONG = "Bad Request: MESSAGE_TOO_LONG"  # editMessageText; teloxide/teloxide#430
ANSWER_TOO_LONG = "Bad Request: MESSAGE_TOO_LONG"  # answerCallbackQuery text; pyTelegramBotAPI#500
MESSAGE_TEXT_EMPTY = "Bad Request: message text is empty"  # Client::get_input_message_text
CAPTION_TOO_LONG = "Bad Request: message caption is too long"
# Telegram's own error passed through; callback data over 64 bytes (e.g. node-telegram-bot-api reports).
BUTTON_DATA_INVALID = "Bad Request: BUTTON_DATA_INVALID"
TEXT_BUTTON_IN_INLINE_KEYBOARD = (  # Client::get_inline_keyboard_button, a button of no known kind
    "Bad Request: can't parse inline keyboard button: Text buttons are unallowed in the inline keyboard"
)
QUERY_TOO_OLD = "Bad Request: query is too old and response timeout expired or query ID is invalid"
FILE_TOO_BIG = "Bad Request: file is too big"  # Client::do_get_file, over MAX_DOWNLOAD_FILE_SIZE
INVALID_FILE_ID = "Bad Request: invalid file_id"
FILE_ID_EMPTY = "Bad Request: file_id not specified"
# A photo over 10 MB is refused by Telegram's servers with PHOTO_SAVE_FILE_INVALID (zhukov/webogram#1011),
# which the Bot API passes on; an upload over 50 MB never gets past its HTTP front: 413.
PHOTO_TOO_BIG = "Bad Request: PHOTO_SAVE_FILE_INVALID"
REQUEST_TOO_LARGE = "Request Entity Too Large"
CHAT_ID_EMPTY = "Bad Request: chat_id is empty"
CHAT_NOT_FOUND = "Bad Request: chat not found"
MESSAGE_TO_EDIT_NOT_FOUND = "Bad Request: message to edit not found"
MESSAGE_TO_DELETE_NOT_FOUND = "Bad Request: message to delete not found"
MESSAGE_NOT_MODIFIED = (
    "Bad Request: message is not modified: specified new message content and reply markup are exactly "
    "the same as a current content and reply markup of the message"
)
# A group the bot is not in (403), and a group that became a supergroup (400, with
# parameters.migrate_to_chat_id; PTB raises ChatMigrated), as the Bot API answers a send to them.
BOT_KICKED = "Forbidden: bot was kicked from the group chat"
BOT_NOT_MEMBER = "Forbidden: bot is not a member of the group chat"
GROUP_UPGRADED = "Bad Request: group chat was upgraded to a supergroup chat"
# Answered with parameters.retry_after (https://core.telegram.org/bots/api#responseparameters).
TOO_MANY_REQUESTS = "Too Many Requests: retry after {seconds}"

# Inline button kinds other than callback_data (https://core.telegram.org/bots/api#inlinekeyboardbutton).
OTHER_BUTTON_KINDS = (
    "url",
    "web_app",
    "login_url",
    "switch_inline_query",
    "switch_inline_query_current_chat",
    "switch_inline_query_chosen_chat",
    "copy_text",
    "callback_game",
    "pay",
)


def error_body(
    status: int, description: str, retry_after: int | None = None, migrate_to_chat_id: int | None = None
) -> JSON:
    """The body of a Bot API error answer."""
    body: JSON = {"ok": False, "error_code": status, "description": description}
    parameters = {"retry_after": retry_after, "migrate_to_chat_id": migrate_to_chat_id}
    if any(value is not None for value in parameters.values()):
        body["parameters"] = {name: value for name, value in parameters.items() if value is not None}
    return body


class Refusal(Exception):
    """A request Telegram would refuse: the HTTP status and the Bot API's description."""

    def __init__(
        self,
        status: int,
        description: str,
        retry_after: int | None = None,
        migrate_to_chat_id: int | None = None,
    ) -> None:
        super().__init__(description)
        self.http_status, self.description, self.retry_after = status, description, retry_after
        self.migrate_to_chat_id = migrate_to_chat_id

    def body(self) -> JSON:
        return error_body(self.http_status, self.description, self.retry_after, self.migrate_to_chat_id)


def bad_request(description: str) -> Refusal:
    return Refusal(400, description)


def too_many_requests(retry_after: float) -> Refusal:
    """A flood-control answer; Telegram gives whole seconds, at least 1."""
    seconds = max(1, math.ceil(retry_after))
    return Refusal(429, TOO_MANY_REQUESTS.format(seconds=seconds), seconds)


class _VisibleText(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []

    def handle_data(self, data: str) -> None:
        self.parts.append(data)


def visible_text(text: str, parse_mode: str | None) -> str:
    """The text after entity parsing, which is what Telegram's limits count.

    HTML tags are dropped and entities unescaped. Markdown is counted as sent: its markers are fewer
    characters than the result drops, so counting them refuses a little more than Telegram, never less.
    """
    if (parse_mode or "").lower() != "html":
        return text
    parser = _VisibleText()
    parser.feed(text)
    parser.close()
    return "".join(parser.parts)


def check_text(params: JSON, *, edit: bool = False) -> str:
    """The text of sendMessage or editMessageText, refused as Telegram refuses it."""
    text = visible_text(str(params.get("text") or ""), params.get("parse_mode"))
    if not text.strip():
        raise bad_request(MESSAGE_TEXT_EMPTY)
    if utf16_length(text) > MAX_TEXT_LENGTH:
        raise bad_request(EDITED_MESSAGE_TOO_LONG if edit else MESSAGE_TOO_LONG)
    return str(params["text"])


def check_caption(params: JSON) -> str | None:
    caption = params.get("caption")
    if caption is None:
        return None
    if utf16_length(visible_text(str(caption), params.get("parse_mode"))) > MAX_CAPTION_LENGTH:
        raise bad_request(CAPTION_TOO_LONG)
    return str(caption)


def reply_markup(params: JSON) -> JSON | None:
    """The decoded reply_markup, with every inline button checked; None when there is none."""
    markup = params.get("reply_markup")
    if not markup:
        return None
    try:
        decoded = json.loads(markup) if isinstance(markup, str) else markup
    except ValueError:
        raise bad_request("Bad Request: can't parse reply keyboard markup JSON object") from None
    if not isinstance(decoded, dict):
        raise bad_request("Bad Request: object expected as reply markup")
    for row in decoded.get("inline_keyboard") or []:
        for button in row:
            check_inline_button(button)
    return decoded


def check_inline_button(button: JSON) -> None:
    data = button.get("callback_data")
    if data:
        if len(str(data).encode("utf-8")) > MAX_CALLBACK_DATA_BYTES:
            raise bad_request(BUTTON_DATA_INVALID)
    elif not any(button.get(kind) is not None for kind in OTHER_BUTTON_KINDS):
        raise bad_request(TEXT_BUTTON_IN_INLINE_KEYBOARD)


def chat_id(params: JSON) -> int:
    """The target chat as a 64-bit id; a chat Telegram could not know is "chat not found"."""
    raw = params.get("chat_id")
    if raw is None or raw == "":
        raise bad_request(CHAT_ID_EMPTY)
    try:
        value = int(raw)
    except (TypeError, ValueError):
        raise bad_request(CHAT_NOT_FOUND) from None
    if not INT64_MIN <= value <= INT64_MAX or value == 0:
        raise bad_request(CHAT_NOT_FOUND)
    return value


def message_id(params: JSON, not_found: str) -> int:
    """The message_id parameter, refused with `not_found` outside the ids Telegram gives (1 ... 2**31 - 1)."""
    try:
        value = int(params.get("message_id") or 0)
    except (TypeError, ValueError):
        raise bad_request(not_found) from None
    if not 0 < value <= MESSAGE_ID_MAX:
        raise bad_request(not_found)
    return value


def check_upload(method: str, files: dict[str, bytes]) -> None:
    """Uploaded files over Telegram's upload limits (photos 10 MB, anything else 50 MB)."""
    if sum(len(content) for content in files.values()) > MAX_UPLOAD_BYTES:
        raise Refusal(413, REQUEST_TOO_LARGE)
    if method == "sendPhoto" and len(files.get("photo", b"")) > MAX_PHOTO_UPLOAD_BYTES:
        raise bad_request(PHOTO_TOO_BIG)


def check_callback_answer(params: JSON) -> None:
    if utf16_length(str(params.get("text") or "")) > MAX_CALLBACK_ANSWER_LENGTH:
        raise bad_request(ANSWER_TOO_LONG)


def check_id(value: int, what: str) -> int:
    """An id for an update the emulator builds: Telegram's ids are signed 64-bit."""
    if not INT64_MIN <= value <= INT64_MAX:
        raise ValueError(f"{what} {value} does not fit in 64 bits; Telegram never sends such an id")
    return value


# Group privacy mode (https://core.telegram.org/bots/features#privacy-mode), on for every bot by default:
# in a group the bot gets commands meant for it, replies to its own messages and service messages, and
# nothing else. Telegram also passes a general "/command" on to the last bot that wrote in the group;
# the emulator never does, so it is stricter than Telegram and the bot cannot come to rely on it.
SERVICE_MESSAGE_FIELDS = frozenset(
    {"new_chat_members", "left_chat_member", "migrate_to_chat_id", "migrate_from_chat_id",
     "group_chat_created", "supergroup_chat_created", "new_chat_title", "pinned_message"}
)  # fmt: skip


def privacy_admits(update: JSON, bot_id: int, bot_username: str) -> bool:
    """Whether Telegram delivers `update` to a bot with group privacy mode on."""
    message = update.get("message") or update.get("edited_message")
    if message is None or message.get("chat", {}).get("type") not in ("group", "supergroup"):
        return True  # private chats, button presses, my_chat_member: always delivered
    if SERVICE_MESSAGE_FIELDS & message.keys():
        return True
    if (message.get("reply_to_message") or {}).get("from", {}).get("id") == bot_id:
        return True
    text = str(message.get("text") or "")
    entities = message.get("entities") or []
    if not any(e.get("type") == "bot_command" and e.get("offset") == 0 for e in entities):
        return False
    command = text.split(maxsplit=1)[0] if text else ""
    return command.lower().endswith("@" + bot_username.lower())
