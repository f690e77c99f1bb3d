"""Team meeting rows: one per team and meeting day, who was prompted for it, their notes, its decisions."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from typing import Any, cast

from sqlalchemy import Table, exists, func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from bot.core.lifecycle.meetings import MeetingSendStatus
from bot.core.teams.lifecycles import MembershipStatus, TeamStatus
from bot.storage.meeting_models import MeetingItem, MeetingNote, MeetingPrompt, TeamMeeting
from bot.storage.statements import insert_skipping_duplicates
from bot.storage.team_models import Team, TeamMember

MEETINGS = cast(Table, TeamMeeting.__table__)
_PLANNED = MeetingSendStatus.PLANNED


class TeamMeetingRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def teams_to_plan(self, batch: int) -> Sequence[Team]:
        """Active teams whose next meeting is not planned yet (a new team, or its last digest went)."""
        planned = exists().where(TeamMeeting.team_id == Team.id, TeamMeeting.digest_status == _PLANNED)
        statement = (
            select(Team).where(Team.status == TeamStatus.ACTIVE, ~planned).order_by(Team.id).limit(batch)
        )
        return (await self.session.scalars(statement)).all()

    async def last_starts(self, team_ids: Sequence[int]) -> dict[int, datetime]:
        """When each team's latest meeting row starts (teams without one are left out)."""
        if not team_ids:
            return {}
        statement = (
            select(TeamMeeting.team_id, func.max(TeamMeeting.starts_at))
            .where(TeamMeeting.team_id.in_(team_ids))
            .group_by(TeamMeeting.team_id)
        )
        return {team_id: starts for team_id, starts in (await self.session.execute(statement)).all()}

    async def plan(self, rows: list[dict[str, Any]], dialect: str) -> None:
        """New meeting rows in one statement; a day already planned (by another process) stays as it is."""
        if rows:
            await self.session.execute(
                insert_skipping_duplicates(MEETINGS, ["team_id", "day"], dialect), rows
            )

    async def due_prompts(self, now: datetime, batch: int) -> Sequence[tuple[TeamMeeting, Team]]:
        """Up to `batch` planned prompts due by `now`, oldest first, locked (other processes skip them)."""
        return await self._due(TeamMeeting.prompt_status, TeamMeeting.prompt_at, now, batch)

    async def due_digests(self, now: datetime, batch: int) -> Sequence[tuple[TeamMeeting, Team]]:
        """Up to `batch` planned digests due by `now`, oldest first, locked (other processes skip them)."""
        return await self._due(TeamMeeting.digest_status, TeamMeeting.digest_at, now, batch)

    async def _due(
        self, status: Any, due_at: Any, now: datetime, batch: int
    ) -> Sequence[tuple[TeamMeeting, Team]]:
        statement = (
            select(TeamMeeting, Team)
            .join(Team, Team.id == TeamMeeting.team_id)
            .where(status == _PLANNED, due_at <= now)
            .order_by(due_at, TeamMeeting.id)
            .limit(batch)
            .with_for_update(of=TeamMeeting, skip_locked=True)
        )
        return [(meeting, team) for meeting, team in (await self.session.execute(statement)).all()]

    async def add(self, meeting: TeamMeeting) -> None:
        """A meeting held off-schedule (recorded with /meeting before any was planned), with its id."""
        self.session.add(meeting)
        await self.session.flush()

    async def get(self, meeting_id: int) -> TeamMeeting | None:
        return await self.session.get(TeamMeeting, meeting_id)

    async def planned_of(self, team_id: int) -> TeamMeeting | None:
        """The team's next meeting whose digest has not gone yet, locked for a change of its time."""
        statement = (
            select(TeamMeeting)
            .where(TeamMeeting.team_id == team_id, TeamMeeting.digest_status == _PLANNED)
            .with_for_update()
        )
        return await self.session.scalar(statement)

    async def on_day(self, team_id: int, day: date) -> TeamMeeting | None:
        statement = select(TeamMeeting).where(TeamMeeting.team_id == team_id, TeamMeeting.day == day)
        return await self.session.scalar(statement)

    async def latest_started(self, team_id: int, now: datetime) -> TeamMeeting | None:
        """The team's most recent meeting that has begun by `now` (the one /meeting records for)."""
        statement = (
            select(TeamMeeting)
            .where(TeamMeeting.team_id == team_id, TeamMeeting.starts_at <= now)
            .order_by(TeamMeeting.starts_at.desc())
            .limit(1)
        )
        return await self.session.scalar(statement)

    async def before(self, team_id: int, day: date) -> TeamMeeting | None:
        """The team's meeting before the one on `day` (whose action items that one's digest recalls)."""
        statement = (
            select(TeamMeeting)
            .where(TeamMeeting.team_id == team_id, TeamMeeting.day < day)
            .order_by(TeamMeeting.day.desc())
            .limit(1)
        )
        return await self.session.scalar(statement)

    async def move(self, meeting: TeamMeeting, values: dict[str, Any]) -> None:
        """A planned meeting moved to another slot (the manager changed its time)."""
        await self.session.execute(update(TeamMeeting).where(TeamMeeting.id == meeting.id).values(**values))

    # Prompts, notes, items ------------------------------------------------------------------------

    def add_prompts(self, prompts: Sequence[MeetingPrompt]) -> None:
        self.session.add_all(prompts)

    async def prompt_of(self, meeting_id: int, user_id: int) -> MeetingPrompt | None:
        statement = select(MeetingPrompt).where(
            MeetingPrompt.meeting_id == meeting_id, MeetingPrompt.user_id == user_id
        )
        return await self.session.scalar(statement)

    async def awaiting_note(self, user_id: int, now: datetime) -> tuple[MeetingPrompt, TeamMeeting] | None:
        """The newest prompt the user has not answered, of a meeting that has not begun, while they are
        still a member of its team."""
        statement = (
            select(MeetingPrompt, TeamMeeting)
            .join(TeamMeeting, TeamMeeting.id == MeetingPrompt.meeting_id)
            .join(
                TeamMember,
                (TeamMember.team_id == TeamMeeting.team_id) & (TeamMember.user_id == MeetingPrompt.user_id),
            )
            .where(
                MeetingPrompt.user_id == user_id,
                MeetingPrompt.answered_at.is_(None),
                TeamMeeting.starts_at > now,
                TeamMember.status == MembershipStatus.MEMBER,
            )
            .order_by(MeetingPrompt.recorded_at.desc(), MeetingPrompt.id.desc())
            .limit(1)
        )
        found = (await self.session.execute(statement)).first()
        return None if found is None else (found[0], found[1])

    def add_note(self, note: MeetingNote) -> None:
        self.session.add(note)

    async def notes_of(self, meeting_id: int) -> Sequence[MeetingNote]:
        statement = select(MeetingNote).where(MeetingNote.meeting_id == meeting_id).order_by(MeetingNote.id)
        return (await self.session.scalars(statement)).all()

    def add_items(self, items: Sequence[MeetingItem]) -> None:
        self.session.add_all(items)

    async def items_of(self, meeting_id: int) -> Sequence[MeetingItem]:
        statement = select(MeetingItem).where(MeetingItem.meeting_id == meeting_id).order_by(MeetingItem.id)
        return (await self.session.scalars(statement)).all()
