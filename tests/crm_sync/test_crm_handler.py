"""/crm through the real Application and the in-process Bot API, against the fake Zoho and Fxiaoke."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator, Callable
from datetime import UTC, datetime

import pytest
from pydantic import SecretStr
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession

from bot.core.lifecycle.crm_connections import ConnectionStatus
from bot.devtools.fake_bot_api import FakeBotApi
from bot.scheduler.crm_sync import CrmSyncJobs
from bot.services.container import Services
from bot.services.crm_secrets import CrmSecrets
from bot.settings import Settings
from bot.storage.crm_sync_models import CrmConnection
from bot.storage.message_models import InboxUpdate
from bot.storage.models import DialogState
from tests.auxil.chat import Chat, labels, texts
from tests.auxil.clock import FakeClock
from tests.crm_sync.helpers import KEY, record_count
from tests.fakes.fxiaoke_server import FakeFxiaoke, serve_fxiaoke
from tests.fakes.routing import RoutedTransport
from tests.fakes.zoho_server import FakeZoho, serve_zoho

START = datetime(2026, 11, 20, 1, 0, tzinfo=UTC)


@pytest.fixture
async def zoho() -> AsyncIterator[FakeZoho]:
    async with serve_zoho() as fake:
        yield fake


@pytest.fixture
async def fx() -> AsyncIterator[FakeFxiaoke]:
    async with serve_fxiaoke() as fake:
        yield fake


@pytest.fixture
def settings(settings: Settings) -> Settings:
    return settings.model_copy(update={"crm_secret_key": SecretStr(KEY)})


@pytest.fixture
def services(services: Services, zoho: FakeZoho, fx: FakeFxiaoke) -> Services:
    services.crm_transport = RoutedTransport({**zoho.accounts_route, "fxiaoke.com": fx.port})
    return services


async def connections(engine: AsyncEngine) -> list[CrmConnection]:
    async with AsyncSession(engine) as session:
        return list((await session.scalars(select(CrmConnection))).all())


def deletions(api: FakeBotApi, chat: Chat) -> list[int]:
    return [
        int(c.params["message_id"]) for c in api.calls if c.method == "deleteMessage" and c.chat_id == chat.id
    ]


async def connect_zoho(chat: Chat, zoho: FakeZoho, centre: str = ".eu", secret: str | None = None) -> str:
    await chat.send("/crm")
    await chat.press("➕ Connect Zoho CRM" if chat.user.get("language_code") == "en" else "➕ 连接 Zoho CRM")
    await chat.press(centre)
    pasted = f"{zoho.client_id}\n{secret or zoho.client_secret}\n{zoho.refresh_token}"
    return texts(await chat.send(pasted))


async def test_connecting_zoho_tests_the_credentials_deletes_the_paste_and_keeps_them_sealed(
    make_chat: Callable[..., Chat], bot_api: FakeBotApi, engine: AsyncEngine, zoho: FakeZoho
) -> None:
    chat = make_chat()
    card = await chat.send("/crm")
    assert "No CRM is connected yet." in texts(card)
    assert labels(card[-1]) == ["➕ Connect Zoho CRM", "➕ Connect Fxiaoke"]
    said = await connect_zoho(chat, zoho)
    assert "Connected to Zoho CRM. The first sync runs within a minute" in said
    pasted = chat.messages[-1]
    assert deletions(bot_api, chat) == [pasted["message_id"]]
    assert zoho.token_calls == ["eu"]
    (row,) = await connections(engine)
    assert (row.user_id, row.system, row.data_centre, row.api_domain) == (
        chat.id,
        "zoho",
        "eu",
        "https://www.zohoapis.eu",
    )
    assert row.status == ConnectionStatus.CONNECTED
    async with AsyncSession(engine) as session:
        stored = [json.dumps(u.payload) for u in (await session.scalars(select(InboxUpdate))).all()]
        dialog = await session.get(DialogState, chat.id)
    for secret in (zoho.client_secret, zoho.refresh_token):
        assert secret not in row.credentials and not any(secret in payload for payload in stored)
        assert dialog is None or secret not in json.dumps(dialog.data)
    assert CrmSecrets(KEY).open(row.credentials)["refresh_token"] == zoho.refresh_token


async def test_refused_credentials_save_nothing(
    make_chat: Callable[..., Chat], bot_api: FakeBotApi, engine: AsyncEngine, zoho: FakeZoho
) -> None:
    chat = make_chat()
    said = await connect_zoho(chat, zoho, ".com", secret="wrong-secret")
    assert "Zoho CRM refused these credentials. Nothing was saved; /crm to try again." in said
    assert await connections(engine) == [] and len(deletions(bot_api, chat)) == 1


async def test_a_paste_with_the_wrong_number_of_values_is_deleted_and_asked_again(
    make_chat: Callable[..., Chat], bot_api: FakeBotApi, engine: AsyncEngine, zoho: FakeZoho
) -> None:
    chat = make_chat()
    await chat.send("/crm")
    await chat.press("➕ Connect Zoho CRM")
    await chat.press(".com")
    said = texts(await chat.send(f"{zoho.client_id} {zoho.client_secret}"))
    assert "I need 3 values, one per line. I deleted that message" in said
    assert len(deletions(bot_api, chat)) == 1 and await connections(engine) == []


async def test_the_card_shows_the_last_sync_and_a_rate_limit_in_english_and_chinese(
    make_chat: Callable[..., Chat], services: Services, clock: FakeClock, engine: AsyncEngine, zoho: FakeZoho
) -> None:
    chat, chinese = make_chat(), make_chat(language_code="zh-hans")
    zoho.add_deals(250, start=START)
    await connect_zoho(chat, zoho)
    await connect_zoho(chinese, zoho, ".com.cn")
    zoho.fail_deals_request = {4: 429}  # the second connection's second page
    await CrmSyncJobs(services).tick()
    card = texts(await chat.send("/crm"))
    assert "Zoho CRM (.eu): connected" in card
    assert "Last sync November 27, 2026 10:00: 250 new; 0 changed; 0 removed." in card
    assert "250 records synced in all." in card
    card_zh = texts(await chinese.send("/crm"))
    assert "Zoho CRM（.com.cn）：等待 CRM 的调用限额恢复" in card_zh
    assert "Zoho CRM 要求放慢速度（请求太多）。" in card_zh
    assert await record_count(engine, chat.id) == 250 and await record_count(engine, chinese.id) == 200


async def test_sync_now_and_disconnect(
    make_chat: Callable[..., Chat], services: Services, clock: FakeClock, engine: AsyncEngine, zoho: FakeZoho
) -> None:
    chat = make_chat()
    zoho.add_deals(3, start=START)
    await connect_zoho(chat, zoho)
    await CrmSyncJobs(services).tick()
    clock.advance(minutes=10)
    said = texts(await chat.press("🔄 Sync Zoho CRM now", on=(await chat.send("/crm"))[-1]))
    assert "Syncing Zoho CRM within a minute" in said
    (row,) = await connections(engine)
    assert row.next_sync_at == clock()
    asked = await chat.press("✖ Disconnect Zoho CRM", on=(await chat.send("/crm"))[-1])
    assert "I delete its credentials; the results already synced stay." in texts(asked)
    said = texts(await chat.press("✖ Disconnect"))
    assert "Disconnected from Zoho CRM: its credentials are deleted." in said
    assert await connections(engine) == [] and await record_count(engine, chat.id) == 3


async def test_forged_or_foreign_buttons_change_nothing(
    make_chat: Callable[..., Chat], engine: AsyncEngine, zoho: FakeZoho
) -> None:
    owner, other = make_chat(), make_chat()
    await connect_zoho(owner, zoho)
    (row,) = await connections(engine)
    await other.send("/crm")
    for data in (
        f"cr:off!:{row.id}",
        f"cr:sync:{row.id}",
        "cr:off!:99999999999999",
        "cr:zoho:5",
        "cr:nope:1",
    ):
        assert "old message" in texts(await other.press_data(data))
    assert [r.id for r in await connections(engine)] == [row.id]


async def test_connecting_fxiaoke(
    make_chat: Callable[..., Chat], engine: AsyncEngine, fx: FakeFxiaoke
) -> None:
    chat = make_chat(language_code="zh-hans")
    await chat.send("/crm")
    prompt = await chat.press("➕ 连接 纷享销客")
    assert "appId、appSecret、permanentCode" in texts(prompt)
    said = texts(await chat.send(f"{fx.app_id}\n{fx.app_secret}\n{fx.permanent_code}\n{fx.open_user_id}"))
    assert "已连接纷享销客" in said
    (row,) = await connections(engine)
    assert (row.system, row.data_centre, fx.token_calls) == ("fxiaoke", "", 1)


async def test_without_the_key_crm_says_sync_is_off(
    make_chat: Callable[..., Chat], services: Services
) -> None:
    services.settings = services.settings.model_copy(update={"crm_secret_key": None})
    chat = make_chat()
    assert "API sync is off on this bot" in texts(await chat.send("/crm"))


async def test_a_refused_connection_is_connected_again_with_new_credentials(
    make_chat: Callable[..., Chat], services: Services, clock: FakeClock, engine: AsyncEngine, zoho: FakeZoho
) -> None:
    chat = make_chat()
    await connect_zoho(chat, zoho)
    zoho.refresh_token = "1000.new-refresh-token"  # the old one was revoked in Zoho
    await CrmSyncJobs(services).tick()
    card = await chat.send("/crm")
    assert "stopped: the CRM refused the credentials, connect again" in texts(card)
    assert "Zoho CRM refused the credentials." in texts(card)
    said = await connect_zoho(chat, zoho)
    assert "Connected to Zoho CRM." in said
    (row,) = await connections(engine)
    assert (row.status, row.last_error) == (ConnectionStatus.CONNECTED, None)
    assert CrmSecrets(KEY).open(row.credentials)["refresh_token"] == "1000.new-refresh-token"
