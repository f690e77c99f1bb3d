"""The in-process Bot API model keeps Telegram's rules: each refusal with the Bot API's own text, as PTB sees it."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator

import pytest
from telegram import Bot, InlineKeyboardButton, InlineKeyboardMarkup, InputFile
from telegram.error import BadRequest, NetworkError, RetryAfter

from bot.devtools import telegram_rules as rules
from bot.devtools.fake_bot_api import FakeBotApi
from bot.devtools.inprocess_request import InProcessRequest

TOKEN = "123456789:AAE-devtools-test-token-abcdefghijk"
CHAT = 5


@pytest.fixture
async def bot(bot_api: FakeBotApi) -> AsyncIterator[Bot]:
    """A PTB Bot on the in-process transport: what our bot's own calls go through in handler tests."""
    async with Bot(TOKEN, request=InProcessRequest(bot_api)) as client:
        yield client


def refusal(api: FakeBotApi) -> tuple[str, str]:
    """The method and the Bot API's description of the newest refused call."""
    call = api.refused[-1]
    return call.method, call.result["description"]


def keyboard(data: str) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup([[InlineKeyboardButton("A", callback_data=data)]])


async def ids(api: FakeBotApi, **params: object) -> list[int]:
    status, body = await api.call("getUpdates", dict(params))
    assert status == 200, body
    return [update["update_id"] for update in body["result"]]


async def queue(api: FakeBotApi, count: int) -> None:
    user = api.user(CHAT)
    for n in range(count):
        await api.push(api.message_update(user, f"message {n}"))


# getUpdates ----------------------------------------------------------------------------------


async def test_updates_not_confirmed_come_back_and_an_offset_forgets_everything_below_it(
    bot_api: FakeBotApi,
) -> None:
    await queue(bot_api, 3)
    assert await ids(bot_api) == [1, 2, 3]
    # A bot that crashed before its next poll asks again without that offset: nothing was confirmed.
    assert await ids(bot_api) == [1, 2, 3]
    assert await ids(bot_api, offset=3) == [3]
    assert await ids(bot_api) == [3], "update 1 and 2 were confirmed by offset 3 and are gone"
    assert await ids(bot_api, offset=2) == [3], "a lower offset cannot bring a confirmed update back"
    assert await ids(bot_api, offset=1, limit=1) == [3]


async def test_a_negative_offset_keeps_the_last_updates_and_forgets_the_rest(bot_api: FakeBotApi) -> None:
    await queue(bot_api, 5)
    assert await ids(bot_api, offset=-2) == [4, 5]
    assert await ids(bot_api) == [4, 5]
    assert await ids(bot_api, offset=-10) == [4, 5]


async def test_an_offset_confirms_when_the_call_arrives_before_it_waits(bot_api: FakeBotApi) -> None:
    await queue(bot_api, 2)
    poll = asyncio.create_task(bot_api.call("getUpdates", {"offset": 3, "timeout": 30}))
    await asyncio.sleep(0)  # the call has arrived and waits for a new update
    assert not poll.done()
    assert bot_api.updates.pending == [], "updates 1 and 2 must be confirmed before the poll answers"
    await queue(bot_api, 1)
    _, body = await asyncio.wait_for(poll, 5)
    assert [update["update_id"] for update in body["result"]] == [3]


async def test_an_offset_is_confirmed_even_when_the_answer_fails_but_not_with_a_refused_token(
    bot_api: FakeBotApi,
) -> None:
    await queue(bot_api, 3)
    bot_api.fail(401, "Unauthorized", method="getUpdates")
    assert (await bot_api.call("getUpdates", {"offset": 2}))[0] == 401
    assert await ids(bot_api) == [1, 2, 3]
    bot_api.fail(502, "Bad Gateway", method="getUpdates")
    assert (await bot_api.call("getUpdates", {"offset": 3}))[0] == 502
    assert await ids(bot_api) == [3]


async def test_limit_is_kept_within_telegrams_range(bot_api: FakeBotApi) -> None:
    await queue(bot_api, 120)
    assert await ids(bot_api, limit=2) == [1, 2]
    assert len(await ids(bot_api, limit=0)) == 1
    assert len(await ids(bot_api, limit=500)) == rules.MAX_UPDATES_LIMIT


# Callback queries -----------------------------------------------------------------------------


