"""The HTTP emulator itself: every encoding PTB uses decodes as the in-process transport would see it, and
Telegram's rules (bot/devtools/telegram_rules.py) hold over HTTP with the Bot API's texts."""

from __future__ import annotations

import asyncio
import json
import signal
import sys
import time
from typing import Any

import httpx
import pytest
from telegram import Bot, InlineKeyboardButton, InlineKeyboardMarkup, InputFile

from bot.devtools import telegram_rules as rules
from bot.devtools.fake_bot_api import FakeBotApi
from bot.devtools.inprocess_request import InProcessRequest
from tests.e2e.harness import REPO_ROOT, TOKEN
from tests.emulator import file_url, serve_emulator

KEYBOARD = {"inline_keyboard": [[{"text": "A", "callback_data": "d:1:a"}]]}


async def call(
    client: httpx.AsyncClient, base_url: str, method: str, **request: Any
) -> tuple[int, dict[str, Any]]:
    response = await client.post(f"{base_url}{TOKEN}/{method}", **request)
    return response.status_code, response.json()


async def test_json_form_multipart_and_query_decode_alike(bot_api: FakeBotApi) -> None:
    async with serve_emulator(bot_api) as base_url, httpx.AsyncClient() as client:
        await call(
            client, base_url, "sendMessage", json={"chat_id": 5, "text": "json", "reply_markup": KEYBOARD}
        )
        form = {
            "chat_id": "5",
            "text": "42",
            "reply_markup": '{"inline_keyboard": [[{"text": "A", "callback_data": "d:1:a"}]]}',
        }
        await call(client, base_url, "sendMessage", data=form)
        await call(
            client,
            base_url,
            "sendDocument",
            data={"chat_id": "5", "caption": "true"},
            files={"document": ("report.csv", b"a,b\n1,2\n", "text/csv")},
        )
        response = await client.get(
            f"{base_url}{TOKEN}/sendMessage", params={"chat_id": "5", "text": "query"}
        )
        assert response.status_code == 200

    json_call, form_call, upload, query = bot_api.calls
    assert json_call.params == {"chat_id": 5, "text": "json", "reply_markup": KEYBOARD}
    # Form fields are JSON-decoded (chat_id, reply_markup) except free text, which stays as typed.
    assert form_call.params == {"chat_id": 5, "text": "42", "reply_markup": KEYBOARD}
    assert form_call.buttons == KEYBOARD["inline_keyboard"]
    assert upload.params == {"chat_id": 5, "caption": "true"}
    assert upload.files == {"document": b"a,b\n1,2\n"}
    assert query.params == {"chat_id": 5, "text": "query"}


async def test_ptb_over_http_sends_what_the_in_process_transport_sends() -> None:
    over_http, in_process = FakeBotApi(), FakeBotApi()
    markup = InlineKeyboardMarkup([[InlineKeyboardButton("中文", callback_data="d:3:zh_CN")]])

    async def converse(bot: Bot) -> None:
        async with bot:
            await bot.send_message(42, "你好 <b>", reply_markup=markup)
            await bot.send_document(42, InputFile(b"%PDF-1.4", filename="plan.pdf"), caption="Plan")
            await bot.set_my_commands([("start", "开始")], language_code="zh")

    async with serve_emulator(over_http, token=TOKEN) as base_url:
        await converse(Bot(TOKEN, base_url=base_url))
    await converse(
        Bot(TOKEN, request=InProcessRequest(in_process), get_updates_request=InProcessRequest(in_process))
    )

    assert [c.method for c in over_http.calls] == [c.method for c in in_process.calls]
    for http_call, local_call in zip(over_http.calls, in_process.calls, strict=True):
        assert http_call.params == local_call.params, http_call.method
        assert http_call.files == local_call.files, http_call.method
    assert over_http.commands == in_process.commands == {"zh": [{"command": "start", "description": "开始"}]}


