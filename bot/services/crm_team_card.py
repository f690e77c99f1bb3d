"""/crm for a team's CRM connection (teamsync14): what the card says of it, its owners to match, and what a
member is told of the team connections that feed their results.

Every press names a connection (or a held record, which names its connection) and is checked against the
presser: theirs, and, for a team connection, a team they still manage (decision 4).
"""

from __future__ import annotations

from bot.core.dialog import Button, Outgoing
from bot.services.crm_team_sync import match_owner
from bot.services.crm_text import system_name
from bot.services.dialogs.parsing import echo, in_rows
from bot.services.flows.crm_import_team import IMPORT_FOR_TEAM, MAX_OWNER_BUTTONS
from bot.services.meeting_plans import team_run_by
from bot.services.turn import Turn
from bot.storage.crm_sync_models import CrmConnection
from bot.storage.repositories.crm_connections import CrmConnectionRepository
from bot.storage.repositories.crm_held_records import CrmHeldRecordRepository
from bot.storage.repositories.crm_records import CrmRecordRepository
from bot.storage.repositories.team_members import TeamMemberRepository
from bot.storage.repositories.teams import TeamRepository
from bot.telegram.callbacks_crm import CrmButton, crm_callback, match_callback


async def pressable(turn: Turn, connection_id: int) -> CrmConnection | None:
    """The presser's connection; a team connection only while they still manage its team."""
    connection = await CrmConnectionRepository(turn.session).owned(turn.user.id, connection_id)
    if connection is None or connection.team_id is None:
        return connection
    team = await team_run_by(turn.session, connection.team_id, turn.user.id, IMPORT_FOR_TEAM)
    return connection if team is not None else None


async def team_lines(turn: Turn, connection: CrmConnection) -> tuple[str, tuple[Button, ...]]:
    """The card's lines for a team connection (its team, records per member, owners not matched yet) and
    its Match now button, if any owner waits; ("", ()) for a user's own connection."""
    _ = turn._
    if connection.team_id is None:
        return "", ()
    team = await TeamRepository(turn.session).get(connection.team_id)
    members = await TeamMemberRepository(turn.session).with_users(connection.team_id)
    names = {user.id: user.first_name or str(user.id) for _seat, user in members}
    counts = await CrmRecordRepository(turn.session).live_counts(
        list(names), connection.system, connection.user_id
    )
    lines = [
        _("For the team {team}: each deal goes to its owner's results.", team=team.name if team else "?")
    ]
    if counts:
        written = ", ".join(f"{echo(names[user_id])} {count}" for user_id, count in sorted(counts.items()))
        lines.append(_("Records in members' results: {counts}.", counts=written))
    held = await CrmHeldRecordRepository(turn.session).count(connection.id)
    if not held:
        return "\n".join(lines), ()
    lines.append(_.plural("{count} record from owners not yet matched: Match now.",
                          "{count} records from owners not yet matched: Match now.", held))  # fmt: skip
    return "\n".join(lines), (Button(_("🔗 Match now"), crm_callback(CrmButton.MATCH, connection.id)),)


async def member_lines(turn: Turn) -> str:
    """For a member: the team connections (not their own) that feed their results."""
    _ = turn._
    teams = {team.id: team for team, seat in await TeamMemberRepository(turn.session).teams_of(turn.user.id)
             if seat.consented_at is not None}  # fmt: skip
    connections = await CrmConnectionRepository(turn.session).of_teams(list(teams))
    return "\n".join(
        _("Your team {team}'s {system} feeds your results: your deals there arrive by themselves.",
          team=teams[c.team_id].name, system=system_name(c.system, _))
        for c in connections if c.team_id in teams and c.user_id != turn.user.id
    )  # fmt: skip


async def match_prompt(turn: Turn, connection_id: int) -> list[Outgoing] | None:
    """The first owner not matched yet, with the team's members to choose from; None for a stale press."""
    connection = await pressable(turn, connection_id)
    if connection is None or connection.team_id is None:
        return None
    _ = turn._
    holds = CrmHeldRecordRepository(turn.session)
    owners = await holds.owners(connection.id)
    if not owners:
        return [Outgoing(_("Every owner is matched: nothing waits."))]
    _key, first_id, count = owners[0]
    first = await holds.get(first_id)
    members = await TeamMemberRepository(turn.session).with_users(connection.team_id)
    buttons = [Button(echo(user.first_name or str(user.id)), match_callback(first_id, user.id))
               for seat, user in members if seat.consented_at is not None][:MAX_OWNER_BUTTONS]  # fmt: skip
    # Outside the call: the extractor reads its arguments.
    owner, system = echo(first.owner_name if first else "?"), system_name(connection.system, _)
    text = _.plural("“{owner}” owns {count} record in {system}. Which member is this?",
                    "“{owner}” owns {count} records in {system}. Which member is this?", count,
                    owner=owner, system=system)  # fmt: skip
    return [
        Outgoing(
            text, (*in_rows(buttons, 2), (Button(_("🚫 Not in the team"), match_callback(first_id, None)),))
        )
    ]


async def match_pressed(turn: Turn, held_id: int, member_id: int | None) -> list[Outgoing] | None:
    """Match the held owner and write their records to the member at once; then the next owner."""
    _ = turn._
    held = await CrmHeldRecordRepository(turn.session).get(held_id)
    connection = await pressable(turn, held.connection_id) if held is not None else None
    if connection is None:
        return None
    match = await match_owner(
        turn.session, connection, held_id, member_id, turn.now, turn.settings.default_language
    )
    if match is None:
        return None
    owner = echo(match.owner_name)
    if match.member_id is None:
        said = _("“{owner}” is not in the team: their records are ignored from now on.", owner=owner)
    else:
        member = next((u.first_name for _s, u in await TeamMemberRepository(turn.session).with_users(
            connection.team_id or 0) if u.id == match.member_id), None)  # fmt: skip
        said = _.plural("“{owner}” is {member}: {count} record written to their results.",
                        "“{owner}” is {member}: {count} records written to their results.", match.written,
                        owner=owner, member=echo(member or "?"))  # fmt: skip
    following = await match_prompt(turn, connection.id) or []
    return [Outgoing(said), *following]
