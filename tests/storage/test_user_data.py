"""/deleteme's erasure, checked on every table of the metadata: no row of the person remains, another
person's rows are untouched, and what they wrote for a team passes to its manager."""

from __future__ import annotations

import re
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession

from bot.core.teams.lifecycles import MembershipStatus
from bot.core.teams.roles import Role
from bot.storage.models import Base
from bot.storage.repositories.user_data import (
    NOT_A_PERSON,
    OTHERS_AUTHORSHIP,
    OWNED_WITHOUT_FOREIGN_KEY,
    TEAM_AUTHORSHIP,
    UserDataRepository,
    erasure_plan,
    planned_columns,
    references_users,
)
from tests.storage.rows_for_everyone import one_row_each

GONE, KEPT = 710_001, 710_002
# A column named like this holds a person's id unless declared otherwise.
LOOKS_LIKE_A_PERSON = re.compile(r"(^|_)(user|member|chat|lane)_id$|_by$")


async def everything(engine: AsyncEngine) -> dict[str, list[tuple[Any, ...]]]:
    async with engine.connect() as connection:
        return {
            table.name: sorted(map(tuple, (await connection.execute(select(table))).all()), key=repr)
            for table in Base.metadata.sorted_tables
        }


def test_every_column_that_names_a_person_is_in_the_plan_or_declared_not_one() -> None:
    planned = set(planned_columns(erasure_plan()))
    for table in Base.metadata.sorted_tables:
        for column in table.columns:
            name = f"{table.name}.{column.name}"
            if references_users(column) or LOOKS_LIKE_A_PERSON.search(column.name):
                assert name in planned or name in NOT_A_PERSON, (
                    f"{name} looks like a person's id: add it to OWNED_WITHOUT_FOREIGN_KEY (or another list) "
                    "in bot/storage/repositories/user_data.py, or to NOT_A_PERSON"
                )
    declared = OWNED_WITHOUT_FOREIGN_KEY | TEAM_AUTHORSHIP.keys() | OTHERS_AUTHORSHIP.keys() | NOT_A_PERSON
    columns = {f"{t.name}.{c.name}" for t in Base.metadata.sorted_tables for c in t.columns}
    assert declared <= columns, f"declared columns that no longer exist: {sorted(declared - columns)}"


async def test_no_row_of_the_person_remains_in_any_table_and_the_others_are_untouched(
    engine: AsyncEngine,
) -> None:
    async with engine.begin() as connection:
        kept_before = await one_row_each(connection, KEPT)
        await one_row_each(connection, GONE)
    before = await everything(engine)
    async with AsyncSession(engine) as session, session.begin():
        touched = await UserDataRepository(session).erase(GONE)
    assert touched > 0
    after = await everything(engine)

    plan = erasure_plan()
    for column in (*plan.owned, *plan.team_authored, *plan.others_authored):
        async with engine.connect() as connection:
            left = (await connection.execute(select(column.table).where(column == GONE))).all()
        assert left == [], f"{column.table.name}.{column.name} still holds the person: {left}"
    for table in Base.metadata.sorted_tables:
        assert len(after[table.name]) == 1, f"{table.name}: only the other person's row is left"
        primary = [c.name for c in table.primary_key.columns]
        keys = [dict(zip(table.columns.keys(), row, strict=True)) for row in after[table.name]]
        if primary == ["id"] or len(primary) == 1:
            assert keys[0][primary[0]] == kept_before[table.name]
        assert after[table.name][0] in before[table.name], f"{table.name}: the other person's row changed"


async def test_what_the_person_wrote_for_a_team_passes_to_its_manager(engine: AsyncEngine) -> None:
    """A co-manager created the team and its goal, then handed it over: the team is not theirs to take."""
    tables = Base.metadata.tables
    async with engine.begin() as connection:
        await one_row_each(connection, KEPT)
        made = await one_row_each(connection, GONE)
        team = made["teams"]
        members = tables["team_members"]
        await connection.execute(
            members.update()
            .where(members.c.team_id == team)
            .values(role=Role.CO_MANAGER, status=MembershipStatus.MEMBER)
        )
        seat = {
            c.name: v
            for c, v in zip(
                members.columns,
                (await connection.execute(select(members).where(members.c.team_id == team))).one(),
                strict=True,
            )
        }
        seat.update(id=None, user_id=KEPT, role=Role.MANAGER, invite_id=None)
        del seat["id"]
        await connection.execute(members.insert().values(seat))
    async with AsyncSession(engine) as session, session.begin():
        await UserDataRepository(session).erase(GONE)
    async with engine.connect() as connection:
        teams = tables["teams"]
        (created_by,) = (await connection.execute(select(teams.c.created_by).where(teams.c.id == team))).one()
        goals = tables["team_goals"]
        goal_authors = (
            (await connection.execute(select(goals.c.created_by).where(goals.c.team_id == team)))
            .scalars()
            .all()
        )
        seats = (
            (await connection.execute(select(members.c.user_id).where(members.c.team_id == team)))
            .scalars()
            .all()
        )
    assert created_by == KEPT, "the team stays, now the manager's"
    assert goal_authors == [KEPT]
    assert seats == [KEPT], "the person's own seat is gone"
