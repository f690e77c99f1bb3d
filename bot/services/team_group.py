"""The team's group chat: the link that adds the bot, linking the group to its team, the bot added or
removed, the group's move to a supergroup, and what the group sees of the team (/team@bot).

The group hears the team manager's language. Whatever the bot says in a group goes through the outbox
like every reply, so the group's per-minute limit holds for all of it (bot.core.teams.group_rate).
"""

from __future__ import annotations

import secrets
from collections.abc import Sequence
from datetime import datetime, timedelta

from sqlalchemy.ext.asyncio import AsyncSession

from bot.core.dialog import Outgoing
from bot.core.lifecycle.outbox import BOT_LEFT_GROUP
from bot.core.teams.group_links import (
    LIFETIME,
    LinkRefusal,
    is_group_payload,
    link_refusal,
    new_group_payload,
)
from bot.core.teams.roles import Role, TeamAction, may
from bot.i18n import Translator
from bot.services.results import GOAL_MEASURES
from bot.services.team_group_text import goal_line, reward_line
from bot.services.turn import Turn
from bot.services.users import user_translator
from bot.storage.group_models import TeamGroupLink
from bot.storage.repositories.outbox import NewMessage, OutboxRepository
from bot.storage.repositories.team_groups import TeamGroupRepository
from bot.storage.repositories.team_members import TeamMemberRepository, seat
from bot.storage.repositories.team_rewards import TeamRewardRepository
from bot.storage.repositories.teams import TeamRepository
from bot.storage.repositories.users import UserRepository
from bot.storage.team_models import Team

MAX_GROUP_MESSAGE = 4096


async def group_translator(session: AsyncSession, team: Team, default_language: str) -> Translator:
    """The group's language: its team manager's."""
    members = await TeamMemberRepository(session).current_of(team.id)
    manager_id = next((m.user_id for m in members if m.role is Role.MANAGER), team.created_by)
    manager = await UserRepository(session).get(manager_id)
    return user_translator(manager, manager.telegram_language if manager else None, default_language)


async def post_to_group(session: AsyncSession, team: Team, text: str, now: datetime) -> None:
    """Record a post for the team's group (if it has one), in the caller's transaction."""
    if team.group_chat_id is not None:
        await OutboxRepository(session).add(team.group_chat_id, [NewMessage(text[:MAX_GROUP_MESSAGE])], now)


async def linkable_teams(turn: Turn) -> list[Team]:
    """The teams whose group the person may link: those they manage or co-manage."""
    teams = await TeamMemberRepository(turn.session).teams_of(turn.user.id)
    return [team for team, member in teams if may(seat(member), TeamAction.EDIT_TEAM)]


async def group_link(turn: Turn, team_id: int, bot_username: str) -> list[Outgoing]:
    """A fresh ?startgroup= link for the team, if the person may still link its group."""
    _ = turn._
    team = next((team for team in await linkable_teams(turn) if team.id == team_id), None)
    if team is None:
        return [Outgoing(_("Only the team's manager or a co-manager can add me to the team's group."))]
    payload = new_group_payload(secrets.token_bytes)
    TeamGroupRepository(turn.session).add_link(TeamGroupLink(
        team_id=team.id, payload=payload, created_by=turn.user.id, created_at=turn.now,
        expires_at=turn.now + LIFETIME))  # fmt: skip
    url = f"https://t.me/{bot_username}?startgroup={payload}"
    hours = int(LIFETIME / timedelta(hours=1))
    return [Outgoing(_.plural(
        "Open this link and pick {team}'s group to add me there: {url}\nIt works for {count} hour. In the "
        "group I post a weekly summary, the wins members share and team milestones; members' own numbers "
        "stay private.",
        "Open this link and pick {team}'s group to add me there: {url}\nIt works for {count} hours. In the "
        "group I post a weekly summary, the wins members share and team milestones; members' own numbers "
        "stay private.",
        hours, team=team.name, url=url, count=hours))]  # fmt: skip


def _how_to_link(_: Translator) -> str:
    return _("To link this group with a team, the team's manager sends /teamgroup to me in a private chat "
             "and opens the link I give.")  # fmt: skip


