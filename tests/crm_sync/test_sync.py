"""Scheduled syncs against the fake CRMs, on the database under test (SQLite, or PostgreSQL)."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.core.crm.records import CrmSystem
from bot.core.lifecycle.crm_connections import ConnectionStatus
from bot.scheduler.crm_sync import CrmSyncConfig, CrmSyncJobs
from bot.services.container import Services, build_services
from bot.services.crm_secrets import CrmSecrets
from bot.settings import Settings
from tests.auxil.clock import FakeClock
from tests.crm_sync.helpers import (
    KEY,
    connection_row,
    fxiaoke_credentials,
    insert_connection,
    insert_user,
    record_count,
    stored_records,
    zoho_credentials,
)
from tests.fakes.fxiaoke_server import FakeFxiaoke, serve_fxiaoke
from tests.fakes.routing import RoutedTransport
from tests.fakes.zoho_server import FakeZoho, serve_zoho

START = datetime(2026, 11, 2, 1, 0, tzinfo=UTC)


@pytest.fixture
async def zoho() -> AsyncIterator[FakeZoho]:
    async with serve_zoho() as fake:
        yield fake


@pytest.fixture
async def fx() -> AsyncIterator[FakeFxiaoke]:
    async with serve_fxiaoke() as fake:
        yield fake


def crm_services(
    settings: Settings, clock: FakeClock, engine: AsyncEngine, route: dict[str, int], **overrides: object
) -> Services:
    keyed = settings.model_copy(update={"crm_secret_key": settings.crm_secret_key or _key(), **overrides})
    services = build_services(keyed, clock, engine=engine)
    services.crm_transport = RoutedTransport(route)
    return services


def _key():  # type: ignore[no-untyped-def]
    from pydantic import SecretStr

    return SecretStr(KEY)


@pytest.fixture
async def user(engine: AsyncEngine, clock: FakeClock) -> int:
    return await insert_user(engine, clock())


async def test_a_sync_writes_the_deals_once_and_waits_for_its_next_slot(
    settings: Settings, clock: FakeClock, engine: AsyncEngine, zoho: FakeZoho, user: int
) -> None:
    zoho.add_deals(450, start=START)
    connection_id = await insert_connection(engine, clock(), zoho_credentials(zoho))
    jobs = CrmSyncJobs(crm_services(settings, clock, engine, zoho.accounts_route))
    slot = clock()
    report = await jobs.tick()
    assert (report.synced, report.stopped) == (1, 0)
    row = await connection_row(engine, connection_id)
    assert (row.status, row.last_added, row.total_records, row.last_error) == (
        ConnectionStatus.CONNECTED,
        450,
        450,
        None,
    )
    assert (row.last_slot, row.next_sync_at, row.claimed_by) == (slot, slot + timedelta(hours=1), None)
    assert row.cursor == max(deal["Modified_Time"] for deal in zoho.deals.values())
    assert await record_count(engine) == 450
    # Nothing due until the next slot; then only what changed since the cursor.
    assert (await jobs.tick()).synced == 0
    zoho.update_deal(next(iter(zoho.deals)), clock(), Amount=123_456)
    clock.advance(hours=1)
    assert (await jobs.tick()).synced == 1
    row = await connection_row(engine, connection_id)
    assert (row.last_added, row.last_changed, row.total_records) == (0, 1, 450)
    assert await record_count(engine) == 450


async def test_more_than_two_thousand_changes_page_on_with_page_token(
    settings: Settings, clock: FakeClock, engine: AsyncEngine, zoho: FakeZoho, user: int
) -> None:
    zoho.add_deals(2_100, start=START)
    await insert_connection(engine, clock(), zoho_credentials(zoho))
    report = await CrmSyncJobs(crm_services(settings, clock, engine, zoho.accounts_route)).tick()
    # 11 pages of deals (the last 100), then no deletions (Zoho answers 204).
    assert report.synced == 1 and report.results[0].pages == 11
    assert await record_count(engine) == 2_100
    assert any("page_token" in query for _, path, query in zoho.api_calls if path == "/crm/v8/Deals")


async def test_deleted_deals_are_reversed(
    settings: Settings, clock: FakeClock, engine: AsyncEngine, zoho: FakeZoho, user: int
) -> None:
    ids = zoho.add_deals(5, start=START)
    connection_id = await insert_connection(engine, clock(), zoho_credentials(zoho))
    jobs = CrmSyncJobs(crm_services(settings, clock, engine, zoho.accounts_route))
    await jobs.tick()
    zoho.delete_deal(ids[2], clock())
    clock.advance(hours=1)
    await jobs.tick()
    removed = {row.record_id for row in await stored_records(engine) if row.removed_at is not None}
    assert removed == {ids[2]}
    row = await connection_row(engine, connection_id)
    assert (row.last_removed, row.deleted_cursor) == (1, zoho.deleted[0]["deleted_time"])


async def test_a_429_keeps_the_pages_written_and_tries_again_when_the_crm_says(
    settings: Settings, clock: FakeClock, engine: AsyncEngine, zoho: FakeZoho, user: int
) -> None:
    zoho.add_deals(500, start=START)
    zoho.fail_deals_request = {2: 429}
    connection_id = await insert_connection(engine, clock(), zoho_credentials(zoho))
    jobs = CrmSyncJobs(crm_services(settings, clock, engine, zoho.accounts_route))
    report = await jobs.tick()
    assert (report.synced, report.stopped) == (0, 1)
    row = await connection_row(engine, connection_id)
    assert (row.status, row.last_error) == (ConnectionStatus.LIMITED, "rate_limited")
    assert row.next_sync_at == clock() + timedelta(seconds=zoho.retry_after)
    assert await record_count(engine) == 200  # page 1 stays written
    assert (await jobs.tick()).synced == 0  # not before the CRM's Retry-After
    clock.advance(seconds=zoho.retry_after)
    assert (await jobs.tick()).synced == 1
    row = await connection_row(engine, connection_id)
    assert (row.status, row.last_error, row.total_records) == (ConnectionStatus.CONNECTED, None, 500)
    records = await stored_records(engine)
    assert len(records) == len({r.record_id for r in records}) == 500


async def test_an_expired_token_mid_sync_is_refreshed_once_and_the_sync_goes_on(
    settings: Settings, clock: FakeClock, engine: AsyncEngine, zoho: FakeZoho, user: int
) -> None:
    zoho.add_deals(700, start=START)
    zoho.expire_after_deals_request = 2
    await insert_connection(engine, clock(), zoho_credentials(zoho))
    report = await CrmSyncJobs(crm_services(settings, clock, engine, zoho.accounts_route)).tick()
    assert report.synced == 1 and len(zoho.token_calls) == 2
    assert await record_count(engine) == 700


async def test_a_sync_that_fails_on_page_three_resumes_at_the_next_slot_without_doubles(
    settings: Settings, clock: FakeClock, engine: AsyncEngine, zoho: FakeZoho, user: int
) -> None:
    zoho.add_deals(900, start=START)
    zoho.fail_deals_request = {3: 500}
    connection_id = await insert_connection(engine, clock(), zoho_credentials(zoho))
    jobs = CrmSyncJobs(crm_services(settings, clock, engine, zoho.accounts_route))
    await jobs.tick()
    row = await connection_row(engine, connection_id)
    assert (row.status, row.last_error, row.last_slot) == (ConnectionStatus.FAILING, "unavailable", None)
    assert await record_count(engine) == 400
    clock.advance(hours=1)
    assert (await jobs.tick()).synced == 1
    records = await stored_records(engine)
    assert len(records) == len({r.record_id for r in records}) == 900
    assert (await connection_row(engine, connection_id)).total_records == 900


async def test_a_sync_killed_midway_is_resumed_after_its_lease_without_doubles_or_losses(
    settings: Settings, clock: FakeClock, engine: AsyncEngine, zoho: FakeZoho, user: int
) -> None:
    zoho.add_deals(700, start=START)
    zoho.pause_deals_request = 3
    connection_id = await insert_connection(engine, clock(), zoho_credentials(zoho))
    services = crm_services(settings, clock, engine, zoho.accounts_route)
    first = asyncio.create_task(CrmSyncJobs(services, CrmSyncConfig(worker="killed")).tick())
    await zoho.paused.wait()
    first.cancel()  # the process dies while page 3 is on its way
    with pytest.raises(asyncio.CancelledError):
        await first
    zoho.resume.set()
    assert await record_count(engine) == 400
    other = CrmSyncJobs(services, CrmSyncConfig(worker="other"))
    assert (await other.tick()).synced == 0  # the dead sync's lease still holds the connection
    clock.advance(seconds=settings.crm_sync_lease_seconds + 1)
    assert (await other.tick()).synced == 1
    records = await stored_records(engine)
    assert len(records) == len({r.record_id for r in records}) == 700
    row = await connection_row(engine, connection_id)
    assert (row.claimed_by, row.status, row.total_records) == (None, ConnectionStatus.CONNECTED, 700)


async def test_two_dispatchers_racing_run_one_sync_of_the_connection(
    settings: Settings, clock: FakeClock, engine: AsyncEngine, zoho: FakeZoho, user: int
) -> None:
    zoho.add_deals(300, start=START)
    await insert_connection(engine, clock(), zoho_credentials(zoho))
    services = crm_services(settings, clock, engine, zoho.accounts_route)
    one, two = (
        CrmSyncJobs(services, CrmSyncConfig(worker="one")),
        CrmSyncJobs(services, CrmSyncConfig(worker="two")),
    )
    reports = await asyncio.gather(one.tick(), two.tick())
    assert sorted(report.synced for report in reports) == [0, 1]
    assert len(zoho.token_calls) == 1  # the loser never asked Zoho for anything
    assert await record_count(engine) == 300


async def test_credentials_at_rest_are_sealed(
    settings: Settings, clock: FakeClock, engine: AsyncEngine, zoho: FakeZoho, user: int
) -> None:
    connection_id = await insert_connection(engine, clock(), zoho_credentials(zoho))
    row = await connection_row(engine, connection_id)
    for secret in zoho_credentials(zoho).values():
        assert secret not in row.credentials
    assert CrmSecrets(KEY).open(row.credentials) == zoho_credentials(zoho)


async def test_without_the_key_nothing_syncs(
    settings: Settings, clock: FakeClock, engine: AsyncEngine, zoho: FakeZoho, user: int
) -> None:
    zoho.add_deals(3, start=START)
    await insert_connection(engine, clock(), zoho_credentials(zoho))
    services = build_services(settings, clock, engine=engine)
    assert settings.crm_secret_key is None
    assert (await CrmSyncJobs(services).tick()).synced == 0
    assert zoho.token_calls == [] and await record_count(engine) == 0


async def test_refused_credentials_stop_the_syncs_until_connected_again(
    settings: Settings, clock: FakeClock, engine: AsyncEngine, zoho: FakeZoho, user: int
) -> None:
    credentials = {**zoho_credentials(zoho), "refresh_token": "1000.revoked"}
    connection_id = await insert_connection(engine, clock(), credentials)
    jobs = CrmSyncJobs(crm_services(settings, clock, engine, zoho.accounts_route))
    await jobs.tick()
    row = await connection_row(engine, connection_id)
    assert (row.status, row.last_error) == (ConnectionStatus.REFUSED, "refused")
    clock.advance(hours=2)
    assert (await jobs.tick()).results == [] and len(zoho.token_calls) == 1


async def test_fxiaoke_opportunities_and_orders_sync_in_pages_of_a_hundred(
    settings: Settings, clock: FakeClock, engine: AsyncEngine, fx: FakeFxiaoke, user: int
) -> None:
    opportunities = fx.add_opportunities(230, start=START)
    fx.add_orders(20, start=START)
    connection_id = await insert_connection(
        engine, clock(), fxiaoke_credentials(fx), system=CrmSystem.FXIAOKE, data_centre=""
    )
    jobs = CrmSyncJobs(crm_services(settings, clock, engine, {"fxiaoke.com": fx.port}))
    assert (await jobs.tick()).synced == 1
    assert await record_count(engine) == 250
    assert [q["offset"] for q in fx.queries] == [0, 100, 200, 0]
    fx.update("NewOpportunityObj", opportunities[0], clock(), life_status="invalid")
    fx.quota_left = 0
    clock.advance(hours=1)
    await jobs.tick()
    row = await connection_row(engine, connection_id)
    assert (row.status, row.last_error) == (ConnectionStatus.LIMITED, "quota")
    fx.quota_left = None
    clock.advance(hours=1)
    assert (await jobs.tick()).synced == 1
    removed = [r.record_id for r in await stored_records(engine) if r.removed_at is not None]
    assert removed == [opportunities[0]]
