"""The Zoho and Fxiaoke clients against the fake servers on 127.0.0.1: tokens, pages, errors."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, date, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import httpx
import pytest

from bot.core.crm.records import CrmSystem, DealState, RecordKind
from bot.services.crm_api.client import ChangePage, Credentials
from bot.services.crm_api.errors import CrmApiError, SyncProblem
from bot.services.crm_api.fxiaoke import FxiaokeClient
from bot.services.crm_api.http import new_http
from bot.services.crm_api.zoho import DATA_CENTRES, ZohoClient
from tests.auxil.clock import FakeClock
from tests.fakes.fxiaoke_server import FakeFxiaoke, serve_fxiaoke
from tests.fakes.routing import RoutedTransport
from tests.fakes.zoho_server import FakeZoho, serve_zoho

START = datetime(2026, 11, 2, 1, 0, tzinfo=UTC)
SHANGHAI = ZoneInfo("Asia/Shanghai")


@pytest.fixture
async def zoho() -> AsyncIterator[FakeZoho]:
    async with serve_zoho() as fake:
        yield fake


@pytest.fixture
async def fx() -> AsyncIterator[FakeFxiaoke]:
    async with serve_fxiaoke() as fake:
        yield fake


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock(datetime(2026, 11, 27, 2, 0, tzinfo=UTC))


def zoho_client(zoho: FakeZoho, http: httpx.AsyncClient, clock: FakeClock, centre: str = "com") -> ZohoClient:
    credentials = Credentials(
        {
            "client_id": zoho.client_id,
            "client_secret": zoho.client_secret,
            "refresh_token": zoho.refresh_token,
        }
    )
    return ZohoClient(http, credentials, centre, clock)


def fx_client(fx: FakeFxiaoke, http: httpx.AsyncClient, clock: FakeClock) -> FxiaokeClient:
    credentials = Credentials({"app_id": fx.app_id, "app_secret": fx.app_secret,
                               "permanent_code": fx.permanent_code, "open_user_id": fx.open_user_id})  # fmt: skip
    return FxiaokeClient(http, credentials, clock, SHANGHAI)


async def all_pages(client: ZohoClient | FxiaokeClient, cursor: str | None = None) -> list[ChangePage]:
    return [page async for page in client.changes(cursor)]


@pytest.mark.parametrize("centre", DATA_CENTRES)
async def test_each_data_centre_refreshes_at_its_accounts_host_and_calls_the_api_domain_returned(
    zoho: FakeZoho, clock: FakeClock, centre: str
) -> None:
    zoho.add_deals(3, start=START)
    async with new_http(RoutedTransport(zoho.accounts_route)) as http:
        client = zoho_client(zoho, http, clock, centre)
        assert await client.connect() == f"https://www.zohoapis.{centre}"
        pages = await all_pages(client)
    assert zoho.token_calls == [centre, centre] or zoho.token_calls == [centre]
    assert {host for host, *_ in zoho.api_calls} == {f"www.zohoapis.{centre}"}
    assert [len(page.records) for page in pages] == [3]


async def test_a_refused_refresh_token_is_refused_and_names_no_secret(
    zoho: FakeZoho, clock: FakeClock
) -> None:
    async with new_http(RoutedTransport(zoho.accounts_route)) as http:
        client = zoho_client(zoho, http, clock)
        client.credentials.values["refresh_token"] = "1000.revoked-refresh-token"
        with pytest.raises(CrmApiError) as raised:
            await client.connect()
    assert raised.value.problem is SyncProblem.REFUSED
    assert "revoked" not in str(raised.value) and zoho.client_secret not in str(raised.value)


async def test_deals_page_past_two_thousand_records_with_page_token(zoho: FakeZoho, clock: FakeClock) -> None:
    zoho.add_deals(2_450, start=START)
    async with new_http(RoutedTransport(zoho.accounts_route)) as http:
        pages = await all_pages(zoho_client(zoho, http, clock))
    assert [len(page.records) for page in pages] == [200] * 12 + [50]
    ids = [record.record_id for page in pages for record in page.records]
    assert len(ids) == len(set(ids)) == 2_450
    tokens = [query.get("page_token") for _, path, query in zoho.api_calls if path == "/crm/v8/Deals"]
    assert tokens[0] is None and all(token is not None for token in tokens[1:])
    assert pages[-1].cursor == zoho.deals[ids[-1]]["Modified_Time"]


async def test_deals_read_as_records_and_the_cursor_asks_only_for_changes(
    zoho: FakeZoho, clock: FakeClock
) -> None:
    first, second, lost = zoho.add_deals(3, start=START)
    zoho.update_deal(lost, datetime(2026, 11, 20, tzinfo=UTC), Stage="Closed Lost")
    async with new_http(RoutedTransport(zoho.accounts_route)) as http:
        client = zoho_client(zoho, http, clock)
        (page,) = await all_pages(client)
        won = next(record for record in page.records if record.record_id == first)
        assert (won.system, won.kind, won.state, won.amount) == (CrmSystem.ZOHO, RecordKind.DEAL, DealState.WON,
                                                                  Decimal(1000))  # fmt: skip
        assert (won.day, won.owner, won.title, won.account) == (
            date(2026, 11, 2),
            "Li Wei",
            "Deal 1",
            "Account 0",
        )
        assert [r.state for r in page.records][-1] is DealState.LOST
        zoho.update_deal(second, datetime(2026, 11, 25, tzinfo=UTC), Amount=9999)
        again = await all_pages(client, page.cursor)
    # From the cursor: the record modified at the cursor's instant again, and the one changed since.
    assert [[r.record_id for r in p.records] for p in again] == [[lost, second]]
    assert again[0].records[-1].amount == Decimal(9999)


async def test_deleted_deals_are_listed_from_their_cursor(zoho: FakeZoho, clock: FakeClock) -> None:
    ids = zoho.add_deals(5, start=START)
    zoho.delete_deal(ids[0], datetime(2026, 11, 10, tzinfo=UTC))
    zoho.delete_deal(ids[1], datetime(2026, 11, 12, tzinfo=UTC))
    async with new_http(RoutedTransport(zoho.accounts_route)) as http:
        client = zoho_client(zoho, http, clock)
        pages = [page async for page in client.deletions(None)]
        assert [page.record_ids for page in pages] == [(ids[0], ids[1])]
        later = [page async for page in client.deletions(pages[-1].cursor)]
    assert [page.record_ids for page in later] == [(ids[1],)]
    assert all(query["type"] == [b"all"] for _, path, query in zoho.api_calls if path.endswith("/deleted"))


async def test_an_expired_token_mid_listing_is_refreshed_once_and_the_listing_goes_on(
    zoho: FakeZoho, clock: FakeClock
) -> None:
    zoho.add_deals(600, start=START)
    zoho.expire_after_deals_request = 2
    async with new_http(RoutedTransport(zoho.accounts_route)) as http:
        client = zoho_client(zoho, http, clock)
        pages = await all_pages(client)
    assert sum(len(page.records) for page in pages) == 600
    assert client.refreshes == 2


async def test_429_is_rate_limited_with_the_retry_after(zoho: FakeZoho, clock: FakeClock) -> None:
    zoho.add_deals(500, start=START)
    zoho.fail_deals_request = {2: 429}
    async with new_http(RoutedTransport(zoho.accounts_route)) as http:
        client, seen = zoho_client(zoho, http, clock), []
        with pytest.raises(CrmApiError) as raised:
            async for page in client.changes(None):
                seen.append(page)
    assert raised.value.problem is SyncProblem.RATE_LIMITED
    assert raised.value.retry_at == clock() + (datetime(2026, 1, 1, 0, 2) - datetime(2026, 1, 1))
    assert len(seen) == 1


async def test_a_server_error_or_no_server_is_unavailable(zoho: FakeZoho, clock: FakeClock) -> None:
    zoho.add_deals(1, start=START)
    zoho.fail_deals_request = {1: 500}
    async with new_http(RoutedTransport(zoho.accounts_route)) as http:
        with pytest.raises(CrmApiError) as raised:
            await all_pages(zoho_client(zoho, http, clock))
        assert raised.value.problem is SyncProblem.UNAVAILABLE
    async with new_http(RoutedTransport({"zoho.com": 1})) as http:  # nothing listens on port 1
        with pytest.raises(CrmApiError) as raised:
            await zoho_client(zoho, http, clock).connect()
        assert raised.value.problem is SyncProblem.UNAVAILABLE


async def test_fxiaoke_pages_of_a_hundred_for_opportunities_and_orders(
    fx: FakeFxiaoke, clock: FakeClock
) -> None:
    fx.add_opportunities(250, start=START)
    fx.add_orders(30, start=START)
    async with new_http(RoutedTransport({"fxiaoke.com": fx.port})) as http:
        client = fx_client(fx, http, clock)
        await client.connect()
        pages = await all_pages(client)
    assert [len(page.records) for page in pages] == [100, 100, 50, 30]
    assert [(q["offset"], q["limit"]) for q in fx.queries] == [(0, 100), (100, 100), (200, 100), (0, 100)]
    deal, order = pages[0].records[0], pages[-1].records[0]
    assert (deal.kind, deal.state, deal.amount, deal.day) == (RecordKind.DEAL, DealState.WON, Decimal(50000),
                                                              date(2026, 11, 2))  # fmt: skip
    assert (order.kind, order.state, order.title) == (RecordKind.ORDER, DealState.WON, "SO-2026-00001")


async def test_fxiaoke_resumes_from_its_cursor_and_reports_voided_records(
    fx: FakeFxiaoke, clock: FakeClock
) -> None:
    ids = fx.add_opportunities(5, start=START)
    async with new_http(RoutedTransport({"fxiaoke.com": fx.port})) as http:
        client = fx_client(fx, http, clock)
        pages = await all_pages(client)
        fx.update("NewOpportunityObj", ids[1], datetime(2026, 11, 20, tzinfo=UTC), life_status="invalid")
        again = await all_pages(client, pages[-1].cursor)
    assert [r.record_id for p in again for r in p.records] == [ids[4]]
    assert [p.removed for p in again if p.removed] == [(ids[1],)]


async def test_fxiaoke_expired_token_is_refreshed_once(fx: FakeFxiaoke, clock: FakeClock) -> None:
    fx.add_opportunities(150, start=START)
    fx.expire_after_query = 1
    async with new_http(RoutedTransport({"fxiaoke.com": fx.port})) as http:
        client = fx_client(fx, http, clock)
        pages = await all_pages(client)
    assert sum(len(p.records) for p in pages) == 150 and client.refreshes == 2


async def test_fxiaoke_quota_and_refusal(fx: FakeFxiaoke, clock: FakeClock) -> None:
    fx.add_opportunities(150, start=START)
    fx.quota_left = 1
    async with new_http(RoutedTransport({"fxiaoke.com": fx.port})) as http:
        with pytest.raises(CrmApiError) as raised:
            await all_pages(fx_client(fx, http, clock))
        assert raised.value.problem is SyncProblem.QUOTA
        wrong = fx_client(fx, http, clock)
        wrong.credentials.values["app_secret"] = "not-the-secret"
        with pytest.raises(CrmApiError) as refused:
            await wrong.connect()
    assert refused.value.problem is SyncProblem.REFUSED and "not-the-secret" not in str(refused.value)
