"""A team's CRM connection (issue 14 item 5, teamsync14): a sync's pages split by owner into the members.

One mapping for file and API: the team's owner links (crm_owner_links), which the team file import's
dialog confirms too. Per page, in the page's transaction:
- records whose owner a link names to a member go to that member through write_team_records (origin
  "api", the manager as the importer), exactly as a team file import, so nothing is counted twice and a
  deal that left won is reversed;
- records whose owner is linked to "not in the team", or that name no owner, are ignored for good;
- records of an owner no link names are held (crm_held_records), never guessed: /crm offers "Match now",
  and the match writes them to the member at once. The cursor moves past them: the hold is where they wait.
A record that moves to an ignored or unmatched owner leaves the member who held it.

Members are told once per sync, not once per page: each page adds what it wrote for them to the
connection's pending notices (committed with the page, so a killed sync loses none), and the end of the
sync sends them and clears the list.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from bot.core.crm.records import CrmRecord, CrmSystem, DealState, RecordKind
from bot.services.crm_import import API
from bot.services.crm_import_text import member_notice
from bot.services.crm_team_import import MemberImport, owner_key, take_from_members, write_team_records
from bot.services.users import user_translator
from bot.storage.crm_sync_models import CrmConnection, CrmHeldRecord
from bot.storage.models import User
from bot.storage.repositories.crm_held_records import CrmHeldRecordRepository
from bot.storage.repositories.crm_owner_links import CrmOwnerLinkRepository
from bot.storage.repositories.crm_records import CrmRecordRepository
from bot.storage.repositories.outbox import NewMessage, OutboxRepository
from bot.storage.repositories.team_members import TeamMemberRepository
from bot.storage.repositories.teams import TeamRepository


@dataclass
class TeamPageOutcome:
    added: int = 0
    changed: int = 0  # results replaced or reversed
    unchanged: int = 0
    held: int = 0  # records of owners not matched yet
    ignored: int = 0


def record_json(record: CrmRecord) -> dict[str, Any]:
    return {
        "system": record.system.value, "kind": record.kind.value, "record_id": record.record_id,
        "day": record.day.isoformat(), "amount": None if record.amount is None else str(record.amount),
        "state": None if record.state is None else record.state.value, "owner": record.owner,
        "title": record.title, "account": record.account,
    }  # fmt: skip


def record_from_json(data: dict[str, Any]) -> CrmRecord:
    amount, state = data.get("amount"), data.get("state")
    return CrmRecord(
        CrmSystem(data["system"]), RecordKind(data["kind"]), str(data["record_id"]), date.fromisoformat(data["day"]),
        None if amount is None else Decimal(amount), None if state is None else DealState(state),
        data.get("owner"), data.get("title"), data.get("account"),
    )  # fmt: skip


async def _current_members(session: AsyncSession, team_id: int) -> list[int]:
    return [member.user_id for member in await TeamMemberRepository(session).current_of(team_id)]


async def write_team_page(
    session: AsyncSession, connection: CrmConnection, records: Sequence[CrmRecord], now: datetime
) -> TeamPageOutcome:
    """One page of a team connection's changes, in the page's transaction (see the module's docstring)."""
    assert connection.team_id is not None
    team_id = connection.team_id
    links = await CrmOwnerLinkRepository(session).of_team(team_id)
    mapped: list[CrmRecord] = []
    held: list[tuple[str, str, str, dict[str, Any]]] = []
    gone: list[CrmRecord] = []  # ignored or held: no member holds them any more
    for record in records:
        key = owner_key(record.owner or "")
        link = links.get(key) if key else None
        if link is not None and link.member_id is not None:
            mapped.append(record)
        elif key and link is None:
            held.append((record.record_id, key, (record.owner or "")[:200], record_json(record)))
            gone.append(record)
        else:
            gone.append(record)
    outcome = TeamPageOutcome(held=len(held), ignored=len(gone) - len(held))
    holds = CrmHeldRecordRepository(session)
    held_ids = {record_id for record_id, *_rest in held}
    await holds.release(
        connection.id, [record.record_id for record in records if record.record_id not in held_ids]
    )
    if held:
        await holds.hold(connection.id, held, now)
    if gone:
        await take_from_members(session, await _current_members(session, team_id), gone, now)
    news = await _news(session, team_id, mapped, {key: link.member_id for key, link in links.items()})
    outcome.unchanged = len(mapped) - len(news)
    if news:
        owner_members = {link.owner_name: link.member_id for link in links.values()}
        written = await write_team_records(
            session, team_id=team_id, manager_id=connection.user_id, records=news,
            owner_members=owner_members, now=now, origin=API, source_name=connection.system, tell=False,
        )  # fmt: skip
        for share in written.members:
            outcome.added += share.outcome.added
            outcome.changed += share.outcome.changed + share.outcome.reversed
            outcome.unchanged += share.outcome.unchanged
        _add_pending(connection, written.members, connection.user_id)
    return outcome


async def _news(
    session: AsyncSession, team_id: int, records: Sequence[CrmRecord], members: dict[str, int | None]
) -> list[CrmRecord]:
    """The records their member does not hold as they are now: new, changed, or moved to them. A page
    fetched again (a resumed sync, the cursor's own instant) is then neither written nor told twice."""
    if not records:
        return []
    team = await _current_members(session, team_id)
    system = records[0].system
    stored = await CrmRecordRepository(session).holders(
        team, system, [record.record_id for record in records]
    )
    held = {(row.user_id, row.record_id, row.fingerprint) for row in stored}
    return [
        record for record in records
        if (members.get(owner_key(record.owner or "")), record.record_id, record.fingerprint) not in held
    ]  # fmt: skip


def _add_pending(connection: CrmConnection, shares: Sequence[MemberImport], manager_id: int) -> None:
    """Each member's share of this page, added to what the sync will tell them when it ends."""
    pending: dict[str, Any] = dict(connection.pending_notices or {})
    for share in shares:
        done = share.outcome
        if share.member_id == manager_id or not (done.added or done.changed or done.reversed):
            continue
        was = pending.get(str(share.member_id), {})
        activities = dict(was.get("activities", {}))
        for measure, count in share.activities.items():
            activities[measure] = activities.get(measure, 0) + count
        pending[str(share.member_id)] = {
            "won": int(was.get("won", 0)) + share.won,
            "won_total": str(Decimal(was.get("won_total", "0")) + share.won_total),
            "activities": activities,
            "reversed": int(was.get("reversed", 0)) + done.reversed,
        }
    connection.pending_notices = pending or None  # a new object: JSON columns see assignment, not mutation


async def tell_pending(
    session: AsyncSession, connection: CrmConnection, now: datetime, default_language: str
) -> int:
    """Send each member what this sync wrote for them, once, and clear the list; how many were told."""
    pending, connection.pending_notices = connection.pending_notices or {}, None
    if not pending or connection.team_id is None:
        return 0
    team = await TeamRepository(session).get(connection.team_id)
    manager = await session.get(User, connection.user_id)
    current = set(await _current_members(session, connection.team_id))
    told = 0
    for member_text, figures in pending.items():
        member = await session.get(User, int(member_text))
        if member is None or member.id not in current:
            continue  # left the team since: nothing more from it
        _ = user_translator(member, member.telegram_language, default_language)
        text = member_notice(
            manager=manager.first_name if manager and manager.first_name else "?",
            system=CrmSystem(connection.system), won=int(figures["won"]), won_total=Decimal(figures["won_total"]),
            activities=figures["activities"], reversed_count=int(figures["reversed"]),
            currency=team.currency if team else "CNY", _=_,
        )  # fmt: skip
        await OutboxRepository(session).add(member.id, [NewMessage(text)], now)
        told += 1
    return told


async def remove_team_records(
    session: AsyncSession, connection: CrmConnection, record_ids: Sequence[str], now: datetime
) -> int:
    """The CRM deleted these records: reversed for the current members who hold them, no longer held."""
    assert connection.team_id is not None
    await CrmHeldRecordRepository(session).release(connection.id, record_ids)
    system = CrmSystem(connection.system)
    # Any kind will do: only the system and the id say which rows hold a record.
    records = [CrmRecord(system, RecordKind.DEAL, record_id, date.min) for record_id in record_ids]
    members = await _current_members(session, connection.team_id)
    held = await CrmRecordRepository(session).holders(members, system, list(record_ids))
    await take_from_members(session, members, records, now)
    return len(held)


@dataclass(frozen=True, slots=True)
class OwnerMatch:
    owner_name: str
    member_id: int | None  # None: not in the team, ignored for good
    written: int  # records written to the member


async def match_owner(
    session: AsyncSession, connection: CrmConnection, held_id: int, member_id: int | None, now: datetime,
    default_language: str,
) -> OwnerMatch | None:  # fmt: skip
    """Link a held owner to a member (or to "not in the team") and write their held records to the member at
    once, telling them; None when the held row is not this connection's or the member not a consenting one."""
    if connection.team_id is None:
        return None
    holds = CrmHeldRecordRepository(session)
    row: CrmHeldRecord | None = await holds.get(held_id)
    if row is None or row.connection_id != connection.id:
        return None
    if member_id is not None:
        seats = await TeamMemberRepository(session).with_users(connection.team_id)
        if member_id not in {user.id for seat, user in seats if seat.consented_at is not None}:
            return None
    name, rows = row.owner_name, await holds.of_owner(connection.id, row.owner_key)
    await CrmOwnerLinkRepository(session).put(connection.team_id, {row.owner_key: (name, member_id)}, now)
    written = 0
    if member_id is not None:
        outcome = await write_team_records(
            session, team_id=connection.team_id, manager_id=connection.user_id,
            records=[record_from_json(held.record) for held in rows], owner_members={name: member_id}, now=now,
            origin=API, source_name=connection.system, default_language=default_language,
        )  # fmt: skip
        written = sum(share.outcome.added + share.outcome.changed for share in outcome.members)
    await holds.release(connection.id, [held.record_id for held in rows])
    return OwnerMatch(name, member_id, written)
