"""A manager's team export (issue 14, item 4): split by owner with the mapping the manager confirms once,
each consenting member's records written as theirs, each member told once in their language, and the
imported results in the team's roll-up with no extra step."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession

from bot.core.crm.records import CrmRecord, CrmSystem, DealState, RecordKind
from bot.services.crm_team_import import (
    TeamImportOutcome,
    owner_key,
    owners_of,
    propose_owner_mapping,
    write_team_records,
)
from bot.services.team_progress import team_figures
from bot.storage.crm_models import CrmRecordRow
from bot.storage.import_models import CrmImport, CrmOwnerLink
from bot.storage.message_models import OutboxMessage
from bot.storage.models import User
from bot.storage.team_models import Team, TeamGoal
from tests.auxil.crm_imports import activity, deal, goal_totals
from tests.auxil.meetings import CHEN, LIU, MANAGER, SET_UP, WANG, ZHAO, prepare_team

DAY = date(2026, 11, 20)
LATER = SET_UP + timedelta(hours=2)

TEAM_FILE = [
    deal("z1", DAY, "120000", owner="Wang"),
    deal("z2", DAY + timedelta(days=1), "80000", owner="WANG "),
    deal("z3", DAY, "50000", owner="zhao"),
    deal("z4", DAY, "70000", DealState.LOST, owner="Zhao"),
    activity("c1", DAY, owner="Zhao"),
    activity("c2", DAY, owner="Zhao"),
    deal("z5", DAY, "99000", owner="Sun Li"),  # not a member: the manager leaves her unmapped
    deal("z6", DAY, "10000", owner="Liu"),  # left the team
    deal("z7", DAY, "5000", owner=None),
]
MAPPING: dict[str, int | None] = {"Wang": WANG, "Zhao": ZHAO, "Liu": LIU}


async def run_team_import(engine: AsyncEngine, team_id: int, records: Sequence[CrmRecord],
                          mapping: dict[str, int | None], **options: Any) -> TeamImportOutcome:  # fmt: skip
    options.setdefault("now", SET_UP)
    async with AsyncSession(engine, expire_on_commit=False) as session, session.begin():
        return await write_team_records(session, team_id=team_id, manager_id=MANAGER, records=records,
                                        owner_members=mapping, **options)  # fmt: skip


async def notices(engine: AsyncEngine, chat_id: int) -> list[str]:
    async with AsyncSession(engine) as session:
        statement = (
            select(OutboxMessage.text).where(OutboxMessage.chat_id == chat_id).order_by(OutboxMessage.id)
        )
        return list(await session.scalars(statement))


async def test_owner_names_match_members_case_and_space_insensitively(engine: AsyncEngine) -> None:
    team = await prepare_team(engine)
    assert owner_key("  Li  Wei ") == "liwei" and owner_key("李 伟") == "李伟"
    assert owners_of(TEAM_FILE) == ("Wang", "zhao", "Sun Li", "Liu")
    async with AsyncSession(engine) as session:
        proposal = await propose_owner_mapping(session, team_id=team.team_id, owners=owners_of(TEAM_FILE))
    # Liu has left: no proposal for her.
    assert proposal == {"Wang": WANG, "zhao": ZHAO, "Sun Li": None, "Liu": None}


async def test_a_team_export_lands_in_each_members_results(engine: AsyncEngine) -> None:
    team = await prepare_team(engine)
    async with AsyncSession(engine) as session, session.begin():
        await session.execute(update(User).where(User.id == ZHAO).values(language="zh_CN"))
    outcome = await run_team_import(engine, team.team_id, TEAM_FILE, MAPPING, source_name="Deals_team.csv")
    by_member = {share.member_id: share for share in outcome.members}
    assert set(by_member) == {WANG, ZHAO}
    assert (by_member[WANG].won, by_member[WANG].won_total, by_member[WANG].outcome.added) == (
        2,
        Decimal(200000),
        2,
    )
    assert (by_member[ZHAO].won, by_member[ZHAO].won_total, by_member[ZHAO].outcome.added) == (
        1,
        Decimal(50000),
        4,
    )
    assert outcome.unmapped_owners == ("Sun Li",)
    assert (outcome.ignored, outcome.refused_members) == (1, (LIU,))
    async with AsyncSession(engine) as session:
        assert await goal_totals(session, WANG) == {"revenue": Decimal(200000)}
        assert await goal_totals(session, ZHAO) == {"revenue": Decimal(50000)}
        assert await goal_totals(session, LIU) == {}
        held = {(r.user_id, r.record_id, r.imported_by) for r in await session.scalars(select(CrmRecordRow))}
        imports = {
            (r.user_id, r.imported_by, r.team_id, r.source_name)
            for r in await session.scalars(select(CrmImport))
        }
        links = {
            (r.owner_key, r.owner_name, r.member_id) for r in await session.scalars(select(CrmOwnerLink))
        }
    assert {(user, record) for user, record, _ in held} == {
        (WANG, "z1"), (WANG, "z2"), (ZHAO, "z3"), (ZHAO, "z4"), (ZHAO, "c1"), (ZHAO, "c2")
    }  # fmt: skip
    assert {by for _, _, by in held} == {MANAGER}
    assert imports == {
        (WANG, MANAGER, team.team_id, "Deals_team.csv"),
        (ZHAO, MANAGER, team.team_id, "Deals_team.csv"),
    }
    assert links == {("wang", "Wang", WANG), ("zhao", "Zhao", ZHAO)}  # Liu is no member: not linked
    assert await notices(engine, WANG) == [
        "Imported by your manager Boss from Zoho CRM: 2 won deals, CN¥200,000."
    ]
    assert await notices(engine, ZHAO) == ["经理Boss从Zoho CRM为你导入：赢单1个，¥50,000；电话 2。"]
    assert await notices(engine, LIU) == [] and await notices(engine, CHEN) == []
    # The same file again: nothing changes, nobody is told again; the links are the confirmed mapping now.
    again = await run_team_import(engine, team.team_id, TEAM_FILE, MAPPING, now=LATER)
    assert all(
        share.outcome.unchanged == len(TEAM_FILE[:2]) for share in again.members if share.member_id == WANG
    )
    assert len(await notices(engine, WANG)) == 1 and len(await notices(engine, ZHAO)) == 1
    async with AsyncSession(engine) as session:
        proposal = await propose_owner_mapping(
            session, team_id=team.team_id, owners=["wang", "Zhao", "Sun Li"]
        )
    assert proposal == {"wang": WANG, "Zhao": ZHAO, "Sun Li": None}


async def test_an_ignored_owner_stays_ignored_and_a_moved_deal_counts_once(engine: AsyncEngine) -> None:
    team = await prepare_team(engine)
    await run_team_import(engine, team.team_id, TEAM_FILE, {**MAPPING, "Sun Li": None})
    async with AsyncSession(engine) as session:
        proposal = await propose_owner_mapping(session, team_id=team.team_id, owners=["Sun Li"])
        links = {r.owner_key: r.member_id for r in await session.scalars(select(CrmOwnerLink))}
    assert proposal == {"Sun Li": None} and links["sunli"] is None
    # The CRM hands z1 from Wang to Chen: it leaves Wang's results and counts once, as Chen's.
    moved = [deal("z1", DAY, "120000", owner="Chen")]
    outcome = await run_team_import(engine, team.team_id, moved, {"Chen": CHEN}, now=LATER)
    assert [share.member_id for share in outcome.members] == [CHEN]
    async with AsyncSession(engine) as session:
        assert await goal_totals(session, WANG) == {"revenue": Decimal(80000)}
        assert await goal_totals(session, CHEN) == {"revenue": Decimal(120000)}


async def test_imported_results_count_in_the_team_roll_up(engine: AsyncEngine) -> None:
    team = await prepare_team(engine)
    await run_team_import(engine, team.team_id, TEAM_FILE, MAPPING)
    async with AsyncSession(engine) as session:
        team_row = await session.get(Team, team.team_id)
        goal = await session.scalar(select(TeamGoal).where(TeamGoal.team_id == team.team_id))
        assert team_row is not None and goal is not None
        figures = await team_figures(session, team_row, goal, date(2026, 11, 27), "en")
    rollup = figures.rollup
    assert rollup.achieved == Decimal(250000)
    assert [(row.member_id, row.achieved) for row in rollup.members if row.achieved] == [
        (WANG, Decimal(200000)), (ZHAO, Decimal(50000))
    ]  # fmt: skip


async def test_the_notice_names_fxiaoke_and_activities_in_chinese(engine: AsyncEngine) -> None:
    team = await prepare_team(engine)
    async with AsyncSession(engine) as session, session.begin():
        await session.execute(update(User).where(User.id == CHEN).values(language="zh_CN"))
    records = [
        deal("f1", DAY, "340000", owner="Chen", system=CrmSystem.FXIAOKE),
        activity("v1", DAY, RecordKind.VISIT, owner="Chen", system=CrmSystem.FXIAOKE),
    ]
    await run_team_import(engine, team.team_id, records, {"Chen": CHEN})
    assert await notices(engine, CHEN) == ["经理Boss从纷享销客为你导入：赢单1个，¥340,000；客户拜访 1。"]