async def test_wrong_token_unknown_method_and_bad_bodies_answer_like_telegram(bot_api: FakeBotApi) -> None:
    async with serve_emulator(bot_api, token=TOKEN) as base_url, httpx.AsyncClient() as client:
        wrong = await client.post(f"{base_url}987654321:wrong-token-wrong-token/getMe")
        assert (wrong.status_code, wrong.json()["description"]) == (401, "Unauthorized")
        assert (await call(client, base_url, "frobnicate"))[0] == 404
        status, body = await call(
            client, base_url, "sendMessage", content=b"{oops", headers={"Content-Type": "application/json"}
        )
        assert (status, body["ok"]) == (400, False)
        status, body = await call(client, base_url, "sendMessage", json={"chat_id": 5})
        assert (status, body["error_code"]) == (400, 400)
        assert (
            await client.get(base_url.removesuffix("/bot") + f"/file/bot{TOKEN}/photos/1.jpg")
        ).status_code == 404
        status, body = await call(client, base_url, "getMe")
        assert status == 200 and body["result"]["username"] == "QuotaCoachBot"


async def test_faults_are_answered_over_http(bot_api: FakeBotApi) -> None:
    bot_api.fail(429, "Too Many Requests: retry after 3", method="sendMessage", retry_after=3)
    bot_api.fail(403, "Forbidden: bot was blocked by the user", method="sendMessage", chat_id=7)
    bot_api.fail(500, "Internal Server Error", method="sendPhoto")
    bot_api.fail(200, "slow but fine", method="getMe", delay=0.3)
    async with serve_emulator(bot_api) as base_url, httpx.AsyncClient() as client:
        assert await call(client, base_url, "sendMessage", json={"chat_id": 5, "text": "a"}) == (
            429,
            {
                "ok": False,
                "error_code": 429,
                "description": "Too Many Requests: retry after 3",
                "parameters": {"retry_after": 3},
            },
        )
        assert (await call(client, base_url, "sendMessage", json={"chat_id": 5, "text": "b"}))[0] == 200
        assert (await call(client, base_url, "sendMessage", json={"chat_id": 7, "text": "c"}))[0] == 403
        assert (await call(client, base_url, "sendPhoto", json={"chat_id": 5, "photo": "x"}))[0] == 500
        started = time.monotonic()
        assert (await call(client, base_url, "getMe"))[0] == 200
        assert time.monotonic() - started >= 0.3
    assert [call.text for call in bot_api.calls if call.method == "sendMessage"] == ["b"]


def model_calls() -> list[asyncio.Task[Any]]:
    """The emulator's tasks answering a request (the model's `call`), in this loop."""
    return [task for task in asyncio.all_tasks() if task.get_coro().__qualname__ == "FakeBotApi.call"]  # type: ignore[union-attr]


async def until_a_poll_waits() -> list[asyncio.Task[Any]]:
    # The server runs in this loop: a short poll of its tasks is the only view of "the request arrived".
    deadline = time.monotonic() + 5
    while not (waiting := model_calls()):
        assert time.monotonic() < deadline, "the getUpdates request never reached the model"
        await asyncio.sleep(0.01)
    return waiting


async def test_get_updates_long_polls_and_confirms_by_offset(bot_api: FakeBotApi) -> None:
    user = bot_api.user(5)
    async with serve_emulator(bot_api) as base_url, httpx.AsyncClient(timeout=10) as client:
        status, body = await call(client, base_url, "getUpdates", json={"timeout": 0.2})
        assert (status, body["result"]) == (200, [])

        started = time.monotonic()
        poll = asyncio.create_task(call(client, base_url, "getUpdates", json={"timeout": 5}))
        await until_a_poll_waits()
        await bot_api.push(bot_api.message_update(user, "/start"))
        status, body = await poll
        assert time.monotonic() - started < 2, "the poll did not return as soon as the update came"
        [update] = body["result"]
        assert update["message"]["text"] == "/start"
        _, body = await call(
            client, base_url, "getUpdates", json={"offset": update["update_id"] + 1, "timeout": 0}
        )
        assert body["result"] == []


async def test_a_poll_whose_client_left_stops_waiting(bot_api: FakeBotApi) -> None:
    async with serve_emulator(bot_api) as base_url:
        async with httpx.AsyncClient() as client:
            poll = asyncio.create_task(client.post(f"{base_url}{TOKEN}/getUpdates", json={"timeout": 30}))
            waiting = await until_a_poll_waits()
            poll.cancel()  # The client hangs up, as a killed bot does.
        await asyncio.wait_for(asyncio.gather(*waiting, return_exceptions=True), 2)
        assert all(task.cancelled() for task in waiting)


