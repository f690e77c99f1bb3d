"""/share: a member's win for their team. The managers are told, and the win joins the day's relay
message in the team's group: one message the bot edits as the day's wins arrive (a new one the next day,
or when it is full), which keeps the group quiet and within its per-minute limit."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import time
from zoneinfo import ZoneInfo

from bot.core.dates.calendar import local_date
from bot.core.dialog import Outgoing
from bot.core.lifecycle.outbox import OutboxStatus
from bot.core.schedule import local_due
from bot.core.teams.roles import Role
from bot.i18n import Translator
from bot.services.team_group import group_translator
from bot.services.team_group_text import RELAY_LIMIT, relay_text, win_line
from bot.services.turn import Turn
from bot.services.users import user_translator
from bot.storage.group_models import GroupRelay
from bot.storage.repositories.outbox import NewMessage, OutboxRepository
from bot.storage.repositories.team_groups import TeamGroupRepository
from bot.storage.repositories.team_members import TeamMemberRepository
from bot.storage.repositories.users import UserRepository
from bot.storage.team_models import Team, TeamShare

MAX_SHARE = 500  # characters of a shared win
WIN = "win"


async def share_win(turn: Turn, team_id: int, text: str) -> list[Outgoing]:
    """Record the win for the team (if the person is still in it), tell its managers, relay it."""
    _ = turn._
    teams = {team.id: team for team, _seat in await TeamMemberRepository(turn.session).teams_of(turn.user.id)}
    team = teams.get(team_id)
    if team is None:
        return [Outgoing(_("You are not in that team any more, so nothing was shared."))]
    share = TeamShare(team_id=team.id, user_id=turn.user.id, kind=WIN, text=text[:MAX_SHARE], for_group=True,
                      created_at=turn.now)  # fmt: skip
    await TeamGroupRepository(turn.session).add_share(share)
    await _tell_managers(turn, team, share)
    if team.group_chat_id is None:
        return [Outgoing(_("Shared with {team}: your managers will see it. 🎉", team=team.name))]
    await relay(turn, team, share)
    return [Outgoing(_("Shared with {team}: your managers will see it, and so will the team's group. 🎉",
                       team=team.name))]  # fmt: skip


async def _tell_managers(turn: Turn, team: Team, share: TeamShare) -> None:
    members = await TeamMemberRepository(turn.session).current_of(team.id)
    managers = [m.user_id for m in members if m.role is not Role.MEMBER and m.user_id != turn.user.id]
    users = await UserRepository(turn.session).by_ids(managers)
    outbox = OutboxRepository(turn.session)
    for user_id in managers:
        user = users.get(user_id)
        _ = user_translator(user, user.telegram_language if user else None, turn.default_language)
        text = _(
            "🏆 {name} shared a win with {team}: {win}",
            name=turn.user.first_name,
            team=team.name,
            win=share.text,
        )
        await outbox.add(user_id, [NewMessage(text)], turn.now)


async def relay(turn: Turn, team: Team, share: TeamShare) -> None:
    """Put the win into the group's relay message of the day: the pending message (or its pending edit)
    takes the new text; a sent one gets an edit; else (or when it is full) a new message starts."""
    chat_id = team.group_chat_id
    assert chat_id is not None
    zone = ZoneInfo(team.timezone)
    day = local_date(team.timezone, turn.now)
    groups, outbox = TeamGroupRepository(turn.session), OutboxRepository(turn.session)
    _ = await group_translator(turn.session, team, turn.default_language)
    current = await groups.latest_relay(team.id, day)
    if current is not None and current.chat_id == chat_id:
        shares = await groups.group_shares_since(
            team.id, current.first_share_id, local_due(day, time(0), zone)
        )
        text = await _relay_text(turn, team, shares, _)
        row = await outbox.get(current.outbox_id)
        if len(text) <= RELAY_LIMIT and row is not None:
            if row.status is OutboxStatus.PENDING:
                row.text, share.posted_at = text, turn.now
                return
            if row.message_id is not None:
                pending = [
                    r for r in await outbox.pending_for(chat_id) if r.edit_message_id == row.message_id
                ]
                if pending:
                    pending[-1].text = text
                else:
                    await outbox.add(chat_id, [NewMessage(text, edit_message_id=row.message_id)], turn.now)
                share.posted_at = turn.now
                return
    text = await _relay_text(turn, team, [share], _)
    row = await outbox.add_one(chat_id, NewMessage(text), turn.now)
    groups.add_relay(GroupRelay(team_id=team.id, chat_id=chat_id, day=day, outbox_id=row.id,
                                first_share_id=share.id, created_at=turn.now))  # fmt: skip
    share.posted_at = turn.now


async def _relay_text(turn: Turn, team: Team, shares: Sequence[TeamShare], _: Translator) -> str:
    users = await UserRepository(turn.session).by_ids({s.user_id for s in shares})
    lines = [win_line(s, users[s.user_id].first_name if s.user_id in users else "?", _) for s in shares]
    return relay_text(team, lines, _)