async def link_group(turn: Turn, chat_id: int, payload: str) -> list[Outgoing]:
    """ "/start@bot <payload>" in a group: link it to the payload's team if the sender may."""
    groups = TeamGroupRepository(turn.session)
    link = await groups.link(payload) if is_group_payload(payload) else None
    team = await TeamRepository(turn.session).get(link.team_id) if link else None
    refusal = link_refusal(link.expires_at if link else None, team.status if team else None, turn.now)
    linked = await groups.team_of_group(chat_id)
    if team is None or refusal is not None:
        _ = await group_translator(turn.session, linked, turn.default_language) if linked else turn._
        if linked is not None and not payload:
            return [
                Outgoing(
                    _("This group is linked with {team}. /team shows the team's totals.", team=linked.name)
                )
            ]
        if refusal is LinkRefusal.EXPIRED:
            return [Outgoing(_("That link has expired. The team's manager can get a new one with /teamgroup in a private chat with me."))]  # fmt: skip
        return [
            Outgoing(
                _how_to_link(_) if not payload else _("That is not a link I gave.") + "\n" + _how_to_link(_)
            )
        ]
    _ = await group_translator(turn.session, team, turn.default_language)
    member = await TeamMemberRepository(turn.session).of(team.id, turn.user.id)
    if member is None or not may(seat(member), TeamAction.EDIT_TEAM):
        return [
            Outgoing(
                _("Only {team}'s manager or a co-manager can link this group with the team.", team=team.name)
            )
        ]
    if linked is not None and linked.id != team.id:
        return [Outgoing(_("This group is already linked with {team}.", team=linked.name))]
    team.group_chat_id, team.updated_at = chat_id, turn.now
    return [Outgoing(_("Linked: this group now gets {team}'s weekly summary, the wins members share and team "
                       "milestones. Members' own numbers stay private. /team shows the team's totals.",
                       team=team.name))]  # fmt: skip


async def bot_added(turn: Turn, chat_id: int) -> list[Outgoing]:
    """The bot was added to a group: say how to link it (or whose it is)."""
    team = await TeamGroupRepository(turn.session).team_of_group(chat_id)
    if team is None:
        return [Outgoing(turn._("Hello! I'm Quota Coach, a sales goal coach.") + "\n" + _how_to_link(turn._))]
    _ = await group_translator(turn.session, team, turn.default_language)
    return [Outgoing(_("Hello again, {team}! /team shows the team's totals.", team=team.name))]


async def bot_removed(turn: Turn, chat_id: int) -> None:
    """The bot left or was removed: the team has no group any more; what waited for it is never sent."""
    await TeamGroupRepository(turn.session).forget_group(chat_id, turn.now)
    await OutboxRepository(turn.session).end_chat(chat_id, turn.now, reason=BOT_LEFT_GROUP)


async def group_migrated(turn: Turn, old_chat_id: int, new_chat_id: int) -> None:
    """The group became a supergroup: the team's group, and what waits for it, follow the new id."""
    await TeamGroupRepository(turn.session).move_group(old_chat_id, new_chat_id, turn.now)
    await OutboxRepository(turn.session).retarget(old_chat_id, new_chat_id)


async def team_lines(session: AsyncSession, team: Team, _: Translator) -> Sequence[str]:
    """The team's totals as its group may see them: each team goal and each open team reward."""
    rewards = TeamRewardRepository(session)
    lines = []
    for goal in await rewards.active_team_goals(team.id):
        done = await rewards.team_total(
            team.id, GOAL_MEASURES.get(goal.metric, ()), goal.start_date, goal.deadline
        )
        lines.append(goal_line(goal, done, team.currency, _))
    for reward in await rewards.active_of(team.id):
        done = await rewards.team_total(
            team.id, GOAL_MEASURES.get(reward.metric, ()), reward.start_date, reward.deadline
        )
        lines.append(reward_line(reward, done, team.currency, _))
    return lines


async def group_card(turn: Turn, chat_id: int) -> list[Outgoing]:
    """/team@bot in a group: the linked team's totals, or how to link the group."""
    team = await TeamGroupRepository(turn.session).team_of_group(chat_id)
    if team is None:
        return [Outgoing(_how_to_link(turn._))]
    _ = await group_translator(turn.session, team, turn.default_language)
    lines = await team_lines(turn.session, team, _)
    body = "\n".join(lines) if lines else _("No team goal yet.")
    return [Outgoing(_("{team}\n{lines}", team=team.name, lines=body))]
