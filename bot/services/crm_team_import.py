"""A manager's team export: records split by CRM owner, matched to the team's members by the mapping the
manager confirmed (kept in crm_owner_links), each member's written as theirs and each member told once.

Only members with a consenting seat in the team now get records: a removed or departed member, or one
who never agreed to what the managers see, gets none (their rows are counted as refused). A record that
moved to another owner in the CRM leaves the member who held it, so the team never counts it twice.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal

from sqlalchemy.ext.asyncio import AsyncSession

from bot.core.crm.records import ACTIVITY_MEASURES, CrmRecord, CrmSystem, DealState
from bot.services.crm_import import FILE, ImportOutcome, remove_records, write_records
from bot.services.crm_import_text import member_notice
from bot.services.crm_plan import latest_versions
from bot.services.users import user_translator
from bot.storage.models import User
from bot.storage.repositories.crm_owner_links import CrmOwnerLinkRepository
from bot.storage.repositories.crm_records import CrmRecordRepository
from bot.storage.repositories.outbox import NewMessage, OutboxRepository
from bot.storage.repositories.team_members import TeamMemberRepository
from bot.storage.repositories.teams import TeamRepository


def owner_key(name: str) -> str:
    """An owner name as it is matched: case- and space-insensitive ("Li  Wei" is "liwei")."""
    return "".join(name.split()).casefold()


@dataclass(frozen=True, slots=True)
class MemberImport:
    """One member's share of a team import."""

    member_id: int
    outcome: ImportOutcome
    won: int  # won deals and orders among their records
    won_total: Decimal
    activities: Mapping[str, int] = field(default_factory=dict)  # calls, meetings, visits among them


@dataclass(frozen=True, slots=True)
class TeamImportOutcome:
    members: tuple[MemberImport, ...]
    ignored: int  # records whose owner the manager chose to ignore, or that name no owner
    unmapped_owners: tuple[str, ...]  # owner names the mapping does not name (their records are not written)
    # Members the mapping names who have no consenting seat in the team now: nothing written for them.
    refused_members: tuple[int, ...] = field(default=())


async def _consenting(session: AsyncSession, team_id: int) -> dict[int, User]:
    """The team's current members (managers too) who agreed to what the managers see."""
    seats = await TeamMemberRepository(session).with_users(team_id)
    return {user.id: user for seat, user in seats if seat.consented_at is not None}


def owners_of(records: Sequence[CrmRecord]) -> tuple[str, ...]:
    """The distinct owner names of `records`, as first spelt, in order of appearance (for the dialog)."""
    seen: dict[str, str] = {}
    for record in records:
        if record.owner and owner_key(record.owner) and owner_key(record.owner) not in seen:
            seen[owner_key(record.owner)] = record.owner
    return tuple(seen.values())


async def propose_owner_mapping(
    session: AsyncSession, *, team_id: int, owners: Sequence[str]
) -> dict[str, int | None]:
    """For the manager's dialog: each owner name -> a member id (the link confirmed before, else the member
    whose name or username matches case- and space-insensitively, when exactly one does), or None (no match,
    or ignored before)."""
    links = await CrmOwnerLinkRepository(session).of_team(team_id)
    members = await _consenting(session, team_id)
    by_name: dict[str, set[int]] = {}
    for user in members.values():
        for name in (user.first_name, user.username):
            if name and owner_key(name):
                by_name.setdefault(owner_key(name), set()).add(user.id)
    proposal: dict[str, int | None] = {}
    for owner in owners:
        key = owner_key(owner)
        link = links.get(key)
        if link is not None:
            proposal[owner] = link.member_id if link.member_id in members else None
        else:
            matches = by_name.get(key, set())
            proposal[owner] = next(iter(matches)) if len(matches) == 1 else None
    return proposal


