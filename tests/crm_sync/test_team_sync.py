"""A team's CRM connection (issue 14 item 5, teamsync14) against the fake Zoho and Fxiaoke servers, on the
database under test: records split by owner with the team's owner links, unmatched owners held until the
manager matches them, each member told once per sync, and the per-user sync's guarantees kept."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest
from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession

from bot.core.crm.records import CrmSystem
from bot.scheduler.crm_sync import CrmSyncConfig, CrmSyncJobs
from bot.services.crm_team_sync import match_owner
from bot.settings import Settings
from bot.storage.crm_models import CrmRecordRow
from bot.storage.crm_sync_models import CrmConnection, CrmHeldRecord
from bot.storage.message_models import OutboxMessage
from bot.storage.models import User
from bot.storage.repositories.crm_owner_links import CrmOwnerLinkRepository
from tests.auxil.clock import FakeClock
from tests.auxil.teams import insert_team
from tests.crm_sync.helpers import fxiaoke_credentials, insert_connection, zoho_credentials
from tests.crm_sync.test_sync import crm_services
from tests.fakes.fxiaoke_server import FakeFxiaoke, serve_fxiaoke
from tests.fakes.zoho_server import FakeZoho, serve_zoho

START = datetime(2026, 11, 2, 1, 0, tzinfo=UTC)
MANAGER, WANG, ZHAO, LEFT = 31_000_001, 31_000_002, 31_000_003, 31_000_004
WANG_IDS, ZHAO_IDS, SUN_IDS = 4150868000000100000, 4150868000000200000, 4150868000000300000


@pytest.fixture
async def zoho() -> AsyncIterator[FakeZoho]:
    async with serve_zoho() as fake:
        yield fake


@pytest.fixture
async def fx() -> AsyncIterator[FakeFxiaoke]:
    async with serve_fxiaoke() as fake:
        yield fake


async def team_with_links(engine: AsyncEngine, now: datetime, links: dict[str, int | None]) -> int:
    team_id = await insert_team(engine, MANAGER, [WANG, ZHAO], now)
    async with AsyncSession(engine) as session, session.begin():
        for user_id, name in ((MANAGER, "Boss"), (WANG, "Wang"), (ZHAO, "Zhao")):
            await session.execute(update(User).where(User.id == user_id).values(first_name=name))
        keyed = {"".join(owner.split()).casefold(): (owner, member) for owner, member in links.items()}
        await CrmOwnerLinkRepository(session).put(team_id, keyed, now)
    return team_id


async def team_connection(engine: AsyncEngine, now: datetime, team_id: int, credentials: dict[str, str],
                          system: CrmSystem = CrmSystem.ZOHO) -> int:  # fmt: skip
    data_centre = "com" if system is CrmSystem.ZOHO else ""
    connection_id = await insert_connection(engine, now, credentials, system=system, data_centre=data_centre,
                                            user_id=MANAGER)  # fmt: skip
    async with AsyncSession(engine) as session, session.begin():
        await session.execute(
            update(CrmConnection).where(CrmConnection.id == connection_id).values(team_id=team_id)
        )
    return connection_id


async def records_of(engine: AsyncEngine, user_id: int) -> dict[str, CrmRecordRow]:
    async with AsyncSession(engine) as session:
        statement = select(CrmRecordRow).where(CrmRecordRow.user_id == user_id)
        return {row.record_id: row for row in await session.scalars(statement)}


async def revenue(engine: AsyncEngine, user_id: int) -> Decimal:
    """The won amount the member's results hold from the CRM: their live won records' entries."""
    async with AsyncSession(engine) as session:
        statement = select(CrmRecordRow.amount).where(
            CrmRecordRow.user_id == user_id, CrmRecordRow.removed_at.is_(None), CrmRecordRow.state == "won"
        )
        return sum((Decimal(amount or 0) for amount in await session.scalars(statement)), Decimal(0))


async def notices(engine: AsyncEngine, user_id: int) -> list[str]:
    async with AsyncSession(engine) as session:
        statement = (
            select(OutboxMessage.text).where(OutboxMessage.chat_id == user_id).order_by(OutboxMessage.id)
        )
        return list(await session.scalars(statement))


async def held(engine: AsyncEngine) -> list[CrmHeldRecord]:
    async with AsyncSession(engine) as session:
        return list(await session.scalars(select(CrmHeldRecord).order_by(CrmHeldRecord.id)))


def three_owners(zoho: FakeZoho) -> None:
    zoho.add_deals(250, start=START, owner="Wang Fang", first_id=WANG_IDS)  # two pages
    zoho.add_deals(5, start=START + timedelta(hours=1), owner="zhao  lei", first_id=ZHAO_IDS, amount=5000)
    zoho.add_deals(3, start=START + timedelta(hours=2), owner="Sun Li", first_id=SUN_IDS, amount=7000)


async def test_a_team_sync_splits_by_owner_holds_the_unmatched_and_writes_them_once_matched(
    settings: Settings, clock: FakeClock, engine: AsyncEngine, zoho: FakeZoho
) -> None:
    team_id = await team_with_links(engine, clock(), {"Wang Fang": WANG, "Zhao Lei": ZHAO})
    connection_id = await team_connection(engine, clock(), team_id, zoho_credentials(zoho))
    three_owners(zoho)
    services = crm_services(settings, clock, engine, zoho.accounts_route)
    jobs = CrmSyncJobs(services)
    report = await jobs.tick()
    assert report.synced == 1 and report.results[0].held == 3 and report.results[0].pages >= 2
    assert len(await records_of(engine, WANG)) == 250 and len(await records_of(engine, ZHAO)) == 5
    assert await records_of(engine, MANAGER) == {}
    assert {row.owner_name for row in await held(engine)} == {"Sun Li"} and len(await held(engine)) == 3
    wang_total = sum(Decimal(1000 + n) for n in range(250))
    assert await revenue(engine, WANG) == wang_total and await revenue(engine, ZHAO) == sum(
        Decimal(5000 + n) for n in range(5)
    )
    # Each mapped member told once for the whole sync (two pages for Wang), the manager not at all.
    wang_notices, zhao_notices = await notices(engine, WANG), await notices(engine, ZHAO)
    assert len(wang_notices) == 1 and "250 won deals" in wang_notices[0] and "Boss" in wang_notices[0]
    assert len(zhao_notices) == 1 and "5 won deals" in zhao_notices[0]
    assert await notices(engine, MANAGER) == []

    # The manager matches Sun Li to Zhao: the held records are written at once, and told once.
    first_held = (await held(engine))[0].id
    async with AsyncSession(engine) as session, session.begin():
        connection = await session.get(CrmConnection, connection_id)
        assert connection is not None
        match = await match_owner(session, connection, first_held, ZHAO, clock(), "en")
    assert match is not None and (match.owner_name, match.written) == ("Sun Li", 3)
    assert len(await records_of(engine, ZHAO)) == 8 and await held(engine) == []
    assert len(await notices(engine, ZHAO)) == 2

    # A re-sync changes nothing and tells nobody.
    clock.advance(hours=1)
    report = await jobs.tick()
    assert report.synced == 1 and (report.results[0].added, report.results[0].changed) == (0, 0)
    assert len(await records_of(engine, ZHAO)) == 8 and len(await notices(engine, ZHAO)) == 2
    assert len(await notices(engine, WANG)) == 1

    # A later Sun Li deal goes straight to Zhao through the link the match kept.
    zoho.add_deals(1, start=clock(), owner="Sun Li", first_id=SUN_IDS + 50, amount=1)
    # An updated deal and a deal that left won.
    wang_first, wang_second = str(WANG_IDS), str(WANG_IDS + 1)
    zoho.update_deal(wang_first, clock(), Amount=99_999)
    zoho.update_deal(wang_second, clock(), Stage="Closed Lost")
    clock.advance(hours=1)
    report = await jobs.tick()
    assert report.synced == 1
    assert await revenue(engine, WANG) == wang_total - 1000 - 1001 + 99_999
    assert len(await records_of(engine, ZHAO)) == 9
    assert (await notices(engine, WANG))[1:] == [
        "Imported by your manager Boss from Zoho CRM: 1 won deal, CN¥99,999; 1 deal no longer won, taken back."
    ]


async def test_an_owner_not_in_the_team_is_ignored_for_good_and_a_moved_deal_leaves_its_member(
    settings: Settings, clock: FakeClock, engine: AsyncEngine, zoho: FakeZoho
) -> None:
    team_id = await team_with_links(engine, clock(), {"Wang Fang": WANG, "Zhao Lei": ZHAO, "Sun Li": None})
    await team_connection(engine, clock(), team_id, zoho_credentials(zoho))
    three_owners(zoho)
    jobs = CrmSyncJobs(crm_services(settings, clock, engine, zoho.accounts_route))
    report = await jobs.tick()
    assert report.results[0].held == 0 and await held(engine) == []
    # A Wang deal handed to an owner nobody matched yet: out of Wang's results, held for the manager.
    zoho.update_deal(str(WANG_IDS), clock(), Owner={"name": "Qian Bo", "id": "9"})
    clock.advance(hours=1)
    await jobs.tick()
    wang = await records_of(engine, WANG)
    assert wang[str(WANG_IDS)].removed_at is not None
    assert [row.owner_name for row in await held(engine)] == ["Qian Bo"]


async def test_a_member_who_left_the_team_gets_nothing_more(
    settings: Settings, clock: FakeClock, engine: AsyncEngine, zoho: FakeZoho
) -> None:
    team_id = await team_with_links(engine, clock(), {"Wang Fang": WANG, "Zhao Lei": ZHAO})
    await team_connection(engine, clock(), team_id, zoho_credentials(zoho))
    from bot.core.teams.lifecycles import MembershipStatus
    from bot.storage.team_models import TeamMember

    async with AsyncSession(engine) as session, session.begin():
        await session.execute(
            update(TeamMember).where(TeamMember.user_id == ZHAO).values(status=MembershipStatus.LEFT)
        )
    three_owners(zoho)
    await CrmSyncJobs(crm_services(settings, clock, engine, zoho.accounts_route)).tick()
    assert await records_of(engine, ZHAO) == {} and await notices(engine, ZHAO) == []
    assert len(await records_of(engine, WANG)) == 250


async def test_a_team_sync_killed_midway_resumes_without_doubles_and_tells_once(
    settings: Settings, clock: FakeClock, engine: AsyncEngine, zoho: FakeZoho
) -> None:
    team_id = await team_with_links(engine, clock(), {"Wang Fang": WANG, "Zhao Lei": ZHAO})
    await team_connection(engine, clock(), team_id, zoho_credentials(zoho))
    zoho.add_deals(500, start=START, owner="Wang Fang", first_id=WANG_IDS)
    zoho.add_deals(200, start=START + timedelta(hours=1), owner="Zhao Lei", first_id=ZHAO_IDS)
    zoho.add_deals(10, start=START + timedelta(hours=2), owner="Sun Li", first_id=SUN_IDS)
    zoho.pause_deals_request = 3
    services = crm_services(settings, clock, engine, zoho.accounts_route)
    first = asyncio.create_task(CrmSyncJobs(services, CrmSyncConfig(worker="killed")).tick())
    await zoho.paused.wait()
    first.cancel()  # the process dies while page 3 is on its way
    with pytest.raises(asyncio.CancelledError):
        await first
    zoho.resume.set()
    assert len(await records_of(engine, WANG)) == 400 and await notices(engine, WANG) == []
    clock.advance(seconds=settings.crm_sync_lease_seconds + 1)
    assert (await CrmSyncJobs(services, CrmSyncConfig(worker="other")).tick()).synced == 1
    assert len(await records_of(engine, WANG)) == 500 and len(await records_of(engine, ZHAO)) == 200
    assert len(await held(engine)) == 10
    assert await revenue(engine, WANG) == sum(Decimal(1000 + n) for n in range(500))
    # The pages written before the kill are told with the rest: once.
    wang_notices = await notices(engine, WANG)
    assert len(wang_notices) == 1 and "500 won deals" in wang_notices[0]


async def test_a_fxiaoke_team_sync_splits_by_owner_and_a_deletion_reverses_the_members_record(
    settings: Settings, clock: FakeClock, engine: AsyncEngine, fx: FakeFxiaoke
) -> None:
    team_id = await team_with_links(engine, clock(), {"1001": WANG, "1002": ZHAO})
    await team_connection(engine, clock(), team_id, fxiaoke_credentials(fx), CrmSystem.FXIAOKE)
    wang_ids = fx.add_opportunities(3, start=START, owner="1001")
    fx.add_opportunities(2, start=START + timedelta(hours=1), owner="1002", first=100)
    fx.add_opportunities(1, start=START + timedelta(hours=2), owner="1003", first=200)
    jobs = CrmSyncJobs(crm_services(settings, clock, engine, {"fxiaoke.com": fx.port}))
    report = await jobs.tick()
    assert report.synced == 1 and report.results[0].held == 1
    assert len(await records_of(engine, WANG)) == 3 and len(await records_of(engine, ZHAO)) == 2
    assert len(await notices(engine, WANG)) == 1
    fx.update("NewOpportunityObj", wang_ids[0], clock(), life_status="invalid")
    clock.advance(hours=1)
    await jobs.tick()
    assert (await records_of(engine, WANG))[wang_ids[0]].removed_at is not None


async def test_an_owner_matched_to_not_in_the_team_drops_their_held_records_and_later_ones(
    settings: Settings, clock: FakeClock, engine: AsyncEngine, zoho: FakeZoho
) -> None:
    team_id = await team_with_links(engine, clock(), {"Wang Fang": WANG, "Zhao Lei": ZHAO})
    connection_id = await team_connection(engine, clock(), team_id, zoho_credentials(zoho))
    three_owners(zoho)
    jobs = CrmSyncJobs(crm_services(settings, clock, engine, zoho.accounts_route))
    await jobs.tick()
    first_held = (await held(engine))[0].id
    async with AsyncSession(engine) as session, session.begin():
        connection = await session.get(CrmConnection, connection_id)
        assert connection is not None
        # A forged member (not in the team) is refused and changes nothing.
        assert await match_owner(session, connection, first_held, LEFT, clock(), "en") is None
    assert len(await held(engine)) == 3
    async with AsyncSession(engine) as session, session.begin():
        connection = await session.get(CrmConnection, connection_id)
        assert connection is not None
        match = await match_owner(session, connection, first_held, None, clock(), "en")
    assert match is not None and (match.member_id, match.written) == (None, 0)
    assert await held(engine) == []
    zoho.add_deals(2, start=clock(), owner="sun li", first_id=SUN_IDS + 50)
    clock.advance(hours=1)
    report = await jobs.tick()
    assert report.synced == 1 and report.results[0].held == 0 and await held(engine) == []
    assert len(await records_of(engine, WANG)) == 250 and len(await records_of(engine, ZHAO)) == 5