async def test_a_callback_query_answered_after_its_life_is_too_old(bot: Bot, bot_api: FakeBotApi) -> None:
    user = bot_api.user(CHAT)
    message = await bot.send_message(CHAT, "Pick", reply_markup=keyboard("d:1:a"))
    fresh = bot_api.callback_update(user, message.to_dict(), "d:1:a")["callback_query"]["id"]
    late = bot_api.callback_update(user, message.to_dict(), "d:1:a")["callback_query"]["id"]
    assert await bot.answer_callback_query(fresh)
    bot_api.clock.advance(bot_api.callback_query_life + 0.5)
    with pytest.raises(BadRequest, match="Query is too old and response timeout expired"):
        await bot.answer_callback_query(late)
    assert refusal(bot_api) == ("answerCallbackQuery", rules.QUERY_TOO_OLD)
    assert bot_api.refused[-1].result["error_code"] == 400


async def test_an_unknown_query_and_a_long_answer_are_refused(bot: Bot, bot_api: FakeBotApi) -> None:
    with pytest.raises(BadRequest):
        await bot.answer_callback_query("424242")
    assert refusal(bot_api) == ("answerCallbackQuery", rules.QUERY_TOO_OLD)
    bot_api.callback_query_life = 60
    query = bot_api.callback_update(bot_api.user(CHAT), {}, "x")["callback_query"]["id"]
    bot_api.clock.advance(30)
    with pytest.raises(BadRequest, match="Message_too_long"):
        await bot.answer_callback_query(query, text="x" * (rules.MAX_CALLBACK_ANSWER_LENGTH + 1))
    assert refusal(bot_api) == ("answerCallbackQuery", rules.ANSWER_TOO_LONG)
    assert await bot.answer_callback_query(query, text="x" * rules.MAX_CALLBACK_ANSWER_LENGTH)


async def test_a_query_pushed_from_outside_ages_from_its_push(bot_api: FakeBotApi) -> None:
    update = {"update_id": 9, "callback_query": {"id": "outside", "from": bot_api.user(CHAT), "data": "x"}}
    await bot_api.push(update)
    bot_api.clock.advance(rules.CALLBACK_QUERY_LIFE_SECONDS - 1)
    await bot_api.push(update)  # delivered again: still the first press
    bot_api.clock.advance(2)
    status, body = await bot_api.call("answerCallbackQuery", {"callback_query_id": "outside"})
    assert (status, body["description"]) == (400, rules.QUERY_TOO_OLD)


# Texts, captions, buttons ---------------------------------------------------------------------


