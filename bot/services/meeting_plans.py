"""When each team's next meeting is: its rule, its calendar, and the planned row that holds its slot.

A team has at most one planned meeting (its digest not gone yet). The team-meeting job plans the next one
for every active team without one; /meetingtime moves a planned one to the new slot (what was already
sent stays sent). The team's working days are Monday to Friday with its zone's country's public holidays
and make-up days (bot.core.work_calendar), so a meeting on a holiday moves within its week
(bot.core.teams.meeting_schedule).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy.ext.asyncio import AsyncSession

from bot.core.lifecycle.meetings import MEETING_SENDS, MeetingSendStatus
from bot.core.teams.meeting_schedule import MeetingRule, MeetingSlot, next_meeting
from bot.core.teams.roles import TeamAction, action_refusal
from bot.services.team_calendar import team_calendar
from bot.storage.repositories.team_meetings import TeamMeetingRepository
from bot.storage.repositories.team_members import TeamMemberRepository, seat
from bot.storage.repositories.teams import TeamRepository
from bot.storage.team_models import Team
from bot.storage.types import INTEGER_IDS


def meeting_rule(team: Team) -> MeetingRule:
    return MeetingRule(weekday=team.meeting_weekday, at=team.meeting_time)


def upcoming_slot(team: Team, after: datetime, default_language: str) -> MeetingSlot:
    """The team's first meeting starting after `after`, by its current rule."""
    zone = ZoneInfo(team.timezone)
    return next_meeting(meeting_rule(team), team_calendar(team, default_language), zone, after)


def _row(team_id: int, slot: MeetingSlot, now: datetime) -> dict[str, Any]:
    return {
        "team_id": team_id,
        "day": slot.day,
        "starts_at": slot.starts_at,
        "prompt_at": slot.prompt_at,
        "digest_at": slot.digest_at,
        "prompt_status": MEETING_SENDS.initial,
        "digest_status": MEETING_SENDS.initial,
        "created_at": now,
        "updated_at": now,
    }


async def plan_meetings(
    session: AsyncSession, now: datetime, default_language: str, dialect: str, batch: int = 200
) -> int:
    """The next meeting of each active team that has none planned; how many teams were looked at."""
    meetings = TeamMeetingRepository(session)
    teams = await meetings.teams_to_plan(batch)
    last_starts = await meetings.last_starts([team.id for team in teams])
    rows: list[dict[str, Any]] = []
    for team in teams:
        # After the meeting just served, not before: its own slot may still lie ahead (digest sent).
        after = max(now, last_starts.get(team.id, now))
        rows.append(_row(team.id, upcoming_slot(team, after, default_language), now))
    await meetings.plan(rows, dialect)
    return len(teams)


async def move_planned(
    session: AsyncSession, team: Team, now: datetime, default_language: str
) -> MeetingSlot:
    """After a change of the team's meeting time: its planned meeting moves to the new next slot."""
    meetings = TeamMeetingRepository(session)
    slot = upcoming_slot(team, now, default_language)
    planned = await meetings.planned_of(team.id)
    if planned is None:
        return slot  # the job plans it on its next tick
    clash = await meetings.on_day(team.id, slot.day)
    if clash is not None and clash.id != planned.id:
        # That day's meeting was already held under the old time: the next slot after it, then.
        slot = upcoming_slot(team, max(now, clash.starts_at), default_language)
    values: dict[str, Any] = {"day": slot.day, "starts_at": slot.starts_at, "digest_at": slot.digest_at,
                              "updated_at": now}  # fmt: skip
    if planned.prompt_status == MeetingSendStatus.PLANNED:
        values["prompt_at"] = slot.prompt_at
    await meetings.move(planned, values)
    return slot


async def teams_run_by(session: AsyncSession, user_id: int, action: TeamAction) -> list[Team]:
    """The active teams in which the user's seat allows `action` (bot.core.teams.roles), oldest first."""
    found = await TeamMemberRepository(session).teams_of(user_id)
    return [team for team, member in found if action_refusal(seat(member), action, team.status) is None]


async def team_run_by(session: AsyncSession, team_id: int, user_id: int, action: TeamAction) -> Team | None:
    """The team, if the user's seat in it allows `action` now (checked again at the end of a dialog: the
    member may have been removed, or the team archived, since it began)."""
    if team_id not in INTEGER_IDS:
        return None
    team = await TeamRepository(session).get(team_id)
    member = await TeamMemberRepository(session).of(team_id, user_id)
    if team is None or member is None or action_refusal(seat(member), action, team.status) is not None:
        return None
    return team
