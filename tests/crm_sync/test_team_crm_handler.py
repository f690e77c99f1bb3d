"""/crm for a team's CRM connection (teamsync14) through the real Application and the in-process Bot API,
against the fake Zoho: connecting for a team, the card's per-member counts and unmatched owners, Match now,
what a member sees, and every team press checked against the teams the presser still manages."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from datetime import UTC, datetime, timedelta

import pytest
from pydantic import SecretStr
from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession

from bot.core.teams.roles import Role
from bot.scheduler.crm_sync import CrmSyncJobs
from bot.services.container import Services
from bot.settings import Settings
from bot.storage.crm_models import CrmRecordRow
from bot.storage.crm_sync_models import CrmConnection, CrmHeldRecord
from bot.storage.message_models import OutboxMessage
from bot.storage.models import User
from bot.storage.repositories.crm_owner_links import CrmOwnerLinkRepository
from bot.storage.team_models import TeamMember
from bot.telegram.context import BotApplication
from tests.auxil.chat import Chat, labels, texts
from tests.auxil.clock import FakeClock
from tests.auxil.team_goals import deliver_outbox
from tests.auxil.teams import insert_team
from tests.crm_sync.helpers import KEY
from tests.fakes.fxiaoke_server import FakeFxiaoke, serve_fxiaoke
from tests.fakes.routing import RoutedTransport
from tests.fakes.zoho_server import FakeZoho, serve_zoho

START = datetime(2026, 11, 20, 1, 0, tzinfo=UTC)
MANAGER, WANG, ZHAO, OTHER_MANAGER = 32_000_001, 32_000_002, 32_000_003, 32_000_004
SUN_IDS = 4150868000000300000


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


async def prepare(engine: AsyncEngine, now: datetime, language: str = "en") -> int:
    team_id = await insert_team(engine, MANAGER, [WANG, ZHAO], now)
    async with AsyncSession(engine) as session, session.begin():
        for user_id, name in ((MANAGER, "Boss"), (WANG, "Wang"), (ZHAO, "Zhao")):
            await session.execute(
                update(User).where(User.id == user_id).values(first_name=name, language=language)
            )
        await CrmOwnerLinkRepository(session).put(
            team_id, {"wangfang": ("Wang Fang", WANG), "zhaolei": ("Zhao Lei", ZHAO)}, now
        )
    return team_id


async def connections(engine: AsyncEngine) -> list[CrmConnection]:
    async with AsyncSession(engine) as session:
        return list((await session.scalars(select(CrmConnection))).all())


async def count_of(engine: AsyncEngine, user_id: int) -> int:
    async with AsyncSession(engine) as session:
        return len(
            list(await session.scalars(select(CrmRecordRow.id).where(CrmRecordRow.user_id == user_id)))
        )


async def held(engine: AsyncEngine) -> list[CrmHeldRecord]:
    async with AsyncSession(engine) as session:
        return list(await session.scalars(select(CrmHeldRecord)))


async def outbox(engine: AsyncEngine, user_id: int) -> list[str]:
    async with AsyncSession(engine) as session:
        return list(await session.scalars(select(OutboxMessage.text).where(OutboxMessage.chat_id == user_id)))


async def connect_for_team(chat: Chat, zoho: FakeZoho, team_button: str, connect: str) -> list[str]:
    await chat.send("/crm")
    whose = await chat.press(connect)
    pressed = await chat.press(team_button)
    await chat.press(".com")
    said = await chat.send(f"{zoho.client_id}\n{zoho.client_secret}\n{zoho.refresh_token}")
    return [texts(whose), texts(pressed), texts(said)]


def three_owners(zoho: FakeZoho) -> None:
    zoho.add_deals(4, start=START, owner="Wang Fang", first_id=4150868000000100000)
    zoho.add_deals(2, start=START + timedelta(hours=1), owner="Zhao Lei", first_id=4150868000000200000)
    zoho.add_deals(3, start=START + timedelta(hours=2), owner="Sun Li", first_id=SUN_IDS)


async def test_a_manager_connects_for_the_team_sees_the_counts_and_matches_the_unknown_owner(
    app: BotApplication,
    make_chat: Callable[..., Chat],
    services: Services,
    clock: FakeClock,
    engine: AsyncEngine,
    zoho: FakeZoho,
) -> None:
    team_id = await prepare(engine, clock())
    manager = make_chat(user_id=MANAGER, first_name="Boss")
    whose, _pressed, said = await connect_for_team(
        manager, zoho, "👥 Team East China KA", "➕ Connect Zoho CRM"
    )
    assert "Connect it for you alone, or for a team you manage?" in whose
    assert "Connected to Zoho CRM." in said
    (row,) = await connections(engine)
    assert (row.user_id, row.team_id) == (MANAGER, team_id)
    three_owners(zoho)
    await CrmSyncJobs(services).tick()
    assert (await count_of(engine, WANG), await count_of(engine, ZHAO), await count_of(engine, MANAGER)) == (
        4,
        2,
        0,
    )
    card = (await manager.send("/crm"))[-1]
    assert "For the team East China KA: each deal goes to its owner's results." in card.text
    assert "Records in members' results: Wang 4, Zhao 2." in card.text
    assert "3 records from owners not yet matched: Match now." in card.text
    assert "🔗 Match now" in labels(card)
    asked = await manager.press("🔗 Match now", on=card)
    assert "“Sun Li” owns 3 records in Zoho CRM. Which member is this?" in texts(asked)
    assert labels(asked[-1]) == ["Boss", "Wang", "Zhao", "🚫 Not in the team"]
    said = texts(await manager.press("Zhao"))
    assert "“Sun Li” is Zhao: 3 records written to their results." in said
    assert "Every owner is matched: nothing waits." in said
    assert await count_of(engine, ZHAO) == 5 and await held(engine) == []
    assert len(await outbox(engine, ZHAO)) == 2  # the sync's notice, then the match's
    # The same button again: the held row is gone, an old button.
    assert "old message" in texts(await manager.press("Zhao", on=asked[-1]))
    assert await count_of(engine, ZHAO) == 5
    # A member sees what feeds their results.
    member = make_chat(user_id=WANG, first_name="Wang")
    await deliver_outbox(app)
    clock.advance(seconds=5)
    seen = await member.send("/crm")
    assert "Your team East China KA's Zoho CRM feeds your results" in texts(seen)


async def test_the_chinese_manager_connects_by_typed_words_and_reads_the_card(
    make_chat: Callable[..., Chat], services: Services, clock: FakeClock, engine: AsyncEngine, zoho: FakeZoho
) -> None:
    team_id = await prepare(engine, clock(), language="zh_CN")
    manager = make_chat(user_id=MANAGER, first_name="Boss", language_code="zh-hans")
    await manager.send("/crm")
    assert "只为你自己连接，还是为你管理的团队连接？" in texts(await manager.press("➕ 连接 Zoho CRM"))
    assert "crm.zoho" in texts(await manager.send("团队 East China KA"))
    await manager.press(".com")
    await manager.send(f"{zoho.client_id}\n{zoho.client_secret}\n{zoho.refresh_token}")
    (row,) = await connections(engine)
    assert row.team_id == team_id
    three_owners(zoho)
    await CrmSyncJobs(services).tick()
    card = texts(await manager.send("/crm"))
    assert "团队 East China KA：每笔商机记入其负责人的结果。" in card
    assert "3 条记录的负责人尚未对应：立即对应。" in card


async def test_a_member_is_not_asked_for_whom_and_connects_only_for_themself(
    make_chat: Callable[..., Chat], clock: FakeClock, engine: AsyncEngine, zoho: FakeZoho
) -> None:
    await prepare(engine, clock())
    member = make_chat(user_id=WANG, first_name="Wang")
    await member.send("/crm")
    asked = texts(await member.press("➕ Connect Zoho CRM"))
    assert "Which Zoho data centre" in asked and "for a team you manage" not in asked
    # "team" typed where a data centre is asked is no data centre.
    assert "Please tap your Zoho data centre." in texts(await member.send("team East China KA"))
    await member.press(".com")
    await member.send(f"{zoho.client_id}\n{zoho.client_secret}\n{zoho.refresh_token}")
    (row,) = await connections(engine)
    assert (row.user_id, row.team_id) == (WANG, None)


async def test_a_forged_team_id_is_refused(
    make_chat: Callable[..., Chat], clock: FakeClock, engine: AsyncEngine, zoho: FakeZoho
) -> None:
    await prepare(engine, clock())
    foreign = await insert_team(engine, OTHER_MANAGER, [], clock(), name="North")
    manager = make_chat(user_id=MANAGER, first_name="Boss")
    await manager.send("/crm")
    whose = (await manager.press("➕ Connect Zoho CRM"))[-1]
    team_data = next(b["callback_data"] for row in whose.buttons for b in row if b["text"].startswith("👥"))
    forged = team_data.rsplit(":", 1)[0] + f":{foreign}"
    assert "Please tap “Me” or one of your teams." in texts(await manager.press_data(forged, on=whose))
    assert "Please tap “Me” or one of your teams." in texts(await manager.send("team North"))
    assert await connections(engine) == []


async def test_a_manager_no_longer_managing_the_team_gets_old_buttons_and_a_foreign_match_is_refused(
    make_chat: Callable[..., Chat], services: Services, clock: FakeClock, engine: AsyncEngine, zoho: FakeZoho
) -> None:
    team_id = await prepare(engine, clock())
    manager = make_chat(user_id=MANAGER, first_name="Boss")
    await connect_for_team(manager, zoho, "👥 Team East China KA", "➕ Connect Zoho CRM")
    three_owners(zoho)
    await CrmSyncJobs(services).tick()
    (row,) = await connections(engine)
    (first, *_rest) = await held(engine)
    card = (await manager.send("/crm"))[-1]
    # Another user presses this connection's buttons: refused.
    stranger = make_chat()
    await stranger.send("/crm")
    for data in (
        f"cr:match:{row.id}",
        f"cr:mo:{first.id}:{ZHAO}",
        f"cr:mo:{first.id}:0",
        f"cr:sync:{row.id}",
    ):
        assert "old message" in texts(await stranger.press_data(data))
    # A member id outside the team: refused, nothing written.
    assert "old message" in texts(await manager.press_data(f"cr:mo:{first.id}:{OTHER_MANAGER}", on=card))
    assert len(await held(engine)) == 3
    # The manager steps down to a member: the team connection's buttons stop answering (decision 4).
    async with AsyncSession(engine) as session, session.begin():
        await session.execute(
            update(TeamMember)
            .where(TeamMember.team_id == team_id, TeamMember.user_id == MANAGER)
            .values(role=Role.MEMBER)
        )
    for label in ("🔗 Match now", "🔄 Sync Zoho CRM now"):
        assert "old message" in texts(await manager.press(label, on=card))
    assert len(await held(engine)) == 3 and len(await connections(engine)) == 1
    before = await count_of(engine, WANG)
    # Nor does the scheduled sync read the CRM for a team its connector no longer runs; /crm says why.
    zoho.add_deals(2, start=START + timedelta(hours=5), owner="Wang Fang", first_id=4150868000000100900)
    async with AsyncSession(engine) as session, session.begin():
        await session.execute(update(CrmConnection).values(next_sync_at=clock()))
    await CrmSyncJobs(services).tick()
    (row,) = await connections(engine)
    assert (row.status, row.last_error) == ("failing", "not_managed")
    assert await count_of(engine, WANG) == before
    card = (await manager.send("/crm"))[-1]
    assert "you no longer run this team, so nothing is read from Zoho CRM for it" in card.text
    # Whoever gave the credentials may still take them back.
    asked = await manager.press("✖ Disconnect Zoho CRM", on=card)
    done = await manager.press("✖ Disconnect", on=asked[-1])
    assert "Disconnected from Zoho CRM: its credentials are deleted." in texts(done)
    assert await connections(engine) == []


async def test_disconnecting_a_team_connection_deletes_its_credentials_and_what_it_held(
    app: BotApplication,
    make_chat: Callable[..., Chat],
    services: Services,
    clock: FakeClock,
    engine: AsyncEngine,
    zoho: FakeZoho,
) -> None:
    await prepare(engine, clock())
    manager = make_chat(user_id=MANAGER, first_name="Boss")
    await connect_for_team(manager, zoho, "👥 Team East China KA", "➕ Connect Zoho CRM")
    three_owners(zoho)
    await CrmSyncJobs(services).tick()
    await manager.press("✖ Disconnect Zoho CRM", on=(await manager.send("/crm"))[-1])
    assert "its credentials are deleted" in texts(await manager.press("✖ Disconnect"))
    assert await connections(engine) == [] and await held(engine) == []
    assert await count_of(engine, WANG) == 4  # what reached the members stays theirs
    member = make_chat(user_id=WANG, first_name="Wang")
    await deliver_outbox(app)
    clock.advance(seconds=5)
    seen = texts(await member.send("/crm"))
    assert "No CRM is connected yet." in seen and "feeds your results" not in seen
