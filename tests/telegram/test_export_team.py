"""/export for a manager: "my data" or "team <name>"; the team's files hold what the managers may see of
each member (goals, results, review ratings, what was shared) and nothing of their private words.
Forged and stale buttons change nothing and send nothing."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime
from decimal import Decimal

import pytest
from sqlalchemy import update
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession

from bot.core.lifecycle.goals import GoalStatus
from bot.core.teams.roles import Role
from bot.services.container import Services
from bot.storage.coaching_models import Setback
from bot.storage.message_models import OutboxMessage
from bot.storage.models import Entry, Goal
from bot.storage.team_models import TeamMember, TeamShare
from tests.auxil.chat import Chat, labels, texts
from tests.auxil.database import rows
from tests.auxil.exports import FORMULAS, documents, workbook_values, write_history, zip_tables
from tests.auxil.goals import insert_goal, onboard
from tests.auxil.teams import insert_team

WANG, ZHAO, OUTSIDER = 300_001, 300_002, 300_009
SHARED = "Lost Hangzhou No.2 hospital on price"
PRIVATE = "PRIVATE: my biggest client walked away"
TEAM_SHEETS = {
    "en": ["About", "Members", "Goals", "Results", "Activities", "Review ratings", "Shared"],
    "zh": ["说明", "成员", "目标", "业绩", "活动", "回顾评分", "已分享"],
}
OLD_BUTTON = "That button is from an old message and no longer does anything."


async def team_with_history(engine: AsyncEngine, manager: Chat, now: datetime) -> int:
    """Wang and Zhao in the manager's team; Wang has a full history, a private setback and a shared one,
    a deleted goal; someone outside the team has results too."""
    team_id = await insert_team(engine, manager.id, [WANG, ZHAO], now)
    await insert_team(engine, OUTSIDER, [], now, name="West")
    await write_history(engine, WANG, now)
    await write_history(engine, OUTSIDER, now)
    deleted = await insert_goal(engine, WANG, now, description="A goal Wang deleted")
    at = datetime(2026, 11, 26, 6, 0, tzinfo=UTC)
    async with AsyncSession(engine) as session, session.begin():
        await session.execute(update(Goal).where(Goal.id == deleted).values(status=GoalStatus.DELETED))
        session.add(
            Entry(user_id=WANG, goal_id=deleted, day=date(2026, 11, 25), amount=Decimal(7), created_at=at)
        )
        session.add(Setback(user_id=WANG, day=date(2026, 11, 25), summary=PRIVATE, answers={}, created_at=at))
        session.add(TeamShare(team_id=team_id, user_id=WANG, kind="setback", text=SHARED, created_at=at))
    return team_id


def every_text(workbook: bytes, archive: bytes) -> str:
    values = [str(v) for sheet in workbook_values(workbook).values() for row in sheet for v in row]
    values += [v for table in zip_tables(archive).values() for row in table for v in row]
    return "\n".join(values)


@pytest.mark.parametrize("language", ["en", "zh"])
async def test_a_manager_exports_what_they_may_see_of_the_team_and_no_private_word(
    language: str, make_chat: Callable[..., Chat], engine: AsyncEngine, services: Services
) -> None:
    manager = make_chat(language_code="en" if language == "en" else "zh-hans")
    await onboard(manager, language)
    team_id = await team_with_history(engine, manager, services.now())

    choice = await manager.send("/export")
    assert labels(choice[-1]) == (
        ["📄 My data", "👥 Team East China KA"]
        if language == "en"
        else ["📄 我的数据", "👥 团队 East China KA"]
    )
    sent = await manager.press(labels(choice[-1])[1])

    files = documents(sent)
    assert [call.file_names["document"] for call in files] == [
        f"quota-coach-team-{team_id}-2026-11-27.xlsx",
        f"quota-coach-team-{team_id}-2026-11-27-csv.zip",
    ]
    workbook, archive = files[0].files["document"], files[1].files["document"]
    sheets = workbook_values(workbook)
    names = TEAM_SHEETS[language]
    assert list(sheets) == names
    assert sorted(row[2] for row in sheets[names[1]][1:]) == sorted(str(i) for i in (manager.id, WANG, ZHAO))
    assert [row[2] for row in sheets[names[2]][1:]] == ["Sell the ERP upgrade to 医院 clients in 华东"]
    wang_entries = [e for e in await rows(engine, Entry, user_id=WANG) if e.amount != 7]
    assert len(sheets[names[3]]) - 1 == len(wang_entries) == 6
    assert {row[0] for row in sheets[names[3]][1:]} == {"User 300001"}
    assert sorted(Decimal(str(row[4])) for row in sheets[names[3]][1:]) == sorted(
        e.amount for e in wang_entries
    )
    assert [row[3] for row in sheets[names[5]][1:]] == [4], "the weekly review's rating"
    assert [row[2] for row in sheets[names[6]][1:]] == [SHARED]

    everything = every_text(workbook, archive)
    for private in (
        PRIVATE,
        FORMULAS[0],
        FORMULAS[1],
        "两个新客户",
        "Bring the ROI sheet",
        "A goal Wang deleted",
    ):
        assert private not in everything, f"{private!r} is the member's own"
    assert "User 300009" not in everything, "nobody outside the team"
    assert len(await rows(engine, Setback, user_id=WANG)) == 2, (
        "the reflections are still there, only not shown"
    )


async def test_my_data_from_the_choice_is_the_managers_own_export(
    make_chat: Callable[..., Chat], engine: AsyncEngine, services: Services
) -> None:
    manager = make_chat()
    await onboard(manager)
    await team_with_history(engine, manager, services.now())
    await write_history(engine, manager.id, services.now())

    await manager.send("/export")
    files = documents(await manager.press("📄 My data"))

    assert [call.file_names["document"] for call in files] == [
        "quota-coach-export-2026-11-27.xlsx",
        "quota-coach-export-2026-11-27-csv.zip",
    ]
    assert "User 300001" not in every_text(files[0].files["document"], files[1].files["document"])


async def test_a_member_forging_a_team_export_button_gets_the_old_button_reply_and_no_file(
    make_chat: Callable[..., Chat], engine: AsyncEngine, services: Services
) -> None:
    manager = make_chat()
    await onboard(manager)
    member = make_chat(user_id=WANG)
    await onboard(member)
    team_id = await insert_team(engine, manager.id, [WANG], services.now())
    await write_history(engine, manager.id, services.now())
    before = len(await rows(engine, OutboxMessage))

    for forged in (f"ex:team:{team_id}", "ex:team:99999999999", "ex:team:0", "ex:team:-1", "ex:own:7", "ex:"):
        sent = await member.press_data(forged)
        assert texts(sent) == OLD_BUTTON, forged
        assert documents(sent) == []
    outbox = await rows(engine, OutboxMessage)
    assert len(outbox) == before + 6 and not [m for m in outbox if m.document_name]


async def test_a_team_button_pressed_after_the_manager_stepped_down_is_stale(
    make_chat: Callable[..., Chat], engine: AsyncEngine, services: Services
) -> None:
    manager = make_chat()
    await onboard(manager)
    team_id = await team_with_history(engine, manager, services.now())
    choice = await manager.send("/export")
    async with AsyncSession(engine) as session, session.begin():
        await session.execute(
            update(TeamMember)
            .where(TeamMember.team_id == team_id, TeamMember.user_id == manager.id)
            .values(role=Role.MEMBER)
        )

    sent = await manager.press("👥 Team East China KA", on=choice[-1])

    assert texts(sent) == OLD_BUTTON and documents(sent) == []


async def test_a_team_with_no_goals_or_results_is_told_so(
    make_chat: Callable[..., Chat], engine: AsyncEngine, services: Services
) -> None:
    manager = make_chat()
    await onboard(manager)
    await insert_team(engine, manager.id, [ZHAO], services.now())

    await manager.send("/export")
    sent = await manager.press("👥 Team East China KA")

    assert texts(sent) == "East China KA has nothing to export yet: no member has goals or results."
    assert documents(sent) == []