async def test_standalone_emulator_prints_its_url_and_stops_on_sigterm() -> None:
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "tests.emulator",
        "--port",
        "0",
        cwd=REPO_ROOT,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
    try:
        assert process.stdout is not None
        base_url = (await asyncio.wait_for(process.stdout.readline(), 20)).decode().strip()
        assert base_url.startswith("http://127.0.0.1:") and base_url.endswith("/bot")
        async with httpx.AsyncClient() as client:
            update = {
                "update_id": 1,
                "message": {"message_id": 1, "date": 0, "chat": {"id": 5, "type": "private"}, "text": "hi"},
            }
            assert (
                await client.post(base_url.removesuffix("/bot") + "/_emulator/updates", json=update)
            ).is_success
            _, body = await call(client, base_url, "getUpdates", json={})
            assert body["result"] == [update]
            await call(client, base_url, "sendMessage", json={"chat_id": 5, "text": "hello"})
            calls = (await client.get(base_url.removesuffix("/bot") + "/_emulator/calls")).json()["result"]
            assert [c["params"]["text"] for c in calls] == ["hello"]
        process.send_signal(signal.SIGTERM)
        assert await asyncio.wait_for(process.wait(), 10) == 0
    finally:
        if process.returncode is None:
            process.kill()
            await process.wait()


# Telegram's rules over HTTP: the same model, the same refusals and texts as in process ----------


def markup(data: str) -> dict[str, Any]:
    return {"inline_keyboard": [[{"text": "A", "callback_data": data}]]}


LONG = "x" * (rules.MAX_TEXT_LENGTH + 1)
REFUSALS: list[tuple[str, dict[str, Any], int, str]] = [
    ("sendMessage", {"json": {"chat_id": 5, "text": LONG}}, 400, rules.MESSAGE_TOO_LONG),
    ("sendMessage", {"data": {"chat_id": "5", "text": LONG}}, 400, rules.MESSAGE_TOO_LONG),
    ("sendMessage", {"data": {"chat_id": "5", "text": ""}}, 400, rules.MESSAGE_TEXT_EMPTY),
    ("sendMessage", {"json": {"chat_id": 5}}, 400, rules.MESSAGE_TEXT_EMPTY),
    ("sendMessage", {"json": {"text": "hi"}}, 400, rules.CHAT_ID_EMPTY),
    ("sendMessage", {"json": {"chat_id": 2**63, "text": "hi"}}, 400, rules.CHAT_NOT_FOUND),
    (
        "sendMessage",
        {"data": {"chat_id": "5", "text": "pick", "reply_markup": json.dumps(markup("d:1:" + "a" * 61))}},
        400,
        rules.BUTTON_DATA_INVALID,
    ),
    (
        "sendDocument",
        {"data": {"chat_id": "5", "caption": "c" * 1025}, "files": {"document": ("a.pdf", b"%PDF")}},
        400,
        rules.CAPTION_TOO_LONG,
    ),
    (
        "sendPhoto",
        {"data": {"chat_id": "5"}, "files": {"photo": ("a.png", bytes(rules.MAX_PHOTO_UPLOAD_BYTES + 1))}},
        400,
        rules.PHOTO_TOO_BIG,
    ),
    (
        "editMessageText",
        {"json": {"chat_id": 5, "message_id": 77, "text": "x"}},
        400,
        rules.MESSAGE_TO_EDIT_NOT_FOUND,
    ),
    ("answerCallbackQuery", {"data": {"callback_query_id": "77"}}, 400, rules.QUERY_TOO_OLD),
    ("getFile", {"data": {"file_id": "nope"}}, 400, rules.INVALID_FILE_ID),
]


@pytest.mark.parametrize(("method", "request_", "status", "description"), REFUSALS)
async def test_telegrams_refusals_come_over_http_with_its_texts(
    bot_api: FakeBotApi, method: str, request_: dict[str, Any], status: int, description: str
) -> None:
    async with serve_emulator(bot_api, token=TOKEN) as base_url, httpx.AsyncClient() as client:
        assert await call(client, base_url, method, **request_) == (
            status,
            {"ok": False, "error_code": status, "description": description},
        )
    assert [call.method for call in bot_api.refused] == [method]
    assert bot_api.calls == []


