"""What the team's group gets on its own schedule, each exactly once: the weekly digest (at the meeting's
digest time), the team goals' milestones (half way, the whole target), and team rewards settled (earned:
celebrated in the group and to each member; ended unearned: closed quietly).

Each team is settled in one transaction of the caller's: the once-only claim (group_posts' unique key),
the status move and the outbox rows commit together, so a second process, or the same one after a
restart, finds the claim and posts nothing.
"""

from __future__ import annotations

from datetime import datetime, time, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

from sqlalchemy.ext.asyncio import AsyncSession

from bot.core.dates.calendar import local_date
from bot.core.lifecycle.team_rewards import TeamRewardStatus
from bot.core.schedule import local_due
from bot.core.teams.meeting_schedule import MeetingRule, MeetingSlot, meetings_between
from bot.core.teams.team_rewards import milestones_reached, reward_outcome
from bot.services.plans import calendar_of
from bot.services.results import GOAL_MEASURES
from bot.services.team_group import group_translator, post_to_group, team_lines
from bot.services.team_group_text import digest_text, milestone_text, reward_earned_text, win_line
from bot.services.users import user_translator
from bot.storage.group_models import TeamReward
from bot.storage.repositories.outbox import NewMessage, OutboxRepository
from bot.storage.repositories.team_groups import TeamGroupRepository
from bot.storage.repositories.team_members import TeamMemberRepository
from bot.storage.repositories.team_rewards import TeamRewardRepository
from bot.storage.repositories.teams import TeamRepository
from bot.storage.repositories.users import UserRepository
from bot.storage.team_models import Team

# A digest whose time passed longer ago than this (the bot was down) is not posted late.
DIGEST_GRACE = timedelta(hours=3)
WIN_IN_DIGEST = 200  # characters of one win in the digest


async def due_digest(
    session: AsyncSession, team: Team, now: datetime, default_language: str
) -> MeetingSlot | None:
    """The meeting whose group digest is due now (its digest time passed, within the grace), if any."""
    manager = await UserRepository(session).get(team.created_by)
    if manager is None:
        return None
    zone = ZoneInfo(team.timezone)
    today = local_date(team.timezone, now)
    rule = MeetingRule(team.meeting_weekday, team.meeting_time)
    slots = meetings_between(rule, calendar_of(manager, [], default_language), zone, today - timedelta(days=1),
                             today + timedelta(days=1))  # fmt: skip
    due = [slot for slot in slots if slot.digest_at <= now < slot.digest_at + DIGEST_GRACE]
    return due[-1] if due else None


async def post_digest(session: AsyncSession, team: Team, now: datetime, default_language: str) -> bool:
    """The group's weekly digest, once per meeting; whether it was posted now."""
    slot = await due_digest(session, team, now, default_language)
    if slot is None or team.group_chat_id is None:
        return False
    if not await TeamGroupRepository(session).claim_post(team.id, f"digest:{slot.day.isoformat()}", now):
        return False
    _ = await group_translator(session, team, default_language)
    zone = ZoneInfo(team.timezone)
    start, end = local_due(slot.covers[0], time(0), zone), local_due(slot.day, time(0), zone)
    wins = await TeamGroupRepository(session).group_wins_between(team.id, start, end)
    users = await UserRepository(session).by_ids({win.user_id for win in wins})
    names = {user_id: user.first_name for user_id, user in users.items()}
    win_lines = [win_line(win, names.get(win.user_id, "?"), _)[:WIN_IN_DIGEST] for win in wins]
    lines = await team_lines(session, team, _)
    goals = [line for line in lines if line.startswith("🎯")]
    rewards = [line for line in lines if not line.startswith("🎯")]
    await post_to_group(session, team, digest_text(team, slot.covers, goals, rewards, win_lines, _), now)
    return True


async def post_milestones(session: AsyncSession, team: Team, now: datetime, default_language: str) -> int:
    """Each team goal passing half way and its whole target, celebrated once each; how many were posted."""
    if team.group_chat_id is None:
        return 0
    rewards, groups = TeamRewardRepository(session), TeamGroupRepository(session)
    posted = 0
    for goal in await rewards.active_team_goals(team.id):
        done = await rewards.team_total(
            team.id, GOAL_MEASURES.get(goal.metric, ()), goal.start_date, goal.deadline
        )
        fresh = [mark for mark in milestones_reached(done, Decimal(goal.target_value))
                 if await groups.claim_post(team.id, f"goal:{goal.id}:{mark}", now)]  # fmt: skip
        if fresh:  # both at once (a big day): the higher one is the news
            _ = await group_translator(session, team, default_language)
            await post_to_group(session, team, milestone_text(team, goal, max(fresh), done, _), now)
            posted += 1
    return posted


async def settle_reward(
    session: AsyncSession, reward: TeamReward, now: datetime, default_language: str
) -> None:
    """An open team reward, earned (celebrated once, in the group and to each member) or ended (quietly)."""
    team = await TeamRepository(session).get(reward.team_id)
    if team is None:
        return
    repository = TeamRewardRepository(session)
    today = local_date(team.timezone, now)
    done = await repository.team_total(
        team.id, GOAL_MEASURES.get(reward.metric, ()), reward.start_date, reward.deadline
    )
    outcome = reward_outcome(done, reward.target, today, reward.deadline)
    if outcome is None:
        return
    repository.settle(reward, outcome, now)
    if outcome is not TeamRewardStatus.EARNED:
        return
    if not await TeamGroupRepository(session).claim_post(team.id, f"reward:{reward.id}", now):
        return
    _ = await group_translator(session, team, default_language)
    await post_to_group(session, team, reward_earned_text(team, reward, done, _), now)
    members = await TeamMemberRepository(session).current_of(team.id)
    users = await UserRepository(session).by_ids([m.user_id for m in members])
    outbox = OutboxRepository(session)
    for member in members:
        user = users.get(member.user_id)
        told = user_translator(user, user.telegram_language if user else None, default_language)
        await outbox.add(member.user_id, [NewMessage(reward_earned_text(team, reward, done, told))], now)