async def write_team_records(
    session: AsyncSession,
    *,
    team_id: int,
    manager_id: int,
    records: Sequence[CrmRecord],
    owner_members: Mapping[str, int | None],
    now: datetime,
    origin: str = FILE,
    source_name: str | None = None,
    default_language: str = "en",
    tell: bool = True,
) -> TeamImportOutcome:
    """Split `records` by owner with `owner_members` (owner name -> member id, None to ignore; kept for next
    time), write each consenting member's as theirs (imported by the manager) and tell each member whose
    results changed once, through the outbox, in the caller's transaction. `tell=False`: the caller tells
    them (a sync writes page by page and tells each member once when it ends)."""
    records = latest_versions(records)
    members = await _consenting(session, team_id)
    chosen = {owner_key(name): (name, member) for name, member in owner_members.items() if owner_key(name)}
    refused = sorted({m for _, m in chosen.values() if m is not None and m not in members})
    await CrmOwnerLinkRepository(session).put(
        team_id, {key: (name[:200], m) for key, (name, m) in chosen.items() if m is None or m in members}, now
    )
    shares: dict[int, list[CrmRecord]] = {}
    ignored = 0
    unmapped: dict[str, str] = {}  # owner key -> the name as first spelt
    for record in records:
        key = owner_key(record.owner or "")
        member = chosen[key][1] if key in chosen else None
        if key and key not in chosen:
            unmapped.setdefault(key, record.owner or "")
        elif member is None:
            ignored += 1
        elif member in members:
            shares.setdefault(member, []).append(record)
    team = await TeamRepository(session).get(team_id)
    manager = members.get(manager_id) or await session.get(User, manager_id)
    results = []
    for member_id, share in shares.items():
        await _leave_other_holders(session, member_id, list(members), share, now)
        outcome = await write_records(session, user_id=member_id, records=share, imported_by=manager_id, now=now,
                                      origin=origin, source_name=source_name, team_id=team_id)  # fmt: skip
        won = [r for r in share if r.kind.is_outcome and r.state is DealState.WON]
        result = MemberImport(member_id, outcome, len(won), sum((r.amount or Decimal(0) for r in won), Decimal(0)),
                              _activity_counts(share))  # fmt: skip
        results.append(result)
        if tell and member_id != manager_id and (outcome.added or outcome.changed or outcome.reversed):
            _ = user_translator(members[member_id], members[member_id].telegram_language, default_language)
            text = member_notice(manager=manager.first_name if manager else "?", system=share[0].system,
                                 won=result.won, won_total=result.won_total, activities=_activity_counts(share),
                                 reversed_count=outcome.reversed, currency=team.currency if team else "CNY", _=_)  # fmt: skip
            await OutboxRepository(session).add(member_id, [NewMessage(text)], now)
    return TeamImportOutcome(tuple(results), ignored, tuple(unmapped.values()), tuple(refused))


def _activity_counts(records: Sequence[CrmRecord]) -> dict[str, int]:
    counts: dict[str, int] = {}
    for record in records:
        if (measure := ACTIVITY_MEASURES.get(record.kind)) is not None:
            counts[measure] = counts.get(measure, 0) + 1
    return counts


async def _leave_other_holders(
    session: AsyncSession, member_id: int, team: Sequence[int], records: Sequence[CrmRecord], now: datetime
) -> None:
    """Records now the member's that another team member holds (the CRM moved them): taken from the other."""
    await take_from_members(session, [user_id for user_id in team if user_id != member_id], records, now)


async def take_from_members(
    session: AsyncSession, members: Sequence[int], records: Sequence[CrmRecord], now: datetime
) -> None:
    """Whichever of `members` holds one of `records` no longer does (its results reversed, audited)."""
    others = list(members)
    by_system: dict[CrmSystem, list[str]] = {}
    for record in records:
        by_system.setdefault(record.system, []).append(record.record_id)
    for system, record_ids in by_system.items():
        held: dict[int, list[str]] = {}
        for row in await CrmRecordRepository(session).holders(others, system, record_ids):
            held.setdefault(row.user_id, []).append(row.record_id)
        for holder, ids in held.items():
            await remove_records(session, user_id=holder, system=system, record_ids=ids, now=now)