async def test_an_offset_confirms_when_the_poll_arrives_and_a_crashed_poller_gets_its_batch_again(
    bot_api: FakeBotApi,
) -> None:
    user = bot_api.user(2**40)
    for text in ("a", "b", "c"):
        await bot_api.push(bot_api.message_update(user, text))
    async with serve_emulator(bot_api) as base_url:
        async with httpx.AsyncClient(timeout=10) as crashed:
            _, body = await call(crashed, base_url, "getUpdates", json={"timeout": 0})
        batch = [update["update_id"] for update in body["result"]]
        assert batch == [1, 2, 3]
        # The poller died before its next getUpdates: nothing is confirmed, a new one gets the batch again.
        async with httpx.AsyncClient(timeout=10) as restarted:
            _, body = await call(restarted, base_url, "getUpdates", json={"timeout": 0})
            assert [update["update_id"] for update in body["result"]] == batch
            assert body["result"][0]["message"]["from"]["id"] == 2**40
            poll = asyncio.create_task(
                call(restarted, base_url, "getUpdates", json={"offset": 4, "timeout": 5})
            )
            await until_a_poll_waits()
            assert bot_api.updates.pending == [], "offset 4 confirmed 1-3 when it arrived, before answering"
            poll.cancel()
        async with httpx.AsyncClient(timeout=10) as client:
            for text in ("d", "e", "f"):
                await bot_api.push(bot_api.message_update(user, text))
            _, body = await call(client, base_url, "getUpdates", json={"offset": -1})
            assert [update["message"]["text"] for update in body["result"]] == ["f"]
            _, body = await call(client, base_url, "getUpdates", data={"timeout": "0"})
            assert [update["message"]["text"] for update in body["result"]] == ["f"]


async def test_control_routes_age_callback_queries_and_raise_a_429_storm(bot_api: FakeBotApi) -> None:
    user = bot_api.user(5)
    young, old = (bot_api.callback_update(user, {}, "d:1:a")["callback_query"]["id"] for _ in range(2))
    async with serve_emulator(bot_api) as base_url, httpx.AsyncClient() as client:
        control = base_url.removesuffix("/bot") + "/_emulator"
        assert (await call(client, base_url, "answerCallbackQuery", data={"callback_query_id": young}))[
            0
        ] == 200
        assert (await client.post(f"{control}/clock", json={"advance": 16})).is_success
        assert await call(client, base_url, "answerCallbackQuery", data={"callback_query_id": old}) == (
            400,
            {"ok": False, "error_code": 400, "description": rules.QUERY_TOO_OLD},
        )

        assert (await client.post(f"{control}/flood", json={"storm": 35})).json()["result"][
            "storm_retry_after"
        ] == 35
        for chat in (5, 6):
            assert await call(client, base_url, "sendMessage", json={"chat_id": chat, "text": "prompt"}) == (
                429,
                {
                    "ok": False,
                    "error_code": 429,
                    "description": "Too Many Requests: retry after 35",
                    "parameters": {"retry_after": 35},
                },
            )
        await client.post(f"{control}/flood", json={"calm": True, "limit": True})
        assert (await call(client, base_url, "sendMessage", json={"chat_id": 5, "text": "one"}))[0] == 200
        status, body = await call(client, base_url, "sendMessage", json={"chat_id": 5, "text": "two"})
        assert (status, body["parameters"]) == (429, {"retry_after": 1})
    assert [call.text for call in bot_api.calls if call.method == "sendMessage"] == ["one"]


async def test_files_download_from_the_file_url_up_to_20_mb(bot_api: FakeBotApi) -> None:
    user = bot_api.user(5)
    small = bot_api.document_update(user, b"a,b\n1,2\n")["message"]["document"]["file_id"]
    huge = bot_api.photo_update(user, size=rules.MAX_DOWNLOAD_BYTES + 1)["message"]["photo"][0]["file_id"]
    async with serve_emulator(bot_api, token=TOKEN) as base_url, httpx.AsyncClient() as client:
        status, body = await call(client, base_url, "getFile", data={"file_id": small})
        assert status == 200 and body["result"]["file_size"] == 8
        download = await client.get(f"{file_url(base_url)}{TOKEN}/{body['result']['file_path']}")
        assert (download.status_code, download.content) == (200, b"a,b\n1,2\n")
        wrong_token = await client.get(f"{file_url(base_url)}987:wrong/{body['result']['file_path']}")
        assert wrong_token.status_code == 404
        assert await call(client, base_url, "getFile", data={"file_id": huge}) == (
            400,
            {"ok": False, "error_code": 400, "description": rules.FILE_TOO_BIG},
        )
