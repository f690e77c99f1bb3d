"""Everything the database holds about one person, found from the metadata: /deleteme's erasure.

The plan is built from `Base.metadata`, not from a list of tables: every column with a foreign key to
users.id is the person's (their rows are deleted), so a table added later is covered without touching
this module. Columns that name a person without a foreign key are declared below
(tests/storage/test_user_data.py fails on any such column, by its name, that is in neither list).
Rows that belong to a team and only record who wrote them (a team goal, a team reward, a log entry)
are the team's: they pass to the team's manager; when the team has no other manager (an archived team
of this person's), they go too, and the team with them.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from sqlalchemy import Column, ColumnElement, Table, delete, func, select, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.sql.dml import Delete, Update
from sqlalchemy.sql.elements import ColumnElement as Expression

from bot.core.teams.lifecycles import MembershipStatus
from bot.core.teams.roles import Role
from bot.storage.models import Base, User

USERS = "users"
# Columns holding a person's id without a foreign key (Telegram ids: a chat, a lane, an author).
OWNED_WITHOUT_FOREIGN_KEY = frozenset(
    {
        "goal_audit.user_id",
        "inbox_updates.user_id",
        "inbox_updates.chat_id",  # a private chat's id is its user's id
        "inbox_updates.lane_id",
        "inbox_lanes.lane_id",
        "outbox.chat_id",
        "team_split_changes.member_id",  # the member whose part changed
    }
)
# Columns that look like a person's id and are not (a group chat, a process name).
NOT_A_PERSON = frozenset(
    {
        "teams.group_chat_id",
        "group_relays.chat_id",
        "inbox_lanes.claimed_by",  # a process name
        "crm_connections.claimed_by",  # the worker syncing the connection
    }
)


def _team_manager(team_id: ColumnElement[int], user_id: int) -> Expression[int]:
    """The team's manager, if not `user_id`: who inherits what the person wrote for the team."""
    members = Base.metadata.tables["team_members"]
    return (
        select(members.c.user_id)
        .where(
            members.c.team_id == team_id,
            members.c.role == Role.MANAGER,
            members.c.status == MembershipStatus.MEMBER,
            members.c.user_id != user_id,
        )
        .limit(1)
        .correlate_except(members)
        .scalar_subquery()
    )


def _via(parent: str, key: str) -> Callable[[Table], ColumnElement[int]]:
    """The team of a row found through its parent row (`key` -> parent.id -> parent.team_id)."""

    def team_id(table: Table) -> ColumnElement[int]:
        rows = Base.metadata.tables[parent]
        return select(rows.c.team_id).where(rows.c.id == table.c[key]).correlate(table).scalar_subquery()

    return team_id


def _own(column: str) -> Callable[[Table], ColumnElement[int]]:
    return lambda table: table.c[column]


# Authorship of a team's rows: (table.column) -> where its team id is.
TEAM_AUTHORSHIP: dict[str, Callable[[Table], ColumnElement[int]]] = {
    "teams.created_by": _own("id"),
    "team_goals.created_by": _own("team_id"),
    "team_rewards.created_by": _own("team_id"),
    "team_split_changes.changed_by": _via("team_goals", "team_goal_id"),
    "team_meeting_items.created_by": _via("team_meetings", "meeting_id"),
}
# Authorship of another person's rows: a manager imported a member's CRM records (and the import's own row);
# they stay the member's.
OTHERS_AUTHORSHIP: dict[str, str] = {
    "crm_records.imported_by": "user_id",
    "crm_imports.imported_by": "user_id",
}


def _name(column: Column[object]) -> str:
    return f"{column.table.name}.{column.name}"


def references_users(column: Column[object]) -> bool:
    return any(key.column.table.name == USERS for key in column.foreign_keys)


@dataclass(frozen=True)
class ErasurePlan:
    """Which columns of which tables hold the person, children first."""

    owned: tuple[Column[object], ...]  # rows deleted where the column is the person
    team_authored: tuple[Column[object], ...]  # passed to the team's manager, else deleted
    others_authored: tuple[Column[object], ...]  # passed to the row's own person

    @property
    def tables(self) -> frozenset[str]:
        return frozenset(c.table.name for c in (*self.owned, *self.team_authored, *self.others_authored))


def erasure_plan() -> ErasurePlan:
    owned, team, others = [], [], []
    for table in reversed(Base.metadata.sorted_tables):
        for column in table.columns:
            name = _name(column)
            if name in TEAM_AUTHORSHIP:
                team.append(column)
            elif name in OTHERS_AUTHORSHIP:
                others.append(column)
            elif references_users(column) or name in OWNED_WITHOUT_FOREIGN_KEY:
                owned.append(column)
    users = Base.metadata.tables[USERS]
    owned.append(users.c.id)  # last: everything pointing at it is gone or passed on by then
    return ErasurePlan(tuple(owned), tuple(team), tuple(others))


class UserDataRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def count(self, table: str, user_id: int, column: str = "user_id") -> int:
        """How many rows of `table` are the person's (0 for a table this schema does not have)."""
        found = Base.metadata.tables.get(table)
        if found is None:
            return 0
        statement = select(func.count()).select_from(found).where(found.c[column] == user_id)
        return int(await self.session.scalar(statement) or 0)

    async def erase_person(self, user: User) -> int:
        """`erase` for the user of the session's own turn: its pending changes are written first and the
        row is let go, so the commit does not try to update what is gone."""
        await self.session.flush()
        self.session.expunge(user)
        return await self.erase(user.id)

    async def erase(self, user_id: int, plan: ErasurePlan | None = None) -> int:
        """Delete every row of the person and pass on what they wrote for others; rows touched."""
        plan = plan or erasure_plan()
        touched = 0

        async def run(statement: Update | Delete) -> int:
            return int(getattr(await self.session.execute(statement), "rowcount", 0))

        for column in plan.team_authored:
            table = column.table
            heir = _team_manager(TEAM_AUTHORSHIP[_name(column)](table), user_id)
            passed = update(table).where(column == user_id, heir.is_not(None)).values({column.name: heir})
            touched += await run(passed)
        for column in plan.others_authored:
            table = column.table
            heir_column = table.c[OTHERS_AUTHORSHIP[_name(column)]]
            passed = update(table).where(column == user_id).values({column.name: heir_column})
            touched += await run(passed)
        for column in (*plan.team_authored, *plan.owned):
            touched += await run(delete(column.table).where(column == user_id))
        return touched


def planned_columns(plan: ErasurePlan) -> Sequence[str]:
    return sorted(_name(column) for column in (*plan.owned, *plan.team_authored, *plan.others_authored))