async def test_texts_over_4096_characters_are_too_long_counted_in_utf16_after_html(
    bot: Bot, bot_api: FakeBotApi
) -> None:
    await bot.send_message(CHAT, "x" * rules.MAX_TEXT_LENGTH)
    await bot.send_message(CHAT, "😀" * (rules.MAX_TEXT_LENGTH // 2))
    await bot.send_message(CHAT, "<b>" + "x" * (rules.MAX_TEXT_LENGTH - 1) + "&amp;</b>", parse_mode="HTML")
    for text in ("x" * (rules.MAX_TEXT_LENGTH + 1), "😀" * (rules.MAX_TEXT_LENGTH // 2) + "x"):
        with pytest.raises(BadRequest, match=r"^Message is too long$"):
            await bot.send_message(CHAT, text)
        assert refusal(bot_api) == ("sendMessage", rules.MESSAGE_TOO_LONG)
    assert len(bot_api.sent_to(CHAT)) == 3, "a refused message is not delivered"
    assert len(bot_api.refused) == 2


async def test_empty_texts_are_refused(bot: Bot, bot_api: FakeBotApi) -> None:
    for text in ("", "  \n "):
        with pytest.raises(BadRequest, match="Message text is empty"):
            await bot.send_message(CHAT, text)
        assert refusal(bot_api) == ("sendMessage", rules.MESSAGE_TEXT_EMPTY)


async def test_edits_keep_the_same_limits_with_the_edit_wording(bot: Bot, bot_api: FakeBotApi) -> None:
    message = await bot.send_message(CHAT, "short")
    with pytest.raises(BadRequest, match="Message_too_long"):
        await bot.edit_message_text("x" * (rules.MAX_TEXT_LENGTH + 1), CHAT, message.message_id)
    assert refusal(bot_api) == ("editMessageText", rules.EDITED_MESSAGE_TOO_LONG)
    with pytest.raises(BadRequest, match="Message is not modified"):
        await bot.edit_message_text("short", CHAT, message.message_id)
    edited = await bot.edit_message_text("longer", CHAT, message.message_id)
    assert not isinstance(edited, bool) and edited.text == "longer"
    with pytest.raises(BadRequest, match="Message to edit not found"):
        await bot.edit_message_text("other", CHAT, message.message_id + 100)
    assert refusal(bot_api) == ("editMessageText", rules.MESSAGE_TO_EDIT_NOT_FOUND)
    with pytest.raises(BadRequest, match="Message is not modified"):
        await bot.edit_message_reply_markup(CHAT, message.message_id, reply_markup=None)


async def test_captions_over_1024_characters_are_refused(bot: Bot, bot_api: FakeBotApi) -> None:
    await bot.send_photo(CHAT, InputFile(b"png", filename="a.png"), caption="c" * rules.MAX_CAPTION_LENGTH)
    with pytest.raises(BadRequest, match="Message caption is too long"):
        await bot.send_document(
            CHAT, InputFile(b"pdf", filename="a.pdf"), caption="c" * (rules.MAX_CAPTION_LENGTH + 1)
        )
    assert refusal(bot_api) == ("sendDocument", rules.CAPTION_TOO_LONG)


async def test_callback_data_over_64_bytes_is_refused_on_every_method_with_buttons(
    bot: Bot, bot_api: FakeBotApi
) -> None:
    message = await bot.send_message(CHAT, "ok", reply_markup=keyboard("g:open:" + "9" * 57))  # 64 bytes
    too_long = ("g:open:" + "9" * 58, "目标" * 11)  # 65 bytes; 22 characters but 66 bytes of UTF-8
    for data in too_long:
        with pytest.raises(BadRequest, match="Button_data_invalid"):
            await bot.send_message(CHAT, "pick", reply_markup=keyboard(data))
        assert refusal(bot_api) == ("sendMessage", rules.BUTTON_DATA_INVALID)
    with pytest.raises(BadRequest, match="Button_data_invalid"):
        await bot.edit_message_reply_markup(CHAT, message.message_id, reply_markup=keyboard(too_long[0]))
    with pytest.raises(BadRequest, match="Button_data_invalid"):
        await bot.send_photo(CHAT, InputFile(b"png", filename="a.png"), reply_markup=keyboard(too_long[1]))
    assert [call.method for call in bot_api.refused] == [
        "sendMessage",
        "sendMessage",
        "editMessageReplyMarkup",
        "sendPhoto",
    ]


async def test_a_button_with_nothing_to_do_is_refused(bot_api: FakeBotApi) -> None:
    markup = {"inline_keyboard": [[{"text": "A", "callback_data": ""}]]}
    status, body = await bot_api.call("sendMessage", {"chat_id": CHAT, "text": "t", "reply_markup": markup})
    assert (status, body["description"]) == (400, rules.TEXT_BUTTON_IN_INLINE_KEYBOARD)


# Ids ------------------------------------------------------------------------------------------


async def test_ids_are_64_bit(bot: Bot, bot_api: FakeBotApi) -> None:
    bot_api.groups.add_bot(
        -(10**12) - 5, bot_api.user(1)
    )  # a group only takes messages once the bot is in it
    for chat_id in (2**31, 2**52, 2**63 - 1, -(10**12) - 5):
        message = await bot.send_message(chat_id, "hi")
        assert message.chat.id == chat_id
    with pytest.raises(BadRequest, match="Chat not found"):
        await bot.send_message(2**63, "hi")
    assert refusal(bot_api) == ("sendMessage", rules.CHAT_NOT_FOUND)
    big = bot_api.user(2**62)
    assert bot_api.message_update(big, "/start")["message"]["chat"]["id"] == 2**62
    with pytest.raises(ValueError, match="64 bits"):
        bot_api.user(2**63)


async def test_message_ids_near_the_top_of_their_range_still_edit(bot: Bot, bot_api: FakeBotApi) -> None:
    bot_api.continue_message_ids(rules.MESSAGE_ID_MAX - 1)
    message = await bot.send_message(CHAT, "pick", reply_markup=keyboard("a"))
    assert message.message_id == rules.MESSAGE_ID_MAX
    assert await bot.edit_message_reply_markup(CHAT, message.message_id, reply_markup=None)
    status, body = await bot_api.call(
        "editMessageText", {"chat_id": CHAT, "message_id": rules.MESSAGE_ID_MAX + 1, "text": "x"}
    )
    assert (status, body["description"]) == (400, rules.MESSAGE_TO_EDIT_NOT_FOUND)


# Flood control --------------------------------------------------------------------------------


async def test_flood_limits_answer_429_with_retry_after_on_the_emulators_clock(
    bot: Bot, bot_api: FakeBotApi
) -> None:
    await bot.send_message(CHAT, "one")
    await bot.send_message(CHAT, "two")  # off by default
    bot_api.flood.limit()
    await bot.send_message(CHAT, "three")
    with pytest.raises(RetryAfter):
        await bot.send_message(CHAT, "four")
    assert bot_api.refused[-1].result == {
        "ok": False,
        "error_code": 429,
        "description": "Too Many Requests: retry after 1",
        "parameters": {"retry_after": 1},
    }
    bot_api.clock.advance(1)
    await bot.send_message(CHAT, "four")
    for chat in range(100, 100 + rules.MESSAGES_PER_SECOND - 1):
        await bot.send_message(chat, "fan-out")
    with pytest.raises(RetryAfter):
        await bot.send_message(999, "one too many in this second")
    group = -(10**12)
    bot_api.groups.add_bot(group, bot_api.user(1))
    bot_api.flood.limit(per_chat_per_second=None, per_second=None)
    for _ in range(rules.MESSAGES_PER_MINUTE_PER_GROUP):
        bot_api.clock.advance(1)
        await bot.send_message(group, "group")
    with pytest.raises(RetryAfter):
        await bot.send_message(group, "group")
    assert bot_api.refused[-1].result["parameters"]["retry_after"] == 41  # the first left the minute at 60 s


async def test_a_storm_answers_every_message_429_until_it_calms(bot: Bot, bot_api: FakeBotApi) -> None:
    bot_api.flood.storm(retry_after=35)
    for chat in (1, 2, 3):
        with pytest.raises(RetryAfter):
            await bot.send_message(chat, "prompt")
    assert {call.result["description"] for call in bot_api.refused} == {"Too Many Requests: retry after 35"}
    assert {call.result["parameters"]["retry_after"] for call in bot_api.refused} == {35}
    assert await bot.get_me()  # only messages are refused
    bot_api.flood.calm()
    await bot.send_message(1, "prompt")
    assert [call.text for call in bot_api.sent_to(1)] == ["prompt"]
    assert bot_api.flood.refused == 3


# Files ----------------------------------------------------------------------------------------


async def test_photos_over_10_mb_and_uploads_over_50_mb_are_refused(bot: Bot, bot_api: FakeBotApi) -> None:
    await bot.send_photo(CHAT, InputFile(bytes(rules.MAX_PHOTO_UPLOAD_BYTES), filename="big.png"))
    with pytest.raises(BadRequest, match="Photo_save_file_invalid"):
        await bot.send_photo(CHAT, InputFile(bytes(rules.MAX_PHOTO_UPLOAD_BYTES + 1), filename="big.png"))
    assert refusal(bot_api) == ("sendPhoto", rules.PHOTO_TOO_BIG)
    with pytest.raises(NetworkError, match="Request Entity Too Large"):
        await bot.send_document(CHAT, InputFile(bytes(rules.MAX_UPLOAD_BYTES + 1), filename="big.bin"))
    assert refusal(bot_api) == ("sendDocument", rules.REQUEST_TOO_LARGE)


async def test_get_file_downloads_up_to_20_mb_and_refuses_bigger_files(bot: Bot, bot_api: FakeBotApi) -> None:
    user = bot_api.user(CHAT)
    small = bot_api.document_update(user, b"%PDF-1.4 plan")["message"]["document"]["file_id"]
    huge = bot_api.document_update(user, size=rules.MAX_DOWNLOAD_BYTES + 1)["message"]["document"]["file_id"]
    file = await bot.get_file(small)
    assert file.file_size == len(b"%PDF-1.4 plan")
    assert bytes(await file.download_as_bytearray()) == b"%PDF-1.4 plan"
    with pytest.raises(BadRequest, match="File is too big"):
        await bot.get_file(huge)
    assert refusal(bot_api) == ("getFile", rules.FILE_TOO_BIG)
    with pytest.raises(BadRequest, match="Invalid file_id"):
        await bot.get_file("no-such-file")
    sent = await bot.send_photo(CHAT, InputFile(b"chart", filename="chart.png"))
    again = await bot.send_photo(CHAT, sent.photo[-1].file_id)  # a file_id sent again is the same file
    assert again.photo[-1].file_id == sent.photo[-1].file_id
